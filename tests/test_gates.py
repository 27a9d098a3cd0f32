"""lstm.gates: every gate and state of a layer by name, and setting one gate's rows by hand."""
import numpy as np
import pytest

from lstm import FGRLSTM, GRU, LSTM, RNN, step_forward
from lstm.cells import CELL_KINDS
from lstm.gates import set_gate, trace


@pytest.mark.parametrize("fused", [True, False])
@pytest.mark.parametrize("cell", ["standard", "1997", "peephole"])
def test_trace_gives_the_gates_the_step_function_computes(cell, fused, rng):
    layer = LSTM(3, 4, cell=cell, rng=rng)
    layer.fused = fused and cell != "peephole"
    X = rng.standard_normal((5, 2, 3))
    out = trace(layer, X)
    assert set(out) == set(layer.kind.gates) | {"c", "h"}
    h = c = np.zeros((2, 4))
    for t in range(5):
        h, c, step = step_forward(X[t], h, c, layer.params, cell)
        for name in layer.kind.gates:
            np.testing.assert_allclose(out[name][t], getattr(step.cell, name), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(out["c"][t], c, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(out["h"][t], h, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("cell", sorted(CELL_KINDS))
def test_trace_names_exactly_the_gates_each_cell_has(cell, rng):
    kind = CELL_KINDS[cell]
    layer = (FGRLSTM if kind.gate_recurrence else LSTM)(2, 3, cell=cell, rng=rng)
    state = (np.ones((2, 3)), np.ones((2, 3))) + (None,) * (len(layer.state_names) - 2)  # fgr: gates too
    out = trace(layer, rng.standard_normal((4, 2, 2)), state)
    expected = set(kind.gates) | ({"f"} if kind.coupled else set()) | {"c", "h"}
    assert set(out) == expected
    assert all(v.shape == (4, 2, 3) for v in out.values())
    if kind.coupled:
        np.testing.assert_array_equal(out["f"], 1.0 - out["i"])


def test_trace_of_a_gru_and_an_rnn(rng):
    gru = GRU(2, 3, rng=rng)
    X = rng.standard_normal((4, 1, 2))
    out = trace(gru, X)
    assert set(out) == {"r", "z", "n", "h"}
    h_prev = np.concatenate([np.zeros((1, 1, 3)), out["h"][:-1]])
    np.testing.assert_allclose(out["h"], (1 - out["z"]) * out["n"] + out["z"] * h_prev, rtol=1e-12, atol=1e-15)
    assert set(trace(RNN(2, 3, rng=rng), X)) == {"h"}


def test_trace_of_an_empty_sequence_is_empty(rng):
    out = trace(LSTM(2, 3, rng=rng), np.zeros((0, 2, 2)))
    assert all(v.shape == (0, 2, 3) for v in out.values())


def test_trace_refuses_what_is_not_a_recurrent_layer():
    with pytest.raises(TypeError, match="LSTM, GRU or RNN"):
        trace(object(), np.zeros((1, 1, 1)))


def test_set_gate_writes_only_that_gates_rows(rng):
    layer = LSTM(2, 3, rng=rng)
    before = {k: v.copy() for k, v in layer.params.items()}
    W = rng.standard_normal((3, 2))
    assert set_gate(layer, "f", W_ih=W, W_hh=0.0, b=2.5) is layer
    rows = slice(3, 6)  # i, f, g, o: f is the second block
    np.testing.assert_array_equal(layer.params["weight_ih"][rows], W)
    np.testing.assert_array_equal(layer.params["weight_hh"][rows], 0.0)
    np.testing.assert_array_equal(layer.params["bias"][rows], 2.5)
    for key in ("weight_ih", "weight_hh", "bias"):
        keep = np.ones(len(before[key]), bool)
        keep[rows] = False
        np.testing.assert_array_equal(layer.params[key][keep], before[key][keep])


def test_set_gate_finds_the_rows_of_a_cell_with_fewer_gates(rng):
    layer = LSTM(2, 3, cell="1997", rng=rng)  # gates i, g, o
    set_gate(layer, "o", b=-1.0)
    np.testing.assert_array_equal(layer.params["bias"][6:9], -1.0)
    with pytest.raises(ValueError, match="no gate 'f'"):
        set_gate(layer, "f", b=1.0)


def test_set_gate_on_a_gru_sets_the_update_gate(rng):
    gru = GRU(2, 3, rng=rng)
    set_gate(gru, "z", b=4.0)
    np.testing.assert_array_equal(gru.params["bias"][3:6], 4.0)


@pytest.mark.parametrize("kwargs, match", [
    (dict(W_ih=np.zeros((2, 2))), "shape"),
    (dict(b=np.nan), "finite"),
])
def test_set_gate_refuses_bad_values(kwargs, match, rng):
    with pytest.raises(ValueError, match=match):
        set_gate(LSTM(2, 3, rng=rng), "i", **kwargs)


def test_set_gate_refuses_a_layer_without_gates(rng):
    with pytest.raises(TypeError, match="with gates"):
        set_gate(RNN(2, 3, rng=rng), "i", b=0.0)
