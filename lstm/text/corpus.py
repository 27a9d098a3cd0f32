"""A text as a stream of character ids: vocabulary, encoding, split by position.

    text  "def f(x):\n"  --vocab.encode-->  ids (T,) ints in [0, V)
    ids = [ train 90% | valid 5% | test 5% ]      split by position, not at random,
                                                  so no test text is seen in training
"""
import math
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..validate import check_positive_int


@dataclass(frozen=True)
class Vocabulary:
    """The distinct characters of a text, sorted; id k stands for chars[k]."""
    chars: str

    def __post_init__(self):
        if not isinstance(self.chars, str) or not self.chars:
            raise ValueError(f"chars must be a non-empty string, got {self.chars!r}")
        if len(set(self.chars)) != len(self.chars):
            raise ValueError("chars must not repeat a character")

    @classmethod
    def from_text(cls, text):
        if not isinstance(text, str) or not text:
            raise ValueError("text must be a non-empty string")
        return cls("".join(sorted(set(text))))

    @property
    def size(self):
        return len(self.chars)

    def encode(self, text):
        """text (str of length T) -> ids (T,) int64."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        index = {c: k for k, c in enumerate(self.chars)}
        unknown = sorted(set(text) - set(index))
        if unknown:
            raise ValueError(f"text has characters outside the vocabulary: {unknown[:10]!r}")
        return np.fromiter((index[c] for c in text), dtype=np.int64, count=len(text))

    def decode(self, ids):
        ids = np.asarray(ids)
        if ids.size and (ids.dtype.kind not in "iu" or ids.min() < 0 or ids.max() >= self.size):
            raise ValueError(f"ids must be integers in [0, {self.size})")
        return "".join(self.chars[k] for k in ids.reshape(-1))


class Corpus(NamedTuple):
    """A text split by position into train, valid and test ids (each (T_split,) int64)."""
    name: str
    vocab: Vocabulary
    train: np.ndarray
    valid: np.ndarray
    test: np.ndarray

    @property
    def text(self):
        return self.vocab.decode(np.concatenate([self.train, self.valid, self.test]))


def split_by_position(ids, fractions=(0.9, 0.05, 0.05)):
    """Cut ids (T,) into consecutive parts of the given fractions (summing to 1)."""
    ids = np.asarray(ids)
    fractions = tuple(float(f) for f in fractions)
    if len(fractions) != 3 or min(fractions) <= 0 or not math.isclose(sum(fractions), 1.0):
        raise ValueError(f"fractions must be three positive numbers summing to 1, got {fractions}")
    a = int(round(fractions[0] * len(ids)))
    b = a + int(round(fractions[1] * len(ids)))
    return ids[:a], ids[a:b], ids[b:]


def load_corpus(path, fractions=(0.9, 0.05, 0.05)):
    """Read a text file, build its vocabulary from the whole file, encode and split it.

    The vocabulary covers valid and test too: a character set is closed, and a
    character first seen in the test text would otherwise get probability 0.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    vocab = Vocabulary.from_text(text)
    return Corpus(path.stem, vocab, *split_by_position(vocab.encode(text), fractions))


def one_hot(ids, vocab_size, dtype=np.float32):
    """ids (...) ints -> (..., V) one-hot vectors."""
    ids = np.asarray(ids)
    out = np.zeros(ids.shape + (vocab_size,), dtype=dtype)
    np.put_along_axis(out, ids[..., None], 1, axis=-1)
    return out


def bits_per_char(p_true):
    """Mean of -log2 p over the probabilities a model gave the characters that came."""
    p = np.asarray(p_true, dtype=np.float64)
    if p.size == 0:
        raise ValueError("p_true is empty: no characters were scored")
    if not np.all((p > 0) & (p <= 1)):
        raise ValueError("p_true must lie in (0, 1]: a model that gives a character that came "
                         "probability 0 has infinite bits per character")
    return float(-np.mean(np.log2(p)))


def windows(ids, positions, context):
    """The `context` characters before each position: (context, B) ids, for models
    restarted from their initial state `context` steps before the character they score.
    positions (B,) must all be >= context."""
    context = check_positive_int("context", context)
    positions = np.asarray(positions, dtype=np.int64)
    if positions.size and positions.min() < context:
        raise ValueError(f"every position must be >= context={context}")
    return np.asarray(ids)[positions[None, :] - context + np.arange(context)[:, None]]
