"""Drawing text from a character model, one character at a time.

    p_t = softmax(logits_t / temperature),   x_{t+1} ~ p_t,   fed back as the next input

temperature < 1 sharpens the distribution towards the most likely characters (safer,
more repetitive text), > 1 flattens it towards uniform (more surprising, more errors),
and 1 samples the model's own distribution.
"""
import math
import numbers

import numpy as np

from ..losses import log_softmax
from ..model import SequenceModel
from ..validate import check_positive_int
from .charlm import next_char_logits
from .corpus import Vocabulary


def sample(model, vocab, n_chars, temperature=1.0, rng=None, prime="\n"):
    """Return `n_chars` characters drawn from model after reading `prime`.

    model: a SequenceModel over vocab.size characters (make_char_model).
    temperature: a finite number > 0. rng: a numpy.random.Generator (required: the
    same generator state gives the same text). prime: a non-empty str of vocab characters.
    """
    if not isinstance(model, SequenceModel):
        raise TypeError(f"model must be an lstm.SequenceModel, got {type(model).__name__}")
    if not isinstance(vocab, Vocabulary):
        raise TypeError(f"vocab must be an lstm.text.Vocabulary, got {type(vocab).__name__}")
    if model.recurrent.input_size != vocab.size or model.out_features != vocab.size:
        raise ValueError(f"model reads {model.recurrent.input_size} and predicts {model.out_features} characters, "
                         f"the vocabulary has {vocab.size}")
    n_chars = check_positive_int("n_chars", n_chars)
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real):
        raise TypeError(f"temperature must be a positive number, got {temperature!r}")
    if not (math.isfinite(temperature) and temperature > 0):
        raise ValueError(f"temperature must be a finite number > 0, got {temperature!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    if not isinstance(prime, str) or not prime:
        raise ValueError(f"prime must be a non-empty string of vocabulary characters, got {prime!r}")
    logits, state = next_char_logits(model, vocab.encode(prime))
    last = logits[-1]
    out = np.empty(n_chars, dtype=np.int64)
    for t in range(n_chars):
        p = np.exp(log_softmax(last.astype(np.float64) / temperature))
        out[t] = rng.choice(vocab.size, p=p / p.sum())
        logits, state = next_char_logits(model, out[t:t + 1], state)
        last = logits[-1]
    return vocab.decode(out)
