"""What Hochreiter & Schmidhuber (1997) specify for their experiments, item by item, next to
what our registered paper setting does (`registry._paper`, the package's 1997 cell).

Sources in the paper: section 4 (abuse problem, internal state drift), section 5 (the
experiments; "on-line learning", "logistic sigmoids"; initial weights), tables 10 and 11
(the summary of experimental conditions) and appendix A.1 (the truncated learning rule).
Experiments are named as in `registry.EXPERIMENTS` ("1" is embedded Reber).

Each row: item, what the paper says (per experiment where it differs), what our paper
setting does, and `status`:
    "same"     our setting does what the paper says
    "differs"  it does not: a hypothesis, tried by scripts/paper_spec_probe.py
    "open"     the paper leaves it open or says two things; the probe tries each reading
"""
from typing import NamedTuple


class SpecRow(NamedTuple):
    item: str
    paper: str
    ours: str
    status: str  # "same", "differs" or "open"


SPEC = [
    SpecRow("memory blocks x cells", "1: 3 x 2; 2a, 2b: 1 x 1; 2c: 2 x 1; 3: 3 x 1; 4, 5, 6a: 2 x 2; 6b: 3 x 2",
            "as many cells, each with its own gates (a block's shared gate is repeated)", "differs"),
    SpecRow("output gate", "every experiment but 2a and 2b (\"no output gate required\")", "always", "differs"),
    SpecRow("what gates and cells see", "2a, 2b: the inputs only (10,504 weights); else inputs, cell outputs "
            "and gate activations of the previous step", "inputs and cell outputs", "differs"),
    SpecRow("what output units see", "2a, 2b: inputs and cell; else the cells only", "the same", "same"),
    SpecRow("biased units", "1: gates; 2a-2c: none; 3: hidden units; 4-6: all non-input units",
            "every gate, cell input and output unit", "differs"),
    SpecRow("cell input squashing g", "2a, 2b: logistic in [0, 1]; else 4 sigma - 2 in [-2, 2] (table 10's "
            "caption swaps the ranges of g and h)", "tanh, in [-1, 1]", "differs"),
    SpecRow("cell output squashing h", "2a, 2b: identity; else 2 sigma - 1 = tanh(x/2) in [-1, 1]",
            "tanh(x)", "differs"),
    SpecRow("initial weights", "U(-0.2, 0.2) in 1 and 2; U(-0.1, 0.1) after", "the same", "same"),
    SpecRow("initial gate biases", "out: 1: -1, -2, -3; 3: -2, -4, -6. in: 3: -1, -3, -5; 4: -3, -6; "
            "6a: -2, -4; 6b: -2, -4, -6; else random or none", "the same, per block", "same"),
    SpecRow("learning rate", "1: 0.5; 2a, 2b: 1.0; 2c: 0.01; 3a, 3b: 1.0; 3c: 0.1; 4: 0.5; 5: 0.1; "
            "6a: 0.5; 6b: 0.1", "the same", "same"),
    SpecRow("output units and error", "logistic; E(t) = sum_k (t_k - y_k)^2 (16), but e_k = f'(net_k)(t_k - y_k) "
            "(19), the gradient of half that", "logistic, 1/2 sum_k (t_k - y_k)^2, summed over scored steps",
            "open"),
    SpecRow("when weights change", "on-line; each step contributes alpha e_l y^m (22); \"each weight's total "
            "update is the sum of the contributions of all time steps\"", "once per sequence, the sum of "
            "the steps' contributions", "open"),
    SpecRow("which error flows where", "output error into cells and output gates through the output "
            "weights; into input gates and cell inputs only through the cell state; none through recurrent "
            "weights (A.1)", "the same (cec_only; equal to 1e-12)", "same"),
    SpecRow("cells added during training", "2a: \"once the error has stopped decreasing\" (how judged: not said)",
            "present from the start", "open"),
    SpecRow("state reset", "after every sequence", "the same", "same"),
    SpecRow("success, 1", "every string of training and test set: the units of the possible next symbols "
            "are always the most active", "the outputs above 0.5 are exactly the possible next symbols",
            "differs"),
    SpecRow("success, 2a-2c", "10,000 successive random sequences, every output's error below 0.25 (2c: 0.2)",
            "the same error bounds, on a fresh check set: 2a: 256 (both sequences); 2b: 2,000; "
            "2c: 10,000 at q = 50 and 100, 1,000 at q = 500 and 1000", "differs"),
    SpecRow("stopping, 3-6", "3: ST1/ST2 on 256 test sequences; 4: ST3(0.01); 5: n_seq; 6: ST3(0.1)",
            "the same", "same"),
]


def rows(status=None):
    """The rows of SPEC, all or those with the given status."""
    if status is not None and status not in ("same", "differs", "open"):
        raise ValueError(f"status must be 'same', 'differs', 'open' or None, got {status!r}")
    return [r for r in SPEC if status is None or r.status == status]
