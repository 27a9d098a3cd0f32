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
    assert "  WRONG: dc_prev has an extra factor f\n" in text
    assert "dh_prev is missing from what your function returned" in text


def test_compare_wants_dicts():
    with pytest.raises(TypeError, match="expected two dicts"):
        compare([WANT], {"dc": WANT})


def test_a_factor_of_another_shape_is_skipped_not_raised():
    gate = RNG.uniform(0.1, 0.9, size=(5,))
    assert "is off" in diagnose("dW", WANT + 0.1, WANT, factors={"f": gate})
    assert "extra factor f" in diagnose("dc", WANT * F, WANT, factors={"g": gate, "f": F})


def test_each_line_of_the_report_names_its_result_once():
    report = compare({"dc_prev": -WANT, "dx": WANT / F}, {"dc_prev": WANT, "dx": WANT}, factors={"f": F})
    lines = str(report).splitlines()
    assert lines[:2] == ["  WRONG: dc_prev has the wrong sign", "  WRONG: dx is missing a factor f"]
    for line, name in zip(lines, ("dc_prev", "dx")):
        assert line.count(name) == 1, line


def test_a_mistake_shared_by_two_results_is_explained_once():
    report = compare({"da": -WANT, "db": -WANT, "dc": WANT}, {"da": WANT, "db": WANT, "dc": WANT})
    assert str(report).splitlines() == ["  WRONG: da has the wrong sign",
                                        "  WRONG: db has the same mistake as da",
                                        "  right: dc",
                                        "Not yet: see the lines marked WRONG."]
