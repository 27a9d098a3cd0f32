"""Modified Kneser-Ney (three discounts): a probability model that beats one discount on text."""
import numpy as np
import pytest

from lstm.text.ngram import KneserNey, ModifiedKneserNey, _three_discounts


def _text_ids(n=6000, seed=0):
    rng = np.random.default_rng(seed)
    words = ["the ", "cat ", "sat ", "on ", "a ", "mat ", "and ", "dog ", "ran "]
    text = "".join(rng.choice(words, size=n // 3))[:n]
    chars = sorted(set(text))
    return np.array([chars.index(c) for c in text]), len(chars)


@pytest.mark.parametrize("order", [1, 2, 3, 5])
def test_every_distribution_sums_to_one(order):
    ids, V = _text_ids()
    model = ModifiedKneserNey(order, V).fit(ids[:4000])
    for end in (0, 1, 7, 100, 3999):
        p = model.distribution(ids[max(0, end - order + 1):end])
        assert p.shape == (V,) and np.all(p > 0)
        np.testing.assert_allclose(p.sum(), 1.0, atol=1e-12)


def test_the_three_discounts_lie_within_their_counts():
    d = _three_discounts(1000, 400, 200, 120)
    assert 0 < d[0] <= 1 and 0 < d[1] <= 2 and 0 < d[2] <= 3 and d[0] < d[1] < d[2]
    assert _three_discounts(5, 0, 0, 0) == (0.5, 1.0, 1.5)  # too few counts to estimate


def test_a_unigram_by_hand():
    # counts a: 5, b: 2, c: 1, d: 0 (V = 4); n1 = n2 = n3 = 1 count of each size
    ids = np.array([0] * 5 + [1] * 2 + [2])
    model = ModifiedKneserNey(1, 4).fit(ids)
    D1, D2, D3 = model.discounts[1]
    gamma = (D1 + D2 + D3) / 8
    expected = [(5 - D3) / 8 + gamma / 4, (2 - D2) / 8 + gamma / 4, (1 - D1) / 8 + gamma / 4, gamma / 4]
    np.testing.assert_allclose(model.distribution([]), expected, rtol=1e-12)
