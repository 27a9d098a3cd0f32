"""Chapter 0's checker passes a right LSTM step and names the mistake in a wrong one."""
import numpy as np
import pytest

from lstm.activations import sigmoid, tanh
from lstm.book.exercises.step import check_step_forward


def blocks(x, h_prev, weight_ih, weight_hh, bias):
    a = x @ weight_ih.T + h_prev @ weight_hh.T + bias  # (N, 4H)
    return np.split(a, 4, axis=1)  # a^i, a^f, a^g, a^o


def right_step(x, h_prev, c_prev, weight_ih, weight_hh, bias):
    a_i, a_f, a_g, a_o = blocks(x, h_prev, weight_ih, weight_hh, bias)
    i, f, g, o = sigmoid(a_i), sigmoid(a_f), tanh(a_g), sigmoid(a_o)
    c = f * c_prev + i * g
    return {"i": i, "f": f, "g": g, "o": o, "c": c, "h": o * tanh(c)}


def with_mistake(mistake):
    """right_step with one typical mistake."""
    def step(x, h_prev, c_prev, weight_ih, weight_hh, bias):
        a_i, a_f, a_g, a_o = blocks(x, h_prev, weight_ih, weight_hh, bias)
        i, f, g, o = sigmoid(a_i), sigmoid(a_f), tanh(a_g), sigmoid(a_o)
        if mistake == "sigmoid on g":
            g = sigmoid(a_g)
        if mistake == "gate order f, i, g, o":
            i, f = sigmoid(a_f), sigmoid(a_i)
        c = f * c_prev + i * g
        if mistake == "no forget gate":
            c = c_prev + i * g
        if mistake == "output gate writes":
            c = f * c_prev + o * g
        h = o * tanh(c)
        if mistake == "h without o":
            h = tanh(c)
        return {"i": i, "f": f, "g": g, "o": o, "c": c, "h": h}
    return step


def test_the_right_step_passes_on_several_seeds():
    for seed in range(3):
        report = check_step_forward(right_step, seed=seed)
        assert report.ok, str(report)
        assert "All right" in str(report)


def test_returning_only_h_and_c_is_checked_on_those():
    def pair(**inputs):
        out = right_step(**inputs)
        return out["h"], out["c"]
    report = check_step_forward(pair)
    assert report.ok and set(report.problems) == {"c", "h"}


@pytest.mark.parametrize("mistake, wrong, words", [
    ("sigmoid on g", {"g": "g is sigmoid(a^g), but g takes tanh"},
     {"c": "c follows correctly from your g, which is wrong: fix g first",
      "h": "h follows correctly from your c, which is wrong: fix g first"}),
    ("gate order f, i, g, o", {"i": "i is computed from the rows of f", "f": "f is computed from the rows of i"},
     {"c": "follows correctly from your i and f, which are wrong: fix i first", "h": "fix i first"}),
    ("no forget gate", {"c": "c adds c_prev without the forget gate"}, {"h": "fix c first"}),
    ("output gate writes", {"c": "multiplies the candidate g by the output gate o"}, {"h": "fix c first"}),
    ("h without o", {"h": "h is tanh(c) without the output gate"}, {}),
])
def test_each_typical_mistake_is_named_and_the_rest_is_right(mistake, wrong, words):
    report = check_step_forward(with_mistake(mistake))
    assert not report.ok
    for name, sentence in {**wrong, **words}.items():
        assert sentence in report.problems[name], (name, report.problems[name])
    for name, problem in report.problems.items():
        if name not in wrong and name not in words:
            assert problem is None, (name, problem)
    assert "Not yet" in str(report)


def test_an_error_in_the_readers_function_is_reported_not_raised():
    def broken(x, h_prev, c_prev, weight_ih, weight_hh, bias):
        return x @ weight_ih  # (N, D) @ (4H, D): the transpose is missing
    report = check_step_forward(broken)
    assert not report.ok
    assert "raised ValueError" in report.problems["your function"]


def test_a_wrong_shape_is_named():
    def transposed(**inputs):
        out = right_step(**inputs)
        return {**out, "h": out["h"].T}
    assert "h is transposed" in check_step_forward(transposed).problems["h"]


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(TypeError, match="step function"):
        check_step_forward("not a function")
    with pytest.raises(TypeError, match="seed must be an integer"):
        check_step_forward(right_step, seed=0.5)


def test_the_checker_needs_numpy_and_the_core_only_so_it_runs_in_jupyterlite():
    import subprocess
    import sys
    code = ("import sys, lstm.book.exercises.step; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'IPython', 'torch') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
