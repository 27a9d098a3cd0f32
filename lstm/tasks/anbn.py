"""Context-free and context-sensitive counting (Gers & Schmidhuber 2001).

Strings S a^n b^n T (context-free) and S a^n b^n c^n T (context-sensitive), n >= 1.
The net reads one symbol per step and predicts the set of symbols that may come next:

    after S:            {a}
    after an a:         {a, b}          (the net cannot know n yet)
    after the k-th b:   {b} if k < n, else {c} (a^n b^n c^n) or {T} (a^n b^n)
    after the k-th c:   {c} if k < n, else {T}

Once the first b is seen every later symbol is determined, so a network that counts
predicts all of them. A string is accepted when every predicted set (outputs above 0.5)
equals the legal set; the papers train on n = 1..10 and test how far beyond n the net
still accepts every string.
"""
import numpy as np

from ..validate import check_int
from .batch import pad

ALPHABET = "SabcT"  # one-hot position of each symbol, inputs and outputs alike
INDEX = {s: k for k, s in enumerate(ALPHABET)}
LANGUAGES = {"anbn": "ab", "anbncn": "abc"}


def _letters(language):
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {sorted(LANGUAGES)}, got {language!r}")
    return LANGUAGES[language]


def make_string(n, language="anbn"):
    """'S' + 'a'*n + 'b'*n (+ 'c'*n) + 'T'."""
    n = check_int("n", n, 1)
    return "S" + "".join(ch * n for ch in _letters(language)) + "T"


def legal_next(n, language="anbn"):
    """Bool (len - 1, 5): row t marks the symbols that may follow string[:t+1]."""
    s = make_string(n, language)
    rows = np.zeros((len(s) - 1, len(ALPHABET)), dtype=bool)
    for t in range(len(s) - 1):
        rows[t, INDEX[s[t + 1]]] = True
        if s[t] == "a":  # while reading a's, both another a and the first b may come
            rows[t, INDEX["a"]] = rows[t, INDEX["b"]] = True
    return rows


def is_well_formed(string, language="anbn"):
    """True iff `string` is S x1^n ... xk^n T for the language's letters and some n >= 1."""
    letters = _letters(language)
    if len(string) < 2 + len(letters) or string[0] != "S" or string[-1] != "T":
        return False
    body = string[1:-1]
    n, rem = divmod(len(body), len(letters))
    return rem == 0 and n >= 1 and body == "".join(ch * n for ch in letters)


def anbn_batch(ns, language="anbn"):
    """One string per n in `ns` as a Batch: one-hot inputs (all but T), multi-hot legal
    next-symbol targets at every step, mask True on every real step."""
    ns = [check_int("n", n, 1) for n in ns]
    if not ns:
        raise ValueError("ns must hold at least one n")
    strings = [make_string(n, language) for n in ns]
    inputs = []
    for s in strings:
        x = np.zeros((len(s) - 1, len(ALPHABET)))
        x[np.arange(len(s) - 1), [INDEX[ch] for ch in s[:-1]]] = 1.0
        inputs.append(x)
    targets = [legal_next(n, language).astype(float) for n in ns]
    return pad(inputs, targets, [np.ones(len(s) - 1, dtype=bool) for s in strings])
