"""One step of a cell, drawn from its definition in `lstm.cells` (and the GRU's own layout).

The layout is Olah's (2015): the cell state c runs along the top (the carousel),
the gates sit in a row below it, and h_{t-1} with x_t runs along the bottom as the
bus that feeds every gate:

    c_{t-1} ──(×)──────(+)──────────┬──── c_t
               │        │          tanh
               f   i ─>(×)<─ g      │
                              o ──>(×)
                                    │
    h_{t-1} ── the bus to f, i, g, o └──── h_t
          x_t ┘

Peepholes (dashed) run from c_{t-1} to i and f and from c_t to o.

What is drawn follows the CellKind, so each member of the family shows exactly
what it computes: a gate box per entry of ``kind.gates`` (with its activation), a
dashed wire per peephole, the coupled node ``1 − i`` of cifg in place of the
forget gate, the previous step's gates for fgr, no ``tanh`` on c for noaf. A
missing gate is the constant 1: its multiplication node is gone and a grey note
says so.

Every element a test or a reader may look for is tagged: ``<g class="gate"
data-gate="f" data-activation="sigmoid">``, ``<path class="peephole"
data-gate="i">``, ``<g class="coupled" data-gate="f" data-from="i">``,
``<path class="gate-recurrence" data-gate="o">``, and, in the live diagram,
``<text class="value" data-name="c" data-value="0.4813...">``.
"""
from __future__ import annotations

from lstm.cells import CELL_KINDS, CellKind, get_cell_kind

from ..style import GATE_COLORS
from ._svg import Canvas

__all__ = ["cell_diagram", "lstm_layout"]

W, H = 520, 380
Y_C, Y_MUL, Y_GATE, Y_REC, Y_BUS = 52, 132, 227, 284, 322
Y_LABEL = 172  # gate names, between the products and the boxes  # carousel, products, gates, fgr line, input bus
X_LEFT, X_RIGHT = 58, 478  # where the state lines start and end (labels outside)
SLOT = {"f": 130, "i": 205, "g": 285, "o": 370}  # each gate's column, the same in every cell
X_ADD, X_OUT = 245, 440  # the + node on the carousel; the column of tanh(c) and h
X_PEEP = 86  # where the peepholes of i and f tap c_{t-1}
BOX_W, BOX_H = 58, 50
ACTIVATION_SYMBOL = {"sigmoid": "σ", "tanh": "tanh", "identity": "linear"}
LABEL = 26  # names of states and gates: 13.6 CSS px (subscripts 10.9) in the 358 px column of a phone
WORD = 20  # "tanh" and the other words inside boxes and ellipses
NOTE = "#8a8a8a"


def _activation(kind, gate):
    return kind.input_activation if gate == "g" else "sigmoid"


def cell_diagram(kind="standard"):
    """One step of a cell: any name of `lstm.CELL_KINDS`, a CellKind, or "gru".

    Returns a Diagram (shows itself in Jupyter; ``.svg``, ``.save(path)``).
    """
    if isinstance(kind, str) and kind == "gru":
        return gru_layout().diagram("lstm-diagram cell", kind="gru")
    kind = _kind(kind)
    return lstm_layout(kind).diagram("lstm-diagram cell", kind=kind.name)


def _kind(kind):
    if not isinstance(kind, (str, CellKind)):
        raise TypeError(f"kind must be a cell name (one of lstm.CELL_KINDS, or 'gru') or a CellKind, "
                        f"got {type(kind).__name__}")
    if isinstance(kind, str) and kind not in CELL_KINDS:
        raise ValueError(f"unknown cell kind {kind!r}; expected one of {sorted(CELL_KINDS)} or 'gru'")
    return get_cell_kind(kind)


def _gate_wire_style(values, name):
    """Width and opacity of a gate's output wire: fixed, or from the gate's value in a live diagram."""
    if values is None or name not in values:
        return 2.5, None
    v = min(abs(float(values[name])), 1.0)  # sigmoid gates in [0, 1]; |g| in [0, 1] for tanh
    return 1.0 + 6.0 * v, round(0.3 + 0.7 * v, 3)


def lstm_layout(kind, values=None, title=None):
    """The Canvas of one step of an LSTM-family cell; `values` (name -> number) makes it live.

    values may hold i, f, g, o (those the cell has; f for cifg), c_prev, c, h_prev, h;
    each is written at its place, and a gate's value sets its wire's width and opacity.
    """
    gates = set(kind.gates)
    caption = title or f"One step of the {kind.name} LSTM cell"
    cv = Canvas(W, H, caption)
    color = GATE_COLORS
    live = values is not None

    # the input bus: h_{t-1} from the left, x_t from below; it ends at the last gate it feeds
    bus_end = max(SLOT[g] for g in gates)
    cv.wire([(X_LEFT, Y_BUS), (bus_end, Y_BUS)], color=color["h"], width=2.5, arrow=False)
    cv.text(X_LEFT - 8, Y_BUS, "h_{t-1}", anchor="end", size=LABEL, color=color["h"])
    cv.wire([(X_PEEP, H - 34), (X_PEEP, Y_BUS + 4)], color=color["x"], width=2.5, arrow=False)
    cv.dot(X_PEEP, Y_BUS, color["x"], r=4.5)
    cv.text(X_PEEP, H - 20, "x_t", size=LABEL, color=color["x"])

    # fgr: the gates of step t-1 feed i, f, o (drawn first: the inputs from the bus cross it)
    if kind.gate_recurrence:
        cv.text(4, Y_REC - 16, "i,f,o_{t-1}", anchor="start", size=18, color=NOTE)
        targets = [g for g in ("i", "f", "o") if g in gates]
        cv.wire([(4, Y_REC), (max(SLOT[g] for g in targets) - 18, Y_REC)], color=NOTE, width=1.8,
                arrow=False, dash="6 4")
        for g in targets:
            cv.wire([(SLOT[g] - 18, Y_REC), (SLOT[g] - 18, Y_GATE + BOX_H / 2)], color=color[g], width=1.8,
                    dash="6 4", cls="gate-recurrence", data={"gate": g})

    # the carousel: c_{t-1} -> [x f] -> + -> c_t
    cv.text(X_LEFT - 8, Y_C, "c_{t-1}", anchor="end", size=LABEL, color=color["c"])
    cv.text(X_RIGHT + 6, Y_C, "c_t", anchor="start", size=LABEL, color=color["c"])
    cv.wire([(X_LEFT, Y_C), (X_RIGHT, Y_C)], color=color["c"], width=4)

    if kind.has_forget_gate or kind.coupled:
        cv.node(SLOT["f"], Y_C, "×", color=color["f"], cls="op", data={"op": "forget"})
    else:
        cv.text(SLOT["f"], Y_C - 20, "f = 1", size=18, color=NOTE, math=False, cls="absent", data={"gate": "f"})
    cv.node(X_ADD, Y_C, "+", color=color["c"], cls="op", data={"op": "add"})

    # peepholes: i and f see c_{t-1}, o sees c_t (dashed, in the gate's colour)
    if kind.peephole:
        if "f" in gates:
            cv.wire([(X_PEEP, Y_C), (X_PEEP, Y_GATE), (SLOT["f"] - BOX_W / 2, Y_GATE)], color=color["f"],
                    width=1.8, dash="5 4", cls="peephole", data={"gate": "f"})
        if "i" in gates:
            x_in = SLOT["i"] - 16
            cv.wire([(X_PEEP, Y_C), (X_PEEP, Y_C + 42), (x_in, Y_C + 42), (x_in, Y_GATE - BOX_H / 2)], color=color["i"],
                    width=1.8, dash="5 4", halo=True, cls="peephole", data={"gate": "i"})
        if "o" in gates:
            cv.wire([(SLOT["o"] - 16, Y_C), (SLOT["o"] - 16, Y_GATE - BOX_H / 2)], color=color["o"], width=1.8,
                    dash="5 4", cls="peephole", data={"gate": "o"})
            cv.dot(SLOT["o"] - 16, Y_C, color["c"])
        cv.dot(X_PEEP, Y_C, color["c"])

    # i * g, written into the carousel at +
    if "i" in gates:
        cv.wire([(X_ADD, Y_MUL - 13), (X_ADD, Y_C + 13)], color=color["c"], width=2.5)
        cv.node(X_ADD, Y_MUL, "×", color=color["i"], cls="op", data={"op": "write"})
    else:
        cv.text(SLOT["i"], Y_MUL + 34, "i = 1", size=18, color=NOTE, math=False, cls="absent", data={"gate": "i"})

    for g in kind.gates:
        _gate(cv, kind, g, values)

    if "i" not in gates:  # nig: the candidate goes straight into the carousel
        width, opacity = _gate_wire_style(values, "g")
        x = SLOT["g"]
        cv.wire([(x, Y_GATE - BOX_H / 2), (x, Y_MUL), (X_ADD, Y_MUL), (X_ADD, Y_C + 13)], color=color["g"],
                width=width, opacity=opacity)

    if kind.coupled:  # cifg: f = 1 - i, drawn where the forget gate would be
        width, opacity = _gate_wire_style(values, "f")
        with cv.group("coupled", gate="f", **{"from": "i"}):
            cv.wire([(SLOT["i"], Y_LABEL), (SLOT["f"] + 17, Y_LABEL)], color=color["i"], width=2.5)
            cv.dot(SLOT["i"], Y_LABEL, color["i"])
            cv.wire([(SLOT["f"], Y_LABEL - 17), (SLOT["f"], Y_C + 13)], color=color["f"], width=width,
                    opacity=opacity)
            cv.node(SLOT["f"], Y_LABEL, "1−", color=color["f"], r=17, size=18)
            cv.text(SLOT["f"] + 10, Y_C + 58, "f_t", anchor="start", size=LABEL, color=color["f"])
            if live:
                _value(cv, SLOT["f"] - 22, Y_LABEL + 2, "f", values, anchor="end")

    # the output: h_t = o_t * tanh(c_t)
    y_top = Y_C
    if kind.output_activation == "tanh":
        cv.wire([(X_OUT, Y_C), (X_OUT, Y_MUL - 16)], color=color["c"], width=2.5, arrow=False)
        with cv.group("activation", of="c", name="tanh"):
            cv.ellipse(X_OUT, Y_MUL, 30, 16, color=color["c"])
            cv.text(X_OUT, Y_MUL, "tanh", size=WORD, color=color["c"], math=False)
        y_top = Y_MUL + 16
    else:
        cv.text(X_OUT + 8, Y_MUL, "no tanh", size=18, color=NOTE, math=False, anchor="start", cls="absent",
                data={"activation": "output"})
    cv.dot(X_OUT, Y_C, color["c"])
    if "o" in gates:
        cv.wire([(X_OUT, y_top), (X_OUT, Y_GATE - 13)], color=color["c"], width=2.5)
        cv.node(X_OUT, Y_GATE, "×", color=color["o"], cls="op", data={"op": "read"})
        cv.wire([(X_OUT, Y_GATE + 13), (X_OUT, Y_BUS), (X_RIGHT, Y_BUS)], color=color["h"], width=2.5)
    else:
        cv.text(X_OUT + 8, Y_GATE, "o = 1", size=18, color=NOTE, math=False, anchor="start", cls="absent",
                data={"gate": "o"})
        cv.wire([(X_OUT, y_top), (X_OUT, Y_BUS), (X_RIGHT, Y_BUS)], color=color["h"], width=2.5)
    cv.text(X_RIGHT + 6, Y_BUS, "h_t", anchor="start", size=LABEL, color=color["h"])

    if live:
        # From the left edge, not ending at the line: a negative value such as -0.500 is
        # wider than the margin left of X_LEFT and would be cut off.
        _value(cv, 2, Y_C + 31, "c_prev", values, anchor="start")
        _value(cv, W - 2, Y_C + 31, "c", values, anchor="end")
        _value(cv, 2, Y_BUS + 31, "h_prev", values, anchor="start")
        _value(cv, W - 2, Y_BUS + 31, "h", values, anchor="end")
    return cv


def _gate(cv, kind, g, values):
    """A gate's box with its activation, the wire from the bus and the wire to its node."""
    color = GATE_COLORS[g]
    x = SLOT[g]
    activation = _activation(kind, g)
    width, opacity = _gate_wire_style(values, g)
    top = Y_GATE - BOX_H / 2
    live = values is not None and g in values
    with cv.group("gate", gate=g, activation=activation):
        cv.wire([(x, Y_BUS), (x, Y_GATE + BOX_H / 2)], color=GATE_COLORS["h"], width=2, halo=kind.gate_recurrence)
        cv.dot(x, Y_BUS, GATE_COLORS["h"])
        if g == "f":
            cv.wire([(x, top), (x, Y_C + 13)], color=color, width=width, opacity=opacity)
            label_at = (x + 10, Y_LABEL)
        elif g == "i":
            cv.wire([(x, top), (x, Y_MUL), (X_ADD - 13, Y_MUL)], color=color, width=width, opacity=opacity)
            label_at = (x + 10, Y_LABEL)
        elif g == "g":
            if "i" in kind.gates:
                cv.wire([(x, top), (x, Y_MUL), (X_ADD + 13, Y_MUL)], color=color, width=width, opacity=opacity)
            label_at = (x + 10, Y_LABEL)
        else:  # o
            cv.wire([(x + BOX_W / 2, Y_GATE), (X_OUT - 13, Y_GATE)], color=color, width=width, opacity=opacity)
            label_at = (x - 8, Y_LABEL)  # above its box like the other names, right of the peephole wire at x - 16
        # live: the more open the gate, the stronger its box's tint
        tint = 0.12 if not live else round(0.06 + 0.4 * min(abs(float(values[g])), 1.0), 3)
        cv.box(x, Y_GATE, BOX_W, BOX_H, color=color, fill=color, opacity=tint)
        cv.text(x, Y_GATE - (10 if live else 0), ACTIVATION_SYMBOL[activation],
                size=26 if activation == "sigmoid" else WORD, color=color, math=False)
        cv.text(*label_at, g + "_t", anchor="start", size=LABEL, color=color)
        if live:
            _value(cv, x, Y_GATE + 13, g, values, size=20)  # >= 9 CSS px when the page is 390 px wide


def _value(cv, x, y, name, values, anchor="middle", size=22):
    """A number of a live diagram, tagged with its name and its exact value."""
    v = float(values[name])
    text = f"{v:.3f}"
    if text == "-0.000":  # a tiny negative number rounds to 0 and keeps its sign; show it as 0
        text = "0.000"
    cv.text(x, y, text, size=size, anchor=anchor, math=False, color="#111111", cls="value",
            data={"name": name, "value": repr(v)}, halo=True)


def gru_layout():
    """The Canvas of one GRU step (PyTorch's form, lstm.gru):

        r = σ(·), z = σ(·), n = tanh(W_in x + b_in + r * (W_hn h_{t-1} + b_hn)),
        h_t = (1 - z) * n + z * h_{t-1}
    h is the only state: it runs along the top, where z keeps it and (1 - z) n replaces it.
    """
    cv = Canvas(W, H, "One step of the GRU")
    color = GATE_COLORS
    x_z, x_r, x_rmul, x_n = 130, 210, 290, 370
    cv.text(X_LEFT - 8, Y_C, "h_{t-1}", anchor="end", color=color["h"])
    cv.text(X_RIGHT + 6, Y_C, "h_t", anchor="start", color=color["h"])
    cv.wire([(X_LEFT, Y_C), (X_RIGHT, Y_C)], color=color["h"], width=4)
    # h_{t-1} also drops to the bus that feeds the gates, with x_t
    cv.dot(74, Y_C, color["h"])
    cv.wire([(74, Y_C), (74, Y_BUS), (x_n, Y_BUS)], color=color["h"], width=2.5, arrow=False)
    cv.wire([(100, H - 26), (100, Y_BUS + 4)], color=color["x"], width=2.5, arrow=False)
    cv.dot(100, Y_BUS, color["x"], r=4.5)
    cv.text(100, H - 12, "x_t", color=color["x"])
    cv.node(x_z, Y_C, "×", color=color["f"], cls="op", data={"op": "keep"})
    cv.node(x_n, Y_C, "+", color=color["h"], cls="op", data={"op": "add"})

    def box(x, gate, symbol, gate_color, **extra):
        with cv.group("gate", gate=gate, activation="sigmoid" if symbol == "σ" else "tanh", **extra):
            cv.wire([(x, Y_BUS), (x, Y_GATE + BOX_H / 2)], color=color["h"], width=2)
            cv.dot(x, Y_BUS, color["h"])
            cv.box(x, Y_GATE, BOX_W, BOX_H, color=gate_color, fill=gate_color, opacity=0.12)
            cv.text(x, Y_GATE, symbol, size=24 if symbol == "σ" else 17, color=gate_color, math=False)

    # z: keeps h_{t-1} (× on the top line) and, as 1 - z, lets the candidate in
    box(x_z, "z", "σ", color["f"])
    cv.wire([(x_z, Y_GATE - BOX_H / 2), (x_z, Y_C + 13)], color=color["f"], width=2.5)
    cv.text(x_z + 10, Y_LABEL, "z_t", anchor="start", color=color["f"])
    cv.dot(x_z, Y_MUL, color["f"])
    with cv.group("coupled", gate="1-z", **{"from": "z"}):
        cv.wire([(x_z, Y_MUL), (x_rmul - 17, Y_MUL)], color=color["f"], width=2.5)
        cv.node(x_rmul, Y_MUL, "1−", color=color["i"], r=17, size=18)
        cv.wire([(x_rmul + 17, Y_MUL), (x_n - 13, Y_MUL)], color=color["i"], width=2.5)
    cv.node(x_n, Y_MUL, "×", color=color["i"], cls="op", data={"op": "write"})
    cv.wire([(x_n, Y_MUL - 13), (x_n, Y_C + 13)], color=color["g"], width=2.5)
    # r: scales the recurrent part of the candidate
    box(x_r, "r", "σ", color["o"])
    y_r = Y_LABEL + 6
    cv.wire([(x_r, Y_GATE - BOX_H / 2), (x_r, y_r), (x_rmul, y_r), (x_rmul, Y_GATE - 13)], color=color["o"], width=2.5)
    cv.text(x_r + 10, Y_LABEL - 12, "r_t", anchor="start", color=color["o"])
    cv.wire([(x_rmul, Y_BUS), (x_rmul, Y_GATE + 13)], color=color["h"], width=2)
    cv.dot(x_rmul, Y_BUS, color["h"])
    cv.text(x_rmul + 5, Y_BUS - 30, "W_{hn}h_{t-1}", anchor="start", size=18, color=color["h"], halo=True)
    cv.node(x_rmul, Y_GATE, "×", color=color["o"], cls="op", data={"op": "reset"})
    cv.wire([(x_rmul + 13, Y_GATE), (x_n - BOX_W / 2, Y_GATE)], color=color["o"], width=2.5)
    # n: the candidate
    box(x_n, "n", "tanh", color["g"])
    cv.wire([(x_n, Y_GATE - BOX_H / 2), (x_n, Y_MUL + 13)], color=color["g"], width=2.5)
    cv.text(x_n + 10, Y_LABEL + 8, "n_t", anchor="start", color=color["g"])
    return cv
