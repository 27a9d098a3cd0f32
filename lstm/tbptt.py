"""Truncated backpropagation through time: a long sequence run in chunks of k steps.

    X (T, N, D) = [X_0 | X_1 | ... ]    chunks of k steps (the last may be shorter)
    for each chunk j:
        Y_j, s_j = layer.forward(X_j, s_{j-1})        s_{j-1}: a value, not a path
        dX_j, _  = layer.backward(dY_j)               error stops at the chunk border
        grads   += layer.grads

The state is carried forward, so the forward pass is exactly the forward pass over
the whole sequence; the backward pass is cut at every border, so a loss at step t
sends no gradient to steps before the start of t's chunk (Williams & Peng 1990).
With k >= T nothing is cut and the result is full BPTT. The layer only ever holds
the cache of one chunk, so memory grows with k, not with T.

Works with every recurrent layer of the package (their common contract,
`lstm.recurrent.RecurrentLayer`): the state is passed back to `forward` in whatever form
it came out ((h, c) for an LSTM, h for an RNN).
"""
from typing import Any, NamedTuple, Optional

import numpy as np

from .validate import as_float_array, check_positive_int, check_shape


class Chunk(NamedTuple):
    """One chunk of a truncated run, as `iter_chunks` yields it."""
    start: int  # first time step of the chunk in the whole sequence
    stop: int  # one past its last time step
    Y: np.ndarray  # (stop - start, N, H) outputs of the chunk
    state: Any  # the state after the chunk: (hT, cT) for an LSTM, hT for an RNN
    is_last: bool


class TBPTTResult(NamedTuple):
    """What `truncated_bptt` returns."""
    Y: Optional[np.ndarray]  # (T, N, H) outputs, None if keep_sequences=False
    state: Any  # final state, as the layer's forward returns it
    grads: dict  # parameter name -> gradient summed over chunks
    dX: Optional[np.ndarray]  # (T, N, D) truncated gradient w.r.t. X, None if keep_sequences=False
    dstate0: Any  # gradient w.r.t. the initial state (from the first chunk only)


def _check_k(k):
    return check_positive_int("k (the truncation length)", k)


def _detach(state):
    """A copy of the state: the next chunk starts from its value, with no link back."""
    if isinstance(state, (tuple, list)):
        return tuple(np.array(s, copy=True) for s in state)
    return np.array(state, copy=True)


def iter_chunks(layer, X, k, state=None):
    """Run layer.forward over X (T, N, D) in chunks of k steps; yield a Chunk after each.

    Between two chunks the caller may call layer.backward on the chunk's outputs and
    update the parameters (training with truncated BPTT); the next chunk starts from
    the (detached) state the forward pass reached. T = 0 yields nothing.
    """
    k = _check_k(k)
    X = as_float_array("X", X, layer.dtype, axes=("t", "n", "d"))
    check_shape("X", X, (None, None, layer.input_size), ("T", "N", "D"))
    T = X.shape[0]
    for start in range(0, T, k):
        stop = min(start + k, T)
        Y, state = layer.forward(X[start:stop], state)
        state = _detach(state)
        yield Chunk(start, stop, Y, state, stop == T)


def truncated_bptt(layer, X, dY, k, state=None, dstate=None, keep_sequences=True):
    """Gradients of a loss over a long sequence, backpropagated at most k steps back.

    layer: an LSTM or RNN (or any layer with the same forward/backward contract).
    X: (T, N, D). dY: the gradient of the loss w.r.t. the outputs, either an array
    (T, N, H) or a function dY(start, Y_chunk) -> (len(Y_chunk), N, H), called once per
    chunk, for losses that need the outputs. k: chunk length, an int >= 1.
    state: initial state ((h0, c0) for an LSTM, h0 for an RNN, None for zeros).
    dstate: gradient w.r.t. the final state, given to the last chunk's backward.
    keep_sequences: return Y and dX (T x N x H and T x N x D numbers); set False for
    very long sequences when only the gradients are wanted.
    Returns TBPTTResult(Y, state, grads, dX, dstate0) and leaves layer.grads = grads.
    """
    k = _check_k(k)
    X = as_float_array("X", X, layer.dtype, axes=("t", "n", "d"))
    check_shape("X", X, (None, None, layer.input_size), ("T", "N", "D"))
    T, N, _ = X.shape
    if not callable(dY):
        dY = as_float_array("dY", dY, layer.dtype, axes=("t", "n", "j"))
        check_shape("dY", dY, (T, N, layer.hidden_size), ("T", "N", "H"))
    grads = {name: np.zeros_like(p) for name, p in layer.params.items()}
    Y_all = np.empty((T, N, layer.hidden_size), dtype=layer.dtype) if keep_sequences else None
    dX_all = np.empty_like(X) if keep_sequences else None
    final_state, dstate0 = state, None
    for chunk in iter_chunks(layer, X, k, state):
        dY_chunk = dY(chunk.start, chunk.Y) if callable(dY) else dY[chunk.start:chunk.stop]
        dX, dstate_start = layer.backward(dY_chunk, dstate if chunk.is_last else None)
        for name, g in layer.grads.items():
            grads[name] += g
        if chunk.start == 0:
            dstate0 = dstate_start
        if keep_sequences:
            Y_all[chunk.start:chunk.stop] = chunk.Y
            dX_all[chunk.start:chunk.stop] = dX
        final_state = chunk.state
    layer.grads = grads
    return TBPTTResult(Y_all, final_state, grads, dX_all, dstate0)
