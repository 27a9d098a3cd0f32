"""Property-based tests (hypothesis): for any shapes, dtypes and cell kinds, the fast
layer agrees with the pure step functions looped by hand, forward and backward.

The layer computes the input projection for all steps at once and the weight
gradients in one product after its loop; `step_forward`/`step_backward` do one step
at a time, as the chapters show it (for the variants, which the reference step does
not compute, the same step is made here from the general cell of `lstm.variants`).
They must give the same numbers. Examples are
few and derandomized so the file runs in a few seconds and always the same way.
"""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import randomize
from lstm import CELL_KINDS, LSTM, RNN, step_backward, step_forward
from lstm.cells import CORE_CELLS, StepCache, get_cell_kind
from lstm.variants import variant_cell_backward, variant_cell_forward

FEW = settings(max_examples=25, deadline=None, derandomize=True, database=None)
MORE = settings(FEW, max_examples=60)
TOL = {np.float64: dict(rtol=1e-9, atol=1e-11), np.float32: dict(rtol=2e-4, atol=2e-5)}

shapes = st.fixed_dictionaries({"T": st.integers(0, 5), "N": st.integers(1, 3),
                                 "D": st.integers(1, 4), "H": st.integers(1, 4)})
# every cell kind the LSTM layer runs; "fgr" reads the previous step's gates and has its own layer
cells = st.sampled_from([name for name in CELL_KINDS if name != "fgr"])
dtypes = st.sampled_from([np.float32, np.float64])
input_kinds = st.sampled_from(["float", "int", "bool"])
seeds = st.integers(0, 2**32 - 1)


def make_input(rng, shape, kind):
    if kind == "int":
        return rng.integers(-2, 3, size=shape)
    if kind == "bool":
        return rng.random(shape) < 0.5
    return rng.standard_normal(shape)


def variant_step_forward(x, h_prev, c_prev, params, kind):
    """`step_forward` for any cell but fgr, on the general cell of lstm.variants."""
    kind = get_cell_kind(kind)
    a = x @ params["weight_ih"].T + h_prev @ params["weight_hh"].T + params["bias"]
    h, c, cell = variant_cell_forward(a, c_prev, kind, params if kind.peephole else None)
    return h, c, StepCache(x, h_prev, cell, params, kind.name)


def variant_step_backward(dh, dc, cache):
    """`step_backward` for any cell but fgr, on the general cell of lstm.variants."""
    kind, p = get_cell_kind(cache.kind_name), cache.params
    da, _, dc_prev, grads = variant_cell_backward(dh, dc, cache.cell, kind, p if kind.peephole else None)
    grads.update(weight_ih=da.T @ cache.x, weight_hh=da.T @ cache.h_prev, bias=da.sum(axis=0))
    return da @ p["weight_ih"], da @ p["weight_hh"], dc_prev, grads


def steps_by_hand(X, h0, c0, dY, dhT, dcT, params, cell):
    """Forward and backward through T calls of step_forward / step_backward."""
    if cell in CORE_CELLS:
        forward, backward = step_forward, step_backward
    else:
        forward, backward = variant_step_forward, variant_step_backward
    h, c, caches, Y = h0, c0, [], []
    for x in X:
        h, c, cache = forward(x, h, c, params, cell)
        caches.append(cache)
        Y.append(h)
    hT, cT = h, c
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    dX = np.zeros_like(X)
    dh, dc = dhT, dcT
    for t in reversed(range(len(caches))):
        dX[t], dh, dc, g = backward(dY[t] + dh, dc, caches[t])
        for name in grads:
            grads[name] += g[name]
    Y = np.stack(Y) if Y else np.zeros((0,) + h0.shape, h0.dtype)
    return Y, hT, cT, dX, dh, dc, grads


@MORE
@given(shape=shapes, cell=cells, dtype=dtypes, kind=input_kinds, seed=seeds)
def test_lstm_layer_agrees_with_the_step_functions(shape, cell, dtype, kind, seed):
    T, N, D, H = shape["T"], shape["N"], shape["D"], shape["H"]
    rng = np.random.default_rng(seed)
    layer = randomize(LSTM(D, H, cell=cell, rng=rng, dtype=dtype), rng)
    X = make_input(rng, (T, N, D), kind)
    h0, c0, dhT, dcT = (rng.standard_normal((N, H)).astype(dtype) for _ in range(4))
    dY = rng.standard_normal((T, N, H)).astype(dtype)

    Y, (hT, cT) = layer.forward(X, (h0, c0))
    dX, (dh0, dc0) = layer.backward(dY, (dhT, dcT))
    ref = steps_by_hand(X.astype(dtype), h0, c0, dY, dhT, dcT, layer.params, cell)

    assert Y.dtype == dX.dtype == hT.dtype == np.dtype(dtype)
    tol = TOL[dtype]
    for got, want in zip([Y, hT, cT, dX, dh0, dc0], ref[:6]):
        np.testing.assert_allclose(got, want, **tol)
    for name, want in ref[6].items():
        np.testing.assert_allclose(layer.grads[name], want, **tol, err_msg=name)


@FEW
@given(shape=shapes, cell=cells, seed=seeds, split=st.integers(0, 5))
def test_running_a_sequence_in_two_parts_equals_running_it_whole(shape, cell, seed, split):
    T, N, D, H = shape["T"], shape["N"], shape["D"], shape["H"]
    split = min(split, T)
    rng = np.random.default_rng(seed)
    layer = randomize(LSTM(D, H, cell=cell, rng=rng), rng)
    X = rng.standard_normal((T, N, D))
    Y, (hT, cT) = layer.forward(X)
    Y1, state = layer.forward(X[:split])
    Y2, (hT2, cT2) = layer.forward(X[split:], state)
    np.testing.assert_allclose(np.concatenate([Y1, Y2]), Y, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(hT2, hT, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(cT2, cT, rtol=1e-12, atol=1e-14)


@FEW
@given(shape=shapes, cell=cells, seed=seeds)
def test_each_sequence_of_a_batch_is_computed_independently(shape, cell, seed):
    T, N, D, H = shape["T"], shape["N"], shape["D"], shape["H"]
    rng = np.random.default_rng(seed)
    layer = randomize(LSTM(D, H, cell=cell, rng=rng), rng)
    X = rng.standard_normal((T, N, D))
    dY = rng.standard_normal((T, N, H))
    Y, _ = layer.forward(X)
    dX, _ = layer.backward(dY)
    total = {k: v.copy() for k, v in layer.grads.items()}
    summed = {k: np.zeros_like(v) for k, v in total.items()}
    for n in range(N):
        Y_n, _ = layer.forward(X[:, n:n + 1])
        dX_n, _ = layer.backward(dY[:, n:n + 1])
        np.testing.assert_allclose(Y_n[:, 0], Y[:, n], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(dX_n[:, 0], dX[:, n], rtol=1e-10, atol=1e-12)
        for k in summed:
            summed[k] += layer.grads[k]
    for k in total:  # the gradient of a batch is the sum of the per-sequence gradients
        np.testing.assert_allclose(total[k], summed[k], rtol=1e-10, atol=1e-12, err_msg=k)


@FEW
@given(shape=shapes, nonlinearity=st.sampled_from(["tanh", "sigmoid", "relu", "identity"]),
       dtype=dtypes, kind=input_kinds, seed=seeds)
def test_rnn_layer_agrees_with_its_equation_step_by_step(shape, nonlinearity, dtype, kind, seed):
    T, N, D, H = shape["T"], shape["N"], shape["D"], shape["H"]
    rng = np.random.default_rng(seed)
    layer = randomize(RNN(D, H, nonlinearity=nonlinearity, rng=rng, dtype=dtype), rng)
    X = make_input(rng, (T, N, D), kind)
    h = h0 = rng.standard_normal((N, H)).astype(dtype)
    Y, hT = layer.forward(X, h0)
    p = layer.params
    for t in range(T):  # h_t = phi(x_t W_ih^T + h_{t-1} W_hh^T + b)
        h = layer.phi(X[t].astype(dtype) @ p["weight_ih"].T + h @ p["weight_hh"].T + p["bias"])
        np.testing.assert_allclose(Y[t], h, **TOL[dtype])
    np.testing.assert_allclose(hT, h, **TOL[dtype])


@FEW
@given(shape=shapes, cell=cells, seed=seeds)
def test_float32_layer_tracks_the_float64_layer(shape, cell, seed):
    T, N, D, H = shape["T"], shape["N"], shape["D"], shape["H"]
    rng = np.random.default_rng(seed)
    wide = randomize(LSTM(D, H, cell=cell, rng=rng), rng)
    narrow = LSTM(D, H, cell=cell, rng=rng, dtype=np.float32)
    narrow._load_params({k: v.astype(np.float32) for k, v in wide.params.items()})
    X = rng.standard_normal((T, N, D)).astype(np.float32)
    dY = rng.standard_normal((T, N, H)).astype(np.float32)
    Y64, _ = wide.forward(X)
    Y32, _ = narrow.forward(X)
    dX64, _ = wide.backward(dY)
    dX32, _ = narrow.backward(dY)
    np.testing.assert_allclose(Y32, Y64, **TOL[np.float32])
    np.testing.assert_allclose(dX32, dX64, **TOL[np.float32])
