"""Chapter 5's checker accepts the right LSTM step backward and names each wrong one."""
import numpy as np
import pytest

from lstm.book.exercises.bptt import check_lstm_step_backward, reference_lstm_step_backward


def make(dc_prev_times_f=True, h_path="right", a_f_reads="c_prev", order="ifgo", W_for_x="weight_ih",
         transpose_weight_ih=False):
    """A step backward for the standard cell, right unless one option says otherwise."""
    def backward(dh, dc_next, cache):
        i, f, g, o, c_prev, c, tanh_c = cache.cell
        p = cache.params
        dc = dc_next + {"right": dh * o * (1 - tanh_c ** 2), "missing": 0.0,
                        "no tanh'": dh * o}[h_path]
        da = {"i": dc * g * i * (1 - i), "f": dc * (c_prev if a_f_reads == "c_prev" else c) * f * (1 - f),
              "g": dc * i * (1 - g ** 2), "o": dh * tanh_c * o * (1 - o)}
        da = np.concatenate([da[k] for k in order], axis=1)
        W_h = p["weight_ih"] if W_for_x == "weight_hh" else p["weight_hh"]
        grads = {"weight_ih": cache.x.T @ da if transpose_weight_ih else da.T @ cache.x,
                 "weight_hh": da.T @ cache.h_prev, "bias": da.sum(axis=0)}
        return da @ p[W_for_x], da @ W_h, dc * f if dc_prev_times_f else dc, grads
    return backward


@pytest.mark.parametrize("seed", [0, 3])
def test_the_right_solution_and_the_reference_pass(seed):
    assert check_lstm_step_backward(make(), seed).ok
    assert check_lstm_step_backward(reference_lstm_step_backward, seed).ok


ALL = ["dx", "dh_prev", "dc_prev", "grads['weight_ih']", "grads['weight_hh']", "grads['bias']"]
DA = [name for name in ALL if name != "dc_prev"]  # the results computed from da


@pytest.mark.parametrize("options, wrong, words", [
    (dict(dc_prev_times_f=False), ["dc_prev"], "missing the forget gate"),
    (dict(h_path="missing"), ALL, "leaves out the path through h"),
    (dict(h_path="no tanh'"), ALL, "without the derivative tanh'(c)"),
    (dict(a_f_reads="c"), DA, "uses c where c_prev belongs"),
    (dict(order="figo"), DA, "wrong order: the package stacks i, f, g, o"),
    (dict(W_for_x="weight_hh"), ["dx", "dh_prev"], "uses the wrong weight matrix"),
    (dict(transpose_weight_ih=True), ["grads['weight_ih']"], "transposed"),
])
def test_each_mistake_is_named_on_the_results_it_changes(options, wrong, words):
    report = check_lstm_step_backward(make(**options))
    assert not report.ok
    assert sorted(n for n, p in report.problems.items() if p) == sorted(wrong)
    for name in wrong:
        assert words in report.problems[name], report.problems[name]


def test_a_wrong_sign_is_named():
    def flipped(dh, dc_next, cache):
        dx, dh_prev, dc_prev, grads = reference_lstm_step_backward(dh, dc_next, cache)
        return dx, -dh_prev, dc_prev, grads
    report = check_lstm_step_backward(flipped)
    assert report.problems["dh_prev"] == "dh_prev has the wrong sign"
    assert [n for n, p in report.problems.items() if p] == ["dh_prev"]


def test_a_missing_gradient_and_a_wrong_return_value_are_reported():
    def no_bias(dh, dc_next, cache):
        dx, dh_prev, dc_prev, grads = reference_lstm_step_backward(dh, dc_next, cache)
        del grads["bias"]
        return dx, dh_prev, dc_prev, grads
    assert "missing" in check_lstm_step_backward(no_bias).problems["grads['bias']"]
    assert "must return" in str(check_lstm_step_backward(lambda dh, dc, cache: dh))


def test_the_readers_function_cannot_change_the_reference_in_place():
    def edits_in_place(dh, dc_next, cache):
        out = reference_lstm_step_backward(dh, dc_next, cache)
        cache.params["weight_hh"][...] = 0.0
        cache.cell.f[...] = 0.0
        return out
    assert check_lstm_step_backward(edits_in_place).ok
