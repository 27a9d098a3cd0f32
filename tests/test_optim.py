"""Optimisers and clipping do the update their equations say."""
import numpy as np
import pytest

from lstm import LSTM, SGD, Adam, Linear, clip_grad_norm, global_grad_norm, mse_loss


class Param:
    """A one-parameter 'layer' to pin the update rules down."""

    def __init__(self, value, grad):
        self.params = {"w": np.array([value], dtype=np.float64)}
        self.grads = {"w": np.array([grad], dtype=np.float64)}


def test_sgd_step_is_minus_lr_times_gradient():
    p = Param(1.0, 0.5)
    SGD(p, lr=0.1).step()
    assert p.params["w"][0] == pytest.approx(0.95)


def test_sgd_momentum_accumulates_velocity():
    p = Param(0.0, 1.0)
    opt = SGD(p, lr=1.0, momentum=0.9)
    opt.step()  # v = 1
    opt.step()  # v = 1.9
    assert p.params["w"][0] == pytest.approx(-2.9)


def test_adam_first_step_moves_each_weight_by_lr():
    p = Param(0.0, 123.0)  # the bias-corrected first step is lr * sign(g)
    Adam(p, lr=0.01).step()
    assert p.params["w"][0] == pytest.approx(-0.01, rel=1e-6)


def test_global_grad_norm_measures_without_changing_anything():
    a, b = Param(0, 3.0), Param(0, 4.0)
    assert global_grad_norm([a, b]) == pytest.approx(5.0)
    assert a.grads["w"][0] == 3.0 and b.grads["w"][0] == 4.0


def test_clip_grad_norm_scales_all_layers_together_and_returns_the_old_norm():
    a, b = Param(0, 3.0), Param(0, 4.0)
    norm = clip_grad_norm([a, b], 1.0)
    assert norm == pytest.approx(5.0)
    assert a.grads["w"][0] == pytest.approx(0.6) and b.grads["w"][0] == pytest.approx(0.8)
    assert clip_grad_norm([a, b], 10.0) == pytest.approx(1.0)  # below the limit: unchanged
    assert a.grads["w"][0] == pytest.approx(0.6)


@pytest.mark.slow
@pytest.mark.parametrize("make_opt", [lambda layers: SGD(layers, lr=0.5, momentum=0.5),
                                      lambda layers: Adam(layers, lr=0.01)])
def test_training_an_lstm_lowers_the_loss(make_opt):
    rng = np.random.default_rng(0)
    net, out = LSTM(2, 8, rng=rng), Linear(8, 1, rng=rng)
    X = rng.standard_normal((10, 16, 2))
    target = X[0, :, :1]  # remember the first input's first channel to the end
    opt = make_opt([net, out])

    def loss_and_step():
        Y, _ = net.forward(X)
        y = out.forward(Y[-1])
        loss, dy = mse_loss(y, target)
        dY = np.zeros_like(Y)
        dY[-1] = out.backward(dy)
        net.backward(dY)
        opt.step()
        return loss

    first = loss_and_step()
    for _ in range(150):
        last = loss_and_step()
    assert last < 0.5 * first


@pytest.mark.slow
def test_fit_trains_a_sequence_model_to_recall_the_first_input():
    from lstm import SequenceModel, fit

    rng = np.random.default_rng(0)
    model = SequenceModel(LSTM(1, 8, rng=rng, forget_bias=1.0), 1, rng=rng)

    def batches(step):
        X = rng.uniform(-1, 1, size=(15, 32, 1))
        return X, X[0]  # the target is the first value, seen 15 steps earlier

    history = fit(model, batches, Adam(model.layers, lr=0.01), steps=300, progress=False)
    assert history[-20:].mean() < 0.1 * history[:20].mean()


def test_cec_only_gradient_differs_from_full_bptt_only_through_w_hh():
    rng = np.random.default_rng(1)
    net = LSTM(2, 3, cell="1997", rng=rng)
    X = rng.standard_normal((6, 1, 2))
    dY = np.zeros((6, 1, 3))
    dY[-1] = 1.0
    net.forward(X)
    net.backward(dY)
    full = {k: v.copy() for k, v in net.grads.items()}
    net.forward(X)
    net.backward(dY, cec_only=True)
    assert not np.allclose(net.grads["weight_ih"], full["weight_ih"])
    # With T = 1 there is no earlier step to truncate: both agree exactly.
    net.forward(X[-1:])
    net.backward(dY[-1:])
    one = {k: v.copy() for k, v in net.grads.items()}
    net.forward(X[-1:])
    net.backward(dY[-1:], cec_only=True)
    for k in one:
        np.testing.assert_array_equal(net.grads[k], one[k])
