"""Chapter 10's checker passes a right pair composition and names every catalogued slip."""
from pathlib import Path

import pytest

from lstm.book.exercises.scan import CATALOGUE, check_compose


def learner(slip=None):
    def compose(a1, b1, a2, b2):
        if slip == "order_swapped":
            return a1 * a2, a1 * b2 + b1
        a = a2 * a1
        b = a2 * b1 + b2
        if slip == "b_sum":
            b = b1 + b2
        if slip == "a_sum":
            a = a1 + a2
        if slip == "no_b2":
            b = a2 * b1
        if slip == "a1_scales_b1":
            b = a1 * b1 + b2
        if slip == "a2_scales_both":
            b = a2 * (b1 + b2)
        if slip == "a_only_second":
            a = a2
        if slip == "product_scales_b1":
            b = a2 * a1 * b1 + b2
        if slip == "pair_swapped":
            return b, a
        return a, b
    return compose


def test_every_slip_has_a_mutant_here():
    source = Path(__file__).read_text()
    assert len(CATALOGUE) >= 8
    for key in CATALOGUE:
        assert f'slip == "{key}"' in source, key


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_right_composition_passes(seed):
    report = check_compose(learner(), seed)
    assert report.ok, str(report)


@pytest.mark.parametrize("key", sorted(CATALOGUE))
@pytest.mark.parametrize("seed", [0, 4])
def test_each_slip_is_named(key, seed):
    report = check_compose(learner(key), seed)
    assert not report.ok and report.slips == (key,), str(report)
    assert CATALOGUE[key].breaks in str(report)


def test_form_mistakes():
    assert "it should return two arrays" in str(check_compose(lambda a1, b1, a2, b2: a1))
    text = str(check_compose(lambda a1, b1, a2, b2: (a1 * a2, (a2 * b1 + b2)[0])))
    assert "b has shape (4,), expected (3, 4)" in text
    assert "h (scan with your compose) could not be computed" in text
