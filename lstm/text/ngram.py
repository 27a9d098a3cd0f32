"""Character n-gram models with interpolated Kneser-Ney smoothing (Kneser & Ney 1995;
Chen & Goodman 1999, eq. 2.1 with one discount per order).

For a context h of n-1 characters and the next character w,

    p_n(w | h) = max(c(hw) - D_n, 0) / c(h.)  +  D_n N1+(h.) / c(h.) * p_{n-1}(w | h')

with h' = h without its first character and p_0(w) = 1 / V. c counts n-grams in the
training text at the highest order; at lower orders c(hw) is the *continuation* count
N1+(.hw), the number of distinct characters seen before hw, so that a character that
follows many contexts gets more lower-order mass than one that is merely frequent.
N1+(h.) is the number of distinct characters seen after h, and D_n = n1 / (n1 + 2 n2)
from the numbers n1, n2 of n-grams counted once and twice. A context never seen
(c(h.) = 0) passes all its mass to the lower order. Every p_n(. | h) sums to 1 over
the V characters.
"""
from collections import Counter, defaultdict

import numpy as np

from ..validate import check_positive_int
from .corpus import bits_per_char


class KneserNey:
    """KneserNey(order=n, vocab_size=V).fit(ids) -> a model of p(x_t | x_{t-n+1..t-1})."""

    def __init__(self, order, vocab_size):
        self.order = check_positive_int("order", order)
        self.vocab_size = check_positive_int("vocab_size", vocab_size)
        if self.vocab_size > 256:
            raise ValueError(f"vocab_size must be at most 256 (contexts are stored as bytes), got {vocab_size}")
        self.counts = None  # counts[k]: k-gram (bytes) -> count (raw at k = order, continuation below)

    def _check_ids(self, ids):
        ids = np.asarray(ids)
        if ids.ndim != 1 or ids.dtype.kind not in "iu":
            raise ValueError(f"ids must be a 1-d integer array, got shape {ids.shape}, dtype {ids.dtype}")
        if ids.size and (ids.min() < 0 or ids.max() >= self.vocab_size):
            raise ValueError(f"ids must lie in [0, {self.vocab_size})")
        return bytes(ids.astype(np.uint8))

    def fit(self, ids):
        s = self._check_ids(ids)
        n = self.order
        self.counts = {n: Counter(s[i:i + n] for i in range(len(s) - n + 1))}
        for k in range(n - 1, 0, -1):  # continuation counts: distinct left neighbours of each k-gram
            self.counts[k] = Counter(g[1:] for g in self.counts[k + 1])
        self.total, self.types, self.discount = {}, {}, {}
        for k, table in self.counts.items():
            total, types = defaultdict(int), defaultdict(int)
            for g, c in table.items():
                total[g[:-1]] += c
                types[g[:-1]] += 1
            self.total[k], self.types[k] = dict(total), dict(types)
            n1 = sum(1 for c in table.values() if c == 1)
            n2 = sum(1 for c in table.values() if c == 2)
            self.discount[k] = n1 / (n1 + 2 * n2) if n1 else 0.5
        return self

    def _prob(self, k, h, w):
        """p_k(w | h), h the last k-1 characters (bytes), w one byte."""
        lower = self._prob(k - 1, h[1:], w) if k > 1 else 1.0 / self.vocab_size
        total = self.total[k].get(h, 0)
        if total == 0:
            return lower
        kept, freed = self._discounted(k, h, w)
        return kept / total + freed / total * lower

    def _discounted(self, k, h, w):
        """(c(hw) less its discount, the count mass the discounts of context h free for the
        shorter context); both are divided by c(h.) in _prob. One discount D per order here."""
        D = self.discount[k]
        return max(self.counts[k].get(h + w, 0) - D, 0.0), D * self.types[k][h]

    def _check_fitted(self):
        if self.counts is None:
            raise ValueError("the model is not fitted: call fit(ids) first")

    def distribution(self, context):
        """p(. | context) over all V characters, (V,); context: the preceding ids."""
        self._check_fitted()
        h = self._check_ids(np.asarray(context, dtype=np.int64))[-(self.order - 1):] if self.order > 1 else b""
        k = len(h) + 1
        return np.array([self._prob(k, h, bytes([w])) for w in range(self.vocab_size)])

    def probabilities(self, ids):
        """p(x_t | the up to n-1 characters before it) for every t, (T,). The first
        characters have shorter contexts."""
        self._check_fitted()
        s = self._check_ids(ids)
        n = self.order
        return np.array([self._prob(min(t, n - 1) + 1, s[max(0, t - n + 1):t], s[t:t + 1]) for t in range(len(s))])

    def bits_per_char(self, ids):
        return bits_per_char(self.probabilities(ids))

    @property
    def n_counts(self):
        """How many n-gram counts the model stores (its 'size' in numbers)."""
        self._check_fitted()
        return sum(len(t) for t in self.counts.values())


class ModifiedKneserNey(KneserNey):
    """Interpolated Kneser-Ney with three discounts per order (Chen & Goodman 1999, eq. 17).

    The discount depends on the count c = c(hw) (a continuation count below the top order):
    D(c) = 0, D1, D2 or D3+ for c = 0, 1, 2 and 3 or more, with Y = n1 / (n1 + 2 n2) and

        D1 = 1 - 2 Y n2 / n1,   D2 = 2 - 3 Y n3 / n2,   D3+ = 3 - 4 Y n4 / n3,

    n_j the number of k-grams counted exactly j times. The mass the discounts free goes to
    the next shorter context:

        p_k(w | h) = (c(hw) - D(c(hw))) / c(h.) + gamma(h) p_{k-1}(w | h'),
        gamma(h) = (D1 N1(h.) + D2 N2(h.) + D3+ N3+(h.)) / c(h.),

    N_j(h.) the number of characters seen after h exactly j times (3 or more for N3+), so
    every p_k(. | h) still sums to 1 over the V characters.
    """

    def fit(self, ids):
        super().fit(ids)
        self.discounts, self.count_types = {}, {}
        for k, table in self.counts.items():
            n = [sum(1 for c in table.values() if c == j) for j in (1, 2, 3, 4)]
            self.discounts[k] = _three_discounts(*n)
            types = defaultdict(lambda: [0, 0, 0])  # context -> [N1, N2, N3+]
            for g, c in table.items():
                types[g[:-1]][min(c, 3) - 1] += 1
            self.count_types[k] = dict(types)
        return self

    def _discounted(self, k, h, w):
        """As KneserNey._discounted, with the discount D(c) chosen by the count c = c(hw); the
        freed mass is gamma(h) c(h.) = D1 N1(h.) + D2 N2(h.) + D3+ N3+(h.)."""
        D = self.discounts[k]
        c = self.counts[k].get(h + w, 0)
        n1, n2, n3 = self.count_types[k][h]
        return (c - D[min(c, 3) - 1] if c else 0.0), D[0] * n1 + D[1] * n2 + D[2] * n3


def _three_discounts(n1, n2, n3, n4):
    """(D1, D2, D3+) from the counts of counts; each kept in [0, j] (a discount larger than
    its count would give a negative probability), 0.5 j where the counts are too few."""
    if not (n1 and n2 and n3):
        return (0.5, 1.0, 1.5)
    Y = n1 / (n1 + 2 * n2)
    raw = (1 - 2 * Y * n2 / n1, 2 - 3 * Y * n3 / n2, 3 - 4 * Y * n4 / n3)
    return tuple(min(max(d, 0.0), float(j)) for j, d in zip((1, 2, 3), raw))
