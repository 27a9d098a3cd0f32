"""Truncated BPTT: exact with k >= T, a sum of independent chunk gradients with k < T."""
import numpy as np
import pytest

from helpers import randomize
from lstm import LSTM, RNN
from lstm.tbptt import iter_chunks, truncated_bptt

T, N, D, H = 10, 2, 3, 4


def make_layer(kind, rng):
    if kind == "rnn":
        return randomize(RNN(D, H, rng=rng), rng)
    return randomize(LSTM(D, H, cell=kind, rng=rng), rng)


def initial_state(kind, rng):
    if kind == "rnn":
        return rng.standard_normal((N, H))
    return (rng.standard_normal((N, H)), rng.standard_normal((N, H)))


KINDS = ["standard", "1997", "peephole", "rnn"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("k", [T, T + 5])
def test_k_at_least_T_equals_full_bptt(kind, k, rng):
    layer = make_layer(kind, rng)
    X, dY = rng.standard_normal((T, N, D)), rng.standard_normal((T, N, H))
    state = initial_state(kind, rng)
    dstate = initial_state(kind, rng)
    Y_full, final_full = layer.forward(X, state)
    dX_full, dstate0_full = layer.backward(dY, dstate)
    full = {name: g.copy() for name, g in layer.grads.items()}

    res = truncated_bptt(layer, X, dY, k, state=state, dstate=dstate)
    np.testing.assert_array_equal(res.Y, Y_full)
    np.testing.assert_array_equal(res.dX, dX_full)
    for name in full:
        np.testing.assert_array_equal(res.grads[name], full[name])
        np.testing.assert_array_equal(layer.grads[name], full[name])
    for got, want in zip(np.atleast_1d(res.dstate0), np.atleast_1d(dstate0_full)):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("k", [1, 3, 4])
def test_k_below_T_equals_sum_of_independent_chunk_gradients(kind, k, rng):
    layer = make_layer(kind, rng)
    X, dY = rng.standard_normal((T, N, D)), rng.standard_normal((T, N, H))
    state = initial_state(kind, rng)
    # The forward pass over the whole sequence gives the state at every border.
    layer.forward(X, state)
    Y_full = layer.forward(X, state)[0]
    expected = {name: np.zeros_like(p) for name, p in layer.params.items()}
    dX_expected = np.empty_like(X)
    s = state
    for start in range(0, T, k):
        stop = min(start + k, T)
        _, s_next = layer.forward(X[start:stop], s)  # full BPTT on this chunk alone
        dX_expected[start:stop], _ = layer.backward(dY[start:stop])
        for name, g in layer.grads.items():
            expected[name] += g
        s = s_next

    res = truncated_bptt(layer, X, dY, k, state=state)
    np.testing.assert_allclose(res.Y, Y_full, rtol=0, atol=1e-13)
    np.testing.assert_allclose(res.dX, dX_expected, rtol=0, atol=1e-13)
    for name in expected:
        np.testing.assert_allclose(res.grads[name], expected[name], rtol=0, atol=1e-12)


def test_truncation_differs_from_full_bptt_and_cuts_early_input_gradient(rng):
    layer = make_layer("standard", rng)
    X = rng.standard_normal((T, N, D))
    dY = np.zeros((T, N, H))
    dY[-1] = 1.0  # a loss on the last step only
    layer.forward(X)
    dX_full, _ = layer.backward(dY)
    full_hh = layer.grads["weight_hh"].copy()
    res = truncated_bptt(layer, X, dY, 5)  # chunks [0, 5) and [5, 10)
    assert np.all(res.dX[:5] == 0.0) and np.all(dX_full[:5] != 0.0)
    np.testing.assert_allclose(res.dX[5:], dX_full[5:], atol=1e-13)
    assert not np.allclose(res.grads["weight_hh"], full_hh)


def test_callable_dY_receives_each_chunk(rng):
    layer = make_layer("standard", rng)
    X, dY = rng.standard_normal((T, N, D)), rng.standard_normal((T, N, H))
    seen = []

    def dY_fn(start, Y_chunk):
        seen.append((start, Y_chunk.shape[0]))
        return dY[start:start + Y_chunk.shape[0]]

    from_fn = truncated_bptt(layer, X, dY_fn, 4)
    from_array = truncated_bptt(layer, X, dY, 4)
    assert seen == [(0, 4), (4, 4), (8, 2)]
    for name in from_array.grads:
        np.testing.assert_array_equal(from_fn.grads[name], from_array.grads[name])


def test_iter_chunks_carries_state_like_one_forward_pass(rng):
    layer = make_layer("peephole", rng)
    X = rng.standard_normal((T, N, D))
    Y_full, (hT, cT) = layer.forward(X)
    chunks = list(iter_chunks(layer, X, 3))
    assert [(c.start, c.stop, c.is_last) for c in chunks] == [(0, 3, False), (3, 6, False), (6, 9, False),
                                                              (9, 10, True)]
    np.testing.assert_allclose(np.concatenate([c.Y for c in chunks]), Y_full, atol=1e-13)
    np.testing.assert_allclose(chunks[-1].state[1], cT, atol=1e-13)
    # the layer keeps only the last chunk's cache: memory per chunk, not per sequence
    assert layer._cache.X.shape[0] == 1


def test_keep_sequences_false_returns_only_gradients(rng):
    layer = make_layer("rnn", rng)
    X, dY = rng.standard_normal((T, N, D)), rng.standard_normal((T, N, H))
    res = truncated_bptt(layer, X, dY, 3, keep_sequences=False)
    assert res.Y is None and res.dX is None
    assert set(res.grads) == {"weight_ih", "weight_hh", "bias"}


@pytest.mark.parametrize("k", [0, -2, 2.5, True, "4", None])
def test_bad_k_raises_value_error(k, rng):
    layer = make_layer("standard", rng)
    X, dY = rng.standard_normal((T, N, D)), rng.standard_normal((T, N, H))
    with pytest.raises(ValueError, match="k"):
        truncated_bptt(layer, X, dY, k)
    with pytest.raises(ValueError, match="k"):
        next(iter_chunks(layer, X, k))


def test_wrong_dY_shape_raises_value_error(rng):
    layer = make_layer("standard", rng)
    X = rng.standard_normal((T, N, D))
    with pytest.raises(ValueError, match="dY"):
        truncated_bptt(layer, X, np.zeros((T - 1, N, H)), 3)


def test_empty_sequence_gives_zero_gradients(rng):
    layer = make_layer("standard", rng)
    res = truncated_bptt(layer, np.zeros((0, N, D)), np.zeros((0, N, H)), 3)
    assert res.Y.shape == (0, N, H)
    assert all(np.all(g == 0) for g in res.grads.values())


def test_nan_in_a_long_input_is_located_by_time_step_and_batch_index():
    layer = LSTM(2, 3, rng=np.random.default_rng(0))
    X = np.zeros((50, 2, 2))
    X[37, 1, 0] = np.nan
    with pytest.raises(ValueError, match="t=37, n=1, d=0"):
        truncated_bptt(layer, X, np.zeros((50, 2, 3)), k=10)
