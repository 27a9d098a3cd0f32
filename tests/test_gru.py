"""The GRU layer: finite-difference gradients, and parity with torch.nn.GRU in float64.

Parity is checked against a live torch run (skipped where torch is not installed) and
against the committed fixture recorded from torch, which always runs.
"""
import numpy as np
import pytest

from helpers import randomize
from lstm import GRU, check_layer_gradients
from helpers.torch_gru_reference import CASES, FIXTURE, torch_gru_record

TOL = 1e-10


def fixture_record(name):
    with np.load(FIXTURE, allow_pickle=False) as data:
        return {k.split("/", 1)[1]: data[k] for k in data.files if k.startswith(name + "/")}


def max_parity_error(rec, name):
    """Largest absolute difference from torch over outputs, final state and every gradient."""
    T, N, D, H = CASES[name]
    net = GRU(D, H, rng=np.random.default_rng(0))
    net.load_torch_state_dict({k: rec[k] for k in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")})
    Y, hT = net.forward(rec["X"], rec["h0"])
    dX, dh0 = net.backward(rec["dY"], rec["dhT"])
    # torch's four tensors from ours: bias_ih acts like our bias; bias_hh's r, z rows too,
    # and its n row is our bias_hn.
    g = net.grads
    ours = {"Y": Y, "hT": hT, "dX": dX, "dh0": dh0, "grad_weight_ih_l0": g["weight_ih"],
            "grad_weight_hh_l0": g["weight_hh"], "grad_bias_ih_l0": g["bias"],
            "grad_bias_hh_l0": np.concatenate([g["bias"][:2 * H], g["bias_hn"]])}
    errors = {}
    for key, value in ours.items():
        assert value.shape == rec[key].shape, key
        errors[key] = float(np.max(np.abs(value - rec[key])))
    return errors


@pytest.mark.parametrize("name", sorted(CASES))
def test_gru_matches_committed_torch_fixture(name):
    errors = max_parity_error(fixture_record(name), name)
    assert max(errors.values()) < TOL, errors


@pytest.mark.parametrize("name", sorted(CASES))
def test_gru_matches_live_torch(name):
    pytest.importorskip("torch")
    errors = max_parity_error(torch_gru_record(name), name)
    assert max(errors.values()) < TOL, errors


def test_fixture_has_distinct_nonzero_biases_so_b_hn_matters():
    rec = fixture_record("gru")
    H = CASES["gru"][3]
    assert np.all(rec["bias_hh_l0"][2 * H:] != 0)
    assert not np.allclose(rec["bias_ih_l0"], rec["bias_hh_l0"])


@pytest.mark.parametrize("T, N", [(1, 1), (1, 3), (4, 1), (6, 2)])
def test_gru_backward_matches_finite_differences(T, N, rng):
    net = randomize(GRU(3, 4, rng=rng), rng)
    X = rng.standard_normal((T, N, 3))
    errors = check_layer_gradients(net, X, rng.standard_normal((N, 4)), rng=rng)
    assert set(errors) == {"weight_ih", "weight_hh", "bias", "bias_hn", "X", "h0"}
    assert max(errors.values()) < 1e-7, errors


def test_b_hn_is_scaled_by_the_reset_gate(rng):
    """Moving b_hn into the input bias of n changes the output unless r = 1."""
    net = randomize(GRU(2, 3, rng=rng), rng)
    X = rng.standard_normal((5, 2, 2))
    Y, _ = net.forward(X)
    merged = GRU(2, 3, rng=rng)
    merged.params = {k: v.copy() for k, v in net.params.items()}
    merged.params["bias"][6:] += merged.params["bias_hn"]
    merged.params["bias_hn"][:] = 0
    assert np.max(np.abs(merged.forward(X)[0] - Y)) > 1e-3


def test_state_dict_round_trips_and_keeps_the_network(rng):
    net = randomize(GRU(3, 4, rng=rng), rng)
    sd = net.torch_state_dict()
    assert sd["weight_ih_l0"].shape == (12, 3) and sd["bias_hh_l0"].shape == (12,)
    other = GRU(3, 4, rng=np.random.default_rng(7))
    other.load_torch_state_dict(sd)
    X = rng.standard_normal((4, 2, 3))
    np.testing.assert_allclose(other.forward(X)[0], net.forward(X)[0], rtol=0, atol=1e-14)


def test_exported_state_dict_loads_into_torch(rng):
    torch = pytest.importorskip("torch")
    net = randomize(GRU(3, 4, rng=rng), rng)
    tnet = torch.nn.GRU(3, 4).double()
    tnet.load_state_dict({k: torch.from_numpy(v) for k, v in net.torch_state_dict().items()})
    X = rng.standard_normal((5, 2, 3))
    np.testing.assert_allclose(net.forward(X)[0], tnet(torch.from_numpy(X))[0].detach().numpy(), atol=TOL)


def test_update_gate_at_one_keeps_the_state(rng):
    """z = 1 copies h_{t-1} unchanged: the GRU's carousel."""
    net = GRU(2, 3, rng=rng)
    net.params["bias"][3:6] = 50.0  # z = sigmoid(50) = 1 to double precision
    net.params["weight_ih"][3:6] = 0.0
    net.params["weight_hh"][3:6] = 0.0
    h0 = rng.standard_normal((2, 3))
    _, hT = net.forward(rng.standard_normal((10, 2, 2)), h0)
    np.testing.assert_allclose(hT, h0, atol=1e-15)


def test_zero_length_sequence_returns_h0(rng):
    net = GRU(2, 3, rng=rng)
    h0 = rng.standard_normal((4, 3))
    Y, hT = net.forward(np.zeros((0, 4, 2)), h0)
    assert Y.shape == (0, 4, 3)
    np.testing.assert_array_equal(hT, h0)
    dX, dh0 = net.backward(np.zeros((0, 4, 3)), np.ones((4, 3)))
    assert dX.shape == (0, 4, 2)
    np.testing.assert_array_equal(dh0, np.ones((4, 3)))


def test_bad_inputs_are_refused_with_the_argument_named(rng):
    net = GRU(2, 3, rng=rng)
    with pytest.raises(ValueError, match="X"):
        net.forward(np.zeros((4, 2, 5)))
    with pytest.raises(ValueError, match="h0"):
        net.forward(np.zeros((4, 2, 2)), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="bias_hh_l0"):
        net.load_torch_state_dict({"weight_ih_l0": np.zeros((9, 2))})
