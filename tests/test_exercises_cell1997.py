"""Chapter 3's checker accepts the right 1997 backward step and names each wrong one."""
import numpy as np
import pytest

from lstm.book.exercises.cell1997 import check_cell1997_backward, reference_cell1997_backward


def right(dh, dc_next, cache):
    i, _, g, o, _, _, tanh_c = cache
    da_o = dh * tanh_c * o * (1 - o)
    dc = dc_next + dh * o * (1 - tanh_c ** 2)
    return dc * g * i * (1 - i), dc * i * (1 - g ** 2), da_o, dc


def without_h_path(dh, dc_next, cache):
    i, _, g, o, _, _, tanh_c = cache
    dc = dc_next
    return dc * g * i * (1 - i), dc * i * (1 - g ** 2), dh * tanh_c * o * (1 - o), dc


def without_tanh_prime(dh, dc_next, cache):
    i, _, g, o, _, _, tanh_c = cache
    dc = dc_next + dh * o
    return dc * g * i * (1 - i), dc * i * (1 - g ** 2), dh * tanh_c * o * (1 - o), dc


def gates_mixed_up(dh, dc_next, cache):
    i, _, g, o, _, _, tanh_c = cache
    dc = dc_next + dh * o * (1 - tanh_c ** 2)
    return dc * i * i * (1 - i), dc * g * (1 - g ** 2), dh * tanh_c * o * (1 - o), dc


def wrong_sign_on_da_o(dh, dc_next, cache):
    da_i, da_g, da_o, dc_prev = right(dh, dc_next, cache)
    return da_i, da_g, -da_o, dc_prev


def c_instead_of_tanh_c(dh, dc_next, cache):
    da_i, da_g, _, dc_prev = right(dh, dc_next, cache)
    return da_i, da_g, dh * cache.c * cache.o * (1 - cache.o), dc_prev


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_the_right_solution_and_the_reference_pass(seed):
    assert check_cell1997_backward(right, seed).ok
    assert check_cell1997_backward(reference_cell1997_backward, seed).ok


@pytest.mark.parametrize("solution, wrong, words", [
    (without_h_path, ["da_i", "da_g", "dc_prev"], "only the error from the next step"),
    (without_tanh_prime, ["da_i", "da_g", "dc_prev"], "without the derivative tanh'(c)"),
    (gates_mixed_up, ["da_i", "da_g"], "mixes up the input gate and the candidate"),
    (wrong_sign_on_da_o, ["da_o"], "wrong sign"),
    (c_instead_of_tanh_c, ["da_o"], "uses c where tanh(c) belongs"),
])
def test_each_mistake_is_named_on_the_results_it_changes(solution, wrong, words):
    report = check_cell1997_backward(solution)
    assert not report.ok
    assert sorted(name for name, p in report.problems.items() if p) == sorted(wrong)
    for name in wrong:
        assert words in report.problems[name], report.problems[name]
    assert "Not yet" in str(report)


def test_the_report_explains_a_mistake_once_and_names_each_result_once():
    lines = str(check_cell1997_backward(without_h_path)).splitlines()
    assert lines[0].startswith("  WRONG: da_i uses only the error from the next step: the path through h_t")
    assert lines[1:] == ["  WRONG: da_g has the same mistake as da_i", "  right: da_o",
                         "  WRONG: dc_prev has the same mistake as da_i", "Not yet: see the lines marked WRONG."]


def test_a_function_returning_the_wrong_number_of_arrays_is_reported():
    report = check_cell1997_backward(lambda dh, dc, cache: (dh, dc))
    assert not report.ok
    assert str(report).startswith("  WRONG: your function must return the four arrays da_i, da_g, da_o, dc_prev")


def test_the_readers_function_cannot_change_the_reference_in_place():
    def edits_in_place(dh, dc_next, cache):
        out = right(dh, dc_next, cache)
        dh[...] = 0.0
        cache.i[...] = 0.0
        return out
    assert check_cell1997_backward(edits_in_place).ok


def test_a_non_callable_is_refused():
    with pytest.raises(TypeError, match="your function"):
        check_cell1997_backward(np.zeros(3))
