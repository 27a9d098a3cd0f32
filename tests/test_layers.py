"""Behaviour of the layers beyond their gradients: consistency, edge cases, dtypes."""
import numpy as np
import pytest

from helpers import randomize
from lstm import LSTM, RNN, step_forward


@pytest.mark.parametrize("cell", ["standard", "1997", "peephole"])
def test_layer_forward_equals_step_forward_over_time(cell, rng):
    layer = randomize(LSTM(3, 4, cell=cell, rng=rng), rng)
    X = rng.standard_normal((6, 2, 3))
    h, c = rng.standard_normal((2, 4)), rng.standard_normal((2, 4))
    Y, (hT, cT) = layer.forward(X, (h, c))
    for t in range(6):
        h, c, _ = step_forward(X[t], h, c, layer.params, cell)
        np.testing.assert_allclose(Y[t], h, rtol=0, atol=1e-14)
    np.testing.assert_allclose(hT, h, rtol=0, atol=1e-14)
    np.testing.assert_allclose(cT, c, rtol=0, atol=1e-14)


@pytest.mark.parametrize("cell", ["standard", "1997"])
@pytest.mark.parametrize("cec_only", [False, True])
def test_fused_kernels_equal_the_readable_loop(cell, cec_only, rng):
    fast = LSTM(3, 4, cell=cell, rng=rng)
    slow = LSTM(3, 4, cell=cell, rng=rng)
    slow.params = {k: v.copy() for k, v in fast.params.items()}
    slow.fused = False
    assert fast.fused
    X, dY = rng.standard_normal((6, 2, 3)), rng.standard_normal((6, 2, 4))
    state, dstate = rng.standard_normal((2, 2, 4)), rng.standard_normal((2, 2, 4))
    for a, b in zip(fast.forward(X, tuple(state)), slow.forward(X, tuple(state))):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-14)
    (dX1, ds1), (dX2, ds2) = (m.backward(dY, tuple(dstate), cec_only=cec_only) for m in (fast, slow))
    np.testing.assert_allclose(dX1, dX2, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(np.array(ds1), np.array(ds2), rtol=1e-12, atol=1e-14)
    for name in fast.grads:
        np.testing.assert_allclose(fast.grads[name], slow.grads[name], rtol=1e-12, atol=1e-13, err_msg=name)
    np.testing.assert_allclose(fast.grad_c, slow.grad_c, rtol=1e-12, atol=1e-14)


def test_the_fused_switch_refuses_a_cell_the_kernels_do_not_handle(rng):
    layer = LSTM(2, 3, cell="peephole", rng=rng)
    assert not layer.fused
    layer.fused = True
    with pytest.raises(ValueError, match="fused = False"):
        layer.forward(np.zeros((2, 1, 2)))


def test_1997_cell_has_no_forget_gate_and_keeps_its_state(rng):
    layer = LSTM(2, 3, cell="1997", rng=rng)
    assert layer.params["weight_ih"].shape == (9, 2)  # gates i, g, o
    # With the input gate shut (large negative bias) the carousel holds c exactly.
    layer.params["bias"][:3] = -1e3
    c0 = rng.standard_normal((1, 3))
    _, (_, cT) = layer.forward(rng.standard_normal((50, 1, 2)), (np.zeros((1, 3)), c0))
    np.testing.assert_array_equal(cT, c0)


def test_peephole_cell_has_three_peephole_vectors(rng):
    layer = LSTM(2, 3, cell="peephole", rng=rng)
    assert {k: v.shape for k, v in layer.params.items() if k.startswith("weight_c")} == {
        "weight_ci": (3,), "weight_cf": (3,), "weight_co": (3,)}


def test_forget_bias_sets_only_the_forget_rows(rng):
    layer = LSTM(2, 3, forget_bias=1.0, rng=rng)
    np.testing.assert_array_equal(layer.params["bias"][3:6], 1.0)
    assert np.all(np.abs(layer.params["bias"][[0, 1, 2, 6, 7, 8, 9, 10, 11]]) <= 1 / np.sqrt(3))
    with pytest.raises(ValueError, match="no forget gate"):
        LSTM(2, 3, cell="1997", forget_bias=1.0, rng=rng)


def test_init_is_uniform_in_pytorch_range_and_seeded():
    a = LSTM(5, 16, rng=np.random.default_rng(7))
    b = LSTM(5, 16, rng=np.random.default_rng(7))
    for name in a.params:
        np.testing.assert_array_equal(a.params[name], b.params[name])
        assert np.abs(a.params[name]).max() <= 0.25  # 1/sqrt(16)
        assert np.abs(a.params[name]).max() > 0.2  # and fills that range
    c = LSTM(5, 16, rng=np.random.default_rng(7), init_range=0.1)
    assert np.abs(c.params["weight_hh"]).max() <= 0.1


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept_throughout(dtype, rng):
    for layer in (LSTM(3, 4, rng=rng, dtype=dtype), RNN(3, 4, rng=rng, dtype=dtype)):
        Y, _ = layer.forward(rng.standard_normal((5, 2, 3)))  # float64 input is cast
        dX, _ = layer.backward(np.ones_like(Y))
        assert Y.dtype == dtype and dX.dtype == dtype
        assert all(g.dtype == dtype for g in layer.grads.values())


def test_float32_agrees_with_float64(rng):
    a = randomize(LSTM(3, 8, rng=rng), rng)
    b = LSTM(3, 8, rng=rng, dtype=np.float32)
    b.params = {k: v.astype(np.float32) for k, v in a.params.items()}
    X = rng.standard_normal((20, 4, 3))
    np.testing.assert_allclose(b.forward(X)[0], a.forward(X)[0], atol=1e-5)


def test_grad_h_holds_the_total_gradient_of_every_hidden_state(rng):
    layer = randomize(RNN(2, 3, rng=rng), rng)
    X = rng.standard_normal((4, 1, 2))
    Y, _ = layer.forward(X)
    dY = np.zeros_like(Y)
    dY[-1] = 1.0  # loss = sum(h_T)
    layer.backward(dY)
    np.testing.assert_array_equal(layer.grad_h[-1], 1.0)
    # one step back: through W_hh and phi'
    expected = (layer.grad_h[-1] * (1 - Y[-1] ** 2)) @ layer.params["weight_hh"]
    np.testing.assert_allclose(layer.grad_h[-2], expected, atol=1e-15)


def test_empty_sequence_returns_the_initial_state(rng):
    layer = LSTM(2, 3, rng=rng)
    h0, c0 = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    Y, (hT, cT) = layer.forward(np.zeros((0, 4, 2)), (h0, c0))
    assert Y.shape == (0, 4, 3)
    np.testing.assert_array_equal(hT, h0)
    np.testing.assert_array_equal(cT, c0)
    dX, (dh0, dc0) = layer.backward(np.zeros((0, 4, 3)), (np.ones((4, 3)), 2 * np.ones((4, 3))))
    assert dX.shape == (0, 4, 2)
    np.testing.assert_array_equal(dh0, 1.0)
    np.testing.assert_array_equal(dc0, 2.0)
    assert all(np.all(g == 0) for g in layer.grads.values())
