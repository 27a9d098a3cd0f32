"""The LSTM variants of Greff et al. 2017: gradients, parameter layouts, and that each
variant is the vanilla (peephole) cell with exactly one feature removed."""
import numpy as np
import pytest

from helpers import randomize
from lstm import FGRLSTM, LSTM, cell_forward, check_layer_gradients
from lstm.variants import variant_cell_forward
from lstm.cells import CELL_KINDS, get_cell_kind

VARIANTS = ["nig", "nfg", "nog", "niaf", "noaf", "cifg", "fgr"]
SURE = 50.0  # sigmoid(50) == 1.0 exactly in float64: a gate held open


def make(cell, D, H, rng):
    layer = (FGRLSTM if cell == "fgr" else LSTM)(D, H, cell=cell, rng=rng)
    return randomize(layer, rng)


@pytest.mark.parametrize("cell", VARIANTS + ["standard", "1997", "peephole"])
@pytest.mark.parametrize("T, N", [(1, 1), (1, 3), (5, 2)])
def test_variant_backward_matches_finite_differences(cell, T, N, rng):
    D, H = 3, 4
    layer = make(cell, D, H, rng)
    X = rng.standard_normal((T, N, D))
    errors = check_layer_gradients(layer, X, rng=rng)  # from a random state (h, c; fgr: its gates too)
    assert set(errors) == set(layer.params) | {"X"} | {f"{s}0" for s in layer.state_names}
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("cell, gate_rows, peepholes", [
    ("nig", 3, {"weight_cf", "weight_co"}), ("nfg", 3, {"weight_ci", "weight_co"}),
    ("nog", 3, {"weight_ci", "weight_cf"}), ("cifg", 3, {"weight_ci", "weight_co"}),
    ("niaf", 4, {"weight_ci", "weight_cf", "weight_co"}), ("noaf", 4, {"weight_ci", "weight_cf", "weight_co"}),
    ("fgr", 4, {"weight_ci", "weight_cf", "weight_co"}),
])
def test_each_variant_holds_only_the_parameters_it_uses(cell, gate_rows, peepholes, rng):
    D, H = 3, 5
    layer = make(cell, D, H, rng)
    assert layer.params["weight_ih"].shape == (gate_rows * H, D)
    assert layer.params["weight_hh"].shape == (gate_rows * H, H)
    assert {k for k in layer.params if k.startswith("weight_c")} == peepholes
    assert ("weight_gates" in layer.params) == (cell == "fgr")
    assert layer.num_parameters == get_cell_kind(cell).num_parameters(D, H)


def _vanilla_with_gate_held_open(variant, gate, rng):
    """A peephole (vanilla) LSTM with `gate` forced to 1 and the variant's other weights."""
    D, H = 3, 4
    small = make(variant, D, H, rng)
    big = LSTM(D, H, cell="peephole", rng=rng)
    ks, kb = get_cell_kind(variant), get_cell_kind("peephole")
    for name in ("weight_ih", "weight_hh", "bias"):
        for k, x in enumerate(kb.gates):
            rows = slice(k * H, (k + 1) * H)
            if x == gate:
                big.params[name][rows] = SURE if name == "bias" else 0.0
            else:
                j = ks.gates.index(x)
                big.params[name][rows] = small.params[name][j * H:(j + 1) * H]
    for name in kb.peephole_names:
        big.params[name][:] = small.params[name] if name in small.params else 0.0
    return small, big


@pytest.mark.parametrize("variant, gate", [("nig", "i"), ("nfg", "f"), ("nog", "o")])
def test_dropping_a_gate_is_the_vanilla_cell_with_that_gate_held_open(variant, gate, rng):
    small, big = _vanilla_with_gate_held_open(variant, gate, rng)
    X = rng.standard_normal((6, 2, 3))
    state = (rng.standard_normal((2, 4)), rng.standard_normal((2, 4)))
    Y_small, (h_small, c_small) = small.forward(X, state)
    Y_big, (h_big, c_big) = big.forward(X, state)
    np.testing.assert_allclose(Y_small, Y_big, rtol=0, atol=1e-14)
    np.testing.assert_allclose(c_small, c_big, rtol=0, atol=1e-14)


def _cell(kind, rng, N=3, H=4):
    k = get_cell_kind(kind)
    a = rng.standard_normal((N, len(k.gates) * H))
    c_prev = rng.standard_normal((N, H))
    peep = {name: rng.standard_normal(H) for name in k.peephole_names}
    h, c, cache = variant_cell_forward(a, c_prev, k, peep)
    return a, c_prev, peep, h, c, cache


def test_cifg_forgets_exactly_what_it_writes(rng):
    a, c_prev, peep, h, c, cache = _cell("cifg", rng)
    np.testing.assert_array_equal(cache.f, 1.0 - cache.i)
    np.testing.assert_allclose(c, (1.0 - cache.i) * c_prev + cache.i * cache.g, rtol=0, atol=1e-15)


def test_niaf_writes_the_raw_candidate(rng):
    a, c_prev, peep, h, c, cache = _cell("niaf", rng)
    np.testing.assert_array_equal(cache.g, a[:, 8:12])  # gates i, f, g, o: g is the third block


def test_noaf_outputs_the_unsquashed_cell_state(rng):
    a, c_prev, peep, h, c, cache = _cell("noaf", rng)
    np.testing.assert_array_equal(h, cache.o * c)
    a = a * 0 + 5.0  # with big, unsquashed cell states h leaves [-1, 1], unlike tanh(c)
    h, c, cache = variant_cell_forward(a, c_prev * 0 + 5.0, "noaf", peep)
    assert np.max(np.abs(h)) > 1.0


def test_fgr_without_gate_recurrence_is_the_vanilla_cell(rng):
    fgr = make("fgr", 3, 4, rng)
    fgr.params["weight_gates"][:] = 0.0
    vanilla = LSTM(3, 4, cell="peephole", rng=rng)
    vanilla.params = {k: v.copy() for k, v in fgr.params.items() if k != "weight_gates"}
    X = rng.standard_normal((5, 2, 3))
    np.testing.assert_allclose(fgr.forward(X)[0], vanilla.forward(X)[0], rtol=0, atol=1e-15)
    fgr.params["weight_gates"][:] = rng.normal(0, 0.5, (12, 12))
    assert np.max(np.abs(fgr.forward(X)[0] - vanilla.forward(X)[0])) > 1e-3


@pytest.mark.parametrize("cell", ["nig", "cifg", "fgr"])
def test_the_reference_cell_names_the_general_module_for_a_variant(cell, rng):
    a, c_prev = rng.standard_normal((2, 12)), rng.standard_normal((2, 4))
    with pytest.raises(ValueError, match="lstm.variants"):
        cell_forward(a, c_prev, cell, {})


def test_plain_lstm_refuses_the_fgr_cell_at_construction(rng):
    with pytest.raises(ValueError, match="use lstm.FGRLSTM"):
        LSTM(3, 4, cell="fgr", rng=rng)


def test_fgrlstm_refuses_other_cells(rng):
    with pytest.raises(ValueError, match="fgr"):
        FGRLSTM(3, 4, cell="peephole", rng=rng)


def test_coupled_cell_has_no_forget_bias_to_set(rng):
    with pytest.raises(ValueError, match="forget gate"):
        LSTM(3, 4, cell="cifg", rng=rng, forget_bias=1.0)


def test_every_cell_kind_documents_its_equations():
    for kind in CELL_KINDS.values():
        assert "c_t" in kind.equations and "h_t" in kind.equations, kind.name


@pytest.mark.parametrize("cell", ["peephole", "standard", "cifg", "nig", "fgr", "gru"])
def test_keep_bias_starts_the_memory_near_keep(cell, rng):
    from lstm.experiments.chapters.ch07_family import make_recurrent
    from lstm.layers import set_keep_bias
    layer = make_recurrent(cell, 2, 3, rng=rng, keep_bias=30.0)
    layer.params["weight_ih"][:] = 0.0
    layer.params["weight_hh"][:] = 0.0
    for name in layer.params:
        if name.startswith("weight_c"):
            layer.params[name][:] = 0.0
    X = rng.standard_normal((4, 2, 2))
    if cell == "gru":
        h0 = rng.standard_normal((2, 3))
        np.testing.assert_allclose(layer.forward(X, h0)[1], h0, atol=1e-12)
    else:  # with no weights the gates ignore c, so c0 survives iff cT(c0) - cT(0) = c0
        c0 = rng.standard_normal((2, 3))
        h0 = np.zeros((2, 3))
        rest = (None,) * (len(layer.state_names) - 2)  # fgr also carries its gates (zeros)
        survived = layer.forward(X, (h0, c0, *rest))[1][1] - layer.forward(X, (h0, np.zeros((2, 3)), *rest))[1][1]
        np.testing.assert_allclose(survived, c0, atol=1e-12)
    set_keep_bias(layer, -30.0)  # and the opposite setting forgets
    if cell == "gru":
        assert np.max(np.abs(layer.forward(X, h0)[1] - h0)) > 1e-3
    else:
        survived = layer.forward(X, (h0, c0, *rest))[1][1] - layer.forward(X, (h0, np.zeros((2, 3)), *rest))[1][1]
        np.testing.assert_allclose(survived, 0.0, atol=1e-12)


def test_make_recurrent_picks_the_layer_each_member_needs(rng):
    from lstm import GRU, FGRLSTM, LSTM
    from lstm.experiments.chapters.ch07_family import FAMILY, make_recurrent
    classes = {cell: type(make_recurrent(cell, 2, 3, rng=rng)) for cell in FAMILY}
    assert classes["gru"] is GRU and classes["fgr"] is FGRLSTM
    assert all(c is LSTM for cell, c in classes.items() if cell not in ("gru", "fgr"))
