"""The one contract every recurrent layer the package exports keeps.

The layers are found in `lstm.__all__` (every exported subclass of
`lstm.recurrent.RecurrentLayer`), so a new layer is checked as soon as it is exported:

    Layer(input_size=D, hidden_size=H, rng=..., dtype=...)     extra options keyword-only,
                                                               in the order of OPTION_ORDER
    Y, state = layer.forward(X, state=None)                    Y (T, N, output_size)
    dX, dstate = layer.backward(dY, dstate=None)               .grads, .grad_<state> for each state

with the dtype kept end to end, a state that carries a sequence across two calls, the
gradients equal to finite differences, `gate_rows` tiling the stacked rows, and the
layer working inside a SequenceModel.
"""
import inspect

import numpy as np
import pytest

import lstm
from lstm.recurrent import RecurrentLayer

# Every keyword option a layer may take, in the one order all signatures list them.
OPTION_ORDER = ("cell", "nonlinearity", "forget_bias", "init_range", "parallel")

EXPORTED = sorted(name for name in lstm.__all__
                  if isinstance(getattr(lstm, name), type) and issubclass(getattr(lstm, name), RecurrentLayer))

# The settings a layer is checked in: {} (its defaults) unless it has several kinds.
SETTINGS = {
    "LSTM": [{"cell": name} for name, kind in lstm.CELL_KINDS.items() if not kind.gate_recurrence],
    "RNN": [{"nonlinearity": "tanh"}, {"nonlinearity": "sigmoid"}],
    "MinGRU": [{"parallel": True}, {"parallel": False}],
    "MinLSTM": [{"parallel": True}, {"parallel": False}],
    "SelectiveSSM": [{"parallel": True}, {"parallel": False}],
}
CASES = [pytest.param(name, options, id=f"{name}-{'-'.join(map(str, options.values())) or 'default'}")
         for name in EXPORTED for options in SETTINGS.get(name, [{}])]

D, H, N, T = 3, 4, 2, 5


def make(name, options, dtype=np.float64, seed=0):
    """The layer with random, non-zero parameters everywhere (biases, peepholes included)."""
    rng = np.random.default_rng(seed)
    layer = getattr(lstm, name)(input_size=D, hidden_size=H, rng=rng, dtype=dtype, **options)
    for p in layer.params.values():
        p[...] = rng.normal(0.0, 0.5, size=p.shape)
    return layer


def as_tuple(layer, state):
    return (state,) if len(layer.state_names) == 1 else tuple(state)


def test_the_contract_sees_every_layer_the_package_exports():
    expected = {"LSTM", "FGRLSTM", "RNN", "GRU", "MinGRU", "MinLSTM", "SLSTM", "MLSTM", "SelectiveSSM"}
    assert expected <= set(EXPORTED), f"missing from lstm.__all__: {expected - set(EXPORTED)}"


def test_every_exported_layer_is_in_the_registry():
    """lstm.layers.make_layer, which every model factory uses, can build each one."""
    from lstm.layers import LAYERS
    registered = {cls.__name__ for cls in LAYERS.values()} | {"FGRLSTM"}  # make_layer("lstm", cell="fgr")
    assert set(EXPORTED) <= registered, f"add to lstm.layers.LAYERS: {set(EXPORTED) - registered}"


@pytest.mark.parametrize("name", EXPORTED)
def test_constructor_takes_the_four_keywords_then_options_in_one_order(name):
    params = list(inspect.signature(getattr(lstm, name)).parameters.values())
    assert [p.name for p in params[:4]] == ["input_size", "hidden_size", "rng", "dtype"]
    options = params[4:]
    assert all(p.kind is p.KEYWORD_ONLY for p in options), f"{name}: options must be keyword-only"
    unknown = [p.name for p in options if p.name not in OPTION_ORDER]
    assert not unknown, f"{name}: add {unknown} to OPTION_ORDER, in its place"
    positions = [OPTION_ORDER.index(p.name) for p in options]
    assert positions == sorted(positions), f"{name}: options {[p.name for p in options]} out of order"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name, options", CASES)
def test_shapes_and_dtype_end_to_end(name, options, dtype):
    layer = make(name, options, dtype)
    rng = np.random.default_rng(1)
    X = rng.standard_normal((T, N, D))
    Y, state = layer.forward(X, layer.random_state(N, rng))
    assert Y.shape == (T, N, layer.output_size) and Y.dtype == dtype
    shapes = layer.state_shapes(N)
    for s, shape in zip(as_tuple(layer, state), shapes.values()):
        assert s.shape == shape and s.dtype == dtype
    dX, dstate = layer.backward(rng.standard_normal(Y.shape), layer.random_state(N, rng))
    assert dX.shape == X.shape and dX.dtype == dtype
    for s, shape in zip(as_tuple(layer, dstate), shapes.values()):
        assert s.shape == shape and s.dtype == dtype
    assert {k: (v.shape, v.dtype) for k, v in layer.grads.items()} == \
           {k: (v.shape, dtype) for k, v in layer.params.items()}
    for name, shape in shapes.items():  # grad_<state>: the gradient w.r.t. it at every step
        s = getattr(layer, f"grad_{name}")
        assert s.shape == (T,) + shape and s.dtype == dtype, name


@pytest.mark.parametrize("name, options", CASES)
def test_no_state_is_the_zero_state(name, options):
    layer = make(name, options)
    X = np.random.default_rng(2).standard_normal((T, N, D))
    zeros = tuple(np.zeros(s) for s in layer.state_shapes(N).values())
    Y0, s0 = layer.forward(X)
    Y1, s1 = layer.forward(X, zeros[0] if len(zeros) == 1 else zeros)
    np.testing.assert_array_equal(Y0, Y1)
    for a, b in zip(as_tuple(layer, s0), as_tuple(layer, s1)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name, options", CASES)
def test_state_carries_a_sequence_across_two_calls(name, options):
    """Running X[:k], then X[k:] from the state the first call ends in, gives the outputs
    and final state of running X at once; T = 0 returns the state unchanged."""
    layer = make(name, options)
    rng = np.random.default_rng(3)
    X, state = rng.standard_normal((T, N, D)), layer.random_state(N, rng)
    Y, final = layer.forward(X, state)
    Y1, mid = layer.forward(X[:2], state)
    Y2, end = layer.forward(X[2:], mid)
    np.testing.assert_allclose(np.concatenate([Y1, Y2]), Y, rtol=1e-12, atol=1e-12)
    for a, b in zip(as_tuple(layer, end), as_tuple(layer, final)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    Y0, same = layer.forward(X[:0], state)
    assert Y0.shape == (0, N, layer.output_size)
    for a, b in zip(as_tuple(layer, same), as_tuple(layer, state)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name, options", CASES)
def test_gradients_match_finite_differences(name, options):
    """Every parameter, the input and every initial state, against centred differences."""
    layer = make(name, options)
    rng = np.random.default_rng(4)
    errors = lstm.check_layer_gradients(layer, rng.standard_normal((4, N, D)), rng=rng)
    assert set(errors) == set(layer.params) | {"X"} | {f"{s}0" for s in layer.state_names}
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("name, options", CASES)
def test_gate_rows_tile_the_stacked_rows(name, options):
    layer = make(name, options)
    rows = layer.gate_rows
    if not rows:  # no stacked gates (RNN, SelectiveSSM)
        return
    covered = np.zeros(layer.params["bias"].size, dtype=int)
    for block in rows.values():
        covered[block] += 1
    np.testing.assert_array_equal(covered, 1)


@pytest.mark.parametrize("shortcut", [False, True])
@pytest.mark.parametrize("name, options", CASES)
def test_works_inside_a_sequence_model(name, options, shortcut):
    layer = make(name, options)
    rng = np.random.default_rng(5)
    model = lstm.SequenceModel(layer, 2, rng=rng, shortcut=shortcut)
    X = rng.standard_normal((T, N, D))
    out = model.forward(X)
    assert out.shape == (T, N, 2)
    assert model.backward(np.ones_like(out)).shape == X.shape
    opt = lstm.SGD(model.layers, lr=0.1)
    value, _, _ = lstm.train_step(model, X, rng.standard_normal((N, 2)), opt)
    assert np.isfinite(value)
