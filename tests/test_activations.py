"""The squashing functions: exact where the textbook formula is, finite where it is not."""
import warnings

import numpy as np
import pytest

from lstm import relative_error, sigmoid, sigmoid_grad, tanh, tanh_grad


def test_sigmoid_matches_the_textbook_formula_in_its_safe_range():
    x = np.linspace(-30, 30, 1001)
    np.testing.assert_allclose(sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-15, atol=0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_at_extremes_is_finite_without_warnings(dtype):
    x = np.array([-1e4, -800, -100, 0, 100, 800, 1e4], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(x)
    assert s.dtype == dtype
    assert np.all(np.isfinite(s)) and np.all((s >= 0) & (s <= 1))
    assert s[0] == 0 and s[-1] == 1 and s[3] == 0.5


def test_sigmoid_keeps_relative_precision_for_very_negative_inputs():
    # 1 - sigmoid(40) would round to 0; sigmoid(-40) must not.
    np.testing.assert_allclose(sigmoid(np.array(-40.0)), np.exp(-40.0) / (1 + np.exp(-40.0)), rtol=1e-15)


def test_integer_input_gives_float_output():
    assert sigmoid(np.array([0, 1])).dtype == np.float64


@pytest.mark.parametrize("f,f_grad", [(sigmoid, sigmoid_grad), (tanh, tanh_grad)])
def test_derivative_from_output_matches_finite_differences(f, f_grad):
    x = np.linspace(-5, 5, 41)
    eps = 1e-6  # an element-wise function: d f(x_k) / d x_k by centred differences
    num = (f(x + eps) - f(x - eps)) / (2 * eps)
    assert relative_error(f_grad(f(x)), num) < 1e-9


def test_sigmoid_slope_is_at_most_a_quarter():
    x = np.linspace(-10, 10, 10001)
    assert sigmoid_grad(sigmoid(x)).max() == pytest.approx(0.25)
