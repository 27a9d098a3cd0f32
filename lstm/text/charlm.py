"""Character LSTMs and GRUs trained on a stream of text by truncated BPTT.

    ids (T,) --cut into B streams--> (T/B, B) --chunks of k steps--> one-hot X (k, B, V)
    for each chunk:  logits = model(X, state)        state carried over from the last chunk
                     L = mean -log softmax(logits)[next char]
                     backward through these k steps only, clip, Adam step

The batch holds B consecutive pieces of the text read side by side, so the state at
the start of a chunk is the true state after everything the stream has read so far,
while the gradient stops at the chunk border: truncated BPTT as in lstm.tbptt
(`iter_chunks`), with a parameter update after every chunk.
"""
import math
import time
from dataclasses import dataclass
from typing import List, NamedTuple

import numpy as np
from tqdm.auto import tqdm

from ..gru import GRU
from ..layer import LSTM
from ..losses import log_softmax, softmax_cross_entropy
from ..model import SequenceModel
from ..optim import Adam, clip_grad_norm
from ..validate import check_positive_int
from .corpus import bits_per_char, one_hot, windows

CELLS = {"lstm": LSTM, "gru": GRU}
LOG2 = math.log(2.0)


@dataclass
class TrainConfig:
    chars: int = 1_000_000  # training characters to read, over all streams (may exceed one epoch)
    batch_size: int = 16  # B, streams read side by side
    bptt: int = 32  # k, truncation length: steps the gradient goes back
    lr: float = 5e-3  # Adam's step size
    lr_final: float = 5e-4  # the step size decays geometrically from lr to this
    clip: float = 5.0  # clip the global gradient norm to this
    eval_every: int = 200_000  # characters between two validation scores
    eval_chars: int = 0  # validation characters scored each time (0: all of them)


class TrainResult(NamedTuple):
    history: List[dict]  # one row per evaluation: chars, seconds, train_bpc, valid_bpc
    best_valid_bpc: float  # the model is left with the parameters of this evaluation
    seconds: float  # training wall time, evaluations excluded


def make_char_model(vocab_size, hidden_size, cell, rng, dtype=np.float32):
    """One-hot characters (T, N, V) -> LSTM or GRU of H cells -> logits (T, N, V)."""
    if cell not in CELLS:
        raise ValueError(f"cell must be one of {sorted(CELLS)}, got {cell!r}")
    kwargs = {"forget_bias": 1.0} if cell == "lstm" else {}
    layer = CELLS[cell](vocab_size, hidden_size, rng=rng, dtype=dtype, **kwargs)
    return SequenceModel(layer, vocab_size, rng=rng)


def count_weights(model):
    return int(sum(p.size for layer in model.layers for p in layer.params.values()))


def _check_model(model, vocab_size=None):
    if not isinstance(model, SequenceModel):
        raise TypeError(f"model must be an lstm.SequenceModel, got {type(model).__name__}")
    if vocab_size is not None and (model.recurrent.input_size != vocab_size or model.out_features != vocab_size):
        raise ValueError(f"model reads {model.recurrent.input_size} and predicts {model.out_features} characters, "
                         f"the vocabulary has {vocab_size}")


def next_char_logits(model, ids, state=None):
    """Run the model over ids (T,) from state; return logits (T, V) and the final state."""
    _check_model(model)
    X = one_hot(np.asarray(ids)[:, None], model.recurrent.input_size, model.recurrent.dtype)  # (T, 1, V)
    logits = model.forward(X, state)
    return logits[:, 0], model.final_state


def char_probabilities(model, ids, chunk=2000):
    """p(x_t | x_1 .. x_{t-1}) for t = 1 .. T-1 of ids (T,), read as one stream: (T-1,)."""
    _check_model(model)
    ids = np.asarray(ids)
    state, out = None, []
    for start in range(0, len(ids) - 1, chunk):
        x, y = ids[start:start + chunk], ids[start + 1:start + chunk + 1]
        logits, state = next_char_logits(model, x[:len(y)], state)
        out.append(np.exp(np.take_along_axis(log_softmax(logits.astype(np.float64)), y[:, None], 1)[:, 0]))
    return np.concatenate(out) if out else np.empty(0)


def evaluate_bpc(model, ids, chunk=2000):
    """Bits per character of ids[1:] given everything before, read as one stream."""
    return bits_per_char(char_probabilities(model, ids, chunk))


def bpc_with_context(model, ids, positions, context):
    """Bits per character when the model starts from a zero state only `context`
    characters before each scored position: the context it actually uses."""
    _check_model(model)
    x = windows(ids, positions, context)  # (context, B)
    logits = model.forward(one_hot(x, model.recurrent.input_size, model.recurrent.dtype))[-1]  # (B, V)
    p = np.exp(log_softmax(logits.astype(np.float64)))
    return bits_per_char(p[np.arange(len(positions)), np.asarray(ids)[positions]])


def _params(model):
    return [{k: v.copy() for k, v in layer.params.items()} for layer in model.layers]


def _restore(model, saved):
    for layer, params in zip(model.layers, saved):
        for k, v in params.items():
            layer.params[k][...] = v


def train_char_model(model, train_ids, valid_ids, config, rng, callback=None, progress=False):
    """Train on train_ids by truncated BPTT (config: TrainConfig), scoring valid_ids
    every config.eval_every characters; leave the model at its best validation score.

    callback(model, row) is called after every evaluation (e.g. to draw samples).
    The streams start at a random offset in every pass over the text, so the chunk
    borders fall in different places each time.
    """
    _check_model(model)
    if not isinstance(config, TrainConfig):
        raise TypeError(f"config must be a TrainConfig, got {type(config).__name__}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    chars = check_positive_int("config.chars", config.chars)
    B, k = check_positive_int("config.batch_size", config.batch_size), check_positive_int("config.bptt", config.bptt)
    V, dtype = model.out_features, model.recurrent.dtype
    train_ids = np.asarray(train_ids)
    opt = Adam(model.layers, lr=config.lr)
    decay = (config.lr_final / config.lr) ** (1.0 / max(1, chars // (B * k)))
    history, best, best_params = [], math.inf, None
    seen, seconds, nats, n_scored, next_eval = 0, 0.0, 0.0, 0, min(config.eval_every, chars)
    bar = tqdm(total=chars, disable=not progress, desc="training", unit="char", unit_scale=True)

    def evaluate():
        nonlocal best, best_params, nats, n_scored
        n_valid = config.eval_chars or len(valid_ids)
        row = {"chars": seen, "seconds": seconds, "train_bpc": nats / max(n_scored, 1) / LOG2,
               "valid_bpc": evaluate_bpc(model, valid_ids[:n_valid])}
        history.append(row)
        nats, n_scored = 0.0, 0
        if row["valid_bpc"] < best:
            best, best_params = row["valid_bpc"], _params(model)
        if callback is not None:
            callback(model, row)
        bar.set_postfix(valid_bpc=f"{row['valid_bpc']:.3f}")

    while seen < chars:
        offset = int(rng.integers(k))  # one pass over the text
        L = (len(train_ids) - 1 - offset) // B
        inputs = train_ids[offset:offset + B * L].reshape(B, L).T  # (L, B)
        targets = train_ids[offset + 1:offset + B * L + 1].reshape(B, L).T
        state = None
        for start in range(0, L, k):
            if seen >= chars:
                break
            t0 = time.perf_counter()
            X = one_hot(inputs[start:start + k], V, dtype)  # (k, B, V)
            logits = model.forward(X, state)  # (k, B, V), from the state the last chunk reached
            state = model.final_state  # a value: the next chunk's gradient stops here
            value, dlogits = softmax_cross_entropy(logits, targets[start:start + k])
            model.backward(dlogits)  # through these k steps only
            clip_grad_norm(model.layers, config.clip)
            opt.step()
            opt.lr *= decay
            seconds += time.perf_counter() - t0
            seen += X.shape[0] * B
            nats += value * X.shape[0] * B
            n_scored += X.shape[0] * B
            bar.update(X.shape[0] * B)
            if seen >= next_eval or seen >= chars:
                evaluate()
                next_eval += config.eval_every
    bar.close()
    if best_params is not None:
        _restore(model, best_params)
    return TrainResult(history, best, seconds)
