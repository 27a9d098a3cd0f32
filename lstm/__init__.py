"""lstm: Long Short-Term Memory networks from first principles, in numpy.

The package behind the book. Every backward pass is written by hand and checked
against finite differences and PyTorch.

    >>> import numpy as np
    >>> from lstm import LSTM
    >>> m = LSTM(input_size=3, hidden_size=2, rng=np.random.default_rng(0))
    >>> X = np.ones((5, 4, 3))                          # (T, N, D)
    >>> Y, (hT, cT) = m.forward(X)
    >>> Y.shape, hT.shape, cT.shape
    ((5, 4, 2), (4, 2), (4, 2))
    >>> dX, (dh0, dc0) = m.backward(np.ones_like(Y))    # fills m.grads
    >>> dX.shape, sorted(m.grads)
    ((5, 4, 3), ['bias', 'weight_hh', 'weight_ih'])

Every recurrent layer keeps this contract (`lstm.recurrent.RecurrentLayer`); the layers
by name are in `lstm.layers`.
"""
from .activations import sigmoid, sigmoid_grad, tanh, tanh_grad
from .cells import CELL_KINDS, CellKind, cell_backward, cell_forward, get_cell_kind, step_backward, step_forward
from .checkpoint import CheckpointError, load_torch_file
from .fgr_lstm import FGRLSTM
from .gates import set_gate, trace
from .gradcheck import check_layer_gradients, numerical_gradient, relative_error
from .gru import GRU
from .layers import make_layer
from .lstm_layer import LSTM
from .linear import Linear
from .model import SequenceModel, sequence_loss
from .losses import mse_loss, sigmoid_cross_entropy, softmax_cross_entropy
from .optim import SGD, Adam, clip_grad_norm, global_grad_norm
from .rnn import RNN
from .tbptt import iter_chunks, truncated_bptt
from .trainer import Trainer, fit, train_step
from .version import __version__


__all__ = [
    "LSTM", "RNN", "Linear", "SequenceModel", "Trainer", "fit", "train_step", "sequence_loss", "SGD", "Adam", "clip_grad_norm", "global_grad_norm",
    "mse_loss", "softmax_cross_entropy", "sigmoid_cross_entropy",
    "sigmoid", "sigmoid_grad", "tanh", "tanh_grad",
    "step_forward", "step_backward", "cell_forward", "cell_backward",
    "CELL_KINDS", "CellKind", "get_cell_kind",
    "numerical_gradient", "relative_error", "check_layer_gradients",
    "truncated_bptt", "iter_chunks",
    "GRU", "FGRLSTM", "make_layer",
    "CheckpointError", "load_torch_file",
    "trace", "set_gate",
]

# --- Modern recurrences (chapter 10): gates that read only x_t, run by a parallel scan ---
from .minrnn import MinGRU, MinLSTM  # noqa: E402
from .scan import scan, scan_backward, scan_loop, scan_parallel  # noqa: E402
from .ssm import SelectiveSSM, ssm_step  # noqa: E402
from .xlstm import MLSTM, SLSTM, mlstm_backward, mlstm_forward  # noqa: E402

__all__ += ["scan", "scan_loop", "scan_parallel", "scan_backward", "MinGRU", "MinLSTM",
            "SLSTM", "MLSTM", "mlstm_forward", "mlstm_backward", "SelectiveSSM", "ssm_step"]
