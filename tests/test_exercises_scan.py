"""Chapter 10's checker passes a right pair composition and names every catalogued slip."""
from lstm.book.exercises.scan import CATALOGUE, check_compose

from helpers.slips import slip_tests


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


test_every_slip_has_a_mutant_here, test_a_right_composition_passes, test_each_slip_is_named = slip_tests(
    lambda slip, seed: check_compose(learner(slip), seed), CATALOGUE, __file__,
    right_seeds=[0, 1, 2], slip_seeds=[0, 4])


def test_form_mistakes():
    assert "it should return two arrays" in str(check_compose(lambda a1, b1, a2, b2: a1))
    text = str(check_compose(lambda a1, b1, a2, b2: (a1 * a2, (a2 * b1 + b2)[0])))
    assert "b has shape (4,), expected (3, 4)" in text
    assert "h (scan with your compose) could not be computed" in text
