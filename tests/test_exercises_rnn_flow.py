"""Chapters 1 and 2: the error-flow checkers pass a right solution and name every catalogued slip."""
import numpy as np
import pytest

from lstm.book.exercises.rnn_flow import FLOW_CATALOGUE, UNIT_CATALOGUE, check_error_flow, check_naive_unit

from helpers.equations import printed_equation_number
from helpers.slips import slip_tests

def flow_learner(slip=None):
    def error_flow(delta_T, a, W_hh):
        T = len(a)
        deltas = np.zeros_like(a)
        deltas[T - 1] = delta_T
        W = W_hh
        if slip == "no_transpose":
            W = W_hh.T
        for t in range(T - 2, -1, -1):
            a_next = a[t + 1]
            if slip == "prime_same_step":
                a_next = a[t]
            prime = 1 - np.tanh(a_next) ** 2
            if slip == "phi_not_prime":
                prime = np.tanh(a_next)
            if slip == "tanh_not_squared":
                prime = 1 - np.tanh(a_next)
            if slip == "prime_of_a":
                prime = 1 - a_next ** 2
            if slip == "no_prime":
                prime = 1.0
            if slip == "sigmoid_prime":
                s = 1 / (1 + np.exp(-a_next))
                prime = s * (1 - s)
            deltas[t] = (prime * deltas[t + 1]) @ W
            if slip == "prime_after_matmul":
                deltas[t] = prime * (deltas[t + 1] @ W)
        if slip == "reversed_order":
            return deltas[::-1]
        return deltas
    return error_flow


def unit_learner(slip=None):
    def naive_unit(x, w_in, w_jj, b, y0):
        sigma = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
        y, ys, factors = y0, [], []
        for t in range(len(x)):
            y_before = y
            if slip == "no_feedback":
                y_before = y0
            w = w_jj
            if slip == "no_self_weight":
                w = 1.0
            bias = b
            if slip == "no_bias":
                bias = 0.0
            net = w * y_before + x[t] @ w_in.T + bias
            if slip == "factor_previous_step":
                fac = y * (1 - y) * w_jj  # from y before it is updated: y0 at the first step
            y = sigma(net)
            if slip == "squash_input_only":
                y = w * y_before + sigma(x[t] @ w_in.T + bias)
            if slip == "no_squash":
                y = net
            if slip == "tanh_unit":
                y = np.tanh(net)
            s = sigma(net)
            factor = s * (1 - s) * w_jj
            if slip == "factor_not_prime":
                factor = s * w_jj
            if slip == "factor_no_w":
                factor = s * (1 - s)
            if slip == "factor_tanh_prime":
                factor = (1 - s ** 2) * w_jj
            if slip == "factor_prime_of_net":
                factor = net * (1 - net) * w_jj
            if slip == "factor_previous_step":
                factor = fac
            ys.append(y)
            factors.append(factor)
        return np.stack(ys), np.stack(factors)
    return naive_unit


(test_every_slip_of_the_error_flow_has_a_mutant_here, test_a_right_error_flow_passes,
 test_each_slip_of_the_error_flow_is_named) = slip_tests(
    lambda slip, seed: check_error_flow(flow_learner(slip), seed), FLOW_CATALOGUE, __file__,
    right_seeds=[0, 1, 2], slip_seeds=[0, 4])
(test_every_slip_of_the_naive_unit_has_a_mutant_here, test_a_right_naive_unit_passes,
 test_each_slip_of_the_naive_unit_is_named) = slip_tests(
    lambda slip, seed: check_naive_unit(unit_learner(slip), seed), UNIT_CATALOGUE, __file__,
    right_seeds=[0, 1, 2], slip_seeds=[0, 4])


def test_form_mistakes():
    assert "not written yet" in str(check_error_flow(lambda *a: (_ for _ in ()).throw(NotImplementedError)))
    squeezed = lambda *a: tuple(v[..., 0] for v in unit_learner()(*a))  # noqa: E731
    assert "right numbers in the wrong shape" in str(check_naive_unit(squeezed))
    assert "returned 3 values" in str(check_naive_unit(lambda *a: (1, 2, 3)))
    as_int = lambda *a: flow_learner()(*a).astype(int)  # noqa: E731
    assert "dtype int64, expected float64" in str(check_error_flow(as_int))
    with pytest.raises(TypeError):
        check_error_flow(None)


def test_the_checker_names_the_backward_step_by_the_number_the_page_prints():
    from lstm.book.exercises.rnn_flow import BACKSTEP
    assert BACKSTEP.startswith(f"equation ({printed_equation_number('ch01-backstep')}),"), BACKSTEP
    assert "where delta @ W_hh belongs" in str(FLOW_CATALOGUE["no_transpose"])
