"""What the recurrent layers (LSTM, RNN) share: sizes, parameters, gradients, checks.

A layer holds `params` and `grads`, two dicts with the same keys and shapes.
`forward` remembers what `backward` needs (only the most recent call); `backward`
fills `grads`. Optimisers in `lstm.optim` update `params` in place from `grads`.
"""
import numpy as np

from .validate import as_float_array, check_dtype, check_positive_int, check_shape


class RecurrentLayer:
    def __init__(self, input_size, hidden_size, dtype):
        self.input_size = check_positive_int("input_size", input_size)
        self.hidden_size = check_positive_int("hidden_size", hidden_size)
        self.dtype = check_dtype(dtype)
        self.params = {}
        self.grads = {}
        self._cache = None  # set by forward, read by backward

    def zero_grad(self):
        """Set every gradient to zero."""
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}

    @property
    def num_parameters(self):
        return sum(v.size for v in self.params.values())

    def _check_input(self, X):
        """X as an array of the layer's dtype, of shape (T, N, D)."""
        X = as_float_array("X", X, self.dtype)
        return check_shape("X", X, (None, None, self.input_size), ("T", "N", "D"))

    def _check_state(self, name, value, batch_size):
        """An initial state or a state gradient: zeros if None, else a checked (N, H) array."""
        if value is None:
            return np.zeros((batch_size, self.hidden_size), dtype=self.dtype)
        value = as_float_array(name, value, self.dtype)
        return check_shape(name, value, (batch_size, self.hidden_size), ("N", "H"))

    def _check_dY(self, dY):
        """dY as an array shaped like the output of the last forward call."""
        if self._cache is None:
            raise ValueError("backward called before forward: there is nothing to differentiate")
        T, N = self._cache.X.shape[:2]
        dY = as_float_array("dY", dY, self.dtype)
        return check_shape("dY", dY, (T, N, self.hidden_size), ("T", "N", "H"))

    def _load_params(self, new):
        """Replace params by `new` (name -> array) after checking names and shapes."""
        if set(new) != set(self.params):
            raise ValueError(f"expected parameters {sorted(self.params)}, got {sorted(new)}")
        for name, value in new.items():
            value = as_float_array(name, value, self.dtype)
            check_shape(name, value, self.params[name].shape)
            self.params[name] = value.copy()
        self.zero_grad()

    def __repr__(self):
        return (f"{type(self).__name__}(input_size={self.input_size}, hidden_size={self.hidden_size}, "
                f"dtype={self.dtype.name}, parameters={self.num_parameters})")
