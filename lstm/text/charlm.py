"""Character LSTMs and GRUs trained on a stream of text by truncated BPTT.

    ids (T,) --cut into B streams--> (T/B, B) --chunks of k steps--> one-hot X (k, B, V)
    for each chunk:  logits = model(X, state)        state carried over from the last chunk
                     L = mean -log softmax(logits)[next char]
                     backward through these k steps only, clip, Adam step

The batch holds B consecutive pieces of the text read side by side, so the state at
the start of a chunk is the true state after everything the stream has read so far,
while the gradient stops at the chunk border: truncated BPTT as in lstm.tbptt
(`iter_chunks`), with a parameter update after every chunk. `stream_chunks` makes the
chunks; the package's trainer (`lstm.trainer`) runs the updates.
"""
import math
from dataclasses import dataclass
from typing import List, NamedTuple

import numpy as np

from ..layers import make_layer
from ..losses import log_softmax
from ..model import SequenceModel
from ..optim import Adam
from ..trainer import Callback, KeepBest, Schedule, Trainer
from ..validate import check_positive_int
from .corpus import bits_per_char, one_hot, windows

CELLS = ("lstm", "gru")  # names in lstm.layers.LAYERS
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
    weight_decay: float = 0.0  # decoupled weight decay (AdamW): weights shrink by lr * weight_decay per update


class TrainResult(NamedTuple):
    history: List[dict]  # one row per evaluation: chars, seconds, train_bpc, valid_bpc
    best_valid_bpc: float  # the model is left with the parameters of this evaluation
    seconds: float  # training wall time, evaluations excluded


def make_char_model(vocab_size, hidden_size, cell, rng, dtype=np.float32):
    """One-hot characters (T, N, V) -> LSTM or GRU of H cells -> logits (T, N, V)."""
    if cell not in CELLS:
        raise ValueError(f"cell must be one of {sorted(CELLS)}, got {cell!r}")
    kwargs = {"forget_bias": 1.0} if cell == "lstm" else {}
    layer = make_layer(cell, vocab_size, hidden_size, rng=rng, dtype=dtype, **kwargs)
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


def stream_chunks(trainer, train_ids, config, rng):
    """The batches of truncated BPTT: (X (k, B, V), targets (k, B), state) per chunk,
    until config.chars characters are read.

    Each pass over the text starts the B streams at a random offset (so the chunk
    borders fall in different places each time) and from a zero state; within a pass
    each chunk starts from the state the last one reached (`trainer.final_state`, a
    value: the gradient stops at the border).
    """
    B, k = config.batch_size, config.bptt
    V, dtype = trainer.model.out_features, trainer.model.recurrent.dtype
    seen = 0
    while seen < config.chars:
        offset = int(rng.integers(k))  # one pass over the text
        L = (len(train_ids) - 1 - offset) // B
        inputs = train_ids[offset:offset + B * L].reshape(B, L).T  # (L, B)
        targets = train_ids[offset + 1:offset + B * L + 1].reshape(B, L).T
        state = None
        for start in range(0, L, k):
            if seen >= config.chars:
                return
            X = one_hot(inputs[start:start + k], V, dtype)  # (k, B, V)
            yield X, targets[start:start + k], state
            state = trainer.final_state
            seen += X.shape[0] * B


class BPCEvaluation(Callback):
    """Every config.eval_every characters (and after the last update): one row of
    history, with the training bits per character since the last row and the
    validation bits per character; callback(model, row) after each."""

    def __init__(self, valid_ids, config, callback=None):
        self.valid_ids, self.config, self.callback = valid_ids, config, callback
        self.rows = []
        self.seen, self.nats, self.n_scored = 0, 0.0, 0
        self.next_eval = min(config.eval_every, config.chars)

    def on_step(self, trainer):
        X = trainer.batch[0]
        chars = X.shape[0] * X.shape[1]
        self.seen += chars
        self.nats += trainer.loss * chars
        self.n_scored += chars
        if self.seen >= self.next_eval or self.seen >= self.config.chars:
            n_valid = self.config.eval_chars or len(self.valid_ids)
            row = {"chars": self.seen, "seconds": trainer.seconds, "train_bpc": self.nats / max(self.n_scored, 1) / LOG2,
                   "valid_bpc": evaluate_bpc(trainer.model, self.valid_ids[:n_valid])}
            self.rows.append(row)
            trainer.evaluation = row
            self.nats, self.n_scored = 0.0, 0
            if self.callback is not None:
                self.callback(trainer.model, row)
            self.next_eval += self.config.eval_every


class WeightDecay(Callback):
    """Decoupled weight decay (Loshchilov & Hutter's AdamW): after every update each
    weight matrix (not the biases) shrinks by the factor 1 - lr * rate, lr the step
    size of that update. Unlike an L2 term added to the loss, the shrinking is not
    rescaled by Adam's per-weight step sizes, so every weight decays at the same rate."""

    def __init__(self, rate):
        if not (isinstance(rate, (int, float)) and math.isfinite(rate) and rate >= 0):
            raise ValueError(f"weight_decay must be a finite number >= 0, got {rate!r}")
        self.rate = float(rate)

    def on_step(self, trainer):
        factor = 1.0 - trainer.optimizer.lr * self.rate
        for layer in trainer.model.layers:
            for name, p in layer.params.items():
                if name.startswith("weight"):  # weight_ih, weight_hh, the readout's weight
                    p *= p.dtype.type(factor)


def train_char_model(model, train_ids, valid_ids, config, rng, callback=None, progress=False):
    """Train on train_ids by truncated BPTT (config: TrainConfig), scoring valid_ids
    every config.eval_every characters; leave the model at its best validation score.

    The package's trainer (`lstm.trainer.Trainer`) runs the updates: Adam, the
    cross-entropy of every next character, the gradient clipped to config.clip; its
    callbacks decay the step size, evaluate, and keep the best parameters; with
    config.weight_decay > 0, one more shrinks the weights after every update (WeightDecay).
    callback(model, row) is called after every evaluation (e.g. to draw samples).
    """
    _check_model(model)
    if not isinstance(config, TrainConfig):
        raise TypeError(f"config must be a TrainConfig, got {type(config).__name__}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    chars = check_positive_int("config.chars", config.chars)
    B, k = check_positive_int("config.batch_size", config.batch_size), check_positive_int("config.bptt", config.bptt)
    decay = (config.lr_final / config.lr) ** (1.0 / max(1, chars // (B * k)))
    evaluation, best = BPCEvaluation(valid_ids, config, callback), KeepBest("valid_bpc")
    # the decay uses the step size of the update just made, so it runs before the schedule
    shrink = [WeightDecay(config.weight_decay)] if config.weight_decay else []
    trainer = Trainer(model, Adam(model.layers, lr=config.lr), loss="ce", at="all", clip=config.clip,
                      callbacks=shrink + [Schedule(lambda lr, trainer: lr * decay), evaluation, best],
                      progress=progress)
    trainer.run(stream_chunks(trainer, np.asarray(train_ids), config, rng))
    return TrainResult(evaluation.rows, math.inf if best.best is None else best.best, trainer.seconds)
