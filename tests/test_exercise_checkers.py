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


# The catalogue engine on a toy exercise: y = 2 * x + 1, slips "no_one" (2x) and "times_three" (3x + 1).
from lstm.book.exercises.catalogue import Slip, check, parse_tuple  # noqa: E402

X = np.linspace(-1.0, 2.0, 7)
TOY = {"no_one": Slip("the 1 left out", "y = 2 x + 1"), "times_three": Slip("3 for 2", "y = 2 x + 1")}


def toy(slips):
    return {"y": (3 if "times_three" in slips else 2) * X + (0 if "no_one" in slips else 1)}


def run_toy(fn):
    return check(lambda: fn(X.copy()), parse_tuple(("y",), "it should return y"), toy(()), TOY, toy)


def test_the_engine_names_one_slip_and_two_together():
    assert run_toy(lambda x: 2 * x + 1).ok
    assert run_toy(lambda x: 2 * x).slips == ("no_one",)
    report = run_toy(lambda x: 3 * x)
    assert report.slips == ("no_one", "times_three")
    assert "Two slips found: the 1 left out" in str(report)


def test_the_engine_falls_back_to_how_a_result_differs():
    report = run_toy(lambda x: -(2 * x + 1))
    assert report.slips == () and report.problems["y"] == "y has the wrong sign"


def test_the_engine_reports_a_skeleton_an_exception_and_bad_forms():
    def skeleton(x):
        raise NotImplementedError
    assert str(run_toy(skeleton)).endswith("Not written yet.")
    assert "your function raised ZeroDivisionError" in str(run_toy(lambda x: 1 / 0))
    assert "y is None" in str(run_toy(lambda x: (None,)))
    assert "dtype int64, expected float64" in str(run_toy(lambda x: (2 * x + 1).astype(int)))
    assert "dtype float32, expected float64" in str(run_toy(lambda x: (2 * x + 1).astype(np.float32)))
    assert "has shape (3,), expected (7,)" in str(run_toy(lambda x: (2 * x + 1)[:3]))
    assert "returned 2 values" in str(run_toy(lambda x: (x, x)))
