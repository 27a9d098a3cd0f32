"""The fast kernel of lstm.fused beyond the layer: K nets side by side (lockstep training)
and the truncated gradient's loop-free backward."""
import numpy as np
import pytest

from lstm import LSTM, fused
from lstm.recurrent import weight_grads


def _nets(cell, K, D, H, rng, dtype=np.float64):
    nets = [LSTM(D, H, cell=cell, rng=rng, dtype=dtype) for _ in range(K)]
    for net in nets:
        for p in net.params.values():
            p[...] = rng.normal(0.0, 0.5, size=p.shape)
    return nets


@pytest.mark.parametrize("cell", ["standard", "1997"])
def test_side_by_side_round_trips_and_keeps_the_nets_apart(cell, rng):
    K, D, H = 3, 2, 4
    nets = _nets(cell, K, D, H, rng)
    kind = nets[0].kind
    stacked = {name: np.stack([n.params[name] for n in nets]) for name in ("weight_ih", "weight_hh", "bias")}
    wide = fused.side_by_side(stacked, kind)
    G = len(kind.gates)
    assert wide["weight_ih"].shape == (G * K * H, K * D) and wide["weight_hh"].shape == (G * K * H, K * H)
    back = fused.diagonal_blocks(wide, K, kind)
    for name in stacked:
        np.testing.assert_array_equal(back[name], stacked[name])
    # every weight between two different nets is 0: unit j of net k sees only net k
    W = wide["weight_hh"].reshape(G, K, H, K, H)
    for k in range(K):
        for m in range(K):
            if k != m:
                assert not W[:, k, :, m, :].any()


@pytest.mark.parametrize("cell, cec_only", [("standard", False), ("standard", True), ("1997", True), ("1997", False)])
def test_k_nets_side_by_side_compute_what_each_net_computes_alone(cell, cec_only, rng):
    K, T, D, H = 3, 7, 2, 4
    nets = _nets(cell, K, D, H, rng)
    kind = nets[0].kind
    X = rng.standard_normal((T, K, D))  # one sequence per net
    dY = rng.standard_normal((T, K, H))
    stacked = {name: np.stack([n.params[name] for n in nets]) for name in ("weight_ih", "weight_hh", "bias")}
    wide = fused.side_by_side(stacked, kind)
    X_wide = X.reshape(T, 1, K * D)
    hs = np.zeros((T + 1, 1, K * H))
    cs = np.zeros_like(hs)
    gates, tanh_c = fused.forward(X_wide, hs, cs, wide, kind)
    zero = np.zeros((1, K * H))
    DA = fused.backward(dY.reshape(T, 1, K * H), zero, zero, cs, gates, tanh_c, kind, wide["weight_hh"], cec_only)[0]
    grads = fused.diagonal_blocks(weight_grads(DA, X_wide, hs[:-1]), K, kind)
    for k, net in enumerate(nets):
        Y, _ = net.forward(X[:, k:k + 1])
        net.backward(dY[:, k:k + 1], cec_only=cec_only)
        np.testing.assert_allclose(hs[1:, 0].reshape(T, K, H)[:, k], Y[:, 0], rtol=1e-13, atol=1e-15)
        for name in grads:
            np.testing.assert_allclose(grads[name][k], net.grads[name], rtol=1e-12, atol=1e-14, err_msg=name)


@pytest.mark.parametrize("cell", ["standard", "1997"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_truncated_gradient_without_a_loop_gives_the_loop_s_numbers(cell, dtype, rng):
    # the loop of `backward` with the path through W_hh cut (weight_hh = 0 gives dh_next = 0 after
    # the last step) against the loop-free `_backward_cec_only`, bit for bit
    T, N, D, H = 9, 2, 3, 5
    layer = _nets(cell, 1, D, H, rng, dtype)[0]
    X = rng.standard_normal((T, N, D)).astype(dtype)
    dY = rng.standard_normal((T, N, H)).astype(dtype)
    dhT, dcT = rng.standard_normal((2, N, H)).astype(dtype)
    hs = np.zeros((T + 1, N, H), dtype=dtype)
    cs = np.zeros_like(hs)
    gates, tanh_c = fused.forward(X, hs, cs, layer.params, layer.kind)
    zero_weights = np.zeros_like(layer.params["weight_hh"])
    loop = fused.backward(dY, dhT, dcT, cs, gates, tanh_c, layer.kind, zero_weights, cec_only=False)
    cut = fused.backward(dY, dhT, dcT, cs, gates, tanh_c, layer.kind, layer.params["weight_hh"], cec_only=True)
    for a, b in zip(loop, cut):
        assert a.dtype == b.dtype == dtype
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("T, N, D, H", [(0, 2, 3, 4), (1, 1, 1, 1), (7, 3, 2, 4), (20, 16, 24, 48)])
def test_both_weight_gradients_from_one_product_are_those_of_two(T, N, D, H, dtype, rng):
    DA, X, H_prev = (rng.standard_normal(s).astype(dtype) for s in ((T, N, 4 * H), (T, N, D), (T, N, H)))
    one, two = fused.weight_grads(DA, X, H_prev), weight_grads(DA, X, H_prev)
    assert set(one) == set(two)
    for name in two:
        assert one[name].dtype == dtype and one[name].shape == two[name].shape
        np.testing.assert_array_equal(one[name], two[name])  # bit for bit
