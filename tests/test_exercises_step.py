"""Chapter 0's checker passes a right LSTM step and names every slip of its catalogue."""
import numpy as np
import pytest

from lstm.activations import sigmoid, tanh
from lstm.book.exercises.step import CATALOGUE, check_step_forward

from helpers.equations import printed_equation_number
from helpers.slips import slip_tests


def learner(slip=None):
    """A learner's step; ``slip`` makes one of the catalogue's slips, the way a learner writes it."""
    def lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias):
        H = h_prev.shape[1]
        a = x @ weight_ih.T + h_prev @ weight_hh.T + bias
        if slip == "no_bias":
            a = x @ weight_ih.T + h_prev @ weight_hh.T
        if slip == "no_recurrent":
            a = x @ weight_ih.T + bias
        a_i, a_f, a_g, a_o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        if slip == "order_igfo":
            a_i, a_g, a_f, a_o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        if slip == "order_ifog":
            a_i, a_f, a_o, a_g = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        i, f, g, o = sigmoid(a_i), sigmoid(a_f), tanh(a_g), sigmoid(a_o)
        if slip == "sigmoid_g":
            g = sigmoid(a_g)
        if slip == "tanh_gates":
            i, f, o = tanh(a_i), tanh(a_f), tanh(a_o)
        c = f * c_prev + i * g
        if slip == "o_writes":
            c = f * c_prev + o * g
        if slip == "i_f_swapped":
            c = i * c_prev + f * g
        if slip == "one_minus_f":
            c = (1 - f) * c_prev + i * g
        if slip == "no_f":
            c = c_prev + i * g
        if slip == "no_i":
            c = f * c_prev + g
        if slip == "g_twice":
            c = f * c_prev + i * np.tanh(g)
        h = o * tanh(c)
        if slip == "h_o_c":
            h = o * c
        if slip == "h_no_o":
            h = tanh(c)
        if slip == "h_c_prev":
            h = o * tanh(c_prev)
        if slip == "c_h_swapped":
            return {"i": i, "f": f, "g": g, "o": o, "c": h, "h": c}
        return {"i": i, "f": f, "g": g, "o": o, "c": c, "h": h}
    return lstm_step


(test_every_slip_of_the_catalogue_has_a_mutant_here, test_a_right_step_passes,
 test_each_slip_is_named_with_the_line_it_breaks) = slip_tests(
    lambda slip, seed: check_step_forward(learner(slip), seed), CATALOGUE, __file__,
    right_seeds=[0, 1, 5], slip_seeds=[0, 3], says_all_right=True)


def test_two_slips_at_once_are_both_named():
    def two(x, h_prev, c_prev, weight_ih, weight_hh, bias):
        out = learner("sigmoid_g")(x, h_prev, c_prev, weight_ih, weight_hh, bias)
        out["h"] = out["o"] * out["c"]
        return out
    assert set(check_step_forward(two).slips) == {"sigmoid_g", "h_o_c"}


def test_returning_only_c_and_h_is_not_all_right():
    def only_two(*args):
        out = learner()(*args)
        return {"c": out["c"], "h": out["h"]}
    report = check_step_forward(only_two)
    assert not report.ok
    assert "i is missing from what your function returned" in str(report)
    assert "All right" not in str(report)


def test_form_mistakes_get_their_own_messages():
    def extra(*args):
        return {**learner()(*args), "a": np.zeros(3)}

    def as_float32(*args):
        return {k: v.astype(np.float32) for k, v in learner()(*args).items()}

    def transposed_h(*args):
        out = learner()(*args)
        out["h"] = out["h"].T
        return out

    def skeleton(*args):
        raise NotImplementedError

    assert "also returned 'a'" in str(check_step_forward(extra))
    assert "has dtype float32, expected float64" in str(check_step_forward(as_float32))
    assert "h is transposed" in str(check_step_forward(transposed_h))
    text = str(check_step_forward(skeleton))
    assert "not written yet" in text and text.endswith("Not written yet.")
    assert "returned int" in str(check_step_forward(lambda *a: 3))


def test_the_checker_wants_a_function_and_an_integer_seed():
    with pytest.raises(TypeError, match="needs your step function"):
        check_step_forward(None)
    with pytest.raises(TypeError, match="seed must be an integer"):
        check_step_forward(learner(), seed=0.5)


def test_a_wrong_gate_outside_the_catalogue_is_off_and_what_follows_from_it_says_so():
    def odd_input_gate(x, h_prev, c_prev, weight_ih, weight_hh, bias):
        out = learner()(x, h_prev, c_prev, weight_ih, weight_hh, bias)
        out["i"] = out["i"] ** 2  # no slip of the catalogue
        out["c"] = out["f"] * c_prev + out["i"] * out["g"]
        out["h"] = out["o"] * np.tanh(out["c"])
        return out
    report = check_step_forward(odd_input_gate)
    assert report.problems["i"].startswith("i is off")
    assert report.problems["c"] == "c follows correctly from your i, which is wrong: fix i first"
    assert report.problems["h"] == "h follows correctly from your c, which is wrong: fix i first"
    assert "same mistake" not in str(report)


def test_the_checker_names_the_equations_by_the_numbers_the_page_prints():
    from lstm.book.exercises.step import GATES, PRE, UPDATE
    for where, label in [(PRE, "ch00-preact"), (GATES, "ch00-gates"), (UPDATE, "ch00-update")]:
        assert where.startswith(f"equation ({printed_equation_number(label)}),"), where
