"""Chapter 5's checkers (one backward step; the whole pass through time) name every catalogued slip."""
import numpy as np
import pytest

from lstm.book.exercises.bptt import (CATALOGUE, STEP_CATALOGUE, check_lstm_backward, check_lstm_step_backward,
                                      reference_lstm_step_backward)

from helpers.slips import slip_tests


def learner_step(slip=None):
    """A learner's backward step; ``slip`` makes one catalogued slip."""
    def lstm_step_backward(dh, dc_next, cache):
        i, f, g, o, c_prev, c, tanh_c = cache.cell
        W_ih, W_hh = cache.params["weight_ih"], cache.params["weight_hh"]
        dc = dc_next + dh * o * (1 - tanh_c ** 2)
        if slip == "no_h_path":
            dc = dc_next
        if slip == "tanh_not_squared":
            dc = dc_next + dh * o * (1 - tanh_c)
        if slip == "no_tanh_prime":
            dc = dc_next + dh * o
        if slip == "o_missing":
            dc = dc_next + dh * (1 - tanh_c ** 2)
        da_i = dc * g * i * (1 - i)
        da_f = dc * c_prev * f * (1 - f)
        da_g = dc * i * (1 - g ** 2)
        da_o = dh * tanh_c * o * (1 - o)
        if slip == "sigma_prime_for_g":
            da_g = dc * i * g * (1 - g)
        if slip == "tanh_prime_for_gates":
            da_i, da_f, da_o = dc * g * (1 - i ** 2), dc * c_prev * (1 - f ** 2), dh * tanh_c * (1 - o ** 2)
        if slip == "c_for_c_prev":
            da_f = dc * c * f * (1 - f)
        if slip == "c_not_tanh_c":
            da_o = dh * c * o * (1 - o)
        da = np.concatenate([da_i, da_f, da_g, da_o], axis=1)
        if slip == "order_igfo":
            da = np.concatenate([da_i, da_g, da_f, da_o], axis=1)
        if slip == "order_ifog":
            da = np.concatenate([da_i, da_f, da_o, da_g], axis=1)
        if slip == "i_f_swapped":
            da = np.concatenate([da_f, da_i, da_g, da_o], axis=1)
        dc_prev = dc * f
        if slip == "no_f":
            dc_prev = dc
        grads = {"weight_ih": da.T @ cache.x, "weight_hh": da.T @ cache.h_prev, "bias": da.sum(axis=0)}
        if slip == "h_for_h_prev":
            grads["weight_hh"] = da.T @ (o * tanh_c)  # this step's h_t, not h_{t-1}
        if slip == "bias_mean":
            grads["bias"] = da.mean(axis=0)
        if slip == "dh_dc_swapped":
            return da @ W_ih, dc_prev, da @ W_hh, grads
        return da @ W_ih, da @ W_hh, dc_prev, grads
    return lstm_step_backward


def learner_sequence(slip=None):
    """A learner's whole backward pass through time, built on their step."""
    step = learner_step(slip if slip in STEP_CATALOGUE and slip != "dh_dc_swapped" else None)

    def lstm_backward(dY, caches):
        T = len(caches)
        dh_next, dc_next = np.zeros_like(dY[0]), np.zeros_like(dY[0])
        dX = np.zeros((T,) + caches[0].x.shape)
        grads = {k: np.zeros_like(v) for k, v in caches[0].params.items()}
        steps = range(T) if slip == "forward_loop" else reversed(range(T))
        for t in steps:
            dh = dY[t] + dh_next
            if slip == "no_dh_carry":
                dh = dY[t]
            if slip == "only_dh_carry":
                dh = dh_next if t < T - 1 else dY[t]
            dc_in = dc_next
            if slip == "no_dc_carry":
                dc_in = np.zeros_like(dc_next)  # the carousel's error never passed in
            dX[t], dh_next, dc_next, g = step(dh, dc_in, caches[t])
            for k in grads:
                grads[k] = g[k] if slip == "grads_overwritten" else grads[k] + g[k]
        if slip == "dh_dc_swapped":
            return dX, dc_next, dh_next, grads
        return dX, dh_next, dc_next, grads
    return lstm_backward


# The step's slips are checked at the checker's default seed, 0.
(test_every_slip_of_the_step_has_a_mutant_here, test_a_right_step_passes,
 test_each_slip_of_the_step_is_named) = slip_tests(
    lambda slip, seed: check_lstm_step_backward(learner_step(slip), seed), STEP_CATALOGUE, __file__,
    right_seeds=[0, 1, 2], slip_seeds=[0],
    also_right=lambda seed: check_lstm_step_backward(reference_lstm_step_backward, seed))
(test_every_slip_of_the_whole_pass_has_a_mutant_here, test_a_right_whole_pass_passes,
 test_each_slip_of_the_whole_pass_is_named) = slip_tests(
    lambda slip, seed: check_lstm_backward(learner_sequence(slip), seed), CATALOGUE, __file__,
    right_seeds=[0, 1, 2], slip_seeds=[0, 3])


def test_the_swapped_gate_order_is_not_just_off():
    text = str(check_lstm_step_backward(learner_step("order_igfo")))
    assert "i, g, f, o" in text and "is off" not in text


def test_the_slips_a_reader_made_in_the_whole_pass_are_named():
    for key, words in (("h_for_h_prev", "h_t used where h_{t-1} belongs"), ("order_ifog", "i, f, o, g")):
        report = check_lstm_backward(learner_sequence(key))
        assert report.slips == (key,) and words in str(report), str(report)


def test_a_missing_gradient_a_transposed_one_and_a_wrong_return_value_are_reported():
    def no_bias(dY, caches):
        dX, dh0, dc0, grads = learner_sequence()(dY, caches)
        return dX, dh0, dc0, {"weight_ih": grads["weight_ih"].T, "weight_hh": grads["weight_hh"]}
    text = str(check_lstm_backward(no_bias))
    assert "grads['bias'] is missing" in text
    assert "grads['weight_ih'] is transposed" in text
    assert "returned 3 values" in str(check_lstm_backward(lambda dY, caches: (1, 2, 3)))
    assert "not written yet" in str(check_lstm_backward(lambda dY, caches: (_ for _ in ()).throw(NotImplementedError)))


def test_the_readers_function_cannot_change_the_reference_in_place():
    def edits(dY, caches):
        out = learner_sequence()(dY, caches)
        dY[...] = 0
        caches[0].params["weight_hh"][...] = 0
        return out
    assert check_lstm_backward(edits).ok
    assert check_lstm_backward(learner_sequence()).ok


def test_a_non_callable_is_refused():
    with pytest.raises(TypeError, match="your function"):
        check_lstm_backward(3)
    with pytest.raises(TypeError, match="your function"):
        check_lstm_step_backward(3)
