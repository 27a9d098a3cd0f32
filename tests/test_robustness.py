"""Whatever a reader types into a notebook cell gets a clear error or a correct result.

The table below extends the one in test_validation.py: each row is a call a reader
might make, the exception it must raise and a fragment of the message, which names
the argument, what was expected and what was given.
"""
import numpy as np
import pytest

from helpers import randomize
from lstm import (LSTM, RNN, SGD, Adam, Linear, SequenceModel, clip_grad_norm, mse_loss,
                  sigmoid_cross_entropy, softmax_cross_entropy)

D, H, N, T = 3, 4, 2, 5


def lstm(cell="standard", dtype=np.float64):
    return LSTM(D, H, cell=cell, rng=np.random.default_rng(0), dtype=dtype)


def rnn():
    return RNN(D, H, rng=np.random.default_rng(0))


def zeros_X():
    return np.zeros((T, N, D))


def with_nan(shape, index, value=np.nan):
    a = np.zeros(shape)
    a[index] = value
    return a


def ran(layer):
    """The layer after one forward call on zeros, ready for backward."""
    layer.forward(zeros_X())
    return layer


def edited(layer, name, value):
    """The layer with params[name] replaced, as a reader might do in a cell."""
    layer.params[name] = value
    return layer


def nan_param(layer, name, index):
    layer.params[name][index] = np.nan
    return layer


def stepped_with(grads_value):
    """An SGD step on a layer whose gradient of weight_hh is `grads_value`."""
    layer = ran(lstm())
    layer.grads["weight_hh"] = grads_value
    return SGD(layer, lr=0.1).step()


BAD_CALLS = [  # (description, call, exception, message fragment)
    # --- X: dimensions, sizes, data type, values
    ("X with 4 dims", lambda: lstm().forward(np.zeros((T, N, D, 1))), ValueError,
     r"X must have shape \(T, N, D=3\), got \(5, 2, 3, 1\)"),
    ("X with an empty batch", lambda: rnn().forward(np.zeros((T, 0, D))), ValueError,
     r"X must hold at least one sequence \(N >= 1\), got shape \(5, 0, 3\)"),
    ("X a scalar", lambda: lstm().forward(3.0), ValueError, r"X must have shape \(T, N, D=3\), got \(\)"),
    ("X None", lambda: lstm().forward(None), TypeError, "X must be a numeric array .* got NoneType"),
    ("X of strings", lambda: rnn().forward([[["a", "b", "c"]]]), TypeError, "X must be a numeric array"),
    ("X of objects", lambda: lstm().forward(np.array([[[1, None, 2]]], dtype=object)), TypeError,
     "X must be a numeric array"),
    ("X complex", lambda: lstm().forward(np.zeros((T, N, D), dtype=complex)), TypeError, "complex128"),
    ("X ragged lists", lambda: lstm().forward([[[1, 2, 3]], [[1, 2]]]), TypeError, "X must be a numeric array"),
    ("X NaN located", lambda: lstm().forward(with_nan((T, N, D), (3, 1, 0))), ValueError,
     r"X contains NaN or infinity at t=3, n=1, d=0"),
    ("X infinity located", lambda: rnn().forward(with_nan((T, N, D), (0, 1, 2), -np.inf)), ValueError,
     r"X contains NaN or infinity at t=0, n=1, d=2"),
    ("X too large for float32", lambda: lstm(dtype=np.float32).forward(with_nan((T, N, D), (4, 0, 1), 1e300)),
     ValueError, r"X has a value too large for float32 at t=4, n=0, d=1"),
    # --- initial states
    ("h0 NaN located", lambda: lstm().forward(zeros_X(), (with_nan((N, H), (1, 2)), np.zeros((N, H)))),
     ValueError, r"h0 contains NaN or infinity at n=1, j=2"),
    ("c0 infinity", lambda: lstm().forward(zeros_X(), (np.zeros((N, H)), with_nan((N, H), (0, 3), np.inf))),
     ValueError, r"c0 contains NaN or infinity at n=0, j=3"),
    ("c0 strings", lambda: lstm().forward(zeros_X(), (np.zeros((N, H)), np.full((N, H), "x"))),
     TypeError, "c0 must be a numeric array"),
    ("state a triple", lambda: lstm().forward(zeros_X(), (np.zeros((N, H)),) * 3), ValueError,
     r"state must be a tuple \(h0, c0\)"),
    ("state with batch 1 for batch 2", lambda: lstm().forward(zeros_X(), (np.zeros((1, H)), np.zeros((1, H)))),
     ValueError, r"h0 must have shape \(N=2, H=4\), got \(1, 4\)"),
    ("rnn given an LSTM state pair", lambda: rnn().forward(zeros_X(), (np.zeros((N, H)), np.zeros((N, H)))),
     ValueError, r"h0 must have shape \(N=2, H=4\), got \(2, 2, 4\)"),
    ("rnn h0 NaN", lambda: rnn().forward(zeros_X(), with_nan((N, H), (0, 0))), ValueError,
     r"h0 contains NaN or infinity at n=0, j=0"),
    # --- parameters, checked at every forward call
    ("NaN written into weight_hh", lambda: nan_param(lstm(), "weight_hh", (5, 1)).forward(zeros_X()),
     ValueError, r"LSTM.params\['weight_hh'\] contains NaN or infinity first at index \(5, 1\)"),
    ("NaN in a peephole", lambda: nan_param(lstm("peephole"), "weight_cf", 2).forward(zeros_X()),
     ValueError, r"LSTM.params\['weight_cf'\] contains NaN"),
    ("NaN in rnn bias", lambda: nan_param(rnn(), "bias", 0).forward(zeros_X()), ValueError,
     r"RNN.params\['bias'\] contains NaN"),
    ("bias of the wrong shape", lambda: edited(lstm(), "bias", np.zeros(4 * H + 1)).forward(zeros_X()),
     ValueError, r"LSTM.params\['bias'\] must have shape \(16\), got \(17\)"),
    ("weight_ih transposed", lambda: edited(rnn(), "weight_ih", np.zeros((D, H))).forward(zeros_X()),
     ValueError, r"RNN.params\['weight_ih'\] must have shape \(4, 3\), got \(3, 4\)"),
    ("parameter deleted", lambda: _forward_without("bias"), ValueError, r"missing \['bias'\]"),
    ("parameter of strings", lambda: edited(lstm(), "bias", np.full(4 * H, "0")).forward(zeros_X()),
     TypeError, r"LSTM.params\['bias'\] must be a numeric array"),
    ("params not a dict", lambda: _with_params(lstm(), [1, 2]).forward(zeros_X()), TypeError,
     "LSTM.params must be a dict"),
    # --- backward
    ("dY before forward", lambda: lstm().backward(np.zeros((T, N, H))), ValueError, "before forward"),
    ("dY missing the batch axis", lambda: ran(lstm()).backward(np.zeros((T, H))), ValueError,
     r"dY must have shape \(T=5, N=2, H=4\), got \(5, 4\)"),
    ("dY with D columns", lambda: ran(rnn()).backward(np.zeros((T, N, D))), ValueError,
     r"dY must have shape \(T=5, N=2, H=4\), got \(5, 2, 3\)"),
    ("dY NaN located", lambda: ran(lstm()).backward(with_nan((T, N, H), (2, 1, 3))), ValueError,
     r"dY contains NaN or infinity at t=2, n=1, j=3"),
    ("dY of strings", lambda: ran(lstm()).backward(np.full((T, N, H), "g")), TypeError, "dY must be a numeric"),
    ("dstate not a pair", lambda: ran(lstm()).backward(np.zeros((T, N, H)), np.zeros((N, H))), ValueError,
     r"dstate must be a tuple \(dhT, dcT\)"),
    ("dhT NaN", lambda: ran(lstm()).backward(np.zeros((T, N, H)), (with_nan((N, H), (1, 1)), None)),
     ValueError, r"dhT contains NaN or infinity at n=1, j=1"),
    ("rnn dhT wrong shape", lambda: ran(rnn()).backward(np.zeros((T, N, H)), np.zeros((H,))), ValueError,
     r"dhT must have shape \(N=2, H=4\), got \(4\)"),
    # --- constructors
    ("input_size a float", lambda: LSTM(3.0, H), ValueError, "input_size must be a positive integer, got 3.0"),
    ("hidden_size a bool", lambda: RNN(D, True), ValueError, "hidden_size must be a positive integer, got True"),
    ("hidden_size negative", lambda: LSTM(D, -2), ValueError, "hidden_size must be a positive integer"),
    ("dtype float16", lambda: LSTM(D, H, dtype=np.float16), TypeError, "float32 or numpy.float64"),
    ("dtype nonsense", lambda: RNN(D, H, dtype="double precision"), TypeError, "dtype must be"),
    ("rng an int seed", lambda: LSTM(D, H, rng=0), TypeError, "rng must be a numpy.random.Generator"),
    ("negative init_range", lambda: LSTM(D, H, init_range=-0.1), ValueError, "init_range"),
    # --- Linear and SequenceModel
    ("linear x NaN", lambda: Linear(D, 2).forward(with_nan((T, N, D), (1, 0, 0))), ValueError,
     r"x contains NaN or infinity first at index \(1, 0, 0\)"),
    ("linear x strings", lambda: Linear(D, 2).forward(np.full((N, D), "1")), TypeError, "x must be a numeric"),
    ("linear weight NaN", lambda: nan_param(Linear(D, 2), "weight", (1, 2)).forward(np.zeros((N, D))),
     ValueError, r"Linear.params\['weight'\] contains NaN"),
    ("linear weight wrong shape", lambda: edited(Linear(D, 2), "weight", np.zeros((D, 2))).forward(np.zeros((N, D))),
     ValueError, r"Linear.params\['weight'\] must have shape \(2, 3\), got \(3, 2\)"),
    ("linear backward before forward", lambda: Linear(D, 2).backward(np.zeros((N, 2))), ValueError, "before forward"),
    ("linear dy wrong shape", lambda: _linear_ran().backward(np.zeros((N, 3))), ValueError,
     r"dy must have shape \(2, 2\)"),
    ("linear dy NaN", lambda: _linear_ran().backward(with_nan((N, 2), (0, 1))), ValueError, "dy contains NaN"),
    ("model around an array", lambda: SequenceModel(np.zeros((3, 3)), 2), TypeError,
     "recurrent must be a layer such as LSTM or RNN"),
    ("model backward before forward", lambda: SequenceModel(lstm(), 2).backward(np.zeros((T, N, 2))),
     ValueError, "before forward"),
    ("model shortcut not a bool", lambda: SequenceModel(lstm(), 2, shortcut="yes"), TypeError,
     "shortcut must be True or False"),
    ("model X wrong D", lambda: SequenceModel(lstm(), 2).forward(np.zeros((T, N, D + 1))), ValueError,
     r"X must have shape \(T, N, D=3\)"),
    # --- losses
    ("mse of strings", lambda: mse_loss(np.array(["1", "2"]), np.zeros(2)), TypeError, "y must be a numeric"),
    ("mse NaN target", lambda: mse_loss(np.zeros(3), with_nan((3,), 1)), ValueError,
     r"target contains NaN or infinity first at index \(1,\)"),
    ("mse shapes named", lambda: mse_loss(np.zeros((T, N, 1)), np.zeros((N, 1))), ValueError,
     r"y has shape \(5, 2, 1\), target has shape \(2, 1\)"),
    ("mse unknown reduction", lambda: mse_loss(np.zeros(2), np.zeros(2), reduction="max"), ValueError, "reduction"),
    ("ce logits a scalar", lambda: softmax_cross_entropy(1.0, np.array(0)), ValueError,
     r"logits must have shape \(\.\.\., K\)"),
    ("ce logits NaN", lambda: softmax_cross_entropy(with_nan((2, 3), (1, 2)), np.array([0, 1])), ValueError,
     r"logits contains NaN or infinity first at index \(1, 2\)"),
    ("ce boolean targets", lambda: softmax_cross_entropy(np.zeros((2, 3)), np.array([True, False])), TypeError,
     "integer class indices"),
    ("ce negative target", lambda: softmax_cross_entropy(np.zeros((2, 3)), np.array([-1, 0])), ValueError,
     r"\[0, 3\)"),
    ("bce target above 1", lambda: sigmoid_cross_entropy(np.zeros(3), np.array([0.0, 1.0, 2.0])), ValueError,
     r"targets must lie in \[0, 1\]"),
    ("bce shapes named", lambda: sigmoid_cross_entropy(np.zeros(3), np.zeros(4)), ValueError,
     r"logits has shape \(3,\), targets has shape \(4,\)"),
    # --- optimisers and clipping
    ("lr a string", lambda: SGD(lstm(), lr="0.1"), TypeError, "lr must be a positive number, got '0.1'"),
    ("lr NaN", lambda: Adam(lstm(), lr=float("nan")), ValueError, "lr must be a positive number"),
    ("lr infinite", lambda: SGD(lstm(), lr=float("inf")), ValueError, "lr must be a positive number"),
    ("momentum 1", lambda: SGD(lstm(), lr=0.1, momentum=1.0), ValueError, r"momentum must be in \[0, 1\)"),
    ("momentum a string", lambda: SGD(lstm(), lr=0.1, momentum="0.9"), TypeError, "momentum must be a number"),
    ("betas a triple", lambda: Adam(lstm(), betas=(0.9, 0.99, 0.999)), ValueError, "betas must be a pair"),
    ("beta2 of 1", lambda: Adam(lstm(), betas=(0.9, 1.0)), ValueError, r"betas\[1\] must be in \[0, 1\)"),
    ("eps zero", lambda: Adam(lstm(), eps=0.0), ValueError, "eps must be a positive number"),
    ("no layers", lambda: SGD([], lr=0.1), ValueError, "layers is empty"),
    ("a model instead of its layers", lambda: Adam(SequenceModel(lstm(), 2)), TypeError, "pass model.layers"),
    ("step with NaN gradient", lambda: stepped_with(with_nan((4 * H, H), (0, 0))), ValueError,
     r"gradient 'weight_hh' contains NaN or infinity; parameters left unchanged"),
    ("step with gradient of wrong shape", lambda: stepped_with(np.zeros((H, H))), ValueError,
     r"gradient 'weight_hh' has shape \(4, 4\), its parameter \(16, 4\)"),
    ("clip infinite gradients", lambda: clip_grad_norm(_layer_with_inf_grad(), 1.0), ValueError,
     "gradients contain NaN or infinity"),
]


def _forward_without(name):
    layer = lstm()
    del layer.params[name]
    return layer.forward(zeros_X())


def _with_params(layer, value):
    layer.params = value
    return layer


def _linear_ran():
    layer = Linear(D, 2, rng=np.random.default_rng(0))
    layer.forward(np.zeros((N, D)))
    return layer


def _layer_with_inf_grad():
    layer = ran(lstm())
    layer.grads["bias"][3] = np.inf
    return layer


@pytest.mark.parametrize("what,call,exc,message", BAD_CALLS, ids=[c[0] for c in BAD_CALLS])
def test_bad_input_raises_a_clear_error_naming_the_argument(what, call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_a_failed_step_leaves_every_parameter_unchanged():
    layer = ran(lstm())
    layer.backward(np.ones((T, N, H)))
    before = {k: v.copy() for k, v in layer.params.items()}
    layer.grads["weight_hh"][0, 0] = np.nan
    for opt in (SGD(layer, lr=0.1, momentum=0.5), Adam(layer)):
        with pytest.raises(ValueError):
            opt.step()
    for name in before:
        np.testing.assert_array_equal(layer.params[name], before[name])


def test_a_rejected_forward_keeps_the_previous_cache_for_backward(rng):
    layer = randomize(lstm(), rng)
    X = rng.standard_normal((T, N, D))
    layer.forward(X)
    dX_before, _ = layer.backward(np.ones((T, N, H)))
    with pytest.raises(ValueError):
        layer.forward(with_nan((T, N, D), (0, 0, 0)))
    dX_after, _ = layer.backward(np.ones((T, N, H)))
    np.testing.assert_array_equal(dX_after, dX_before)


@pytest.mark.parametrize("make", [lstm, rnn], ids=["lstm", "rnn"])
def test_integer_boolean_list_and_tensor_inputs_give_the_float_result(make, rng):
    layer = randomize(make(), rng)
    X_int = rng.integers(0, 2, size=(T, N, D))
    Y_float, _ = layer.forward(X_int.astype(np.float64))
    dX_float, _ = layer.backward(np.ones((T, N, H)))
    for X in (X_int, X_int.astype(bool), X_int.tolist(), X_int.astype(np.int8)):
        Y, _ = layer.forward(X)
        assert Y.dtype == np.float64
        np.testing.assert_array_equal(Y, Y_float)
        dX, _ = layer.backward(np.ones((T, N, H), dtype=np.int64))  # an integer dY is cast too
        np.testing.assert_array_equal(dX, dX_float)
    torch = pytest.importorskip("torch")
    Y, _ = layer.forward(torch.tensor(X_int, dtype=torch.float64, requires_grad=True))
    np.testing.assert_array_equal(Y, Y_float)


def test_integer_states_are_cast_to_the_layer_dtype(rng):
    layer = randomize(lstm(dtype=np.float32), rng)
    X = rng.standard_normal((T, N, D))
    ones = np.ones((N, H), dtype=np.int32)
    Y, (hT, cT) = layer.forward(X, (ones, ones.astype(bool)))
    Y_ref, _ = layer.forward(X, (np.ones((N, H), np.float32), np.ones((N, H), np.float32)))
    assert Y.dtype == hT.dtype == cT.dtype == np.float32
    np.testing.assert_array_equal(Y, Y_ref)


def test_a_parameter_of_another_numeric_dtype_is_cast_and_stored_back(rng):
    layer = lstm(dtype=np.float32)
    layer.params["bias"] = np.arange(4 * H)  # integers, as a reader might type them
    Y, _ = layer.forward(rng.standard_normal((T, N, D)))
    assert layer.params["bias"].dtype == np.float32 and Y.dtype == np.float32
    np.testing.assert_array_equal(layer.params["bias"], np.arange(4 * H, dtype=np.float32))


@pytest.mark.parametrize("make", [lstm, rnn], ids=["lstm", "rnn"])
def test_empty_sequence_returns_empty_outputs_and_the_initial_state(make, rng):
    """T = 0: Y is (0, N, H); the final state is the initial state; backward passes
    the final-state gradient straight back and every parameter gradient is zero."""
    layer = randomize(make(), rng)
    h0, c0 = rng.standard_normal((N, H)), rng.standard_normal((N, H))
    paired = isinstance(layer, LSTM)
    Y, final = layer.forward(np.zeros((0, N, D)), (h0, c0) if paired else h0)
    assert Y.shape == (0, N, H)
    np.testing.assert_array_equal(final[0] if paired else final, h0)
    if paired:
        np.testing.assert_array_equal(final[1], c0)
    dh, dc = rng.standard_normal((N, H)), rng.standard_normal((N, H))
    dX, dstate = layer.backward(np.zeros((0, N, H)), (dh, dc) if paired else dh)
    assert dX.shape == (0, N, D)
    np.testing.assert_array_equal(dstate[0] if paired else dstate, dh)
    if paired:
        np.testing.assert_array_equal(dstate[1], dc)
    assert all(not g.any() for g in layer.grads.values())


PRE_ACTIVATION = 1e4


def _saturate(layer, rng):
    """Parameters so large that the gate pre-activations reach about +-1e4."""
    for name, p in layer.params.items():
        p[...] = rng.choice([-1.0, 1.0], size=p.shape) * PRE_ACTIVATION / (3 if name.startswith("weight_") else 1)
    return layer


def cell_kinds():
    """Every cell kind the LSTM layer runs ("fgr" has its own layer, FGRLSTM)."""
    from lstm import CELL_KINDS
    return [name for name in CELL_KINDS if name != "fgr"]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("cell", cell_kinds())
def test_huge_pre_activations_give_no_overflow_and_no_nan(cell, dtype, rng):
    layer = _saturate(lstm(cell, dtype), rng)
    X = rng.choice([-1.0, 1.0], size=(20, N, D))
    A = X @ layer.params["weight_ih"].T + layer.params["bias"]
    assert np.abs(A).max() >= PRE_ACTIVATION  # the test reaches the range it claims
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        Y, (hT, cT) = layer.forward(X, (np.ones((N, H)), np.ones((N, H))))
        dX, (dh0, dc0) = layer.backward(rng.standard_normal(Y.shape), (np.ones((N, H)), np.ones((N, H))))
    for value in [Y, hT, cT, dX, dh0, dc0, layer.grad_h, layer.grad_c, *layer.grads.values()]:
        assert np.all(np.isfinite(value))
    if getattr(layer.kind, "output_activation", "tanh") == "tanh":  # "noaf" has h = o * c, unbounded
        assert np.abs(Y).max() <= 1.0


@pytest.mark.parametrize("nonlinearity", ["tanh", "sigmoid"])
def test_huge_pre_activations_in_a_squashing_rnn_stay_finite(nonlinearity, rng):
    layer = _saturate(RNN(D, H, nonlinearity=nonlinearity, rng=rng, dtype=np.float32), rng)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        Y, _ = layer.forward(rng.choice([-1.0, 1.0], size=(20, N, D)))
        dX, dh0 = layer.backward(rng.standard_normal(Y.shape))
    assert all(np.all(np.isfinite(v)) for v in [Y, dX, dh0, *layer.grads.values()])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_losses_of_huge_logits_are_finite_and_exact(dtype):
    z = np.array([[PRE_ACTIVATION, -PRE_ACTIVATION, 0.0]], dtype=dtype)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        ce, d_ce = softmax_cross_entropy(z, np.array([1]))
        bce, d_bce = sigmoid_cross_entropy(z, np.array([[0.0, 1.0, 1.0]], dtype=dtype))
    assert ce == pytest.approx(2 * PRE_ACTIVATION)  # -log softmax of the picked class
    assert bce == pytest.approx((2 * PRE_ACTIVATION + np.log(2)) / 3)
    assert np.all(np.isfinite(d_ce)) and np.all(np.isfinite(d_bce))


def recurrent_layers():
    """Every recurrent layer class of the package (GRU and FGRLSTM once they exist)."""
    import lstm as package
    return [getattr(package, name) for name in ("LSTM", "RNN", "GRU", "FGRLSTM") if hasattr(package, name)]


@pytest.mark.parametrize("cls", recurrent_layers(), ids=lambda c: c.__name__)
def test_every_recurrent_layer_refuses_the_same_bad_input(cls):
    def fresh():
        return cls(D, H, rng=np.random.default_rng(0))

    cases = [
        (lambda: fresh().forward(np.zeros((T, N, D + 1))), ValueError, r"X must have shape \(T, N, D=3\)"),
        (lambda: fresh().forward(with_nan((T, N, D), (3, 1, 0))), ValueError, "X contains NaN or infinity at t=3, n=1"),
        (lambda: fresh().forward(np.full((T, N, D), "x")), TypeError, "X must be a numeric array"),
        (lambda: nan_param(fresh(), "bias", 1).forward(zeros_X()), ValueError,
         rf"{cls.__name__}.params\['bias'\] contains NaN"),
        (lambda: fresh().backward(np.zeros((T, N, H))), ValueError, "before forward"),
        (lambda: ran(fresh()).backward(np.zeros((T + 1, N, H))), ValueError,
         r"dY must have shape \(T=5, N=2, H=4\), got \(6, 2, 4\)"),
        (lambda: ran(fresh()).backward(with_nan((T, N, H), (1, 0, 2))), ValueError,
         "dY contains NaN or infinity at t=1, n=0, j=2"),
    ]
    for call, exc, message in cases:
        with pytest.raises(exc, match=message):
            call()


def test_losses_of_an_empty_prediction_are_zero_not_nan():
    from lstm import sequence_loss
    empty = np.zeros((0, N, 2))
    for value, grad in [mse_loss(empty, empty), mse_loss(empty, empty, reduction="sum"),
                        sigmoid_cross_entropy(empty, empty),
                        softmax_cross_entropy(empty, np.zeros((0, N), dtype=int)),
                        sequence_loss(empty, empty, at="all")]:
        assert value == 0.0 and grad.shape == empty.shape
    with pytest.raises(ValueError, match=r"at='last' scores the last time step, but outputs has shape \(0, 2, 2\)"):
        sequence_loss(empty, np.zeros((N, 2)), at="last")


def test_training_helpers_refuse_what_they_cannot_use():
    from lstm import fit, train_step
    model = SequenceModel(lstm(), 1, rng=np.random.default_rng(0))
    X, y = np.zeros((T, N, D)), np.zeros((N, 1))
    opt = SGD(model.layers, lr=0.1)
    cases = [
        (lambda: fit(model, lambda step: (X, y), opt, steps=2.5), ValueError, "steps must be a non-negative integer"),
        (lambda: fit(model, [(X, y)], opt, steps=1), TypeError, "batches must be a function step -> \\(X, targets\\)"),
        (lambda: fit(model, lambda step: X, opt, steps=1, progress=False), ValueError,
         r"batches\(0\) must return a pair \(X, targets\) or a triple \(X, targets, state\), got ndarray"),
        (lambda: train_step(model, X, y, optimizer=0.1), TypeError, "optimizer must have a step\\(\\) method"),
        (lambda: train_step(model, X, y, opt, loss="l1"), ValueError, "loss must be one of"),
        (lambda: train_step(model, X, y, opt, at="first"), ValueError, "at must be 'last' or 'all'"),
        (lambda: train_step(model, X, np.zeros((N, 2)), opt), ValueError, "same shape"),
    ]
    for call, exc, message in cases:
        with pytest.raises(exc, match=message):
            call()
    assert len(fit(model, lambda step: (X, y), opt, steps=0, progress=False)) == 0


@pytest.mark.parametrize("cls", [c for c in recurrent_layers() if c not in (LSTM, RNN)], ids=lambda c: c.__name__)
def test_huge_pre_activations_in_the_other_gated_layers_stay_finite(cls, rng):
    layer = _saturate(cls(D, H, rng=rng, dtype=np.float32), rng)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        Y, _ = layer.forward(rng.choice([-1.0, 1.0], size=(20, N, D)))
        dX, _ = layer.backward(rng.standard_normal(Y.shape))
    assert all(np.all(np.isfinite(v)) for v in [Y, dX, *layer.grads.values()])
