"""Moving parameters between this package and PyTorch's nn.LSTM / nn.RNN state dicts.

PyTorch keeps two biases per layer, bias_ih and bias_hh, that only act through their
sum; we keep the sum. Exporting puts the whole bias in bias_ih and zeros in bias_hh,
which gives the same network. Works on numpy arrays or torch tensors without importing
torch.
"""
import numpy as np

TORCH_KEYS = ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")


def _to_numpy(value):
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return np.asarray(value)


def read_torch_state_dict(state_dict, module="PyTorch"):
    """The four arrays of a one-layer, unidirectional torch.nn.LSTM / RNN / GRU state dict,
    as numpy arrays, after checking that exactly TORCH_KEYS are there."""
    missing = [k for k in TORCH_KEYS if k not in state_dict]
    extra = [k for k in state_dict if k not in TORCH_KEYS]
    if missing or extra:
        raise ValueError(f"expected the keys {list(TORCH_KEYS)} of a one-layer, unidirectional "
                         f"{module} state dict; missing {missing}, unexpected {extra}")
    return {k: _to_numpy(v) for k, v in state_dict.items()}


def from_torch_state_dict(state_dict):
    """PyTorch single-layer state dict -> our params dict (weight_ih, weight_hh, bias)."""
    sd = read_torch_state_dict(state_dict)
    if sd["bias_ih_l0"].shape != sd["bias_hh_l0"].shape:
        raise ValueError(f"bias_ih_l0 {sd['bias_ih_l0'].shape} and bias_hh_l0 "
                         f"{sd['bias_hh_l0'].shape} must have the same shape")
    return {"weight_ih": sd["weight_ih_l0"], "weight_hh": sd["weight_hh_l0"],
            "bias": sd["bias_ih_l0"] + sd["bias_hh_l0"]}


def to_torch_state_dict(params):
    """Our params dict -> PyTorch single-layer state dict of numpy arrays."""
    return {"weight_ih_l0": params["weight_ih"].copy(), "weight_hh_l0": params["weight_hh"].copy(),
            "bias_ih_l0": params["bias"].copy(), "bias_hh_l0": np.zeros_like(params["bias"])}
