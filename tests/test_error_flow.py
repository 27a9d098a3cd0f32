"""The self-connected unit of the 1997 paper's section 3.2 and the error it lets through."""
import numpy as np
import pytest

from lstm import RNN
from lstm.activations import get_activation
from lstm.experiments.chapters.ch02_error_flow import error_flow, self_connected_unit


@pytest.mark.parametrize("nonlinearity", ["tanh", "sigmoid", "identity"])
@pytest.mark.parametrize("w_jj, net", [(1.0, 0.0), (0.8, 1.5), (3.0, -0.7), (-1.2, 0.4)])
def test_unit_stays_at_its_operating_point(nonlinearity, w_jj, net):
    rnn, h0 = self_connected_unit(nonlinearity, w_jj, net)
    Y, _ = rnn.forward(np.zeros((30, 1, 1)), h0)
    f, _ = get_activation(nonlinearity)
    np.testing.assert_allclose(Y[:, 0, 0], f(net), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("nonlinearity", ["tanh", "sigmoid", "identity"])
@pytest.mark.parametrize("w_jj, net", [(1.0, 0.0), (0.8, 1.5), (3.0, -0.7), (-1.2, 0.4)])
def test_error_scale_is_derivative_times_weight_to_the_power_k(nonlinearity, w_jj, net):
    f, f_grad = get_activation(nonlinearity)
    rnn, h0 = self_connected_unit(nonlinearity, w_jj, net)
    scale = error_flow(rnn, 20, h0)
    k = np.arange(21)
    np.testing.assert_allclose(scale, (f_grad(f(net)) * w_jj) ** k, rtol=1e-10, atol=1e-300)


def test_only_linear_unit_with_unit_weight_keeps_error_constant():
    rnn, h0 = self_connected_unit("identity", 1.0, 0.37)
    np.testing.assert_array_equal(error_flow(rnn, 100, h0), 1.0)
    for nonlinearity, net in (("tanh", 0.5), ("sigmoid", 0.0)):
        rnn, h0 = self_connected_unit(nonlinearity, 1.0, net)
        assert error_flow(rnn, 100, h0)[-1] < 1e-3


def test_error_reaching_the_start_state_matches_finite_differences():
    rng = np.random.default_rng(3)
    rnn = RNN(2, 1, nonlinearity="tanh", rng=rng)
    X = rng.standard_normal((12, 1, 2))
    h0 = np.array([[0.3]])
    eps = 1e-6
    last = lambda h: rnn.forward(X, h)[0][-1, 0, 0]
    numeric = (last(h0 + eps) - last(h0 - eps)) / (2 * eps)
    analytic = error_flow(rnn, 12, h0, X)[-1]
    assert abs(numeric - analytic) <= 1e-8 * max(1.0, abs(analytic))


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="w_jj"):
        self_connected_unit("tanh", float("nan"), 0.0)
    with pytest.raises(ValueError, match="unknown activation"):
        self_connected_unit("cosine", 1.0, 0.0)
    with pytest.raises(ValueError, match="hidden_size 1"):
        error_flow(RNN(1, 2, rng=np.random.default_rng(0)), 5)
    with pytest.raises(ValueError, match="X must have shape"):
        error_flow(RNN(1, 1, rng=np.random.default_rng(0)), 5, X=np.zeros((4, 1, 1)))
    with pytest.raises(ValueError, match="steps"):
        error_flow(RNN(1, 1, rng=np.random.default_rng(0)), 0)


def test_naive_cec_training_keeps_self_weight_one_and_learns_to_store():
    from lstm import Adam
    from lstm.experiments.chapters.ch02_error_flow import naive_cec_model, naive_cec_train_step

    rng = np.random.default_rng(0)
    model = naive_cec_model(1, 1, rng=rng)
    opt = Adam(model.layers, lr=0.05)
    losses = []
    for _ in range(200):
        X = np.zeros((10, 16, 1))
        X[0, :, 0] = rng.uniform(-1, 1, 16)
        value, _ = naive_cec_train_step(model, X, X[0].copy(), opt)
        losses.append(value)
    assert model.recurrent.params["weight_hh"][0, 0] == 1.0
    assert model.recurrent.params["bias"][0] == 0.0
    assert losses[-1] < 1e-4 < losses[0]
