"""Every backward pass against centred finite differences, in float64."""
import numpy as np
import pytest

from helpers import randomize
from lstm import LSTM, RNN, Linear, check_layer_gradients, numerical_gradient, relative_error
from lstm import mse_loss, sigmoid_cross_entropy, softmax_cross_entropy
from lstm import SequenceModel, step_backward, step_forward

TOL = 1e-7
SHAPES = [(1, 1), (1, 3), (4, 1), (5, 3)]  # (T, N): T and N each include 1


@pytest.mark.parametrize("cell", ["standard", "1997", "peephole"])
@pytest.mark.parametrize("T,N", SHAPES)
def test_lstm_backward_matches_finite_differences(cell, T, N, rng):
    D, H = 3, 4
    layer = randomize(LSTM(D, H, cell=cell, rng=rng), rng)
    X = rng.standard_normal((T, N, D))
    state = (rng.standard_normal((N, H)), rng.standard_normal((N, H)))
    errors = check_layer_gradients(layer, X, state, rng)
    assert set(errors) == set(layer.params) | {"X", "h0", "c0"}
    assert max(errors.values()) < TOL, errors


@pytest.mark.parametrize("nonlinearity", ["tanh", "sigmoid", "relu", "identity"])
@pytest.mark.parametrize("T,N", SHAPES)
def test_rnn_backward_matches_finite_differences(nonlinearity, T, N, rng):
    D, H = 3, 4
    layer = randomize(RNN(D, H, nonlinearity=nonlinearity, rng=rng), rng)
    X = rng.standard_normal((T, N, D))
    errors = check_layer_gradients(layer, X, rng.standard_normal((N, H)), rng)
    assert set(errors) == {"weight_ih", "weight_hh", "bias", "X", "h0"}
    assert max(errors.values()) < TOL, errors


@pytest.mark.parametrize("cell", ["standard", "1997", "peephole"])
def test_step_backward_matches_finite_differences(cell, rng):
    N, D, H = 2, 3, 4
    params = randomize(LSTM(D, H, cell=cell, rng=rng), rng).params
    x, h, c = rng.standard_normal((N, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H))
    dh_out, dc_out = rng.standard_normal((N, H)), rng.standard_normal((N, H))

    def loss():
        h1, c1, _ = step_forward(x, h, c, params, cell)
        return np.sum(h1 * dh_out) + np.sum(c1 * dc_out)

    _, _, cache = step_forward(x, h, c, params, cell)
    dx, dh, dc, grads = step_backward(dh_out, dc_out, cache)
    for name, analytic, wrt in [("x", dx, x), ("h_prev", dh, h), ("c_prev", dc, c)] + [
            (k, grads[k], params[k]) for k in params]:
        err = relative_error(analytic, numerical_gradient(loss, wrt))
        assert err < TOL, (name, err)


def test_gradient_check_detects_a_wrong_gradient(rng):
    layer = randomize(LSTM(2, 3, rng=rng), rng)
    X = rng.standard_normal((3, 2, 2))
    original = layer.backward

    def broken_backward(dY, dstate=None):
        dX, dstate = original(dY, dstate)
        layer.grads["weight_hh"] = layer.grads["weight_hh"] * 1.01  # a 1% error
        return dX, dstate

    layer.backward = broken_backward
    errors = check_layer_gradients(layer, X, (np.zeros((2, 3)), np.zeros((2, 3))), rng)
    assert errors["weight_hh"] > 1e-3
    assert errors["weight_ih"] < TOL


def test_linear_backward_matches_finite_differences(rng):
    layer = Linear(4, 3, rng=rng)
    randomize(layer, rng)
    x = rng.standard_normal((5, 2, 4))
    dy = rng.standard_normal((5, 2, 3))
    loss = lambda: np.sum(layer.forward(x) * dy)
    layer.forward(x)
    dx = layer.backward(dy)
    assert relative_error(dx, numerical_gradient(loss, x)) < TOL
    for name in ("weight", "bias"):
        grad = layer.grads[name]
        assert relative_error(grad, numerical_gradient(loss, layer.params[name])) < TOL


@pytest.mark.parametrize("shortcut", [False, True])
def test_sequence_model_backward_matches_finite_differences(shortcut, rng):
    D, H, K = 3, 4, 2
    model = SequenceModel(LSTM(D, H, rng=rng), K, rng=rng, shortcut=shortcut)
    for layer in model.layers:
        randomize(layer, rng)
    X = rng.standard_normal((5, 2, D))
    dz = rng.standard_normal((5, 2, K))
    loss = lambda: np.sum(model.forward(X) * dz)
    model.forward(X)
    dX = model.backward(dz)
    assert relative_error(dX, numerical_gradient(loss, X)) < TOL
    for layer in model.layers:
        for name, grad in layer.grads.items():
            assert relative_error(grad, numerical_gradient(loss, layer.params[name])) < TOL


def test_shortcut_readout_sees_the_input_directly(rng):
    D, H, K = 3, 4, 2
    model = SequenceModel(LSTM(D, H, rng=rng), K, rng=rng, shortcut=True)
    assert model.readout.params["weight"].shape == (K, H + D)
    model.readout.params["weight"][:, :H] = 0  # cut the cells off: only x_t reaches z_t
    X = rng.standard_normal((4, 2, D))
    expected = X @ model.readout.params["weight"][:, H:].T + model.readout.params["bias"]
    np.testing.assert_allclose(model.forward(X), expected, rtol=1e-12)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_mse_gradient_matches_finite_differences(reduction, rng):
    y, t = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    _, dy = mse_loss(y, t, reduction)
    assert relative_error(dy, numerical_gradient(lambda: mse_loss(y, t, reduction)[0], y)) < TOL


def test_softmax_cross_entropy_gradient_matches_finite_differences(rng):
    logits = rng.standard_normal((3, 2, 5)) * 3
    targets = rng.integers(0, 5, size=(3, 2))
    _, d = softmax_cross_entropy(logits, targets)
    num = numerical_gradient(lambda: softmax_cross_entropy(logits, targets)[0], logits)
    assert relative_error(d, num) < TOL


def test_sigmoid_cross_entropy_gradient_matches_finite_differences(rng):
    z, t = rng.standard_normal((4, 3)) * 3, rng.uniform(0, 1, (4, 3))
    _, d = sigmoid_cross_entropy(z, t)
    assert relative_error(d, numerical_gradient(lambda: sigmoid_cross_entropy(z, t)[0], z)) < TOL
