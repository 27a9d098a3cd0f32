"""Chapter 3's checker accepts the right 1997 backward step and names every slip of its catalogue."""
import numpy as np
import pytest

from lstm.book.exercises.cell1997 import CATALOGUE, check_cell1997_backward, reference_cell1997_backward

from helpers.slips import slip_tests


def learner(slip=None):
    """A learner's backward step of the 1997 cell; ``slip`` makes one catalogued slip."""
    def cell1997_backward(dh, dc_next, cache):
        i, g, o, c, tanh_c = cache.i, cache.g, cache.o, cache.c, cache.tanh_c
        dc = dc_next + dh * o * (1 - tanh_c ** 2)
        if slip == "no_h_path":
            dc = dc_next
        if slip == "no_dc_next":
            dc = dh * o * (1 - tanh_c ** 2)
        if slip == "no_tanh_prime":
            dc = dc_next + dh * o
        if slip == "tanh_not_squared":
            dc = dc_next + dh * o * (1 - tanh_c)
        if slip == "tanh_for_prime":
            dc = dc_next + dh * o * tanh_c
        if slip == "c_for_tanh_c_in_prime":
            dc = dc_next + dh * o * (1 - c ** 2)
        if slip == "o_missing":
            dc = dc_next + dh * (1 - tanh_c ** 2)
        da_i = dc * g * i * (1 - i)
        da_g = dc * i * (1 - g ** 2)
        da_o = dh * tanh_c * o * (1 - o)
        if slip == "c_not_tanh_c":
            da_o = dh * c * o * (1 - o)
        if slip == "i_g_mixed":
            da_i, da_g = dc * i * i * (1 - i), dc * g * (1 - g ** 2)
        if slip == "tanh_prime_for_i":
            da_i = dc * g * (1 - i ** 2)
        if slip == "o_prime_for_i":
            da_i = dc * g * o * (1 - o)
        if slip == "sigma_prime_for_g":
            da_g = dc * i * g * (1 - g)
        if slip == "one_minus_g_squared":
            da_g = dc * i * (1 - g) ** 2
        if slip == "gate_not_derivative":
            da_i, da_o = dc * g * i, dh * tanh_c * o
        if slip == "da_i_da_g_swapped":
            return da_g, da_i, da_o, dc
        return da_i, da_g, da_o, dc
    return cell1997_backward


(test_every_slip_of_the_catalogue_has_a_mutant_here, test_the_right_solution_and_the_reference_pass,
 test_each_slip_is_named_with_the_line_it_breaks) = slip_tests(
    lambda slip, seed: check_cell1997_backward(learner(slip), seed), CATALOGUE, __file__,
    right_seeds=[0, 1, 7], slip_seeds=[0, 4],
    also_right=lambda seed: check_cell1997_backward(reference_cell1997_backward, seed))


def test_a_flipped_sign_outside_the_catalogue_is_still_described():
    def flipped(dh, dc_next, cache):
        da_i, da_g, da_o, dc_prev = learner()(dh, dc_next, cache)
        return da_i, da_g, -da_o, dc_prev
    report = check_cell1997_backward(flipped)
    assert report.problems["da_o"] == "da_o has the wrong sign"


def test_an_unrelated_error_is_off_and_never_the_same_mistake_as_another():
    def noisy(dh, dc_next, cache):
        da_i, da_g, da_o, dc_prev = learner()(dh, dc_next, cache)
        return da_i + 0.3, da_g + 0.1, da_o, dc_prev
    text = str(check_cell1997_backward(noisy))
    assert "da_i is off" in text and "da_g is off" in text and "same mistake" not in text


def test_a_function_returning_the_wrong_number_of_arrays_is_reported():
    report = check_cell1997_backward(lambda dh, dc, cache: (dh, dc))
    assert not report.ok
    assert "returned 2 values; it should return the four arrays da_i, da_g, da_o, dc_prev" in str(report)


def test_the_readers_function_cannot_change_the_reference_in_place():
    def edits_in_place(dh, dc_next, cache):
        out = learner()(dh, dc_next, cache)
        dh[...] = 0.0
        cache.i[...] = 0.0
        return out
    assert check_cell1997_backward(edits_in_place).ok


def test_a_non_callable_is_refused():
    with pytest.raises(TypeError, match="your function"):
        check_cell1997_backward(np.zeros(3))
