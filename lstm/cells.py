"""The kinds of LSTM cell the package knows, and how their parameters are laid out.

Every cell computes gate pre-activations with one fused product

    a_t = x_t W_ih^T + h_{t-1} W_hh^T + b          a_t: (N, G*H)

where G is the number of gates the cell has, stacked in the order of `CellKind.gates`
(PyTorch's order i, f, g, o, leaving out the gates a cell does not have). What a cell
does with a_t is in `lstm.step`.

    standard  (Gers et al. 2000, PyTorch's nn.LSTM)      gates i, f, g, o
        c_t = f_t * c_{t-1} + i_t * g_t,   h_t = o_t * tanh(c_t)
    1997      (Hochreiter & Schmidhuber 1997)             gates i, g, o
        c_t = c_{t-1} + i_t * g_t          (no forget gate: the constant error carousel)
    peephole  (Gers & Schmidhuber 2000, Graves 2012)      gates i, f, g, o + peepholes
        i_t, f_t also see c_{t-1}; o_t sees c_t, through the vectors w_ci, w_cf, w_co (H,)
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class CellKind:
    name: str
    gates: tuple  # row blocks of weight_ih, weight_hh and bias, in this order
    peephole: bool = False  # adds parameters weight_ci, weight_cf, weight_co, each (H,)
    summary: str = ""

    @property
    def has_forget_gate(self):
        return "f" in self.gates

    def param_shapes(self, input_size, hidden_size):
        """Name -> shape of every parameter of this cell, for D = input_size, H = hidden_size."""
        G, D, H = len(self.gates), input_size, hidden_size
        shapes = {"weight_ih": (G * H, D), "weight_hh": (G * H, H), "bias": (G * H,)}
        if self.peephole:
            shapes.update(weight_ci=(H,), weight_cf=(H,), weight_co=(H,))
        return shapes


CELL_KINDS = {
    kind.name: kind
    for kind in [
        CellKind("standard", ("i", "f", "g", "o"), summary="forget gate, no peepholes (PyTorch's nn.LSTM)"),
        CellKind("1997", ("i", "g", "o"), summary="no forget gate: c_t = c_{t-1} + i_t g_t"),
        CellKind("peephole", ("i", "f", "g", "o"), peephole=True,
                 summary="forget gate and peepholes: i, f see c_{t-1}, o sees c_t"),
    ]
}


def get_cell_kind(cell):
    """Look up a cell kind by name (a CellKind passes through)."""
    if isinstance(cell, CellKind):
        return cell
    if cell not in CELL_KINDS:
        raise ValueError(f"unknown cell kind {cell!r}; expected one of {sorted(CELL_KINDS)}")
    return CELL_KINDS[cell]


def gate_slices(kind, hidden_size):
    """Gate name -> slice of the G*H axis that holds that gate's rows."""
    H = hidden_size
    return {name: slice(k * H, (k + 1) * H) for k, name in enumerate(kind.gates)}
