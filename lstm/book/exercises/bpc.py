"""Checker for chapter 9's exercise: the bits per character of a model on a text.

The reader turns a model's scores into the probability it gave each character that
came, and averages their information in bits (the chapter's equation of bits per
character)::

    def bits_per_character(logits, ids):
        # logits (T, V): row t holds the model's scores for the character at position t+1;
        # ids (T + 1,): the text as character ids, ids[0] the first character
        ...
        return p_true, bpc        # p_true (T,): the probability given to ids[t + 1]; bpc a number

`check_bits_per_character` compares it with `lstm.losses.log_softmax` and
`lstm.text.corpus.bits_per_char` and names the slip.

Needs numpy and the core package only, so it runs in JupyterLite.
"""
from __future__ import annotations

import numbers

import numpy as np

from lstm.losses import log_softmax
from lstm.text.corpus import bits_per_char

from . import Report
from .catalogue import Slip, check, parse_tuple

__all__ = ["check_bits_per_character", "random_scores", "CATALOGUE"]

BPC = "chapter 9's equation of bits per character"

CATALOGUE = {
    "nats": Slip("the natural log (nats) instead of log base 2 (bits)", "bpc = -(1/T) sum_t log2 p(x_{t+1} | x_1..x_t)",
                 BPC),
    "log10": Slip("log base 10 instead of base 2", "bpc = -(1/T) sum_t log2 p(x_{t+1} | x_1..x_t)", BPC),
    "sum_not_mean": Slip("the bits summed over the text instead of averaged per character",
                         "bpc = -(1/T) sum_t log2 p(...)", BPC),
    "no_minus": Slip("the minus sign left out (a negative bpc)", "bpc = -(1/T) sum_t log2 p(...)", BPC),
    "current_char": Slip("the probability of the character at position t (the input) instead of the next one",
                         "p(x_{t+1} | x_1..x_t): row t of the scores predicts ids[t + 1]", BPC),
    "softmax_wrong_axis": Slip("the softmax taken over the positions (axis 0) instead of over the characters",
                               "p = softmax(scores) over the V characters of each row", BPC),
    "no_normalise": Slip("exp(scores) used without dividing by their sum", "p = exp(s) / sum_v exp(s_v)", BPC),
    "max_prob": Slip("the probability of the most likely character instead of the one that came",
                     "p(x_{t+1} | ...): the probability of the character that came", BPC),
    "log_of_mean": Slip("the log of the mean probability instead of the mean of the logs",
                        "bpc = -(1/T) sum_t log2 p(...): average the bits, not the probabilities", BPC),
    "perplexity": Slip("the perplexity 2**bpc instead of bpc", "bpc = -(1/T) sum_t log2 p(...)", BPC),
}


def random_scores(seed: int = 0, T: int = 12, V: int = 6):
    """Random float64 scores (T, V) and a text of ids (T + 1,) in [0, V)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an integer, got {seed!r}")
    rng = np.random.default_rng(seed)
    return rng.normal(0, 1.5, (T, V)), rng.integers(V, size=T + 1)


def _with_slips(logits, ids, slips):
    T = len(logits)
    e = np.exp(logits - logits.max(axis=0 if "softmax_wrong_axis" in slips else 1,
                                   keepdims=True)) if "no_normalise" not in slips else np.exp(logits)
    p = e if "no_normalise" in slips else e / e.sum(axis=0 if "softmax_wrong_axis" in slips else 1, keepdims=True)
    which = ids[:-1] if "current_char" in slips else ids[1:]
    p_true = p.max(axis=1) if "max_prob" in slips else p[np.arange(T), which]
    log = np.log if "nats" in slips else (np.log10 if "log10" in slips else np.log2)
    if "log_of_mean" in slips:
        bits = -log(np.mean(p_true))
    else:
        bits = -(np.sum if "sum_not_mean" in slips else np.mean)(log(p_true))
    if "no_minus" in slips:
        bits = -bits
    if "perplexity" in slips:
        bits = 2.0 ** bits
    return {"p_true": p_true, "bpc": np.float64(bits)}


def check_bits_per_character(bits_per_character, seed: int = 0) -> Report:
    """Run ``bits_per_character(logits, ids)`` and the package on random scores (T = 12 positions,
    V = 6 characters, float64); a Report that names the slip."""
    if not callable(bits_per_character):
        raise TypeError(f"bits_per_character must be your function (logits, ids) -> (p_true, bpc), "
                        f"got {bits_per_character!r}")
    logits, ids = random_scores(seed)
    p_true = np.exp(log_softmax(logits))[np.arange(len(logits)), ids[1:]]
    reference = {"p_true": p_true, "bpc": np.float64(bits_per_char(p_true))}
    return check(lambda: bits_per_character(logits.copy(), ids.copy()),
                 parse_tuple(("p_true", "bpc"), "it should return two things: p_true (T,) and bpc, a number"),
                 reference, CATALOGUE, lambda slips: _with_slips(logits, ids, slips))
