"""What the recurrent layers share: the contract, sizes, parameters, gradients, states,
gate rows, checks, checkpoints.

`RecurrentLayer` is the base of every recurrent layer of the package and states the
contract they all keep (construction, forward, backward, states, dtype).

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
from .initialisation import init_params
from .validate import as_float_array, check_dtype, check_params, check_positive_int, check_shape, describe


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


class RecurrentLayer(Checkpointable):
    """A layer over a sequence X (T, N, D) from input_size D to hidden_size H.

    The contract every recurrent layer of the package keeps (tests/test_layer_contract.py
    runs each exported layer through it):

        Layer(input_size=D, hidden_size=H, rng=None, dtype=np.float64, *, options)
        Y, state = layer.forward(X, state=None)        X (T, N, D), Y (T, N, output_size)
        dX, dstate = layer.backward(dY, dstate=None)   fills layer.grads and layer.grad_<state>

    `state_layout` names the layer's states and the letters of their shapes, e.g.
    {"h": ("N", "H"), "c": ("N", "H")} for the LSTM. A layer with one state takes and
    returns that array; a layer with several takes and returns a tuple in the order of
    `state_layout` (as PyTorch does: h for nn.RNN and nn.GRU, (h, c) for nn.LSTM). None
    means zeros. After `backward`, `grad_<name>` (T, N, ...) holds the total gradient of
    the loss w.r.t. state <name> at every step t = 1..T, for every state: `grad_h` for
    every layer with an h, `grad_c` for the LSTM's cell state (chapters 1 to 7 read them).

    `gate_rows` is the one way to find a gate's rows: name -> slice of the rows of
    weight_ih, weight_hh and bias that belong to it, for `lstm.gates.set_gate` and for
    the layer's own forward pass. A layer lists its row blocks in `gate_names`, each H
    rows, in order (the LSTM asks its cell kind, whose gates depend on the cell).
    """

    output_letter = "H"  # the letter of output_size in messages
    state_layout = {"h": ("N", "H")}  # state name -> the letters of its shape
    gate_names = ()  # the row blocks of weight_ih (and weight_hh, bias), in order

    def __init__(self, input_size, hidden_size, dtype):
        self.input_size = check_positive_int("input_size", input_size)
        self.hidden_size = check_positive_int("hidden_size", hidden_size)
        self.dtype = check_dtype(dtype)
        self._param_shapes = None  # name -> shape, from the first non-empty params dict
        self.params = {}
        self.grads = {}
        for name in self.state_layout:  # grad_<name>: set by backward
            setattr(self, f"grad_{name}", None)
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

    @property
    def state_names(self):
        return tuple(self.state_layout)

    def _sizes(self, batch_size):
        """Letter -> size, for the letters of `state_layout`."""
        return {"N": batch_size, "H": self.hidden_size, "D": self.input_size}

    def state_shapes(self, batch_size):
        """State name -> its shape for a batch of `batch_size` sequences."""
        sizes = self._sizes(batch_size)
        return {name: tuple(sizes[k] for k in letters) for name, letters in self.state_layout.items()}

    def _keep_state_grads(self, grads):
        """Keep backward's gradients w.r.t. every state at every step (name -> (T, N, ...))
        as the attributes grad_<name>."""
        for name in self.state_names:
            setattr(self, f"grad_{name}", grads[name])

    def random_state(self, batch_size, rng):
        """A state drawn from N(0, 1) in the form forward takes: a state a gradient
        check may start from (a layer whose states have a sign overrides this)."""
        return self._pack_state([rng.standard_normal(s).astype(self.dtype)
                                 for s in self.state_shapes(batch_size).values()])

    def _pack_state(self, arrays):
        """The form forward and backward return: the array for one state, else a tuple."""
        arrays = tuple(arrays)
        return arrays[0] if len(arrays) == 1 else arrays

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

    def _check_state(self, what, state, batch_size):
        """forward's `state` (what="state") or backward's `dstate` (what="dstate") as a
        tuple of checked arrays, one per state name, zeros for None (for the whole state
        or one entry of it). Messages name each array h0, c0 (state) or dhT, dcT (dstate)."""
        names, shapes = self.state_names, self.state_shapes(batch_size)
        labels = [f"d{n}T" if what == "dstate" else f"{n}0" for n in names]
        if len(names) == 1:
            values = (state,)
        elif state is None:
            values = (None,) * len(names)
        elif isinstance(state, (tuple, list)) and len(state) == len(names):
            values = tuple(state)
        else:
            raise ValueError(f"{what} must be a tuple ({', '.join(labels)}) of arrays of shapes "
                             f"{', '.join(describe(s) for s in shapes.values())}, or None; got {type(state).__name__}")
        out = []
        for name, label, value in zip(names, labels, values):
            shape = shapes[name]
            if value is None:
                out.append(np.zeros(shape, dtype=self.dtype))
                continue
            value = as_float_array(label, value, self.dtype, axes=("n", "j", "s")[:len(shape)])
            out.append(check_shape(label, value, shape, self.state_layout[name]))
        return tuple(out)

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

    @property
    def output_size(self):
        """The last size of Y: hidden_size (the SSM's output has its input's size)."""
        return self.hidden_size

    @property
    def gate_rows(self):
        """Gate name -> slice of its rows in weight_ih, weight_hh and bias."""
        H = self.hidden_size
        return {name: slice(k * H, (k + 1) * H) for k, name in enumerate(self.gate_names)}

    def _init_params(self, shapes, rng, init_range=None):
        """Draw every parameter name -> shape from U(-k, k), k = init_range or 1/sqrt(H)
        (PyTorch's choice, `lstm.initialisation.init_params`), and zero the gradients."""
        self.params = init_params(shapes, self.hidden_size, rng, self.dtype, init_range)
        self.zero_grad()

    def _input_part(self, X):
        """x_t W_ih^T + b for every step at once, before the time loop: (T, N, G*H)."""
        return X @ self.params["weight_ih"].T + self.params["bias"]

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
