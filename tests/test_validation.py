"""Bad input stops with a clear error naming the argument and the expected shape."""
import numpy as np
import pytest

from lstm import LSTM, RNN, Adam, Linear, SGD, clip_grad_norm, mse_loss, softmax_cross_entropy

D, H, N, T = 3, 4, 2, 5


def lstm():
    return LSTM(D, H, rng=np.random.default_rng(0))


def rnn():
    return RNN(D, H, rng=np.random.default_rng(0))


BAD_CALLS = [  # (description, call, exception, message fragment)
    ("X with 2 dims", lambda: lstm().forward(np.zeros((T, D))), ValueError, r"X must have shape \(T, N, D=3\), got \(5, 3\)"),
    ("X with wrong D", lambda: lstm().forward(np.zeros((T, N, 7))), ValueError, r"X must have shape \(T, N, D=3\), got \(5, 2, 7\)"),
    ("h0 wrong batch", lambda: lstm().forward(np.zeros((T, N, D)), (np.zeros((3, H)), np.zeros((N, H)))),
     ValueError, r"h0 must have shape \(N=2, H=4\), got \(3, 4\)"),
    ("c0 wrong hidden", lambda: lstm().forward(np.zeros((T, N, D)), (np.zeros((N, H)), np.zeros((N, 5)))),
     ValueError, r"c0 must have shape \(N=2, H=4\), got \(2, 5\)"),
    ("state not a pair", lambda: lstm().forward(np.zeros((T, N, D)), np.zeros((N, H))), ValueError,
     r"state must be a tuple \(h0, c0\) of arrays of shapes \(2, 4\), \(2, 4\), or None"),
    ("rnn h0 with layer axis", lambda: rnn().forward(np.zeros((T, N, D)), np.zeros((1, N, H))),
     ValueError, r"h0 must have shape \(N=2, H=4\), got \(1, 2, 4\)"),
    ("string input", lambda: lstm().forward(np.full((T, N, D), "a")), TypeError, "numeric"),
    ("NaN input", lambda: lstm().forward(np.full((T, N, D), np.nan)), ValueError, "NaN"),
    ("backward before forward", lambda: lstm().backward(np.zeros((T, N, H))), ValueError, "before forward"),
    ("rnn backward before forward", lambda: rnn().backward(np.zeros((T, N, H))), ValueError, "before forward"),
    ("zero hidden size", lambda: LSTM(D, 0), ValueError, "hidden_size must be a positive integer"),
    ("unknown cell", lambda: LSTM(D, H, cell="gru"), ValueError, "unknown cell kind 'gru'"),
    ("integer dtype", lambda: LSTM(D, H, dtype=np.int32), TypeError, "float32 or numpy.float64"),
    ("unknown nonlinearity", lambda: RNN(D, H, nonlinearity="softsign"), ValueError, "unknown activation"),
    ("torch dict missing keys", lambda: lstm().load_torch_state_dict({"weight_ih_l0": np.zeros((16, 3))}),
     ValueError, "missing"),
    ("torch dict wrong shape", lambda: lstm().load_torch_state_dict(
        {"weight_ih_l0": np.zeros((16, 9)), "weight_hh_l0": np.zeros((16, 4)),
         "bias_ih_l0": np.zeros(16), "bias_hh_l0": np.zeros(16)}), ValueError, r"weight_ih must have shape \(16, 3\)"),
    ("linear wrong features", lambda: Linear(4, 2).forward(np.zeros((3, 5))), ValueError, r"\(\.\.\., 4\)"),
    ("mse shape mismatch", lambda: mse_loss(np.zeros(3), np.zeros(4)), ValueError, "same shape"),
    ("ce float targets", lambda: softmax_cross_entropy(np.zeros((2, 3)), np.zeros(2)), TypeError, "integer"),
    ("ce target out of range", lambda: softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3])), ValueError, r"\[0, 3\)"),
    ("negative learning rate", lambda: SGD(lstm(), lr=-1.0), ValueError, "lr must be a positive number"),
    ("optimiser given an array", lambda: Adam(np.zeros(3)), TypeError, "params"),
    ("clip non-positive norm", lambda: clip_grad_norm(lstm(), 0), ValueError, "max_norm"),
]


@pytest.mark.parametrize("what,call,exc,message", BAD_CALLS, ids=[c[0] for c in BAD_CALLS])
def test_bad_input_raises_a_clear_error(what, call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_backward_rejects_dY_that_does_not_match_the_last_forward():
    net = lstm()
    net.forward(np.zeros((T, N, D)))
    with pytest.raises(ValueError, match=r"dY must have shape \(T=5, N=2, H=4\), got \(4, 2, 4\)"):
        net.backward(np.zeros((T - 1, N, H)))
    with pytest.raises(ValueError, match=r"dcT must have shape \(N=2, H=4\)"):
        net.backward(np.zeros((T, N, H)), (np.zeros((N, H)), np.zeros((N, 1))))


def test_integer_and_boolean_inputs_are_cast_to_the_layer_dtype():
    net = LSTM(D, H, rng=np.random.default_rng(0), dtype=np.float32)
    Y_int, _ = net.forward(np.ones((T, N, D), dtype=np.int64))
    Y_bool, _ = net.forward(np.ones((T, N, D), dtype=bool))
    assert Y_int.dtype == np.float32
    np.testing.assert_array_equal(Y_int, Y_bool)
