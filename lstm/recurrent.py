"""What the sequence layers share: sizes, parameters, gradients, checks, checkpoints.

`SequenceLayer` is the base of every layer over a sequence X (T, N, D), among them the
selective SSM of chapter 10, whose state is (N, D, S); `RecurrentLayer` adds input and
hidden sizes and (N, H) states: the LSTM, RNN, GRU, minGRU, minLSTM, sLSTM and mLSTM.

A layer holds `params` and `grads`, two dicts with the same keys and shapes.
`forward` remembers what `backward` needs (only the most recent call); `backward`
fills `grads`. Optimisers in `lstm.optim` update `params` in place from `grads`.

Every forward call checks its input and the parameters (a reader may have written
NaN into `layer.params` in a notebook cell); every backward call checks that there
was a forward call and that dY matches it. Saving and loading (`save`, `load`,
`from_torch_file`) come from `lstm.checkpoint.Checkpointable`. `weight_grads` is the
step the backward pass of every layer with W_ih (and W_hh) ends with.
"""
import numpy as np

from .checkpoint import Checkpointable, load_torch_file
from .init import init_params
from .validate import as_float_array, check_dtype, check_params, check_positive_int, check_shape


def weight_grads(DA, X, H_prev=None, DA_h=None):
    """The gradients of W_ih, W_hh and b for pre-activations a_t = x_t W_ih^T + h_{t-1} W_hh^T + b,
    summed over every step and sequence at once: one product each, after the backward loop.

    DA: (T, N, G*H), the gradient w.r.t. every a_t; X: (T, N, D); H_prev: (T, N, H), the
    h_{t-1} each step saw, or None for a layer without W_hh (minGRU, minLSTM). DA_h: the
    gradient of the recurrent part h_{t-1} W_hh^T where it differs from DA (the GRU's reset
    gate scales it); None: DA.
    Returns {"weight_ih": (G*H, D), "weight_hh": (G*H, H), "bias": (G*H,)} (no "weight_hh"
    if H_prev is None); zeros for T = 0.
    """
    T, N, D = X.shape
    DA_x = DA.reshape(T * N, DA.shape[-1])  # (T*N, G*H): every step of every sequence is one row
    grads = {"weight_ih": DA_x.T @ X.reshape(T * N, D)}
    if H_prev is not None:
        DA_h = DA_x if DA_h is None else DA_h.reshape(T * N, DA_h.shape[-1])
        grads["weight_hh"] = DA_h.T @ H_prev.reshape(T * N, H_prev.shape[-1])
    grads["bias"] = DA_x.sum(axis=0)
    return grads


class SequenceLayer(Checkpointable):
    """A layer over a sequence X (T, N, D): parameters, gradients, checks, checkpoints.

    A subclass sets `input_size` (D) and `output_size` (the last size of Y and dY) and
    describes its state by `_state_shape(N)` and `state_letters`, the letters the error
    messages use ("h0 must have shape (N=2, H=4)").
    """

    output_letter = "H"  # the letter of output_size in messages
    state_letters = ("N", "H")

    def __init__(self, dtype):
        self.dtype = check_dtype(dtype)
        self._param_shapes = None  # name -> shape, from the first non-empty params dict
        self.params = {}
        self.grads = {}
        self._cache = None  # set by forward, read by backward

    @property
    def params(self):
        return self._params

    @params.setter
    def params(self, value):
        # The subclass's constructor sets params once; that fixes the shapes every
        # later forward call checks against, even if a reader replaces the dict.
        self._params = value
        if self._param_shapes is None and value:
            self._param_shapes = {k: np.shape(v) for k, v in value.items()}

    def zero_grad(self):
        """Set every gradient to zero."""
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}

    @property
    def num_parameters(self):
        return sum(v.size for v in self.params.values())

    def _check_params(self):
        """Every parameter present, numeric, finite, of its shape and the layer's dtype."""
        if self._param_shapes is None:
            self._param_shapes = {k: np.shape(v) for k, v in self.params.items()}
        check_params(type(self).__name__, self.params, self._param_shapes, self.dtype)

    def _check_input(self, X):
        """X as an array of the layer's dtype, of shape (T, N, D); checks params too."""
        self._check_params()
        X = as_float_array("X", X, self.dtype, axes=("t", "n", "d"))
        check_shape("X", X, (None, None, self.input_size), ("T", "N", "D"))
        if X.shape[1] == 0:  # T = 0 is a valid (empty) sequence; N = 0 is no sequence at all
            raise ValueError(f"X must hold at least one sequence (N >= 1), got shape {X.shape}")
        return X

    def _check_state(self, name, value, batch_size):
        """An initial state or a state gradient: zeros if None, else a checked array of
        `_state_shape(N)`, (N, H) unless the layer says otherwise."""
        shape = self._state_shape(batch_size)
        if value is None:
            return np.zeros(shape, dtype=self.dtype)
        value = as_float_array(name, value, self.dtype, axes=("n", "j", "s")[:len(shape)])
        return check_shape(name, value, shape, self.state_letters)

    def _check_forward(self, X, h0):
        """The checks a forward call from one initial state starts with: X (T, N, D) and
        h0 of `_state_shape(N)` (None: zeros)."""
        X = self._check_input(X)
        return X, self._check_state("h0", h0, X.shape[1])

    def _check_backward(self, dY, dhT):
        """The checks a backward call with one final state starts with: dY shaped like the
        last output, dhT of `_state_shape(N)` (None: zeros)."""
        dY = self._check_dY(dY)
        return dY, self._check_state("dhT", dhT, dY.shape[1])

    def _check_dY(self, dY):
        """dY as an array shaped like the output of the last forward call."""
        if self._cache is None:
            raise ValueError("backward called before forward: there is nothing to differentiate")
        T, N = self._cache.X.shape[:2]
        dY = as_float_array("dY", dY, self.dtype, axes=("t", "n", "j"))
        return check_shape("dY", dY, (T, N, self.output_size), ("T", "N", self.output_letter))

    def _load_params(self, new):
        """Replace params by `new` (name -> array) after checking names and shapes."""
        if self._param_shapes is None:
            self._param_shapes = {k: np.shape(v) for k, v in self.params.items()}
        if set(new) != set(self._param_shapes):
            raise ValueError(f"expected parameters {sorted(self._param_shapes)}, got {sorted(new)}")
        checked = {}
        for name in self._param_shapes:  # check all before changing any
            value = as_float_array(name, new[name], self.dtype)
            checked[name] = check_shape(name, value, self._param_shapes[name]).copy()
        if isinstance(self.params, dict):  # in place, as before: the dict object stays the same
            self.params.clear()
            self.params.update(checked)
        else:
            self.params = checked
        self.zero_grad()

    def load_checkpoint_arrays(self, arrays):
        self._load_params(arrays)


class RecurrentLayer(SequenceLayer):
    """A layer from input_size D to hidden_size H with (N, H) states: Y (T, N, H)."""

    def __init__(self, input_size, hidden_size, dtype):
        self.input_size = check_positive_int("input_size", input_size)
        self.hidden_size = check_positive_int("hidden_size", hidden_size)
        super().__init__(dtype)

    @property
    def output_size(self):
        return self.hidden_size

    def _state_shape(self, batch_size):
        return (batch_size, self.hidden_size)

    def _init_params(self, shapes, rng, init_range=None):
        """Draw every parameter name -> shape from U(-k, k), k = init_range or 1/sqrt(H)
        (PyTorch's choice, `lstm.init.init_params`), and zero the gradients."""
        self.params = init_params(shapes, self.hidden_size, rng, self.dtype, init_range)
        self.zero_grad()

    def _input_part(self, X):
        """x_t W_ih^T + b for every step at once, before the time loop: (T, N, G*H)."""
        return X @ self.params["weight_ih"].T + self.params["bias"]

    def _check_state_pair(self, what, names, pair, batch_size):
        """A pair of (N, H) states, e.g. state = (h0, c0) or dstate = (dhT, dcT): zeros for
        None, else each checked."""
        if pair is None:
            pair = (None, None)
        elif not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            raise ValueError(f"{what} must be a pair ({names[0]}, {names[1]}) of arrays of shape (N, H), "
                             f"or None; got {type(pair).__name__}")
        return tuple(self._check_state(name, value, batch_size) for name, value in zip(names, pair))

    @classmethod
    def from_torch_file(cls, path, dtype=None, **options):
        """A layer with the parameters of a one-layer PyTorch module saved by torch.save.

        path: a file written by `torch.save(module.state_dict(), path)`, read with
        `torch.load(path, weights_only=True)` (no arbitrary code runs). D and H are read
        from the weight shapes; dtype defaults to the file's (torch saves float32);
        options go to the constructor (e.g. nonlinearity="relu" for an RNN).
        """
        if not hasattr(cls, "load_torch_state_dict"):
            raise TypeError(f"{cls.__name__} has no PyTorch counterpart whose state dict it could read")
        state_dict = load_torch_file(path)
        for key in ("weight_ih_l0", "weight_hh_l0"):
            if key not in state_dict or np.ndim(state_dict[key]) != 2:
                raise ValueError(f"{path} holds no 2-d {key!r}: it is not the state dict of a one-layer "
                                 f"torch.nn.LSTM or torch.nn.RNN (keys: {sorted(state_dict)})")
        D, H = state_dict["weight_ih_l0"].shape[1], state_dict["weight_hh_l0"].shape[1]
        if dtype is None:
            file_dtype = state_dict["weight_ih_l0"].dtype
            dtype = file_dtype if file_dtype in (np.float32, np.float64) else np.float64
        layer = cls(D, H, dtype=dtype, rng=np.random.default_rng(0), **options)
        layer.load_torch_state_dict(state_dict)
        return layer

    def __repr__(self):
        return (f"{type(self).__name__}(input_size={self.input_size}, hidden_size={self.hidden_size}, "
                f"dtype={self.dtype.name}, parameters={self.num_parameters})")
