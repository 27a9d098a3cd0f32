"""How much error flows back through a single self-connected unit (Hochreiter & Schmidhuber 1997, 3.2).

A unit j with activation f_j and a self-connection w_jj,

    y_j(t) = f_j(net_j(t)),     net_j(t) = w_jj y_j(t-1) + (input and bias),

passes an error back one step scaled by f_j'(net_j(t)) w_jj, so over k steps by

    (f_j'(net_j) w_jj)^k                                                (1)

when the unit stays at one operating point net_j. `self_connected_unit` builds such a
unit as a one-unit `lstm.RNN` held at a fixed point: the bias is chosen so that the net
input is the same `net` at every step. `error_flow` measures the scale with the RNN's
own backward pass, so (1) is a prediction to compare against, not what is plotted.

`naive_cec_model` and `naive_cec_train_step` turn that unit, made linear with w_jj = 1
(the constant error carousel), into a trainable model for the paper's two conflicts.
"""
import numpy as np

from ...activations import get_activation
from ...model import SequenceModel
from ...trainer import train_step
from ...rnn import RNN
from ...validate import check_positive_int


def self_connected_unit(nonlinearity, w_jj, net):
    """A one-unit RNN (D = H = 1) that sits at a fixed point with net input `net`.

    With zero input, y(0) = f(net) and bias b = net - w_jj f(net), every step sees
    net(t) = w_jj f(net) + b = net again. The input weight is 0.
    Returns (rnn, h0) with h0 of shape (1, 1), the state to start from.
    """
    f, _ = get_activation(nonlinearity)
    for name, value in (("w_jj", w_jj), ("net", net)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) or not np.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value!r}")
    rnn = RNN(1, 1, nonlinearity=nonlinearity, rng=np.random.default_rng(0))
    y = float(f(np.float64(net)))
    rnn.params["weight_ih"][...] = 0.0
    rnn.params["weight_hh"][...] = w_jj
    rnn.params["bias"][...] = net - w_jj * y
    return rnn, np.full((1, 1), y)


def error_flow(layer, steps, h0=None, X=None):
    """Scale of an error injected at the last of `steps` outputs, k steps back.

    layer: an `lstm.RNN` with one hidden unit, run on a batch of one (e.g. from
    `self_connected_unit`); X: (steps, 1, D) input (None: zeros); h0: (1, 1) start state.
    Runs forward, puts dE/dy(T-1) = 1, runs the layer's backward and reads `grad_h`.
    Returns an array of shape (steps + 1,): entry k is dE/dy(T-1-k) for k < steps, and
    the last entry, k = steps, is dE/dh0, the error reaching the initial state.
    """
    steps = check_positive_int("steps", steps)
    if layer.hidden_size != 1:
        raise ValueError(f"layer must have hidden_size 1, got {layer.hidden_size}")
    if X is None:
        X = np.zeros((steps, 1, layer.input_size), dtype=layer.dtype)
    elif np.shape(X)[:2] != (steps, 1):
        raise ValueError(f"X must have shape (steps={steps}, 1, D), got {np.shape(X)}")
    layer.forward(X, h0)
    dY = np.zeros((steps, 1, 1), dtype=layer.dtype)
    dY[-1] = 1.0
    _, dh0 = layer.backward(dY)
    back = layer.grad_h[::-1, 0, 0]  # k = 0 is the last step
    return np.concatenate([back, np.ravel(dh0)])


# Parameters of the naive carousel that training leaves alone: the self-weight stays
# 1.0 and the unit has no bias, so it is exactly the linear unit of section 3.2.
CEC_FIXED = ("weight_hh", "bias")


def naive_cec_model(input_size, out_features=1, rng=None):
    """The naive constant error carousel as a model: inputs -> one linear self-connected
    unit with w_jj = 1 (no bias) -> Linear readout.

    Its only trainable weights are the input weights w_j,in (1, D) and the readout's
    outgoing weight (K, 1) and bias (K,); train it with `naive_cec_train_step`.
    """
    rng = np.random.default_rng() if rng is None else rng
    model = SequenceModel(RNN(input_size, 1, nonlinearity="identity", rng=rng), out_features, rng=rng)
    model.recurrent.params["weight_hh"][...] = 1.0
    model.recurrent.params["bias"][...] = 0.0
    return model


def naive_cec_train_step(model, X, targets, optimizer, loss="mse", at="last"):
    """One update of a `naive_cec_model` that keeps w_jj = 1 and the unit's bias at 0.

    Same contract as `lstm.train_step`; returns (loss value, outputs (T, N, K)).
    """
    frozen = [(model.recurrent, name) for name in CEC_FIXED]
    value, outputs, _ = train_step(model, X, targets, optimizer, loss, at, frozen=frozen)
    return value, outputs
