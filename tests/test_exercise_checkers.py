"""The exercise checkers say which result is wrong, and how."""
import numpy as np
import pytest

from lstm.book.exercises import compare, diagnose

RNG = np.random.default_rng(0)
WANT = RNG.normal(size=(3, 4))
F = RNG.uniform(0.1, 0.9, size=(3, 4))


def test_a_right_result_passes():
    assert diagnose("dc", WANT.copy(), WANT) is None
    assert compare({"dc": WANT + 1e-12}, {"dc": WANT}).ok


@pytest.mark.parametrize("got, words", [
    (-WANT, "wrong sign"),
    (WANT.T, "transposed"),
    (WANT[:2], "has shape (2, 4), expected (3, 4)"),
    (WANT * F, "extra factor f"),
    (WANT / F, "missing a factor f"),
    (np.zeros_like(WANT), "is zero"),
    (WANT + 0.1, "is off"),
    (np.full_like(WANT, np.nan), "NaN"),
    ("not numbers", "not an array of numbers"),
])
def test_each_kind_of_mistake_is_named(got, words):
    assert words in diagnose("dc", got, WANT, factors={"f": F})


def test_the_report_names_the_wrong_result_and_the_missing_one():
    report = compare({"dc_prev": WANT * F, "dx": WANT}, {"dc_prev": WANT, "dx": WANT, "dh_prev": WANT},
                     factors={"f": F})
    assert not report.ok
    text = str(report)
    assert "right: dx" in text
    assert "WRONG: dc_prev - dc_prev has an extra factor f" in text
    assert "dh_prev is missing from what your function returned" in text


def test_compare_wants_dicts():
    with pytest.raises(TypeError, match="expected two dicts"):
        compare([WANT], {"dc": WANT})


def test_a_factor_of_another_shape_is_skipped_not_raised():
    gate = RNG.uniform(0.1, 0.9, size=(5,))
    assert "is off" in diagnose("dW", WANT + 0.1, WANT, factors={"f": gate})
    assert "extra factor f" in diagnose("dc", WANT * F, WANT, factors={"g": gate, "f": F})
