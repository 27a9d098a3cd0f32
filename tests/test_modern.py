"""Chapter 10's recurrences: the scan, minGRU/minLSTM, sLSTM/mLSTM and the selective SSM.

Every backward pass against centred finite differences in float64 (relative error
< 1e-7, random upstream gradients, every parameter, the inputs and initial states);
the parallel scan against the loop; minLSTM against a PyTorch autograd version.
"""
import numpy as np
import pytest

from helpers import randomize
from lstm import (MLSTM, SLSTM, MinGRU, MinLSTM, SelectiveSSM, SequenceModel, check_layer_gradients,
                  numerical_gradient, relative_error, scan, scan_backward, scan_loop, scan_parallel, ssm_step)
from lstm.tasks.parity import parity_batch

TOL = 1e-7


# --- the scan ---------------------------------------------------------------------------

@pytest.mark.parametrize("T", [1, 2, 3, 5, 8, 13, 64, 1000])
def test_parallel_scan_equals_loop(T, rng):
    a, b, h0 = rng.uniform(0, 1.2, (T, 3, 4)), rng.normal(size=(T, 3, 4)), rng.normal(size=(3, 4))
    np.testing.assert_allclose(scan_parallel(a, b, h0), scan_loop(a, b, h0), rtol=1e-12, atol=1e-12)


def test_scan_is_the_recurrence_written_out():
    a, b = np.array([0.5, 2.0, 0.1]), np.array([1.0, -1.0, 3.0])
    h1 = 0.5 * 4.0 + 1.0
    h2 = 2.0 * h1 - 1.0
    np.testing.assert_allclose(scan(a, b, np.array(4.0)), [h1, h2, 0.1 * h2 + 3.0])


def test_empty_sequence_scans_to_empty():
    assert scan(np.zeros((0, 2)), np.zeros((0, 2))).shape == (0, 2)


@pytest.mark.parametrize("parallel", [True, False])
def test_scan_backward_matches_finite_differences(parallel, rng):
    T = 9
    a, b, h0 = rng.uniform(0.2, 1.1, (T, 2, 3)), rng.normal(size=(T, 2, 3)), rng.normal(size=(2, 3))
    dh, dhT = rng.normal(size=(T, 2, 3)), rng.normal(size=(2, 3))

    def loss():
        h = scan(a, b, h0, parallel=parallel)
        return float(np.sum(h * dh) + np.sum(h[-1] * dhT))

    h = scan(a, b, h0, parallel=parallel)
    da, db, dh0 = scan_backward(dh, a, h, h0, dhT, parallel=parallel)
    for analytic, x in ((da, a), (db, b), (dh0, h0)):
        assert relative_error(analytic, numerical_gradient(loss, x)) < TOL


def test_scan_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="b must have shape"):
        scan(np.ones((4, 2)), np.ones((4, 3)))
    with pytest.raises(ValueError, match="h0 must have shape"):
        scan(np.ones((4, 2)), np.ones((4, 2)), np.ones(3))
    with pytest.raises(ValueError, match="NaN"):
        scan(np.array([1.0, np.nan]), np.ones(2))


# --- minGRU, minLSTM ----------------------------------------------------------------------

LAYERS = [MinGRU, MinLSTM]


@pytest.mark.parametrize("cls", LAYERS)
@pytest.mark.parametrize("parallel", [True, False])
def test_min_layer_gradients_match_finite_differences(cls, parallel, rng):
    layer = randomize(cls(3, 4, rng=rng), rng, scale=0.8)
    layer.parallel = parallel
    errors = check_layer_gradients(layer, rng.normal(size=(6, 2, 3)), rng.normal(size=(2, 4)), rng=rng)
    assert set(errors) == {"weight_ih", "bias", "X", "h0"}
    assert max(errors.values()) < TOL, errors


@pytest.mark.parametrize("cls", LAYERS)
def test_scan_and_loop_give_the_same_outputs_and_gradients(cls, rng):
    layer = randomize(cls(3, 5, rng=rng), rng)
    X, h0 = rng.normal(size=(50, 2, 3)), rng.normal(size=(2, 5))
    dY, dhT = rng.normal(size=(50, 2, 5)), rng.normal(size=(2, 5))
    results = []
    for parallel in (True, False):
        layer.parallel = parallel
        Y, hT = layer.forward(X, h0)
        dX, dh0 = layer.backward(dY, dhT)
        results.append([Y, hT, dX, dh0] + [layer.grads[k] for k in sorted(layer.params)])
    for p, q in zip(*results):
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-10)


@pytest.mark.parametrize("cls", LAYERS)
def test_min_layer_grads_have_the_params_keys_and_shapes(cls, rng):
    layer = cls(2, 3, rng=rng)
    layer.forward(rng.normal(size=(4, 1, 2)))
    layer.backward(np.ones((4, 1, 3)))
    assert {k: v.shape for k, v in layer.grads.items()} == {k: v.shape for k, v in layer.params.items()}


def test_minlstm_normalised_gates_make_h_an_average_of_h0_and_candidates(rng):
    """f' + i' = 1: h_t lies between the smallest and largest of h_0 and h~_1..h~_t."""
    layer = randomize(MinLSTM(2, 3, rng=rng), rng, scale=2.0)
    X, h0 = rng.normal(size=(30, 4, 2)), rng.normal(size=(4, 3))
    Y, _ = layer.forward(X, h0)
    gates = layer._cache.gates
    np.testing.assert_allclose(gates["i'"] + gates["f'"], 1.0)
    cands = np.concatenate([h0[None], gates["h~"]])
    lo, hi = np.minimum.accumulate(cands)[1:], np.maximum.accumulate(cands)[1:]
    assert np.all(Y >= lo - 1e-12) and np.all(Y <= hi + 1e-12)


def test_mingru_is_the_gru_interpolation(rng):
    layer = randomize(MinGRU(2, 3, rng=rng), rng)
    x, h0 = rng.normal(size=(1, 1, 2)), rng.normal(size=(1, 3))
    Y, _ = layer.forward(x, h0)
    a = x[0] @ layer.params["weight_ih"].T + layer.params["bias"]
    z, h_tilde = 1 / (1 + np.exp(-a[:, :3])), a[:, 3:]
    np.testing.assert_allclose(Y[0], (1 - z) * h0 + z * h_tilde)


@pytest.mark.parametrize("cls", LAYERS)
def test_min_layers_reject_bad_input_like_the_other_layers(cls, rng):
    layer = cls(3, 4, rng=rng)
    with pytest.raises(ValueError, match=r"X must have shape \(T, N, D=3\)"):
        layer.forward(np.ones((5, 2, 2)))
    with pytest.raises(ValueError, match="X contains NaN or infinity at t=1"):
        layer.forward(np.array([np.ones((1, 3)), [[np.nan, 0, 0]]]))
    with pytest.raises(TypeError, match="X must be a numeric array"):
        layer.forward([["a"]])
    with pytest.raises(ValueError, match=r"h0 must have shape \(N=2, H=4\)"):
        layer.forward(np.ones((5, 2, 3)), np.ones((3, 4)))
    with pytest.raises(ValueError, match="backward called before forward"):
        cls(3, 4, rng=rng).backward(np.ones((5, 2, 4)))
    layer.forward(np.ones((5, 2, 3)))
    with pytest.raises(ValueError, match=r"dY must have shape \(T=5, N=2, H=4\)"):
        layer.backward(np.ones((5, 2, 3)))
    layer.parallel = "yes"
    with pytest.raises(TypeError, match="parallel must be True or False"):
        layer.forward(np.ones((5, 2, 3)))
    layer.parallel = True
    with pytest.raises(ValueError, match="hidden_size must be a positive integer"):
        cls(3, 0)
    layer.params["bias"] = np.full_like(layer.params["bias"], np.inf)
    with pytest.raises(ValueError, match=r"params\['bias'\] contains NaN"):
        layer.forward(np.ones((5, 2, 3)))


@pytest.mark.parametrize("cls", LAYERS)
def test_min_layers_train_inside_a_sequence_model(cls, rng):
    model = SequenceModel(cls(2, 4, rng=rng), 1, rng=rng)
    out = model.forward(rng.normal(size=(7, 3, 2)))
    assert out.shape == (7, 3, 1)
    dX = model.backward(np.ones_like(out))
    assert dX.shape == (7, 3, 2) and set(model.recurrent.grads) == {"weight_ih", "bias"}


def test_minlstm_matches_pytorch_autograd(rng):
    torch = pytest.importorskip("torch")
    layer = randomize(MinLSTM(3, 4, rng=rng), rng)
    X, h0, dY = rng.normal(size=(8, 2, 3)), rng.normal(size=(2, 4)), rng.normal(size=(8, 2, 4))
    Y, _ = layer.forward(X, h0)
    dX, dh0 = layer.backward(dY)
    W = torch.tensor(layer.params["weight_ih"], requires_grad=True)
    b = torch.tensor(layer.params["bias"], requires_grad=True)
    Xt, h = torch.tensor(X, requires_grad=True), torch.tensor(h0, requires_grad=True)
    h_init, outs = h, []
    for t in range(8):
        i, f, ht = (Xt[t] @ W.T + b).split(4, dim=-1)
        i, f = torch.sigmoid(i), torch.sigmoid(f)
        h = f / (f + i) * h + i / (f + i) * ht
        outs.append(h)
    Yt = torch.stack(outs)
    (Yt * torch.tensor(dY)).sum().backward()
    np.testing.assert_allclose(Y, Yt.detach().numpy(), atol=1e-12)
    for ours, theirs in ((dX, Xt.grad), (dh0, h_init.grad), (layer.grads["weight_ih"], W.grad),
                         (layer.grads["bias"], b.grad)):
        np.testing.assert_allclose(ours, theirs.numpy(), atol=1e-12)


# --- xLSTM ------------------------------------------------------------------------------------

@pytest.mark.parametrize("cls", [SLSTM, MLSTM])
@pytest.mark.parametrize("from_zeros", [True, False])
def test_xlstm_gradients_match_finite_differences(cls, from_zeros, rng):
    """From the zero state (as the paper's layers start) and from a random one, whose
    gradients (h, c', n', m for the sLSTM; C', n', m for the mLSTM) are checked too."""
    layer = randomize(cls(3, 4, rng=rng), rng, scale=1.0)
    state = tuple(np.zeros(s) for s in layer.state_shapes(2).values()) if from_zeros else None
    errors = check_layer_gradients(layer, rng.normal(size=(7, 2, 3)), state, rng=rng)
    if from_zeros:  # nothing stored for m to scale: dL/dm_0 is often exactly 0, and 0 vs 1e-17 is no test
        errors.pop("m0")
    assert max(errors.values()) < TOL, errors


def test_slstm_gradient_is_exact_when_the_stabiliser_is_active(rng):
    """Large input-gate pre-activations: m_t > 0 at most steps, and still the gradient
    matches finite differences."""
    layer = randomize(SLSTM(2, 3, rng=rng), rng, scale=1.0)
    layer.params["bias"][layer.gate_rows["i"]] = 8.0  # exp(a_i) ~ 3000
    X = rng.normal(size=(6, 2, 2))
    zeros = tuple(np.zeros(s) for s in layer.state_shapes(2).values())
    errors = {k: v for k, v in check_layer_gradients(layer, X, zeros, rng=rng).items() if k in layer.params}
    layer.forward(X)
    assert np.mean(layer.m > 1) > 0.5
    assert max(errors.values()) < TOL, errors


def test_slstm_stabiliser_leaves_the_output_unchanged(rng):
    """h = o c / n computed without the stabiliser (exp(a_i) directly) equals the layer's."""
    layer = randomize(SLSTM(2, 3, rng=rng), rng)
    X = rng.normal(size=(5, 1, 2))
    Y, _ = layer.forward(X)
    p, H = layer.params, 3
    h, c, n = np.zeros((1, H)), np.zeros((1, H)), np.zeros((1, H))
    for t in range(5):
        a = X[t] @ p["weight_ih"].T + h @ p["weight_hh"].T + p["bias"]
        i, f = np.exp(a[:, :H]), 1 / (1 + np.exp(-a[:, H:2 * H]))
        c = f * c + i * np.tanh(a[:, 2 * H:3 * H])
        n = f * n + i
        h = 1 / (1 + np.exp(-a[:, 3 * H:])) * c / n
        np.testing.assert_allclose(Y[t], h, rtol=1e-12)


def test_slstm_survives_input_gates_that_would_overflow_exp(rng):
    layer = SLSTM(1, 2, rng=rng)
    layer.params["bias"][:2] = 800.0  # exp(800) = inf in float64
    Y, _ = layer.forward(rng.normal(size=(4, 1, 1)))
    assert np.all(np.isfinite(Y))


def test_mlstm_recalls_a_stored_value_with_its_key():
    """Two orthogonal keys of size 4: reading with k_1 returns v_1 (i = f = o = 1 in effect)."""
    from lstm import mlstm_forward
    d = 4
    k = np.array([[[2.0, 0, 0, 0]], [[0, 2.0, 0, 0]]])  # (T=2, N=1, d)
    v = np.array([[[1.0, -1, 0, 3]], [[5.0, 5, 5, 5]]])
    q = np.array([[[0.0] * d], [[2.0, 0, 0, 0]]])
    s = mlstm_forward(q, k, v, i_pre=np.zeros((2, 1)), f_pre=np.full((2, 1), 40.0), o=np.ones((2, 1, d)))
    # C q = v_1 (k_1 . q) + v_2 (k_2 . q) = 4 v_1, and n . q = (k_1 + k_2) . q = 4
    np.testing.assert_allclose(s.h[1, 0], v[0, 0], rtol=1e-12)


# --- the selective SSM -----------------------------------------------------------------------

def test_ssm_gradients_match_finite_differences(rng):
    layer = SelectiveSSM(3, 4, rng=rng)
    randomize(layer, rng, scale=0.7)
    X, h0 = rng.normal(size=(6, 2, 3)), rng.normal(size=(2, 3, 4))
    Y, hT = layer.forward(X, h0)
    dY, dhT = rng.normal(size=Y.shape), rng.normal(size=hT.shape)
    dX, dh0 = layer.backward(dY, dhT)

    def loss():
        Y, hT = layer.forward(X, h0)
        return float(np.sum(Y * dY) + np.sum(hT * dhT))

    errors = {k: relative_error(layer.grads[k], numerical_gradient(loss, layer.params[k])) for k in layer.params}
    errors["X"] = relative_error(dX, numerical_gradient(loss, X))
    errors["h0"] = relative_error(dh0, numerical_gradient(loss, h0))
    assert max(errors.values()) < TOL, errors


def test_ssm_layer_is_its_step_repeated_in_both_modes(rng):
    layer = randomize(SelectiveSSM(2, 3, rng=rng), rng)
    X = rng.normal(size=(10, 2, 2))
    Y, _ = layer.forward(X)
    layer.parallel = False
    Y_loop, _ = layer.forward(X)
    h = np.zeros((2, 2, 3))
    for t in range(10):
        step = ssm_step(X[t], h, layer.params)
        h = step.h
        np.testing.assert_allclose(Y[t], step.y, atol=1e-12)
    np.testing.assert_allclose(Y, Y_loop, atol=1e-12)


def test_ssm_forget_gate_is_exp_delta_a_and_in_zero_one(rng):
    layer = SelectiveSSM(2, 3, rng=rng)
    step = ssm_step(rng.normal(size=(4, 2)), np.zeros((4, 2, 3)), layer.params)
    A = -np.exp(layer.params["A_log"])
    np.testing.assert_allclose(step.A_bar, np.exp(step.delta[..., None] * A))
    assert np.all((step.A_bar > 0) & (step.A_bar < 1))


def test_xlstm_and_ssm_reject_bad_input(rng):
    for layer in (SLSTM(3, 4, rng=rng), MLSTM(3, 4, rng=rng)):
        with pytest.raises(ValueError, match=r"X must have shape \(T, N, D=3\)"):
            layer.forward(np.ones((5, 2, 2)))
        with pytest.raises(ValueError, match="backward called before forward"):
            layer.backward(np.ones((5, 2, 4)))
        layer.forward(np.ones((5, 2, 3)))
        with pytest.raises(ValueError, match=r"dY must have shape \(T=5, N=2, H=4\)"):
            layer.backward(np.ones((5, 2, 3)))
    ssm = SelectiveSSM(3, 2, rng=rng)
    with pytest.raises(ValueError, match=r"h0 must have shape \(N=1, D=3, S=2\)"):
        ssm.forward(np.ones((4, 1, 3)), np.ones((1, 3, 3)))
    ssm.forward(np.ones((4, 1, 3)))
    with pytest.raises(ValueError, match=r"dY must have shape \(T=4, N=1, D=3\)"):
        ssm.backward(np.ones((4, 1, 2)))
    ssm.params["A_log"][0, 0] = np.nan
    with pytest.raises(ValueError, match=r"params\['A_log'\] contains NaN"):
        ssm.forward(np.ones((4, 1, 3)))
    with pytest.raises(ValueError, match=r"dhT must have shape \(N=1, D=3, S=2\)"):
        ssm.backward(np.ones((4, 1, 3)), np.ones((1, 3)))
    for make, name in ((lambda: SLSTM(3, 0), "hidden_size"), (lambda: MLSTM(0, 4), "input_size"),
                       (lambda: SelectiveSSM(0, 2), "input_size"), (lambda: SelectiveSSM(3, 1.5), "hidden_size")):
        with pytest.raises((TypeError, ValueError), match=f"{name} must be a positive integer"):
            make()


# --- the task minLSTM cannot do ------------------------------------------------------------------

def test_parity_targets_flip_on_every_one():
    b = parity_batch(np.random.default_rng(0), 3, 12)
    bits = b.X[..., 1]
    np.testing.assert_array_equal(b.targets[..., 0], np.cumsum(bits, axis=0) % 2)


def test_minlstm_readout_of_a_run_of_ones_changes_sign_at_most_H_times(rng):
    """With input fixed, each unit of minLSTM moves monotonically towards a fixed point, so
    any linear readout along 1, 1, 1, ... is a constant plus H exponentials: it changes
    sign at most H times, and running parity needs a sign change at every step."""
    H = 3
    for _ in range(20):
        layer = randomize(MinLSTM(2, H, rng=rng), rng, scale=3.0)
        Y, _ = layer.forward(np.tile([0.0, 1.0], (40, 1, 1)), rng.normal(size=(1, H)))
        r = Y[:, 0] @ rng.normal(size=H) + rng.normal()
        assert np.sum(np.diff(np.sign(r)) != 0) <= H
