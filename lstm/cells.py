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

The variants of Greff et al. 2017 ("LSTM: A Search Space Odyssey") are each the
paper's *vanilla* LSTM minus one feature. Greff's vanilla LSTM has peepholes, so it
is our "peephole" cell, and every variant below keeps the peepholes of the gates it
still has. Greff's NP ("no peepholes") is our "standard" cell.

    nig   no input gate         i_t = 1                     gates f, g, o
    nfg   no forget gate        f_t = 1                     gates i, g, o
    nog   no output gate        o_t = 1                     gates i, f, g
    niaf  no input activation   g_t = a_g (linear)          gates i, f, g, o
    noaf  no output activation  h_t = o_t * c_t             gates i, f, g, o
    cifg  coupled input-forget  f_t = 1 - i_t               gates i, g, o
    fgr   full gate recurrence  i, f, o also see i, f, o of step t-1 through the
                                (3H, 3H) matrix weight_gates; run by `lstm.fgr.FGRLSTM`

`CellKind.equations` holds each cell's equations as text.
"""
from dataclasses import dataclass

RECURRENT_GATES = ("i", "f", "o")  # the gates that fgr feeds back, in this order


@dataclass(frozen=True)
class CellKind:
    name: str
    gates: tuple  # row blocks of weight_ih, weight_hh and bias, in this order
    peephole: bool = False  # adds weight_c<gate> (H,) for each of i, f, o the cell computes
    summary: str = ""
    input_activation: str = "tanh"  # squashes the candidate g; "identity" for niaf
    output_activation: str = "tanh"  # squashes c before the output gate; "identity" for noaf
    coupled: bool = False  # cifg: f_t = 1 - i_t, no forget rows of its own
    gate_recurrence: bool = False  # fgr: i, f, o see the previous step's i, f, o
    equations: str = ""

    @property
    def has_forget_gate(self):
        """True if the cell has forget-gate rows of its own (cifg derives f from i)."""
        return "f" in self.gates

    @property
    def peephole_names(self):
        """Names of the peephole vectors: weight_ci, weight_cf, weight_co for the gates it has."""
        if not self.peephole:
            return ()
        return tuple("weight_c" + x for x in RECURRENT_GATES if x in self.gates)

    def param_shapes(self, input_size, hidden_size):
        """Name -> shape of every parameter of this cell, for D = input_size, H = hidden_size."""
        G, D, H = len(self.gates), input_size, hidden_size
        shapes = {"weight_ih": (G * H, D), "weight_hh": (G * H, H), "bias": (G * H,)}
        shapes.update({name: (H,) for name in self.peephole_names})
        if self.gate_recurrence:
            shapes["weight_gates"] = (3 * H, 3 * H)
        return shapes

    def num_parameters(self, input_size, hidden_size):
        """How many numbers the cell's parameters hold, for D = input_size, H = hidden_size."""
        total = 0
        for shape in self.param_shapes(input_size, hidden_size).values():
            size = 1
            for s in shape:
                size *= s
            total += size
        return total


_PEEP_IN = "a_i + w_ci * c_{t-1}"
CELL_KINDS = {
    kind.name: kind
    for kind in [
        CellKind("standard", ("i", "f", "g", "o"), summary="forget gate, no peepholes (PyTorch's nn.LSTM)",
                 equations="i = s(a_i); f = s(a_f); g = tanh(a_g); o = s(a_o)\n"
                           "c_t = f * c_{t-1} + i * g; h_t = o * tanh(c_t)"),
        CellKind("1997", ("i", "g", "o"), summary="no forget gate: c_t = c_{t-1} + i_t g_t",
                 equations="i = s(a_i); g = tanh(a_g); o = s(a_o)\n"
                           "c_t = c_{t-1} + i * g; h_t = o * tanh(c_t)"),
        CellKind("peephole", ("i", "f", "g", "o"), peephole=True,
                 summary="forget gate and peepholes: i, f see c_{t-1}, o sees c_t",
                 equations="i = s(a_i + w_ci c_{t-1}); f = s(a_f + w_cf c_{t-1}); g = tanh(a_g)\n"
                           "c_t = f * c_{t-1} + i * g; o = s(a_o + w_co c_t); h_t = o * tanh(c_t)"),
        CellKind("nig", ("f", "g", "o"), peephole=True, summary="no input gate: i_t = 1",
                 equations="f = s(a_f + w_cf c_{t-1}); g = tanh(a_g)\n"
                           "c_t = f * c_{t-1} + g; o = s(a_o + w_co c_t); h_t = o * tanh(c_t)"),
        CellKind("nfg", ("i", "g", "o"), peephole=True, summary="no forget gate: f_t = 1",
                 equations="i = s(a_i + w_ci c_{t-1}); g = tanh(a_g)\n"
                           "c_t = c_{t-1} + i * g; o = s(a_o + w_co c_t); h_t = o * tanh(c_t)"),
        CellKind("nog", ("i", "f", "g"), peephole=True, summary="no output gate: o_t = 1",
                 equations="i = s(a_i + w_ci c_{t-1}); f = s(a_f + w_cf c_{t-1}); g = tanh(a_g)\n"
                           "c_t = f * c_{t-1} + i * g; h_t = tanh(c_t)"),
        CellKind("niaf", ("i", "f", "g", "o"), peephole=True, input_activation="identity",
                 summary="no input activation: g_t = a_g",
                 equations="i = s(a_i + w_ci c_{t-1}); f = s(a_f + w_cf c_{t-1}); g = a_g\n"
                           "c_t = f * c_{t-1} + i * g; o = s(a_o + w_co c_t); h_t = o * tanh(c_t)"),
        CellKind("noaf", ("i", "f", "g", "o"), peephole=True, output_activation="identity",
                 summary="no output activation: h_t = o_t c_t",
                 equations="i = s(a_i + w_ci c_{t-1}); f = s(a_f + w_cf c_{t-1}); g = tanh(a_g)\n"
                           "c_t = f * c_{t-1} + i * g; o = s(a_o + w_co c_t); h_t = o * c_t"),
        CellKind("cifg", ("i", "g", "o"), peephole=True, coupled=True,
                 summary="coupled input and forget gate: f_t = 1 - i_t",
                 equations="i = s(a_i + w_ci c_{t-1}); f = 1 - i; g = tanh(a_g)\n"
                           "c_t = f * c_{t-1} + i * g; o = s(a_o + w_co c_t); h_t = o * tanh(c_t)"),
        CellKind("fgr", ("i", "f", "g", "o"), peephole=True, gate_recurrence=True,
                 summary="full gate recurrence: i, f, o also see i, f, o of step t-1",
                 equations="[a_i, a_f, a_o] += [i_{t-1}, f_{t-1}, o_{t-1}] R^T   (R = weight_gates, 3H x 3H)\n"
                           "then as peephole: i = s(a_i + w_ci c_{t-1}); f = s(a_f + w_cf c_{t-1});\n"
                           "g = tanh(a_g); c_t = f * c_{t-1} + i * g; o = s(a_o + w_co c_t); h_t = o * tanh(c_t)"),
    ]
}

# Greff et al.'s names for the cells above: their vanilla LSTM is our peephole cell.
GREFF_NAMES = {"peephole": "V (vanilla)", "standard": "NP", "nig": "NIG", "nfg": "NFG", "nog": "NOG",
               "niaf": "NIAF", "noaf": "NOAF", "cifg": "CIFG", "fgr": "FGR"}


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
