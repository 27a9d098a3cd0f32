"""Our LSTM and RNN against torch.nn.LSTM and torch.nn.RNN in float64.

Each case is checked twice: against a live torch run (skipped where torch is not
installed) and against the committed fixture recorded from torch, which always runs.
"""
from pathlib import Path

import numpy as np
import pytest

from lstm import LSTM, RNN
from helpers.torch_reference import CASES, torch_record

TOL = 1e-10
FIXTURE = Path(__file__).parent / "fixtures" / "torch_reference.npz"


def fixture_record(name):
    with np.load(FIXTURE, allow_pickle=False) as data:
        return {k.split("/", 1)[1]: data[k] for k in data.files if k.startswith(name + "/")}


def live_record(name):
    pytest.importorskip("torch")
    return torch_record(name)


def assert_close(ours, theirs, what):
    assert ours.shape == theirs.shape, what
    err = np.max(np.abs(ours - theirs)) if ours.size else 0.0
    assert err < TOL, f"{what}: max abs difference {err:.3g}"


def check_against(rec, name):
    module, nonlinearity, T, N, D, H = CASES[name]
    sd = {k: rec[k] for k in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")}
    if module == "LSTM":
        net = LSTM(D, H, rng=np.random.default_rng(0))
        net.load_torch_state_dict(sd)
        Y, (hT, cT) = net.forward(rec["X"], (rec["h0"], rec["c0"]))
        dX, (dh0, dc0) = net.backward(rec["dY"], (rec["dhT"], rec["dcT"]))
        assert_close(cT, rec["cT"], "cT")
        assert_close(dc0, rec["dc0"], "dc0")
    else:
        net = RNN(D, H, nonlinearity=nonlinearity, rng=np.random.default_rng(0))
        net.load_torch_state_dict(sd)
        Y, hT = net.forward(rec["X"], rec["h0"])
        dX, dh0 = net.backward(rec["dY"], rec["dhT"])
    assert_close(Y, rec["Y"], "Y")
    assert_close(hT, rec["hT"], "hT")
    assert_close(dX, rec["dX"], "dX")
    assert_close(dh0, rec["dh0"], "dh0")
    assert_close(net.grads["weight_ih"], rec["grad_weight_ih_l0"], "weight_ih grad")
    assert_close(net.grads["weight_hh"], rec["grad_weight_hh_l0"], "weight_hh grad")
    # Torch's two biases act only through their sum, so each gets our bias gradient.
    assert_close(net.grads["bias"], rec["grad_bias_ih_l0"], "bias_ih grad")
    assert_close(net.grads["bias"], rec["grad_bias_hh_l0"], "bias_hh grad")


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_committed_torch_fixture(name):
    check_against(fixture_record(name), name)


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_live_torch(name):
    check_against(live_record(name), name)


def test_fixture_biases_are_nonzero_and_distinct():
    rec = fixture_record("lstm")
    assert np.all(rec["bias_ih_l0"] != 0) and np.all(rec["bias_hh_l0"] != 0)
    assert not np.allclose(rec["bias_ih_l0"], rec["bias_hh_l0"])
    assert np.all(rec["h0"] != 0) and np.all(rec["c0"] != 0)


def test_export_round_trips_through_torch_layout(rng):
    net = LSTM(3, 4, rng=rng)
    sd = net.torch_state_dict()
    assert sd["weight_ih_l0"].shape == (16, 3) and sd["bias_hh_l0"].shape == (16,)
    other = LSTM(3, 4, rng=np.random.default_rng(99))
    other.load_torch_state_dict(sd)
    for k in net.params:
        np.testing.assert_array_equal(other.params[k], net.params[k])


def test_exported_state_dict_loads_into_torch(rng):
    torch = pytest.importorskip("torch")
    net = LSTM(3, 4, rng=rng)
    tnet = torch.nn.LSTM(3, 4).double()
    tnet.load_state_dict({k: torch.from_numpy(v) for k, v in net.torch_state_dict().items()})
    X = rng.standard_normal((5, 2, 3))
    np.testing.assert_allclose(net.forward(X)[0], tnet(torch.from_numpy(X))[0].detach().numpy(), atol=TOL)


def test_non_standard_cells_refuse_torch_state_dicts(rng):
    sd = LSTM(3, 4, rng=rng).torch_state_dict()
    for cell in ("1997", "peephole"):
        with pytest.raises(ValueError, match="standard"):
            LSTM(3, 4, cell=cell, rng=rng).load_torch_state_dict(sd)
