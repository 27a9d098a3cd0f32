"""A recurrent network unrolled in time, and the backward graph of one LSTM step.

    unrolled_diagram("rnn", steps=3)    the loop of a recurrent layer, and the same
                                        network written out as a chain of steps
    carousel_diagram(steps=3)           the constant error carousel alone: one linear
                                        unit with self-weight 1.0, whose error goes
                                        back unchanged
    backward_diagram()                  where the error on c_{t-1} comes from: along
                                        the carousel through f_t, and through h_{t-1}
                                        and W_hh (with o_{t-1} and tanh of step t-1)

Tags for tests and readers: ``<g class="step" data-t="2">``, ``<path
class="recurrent" data-state="h" data-from="1" data-to="2">``, ``<path
class="input" data-t="1">``, ``<path class="output" data-t="1">``; in the
backward graph ``<g class="grad-path" data-path="carousel" data-to="dc_prev">``
and ``data-path="recurrent"``; in the carousel ``<path class="recurrent"
data-weight="1.0">`` forward and ``<path class="error" data-factor="1.0">`` back.
"""
from __future__ import annotations

import numbers

from ..style import GATE_COLORS
from ._svg import Canvas

__all__ = ["unrolled_diagram", "carousel_diagram", "backward_diagram"]

MAX_STEPS = 8
NOTE = "#8a8a8a"


def unrolled_diagram(kind="rnn", steps=3):
    """A recurrent network folded (one cell and its loop, above) and unrolled over `steps` steps (below).

    kind: "rnn" (one state h, h_t = tanh(W_ih x_t + W_hh h_{t-1} + b)) or "lstm" (two
    states, c and h, passed from step to step). steps: 1 .. 8. Every arrow that carries a
    state from one step to the next is labelled with the recurrent weights W_hh it passes;
    for the RNN a dashed arrow under each of them carries the error of a loss at the last
    step back, right to left. The folded cell sits above the chain, not beside it, so the
    drawing is narrow enough for its labels to stay legible on a phone. Returns a Diagram.
    """
    if kind not in ("rnn", "lstm"):
        raise ValueError(f"kind must be 'rnn' or 'lstm', got {kind!r}")
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be an integer 1 .. {MAX_STEPS}, got {steps!r}")
    states = ["c", "h"] if kind == "lstm" else ["h"]
    label = 26  # state and input names: 18 CSS px (subscripts 14.5) in a phone's 358 px column
    box_w, box_h = 76, 66
    y_fold, y_chain = 145, 445  # the boxes of the folded cell and of the chain
    x_fold, x_first, pitch = 150, 138, 132
    width = int(x_first + (steps - 1) * pitch + box_w / 2 + 82)
    name = "LSTM" if kind == "lstm" else "tanh"
    title = f"A {'plain RNN' if kind == 'rnn' else 'LSTM'} as a loop, and unrolled over {steps} steps"
    cv = Canvas(width, 590, title)
    color = GATE_COLORS

    def cell(x, y_box, label_t):
        cv.box(x, y_box, box_w, box_h, color="#444444", fill="#f2f2f2")
        cv.text(x, y_box, name, size=22, math=False, color="#222222")
        cv.wire([(x, y_box + 100), (x, y_box + box_h / 2)], color=color["x"], width=2.5, cls="input",
                data={"t": label_t})
        cv.text(x, y_box + 120, f"x_{label_t}", size=label, color=color["x"])
        cv.wire([(x, y_box - box_h / 2), (x, y_box - 92)], color=color["h"], width=2.5, cls="output",
                data={"t": label_t})
        cv.text(x, y_box - 112, f"h_{label_t}", size=label, color=color["h"])

    # folded: one cell whose states loop back into it (out on the right, back in below), through W_hh
    loops = {"h": (y_fold - 12, y_fold + 12)} if kind == "rnn" else {"c": (y_fold - 27, y_fold - 7),
                                                                     "h": (y_fold + 7, y_fold + 27)}
    with cv.group("folded"):
        cell(x_fold, y_fold, "t")
        x_r = x_fold + box_w / 2
        for s, (y_out, y_in) in loops.items():
            cv.wire([(x_r, y_out), (x_r + 40, y_out), (x_r + 40, y_in), (x_r + 1, y_in)], color=color[s],
                    width=3 if s == "c" else 2.5, cls="recurrent", data={"state": s, "from": "t", "to": "t+1"})
            cv.text(x_r + 47, (y_out + y_in) / 2, s, anchor="start", size=label, color=color[s])
        cv.text(x_r + 47, y_fold + 46, "W_{hh}", anchor="start", size=22, color="#444444")
    cv.text(12, 300, f"= unrolled over {steps} step{'s' if steps > 1 else ''}:", anchor="start", size=22,
            math=False, color="#444444")
    if kind == "rnn":
        cv.wire([(width - 150, 300), (width - 110, 300)], color=color["f"], width=2.2, dash="7 5", arrow=False)
        cv.text(width - 104, 300, "the error", anchor="start", size=20, math=False, color=color["f"])

    for k in range(steps):
        x = x_first + k * pitch
        with cv.group("step", t=k + 1):
            cell(x, y_chain, k + 1)
    # the states: from the initial state into step 1, from each step into the next, and on
    y_state = {"c": y_chain - 17, "h": y_chain + 17} if kind == "lstm" else {"h": y_chain - 12}
    for k in range(steps + 1):
        x_from = x_first + (k - 1) * pitch + box_w / 2 if k else x_first - box_w / 2 - 48
        x_to = x_first + k * pitch - box_w / 2 if k < steps else x_from + 40
        for s in states:
            y = y_state[s]
            cv.wire([(x_from, y), (x_to, y)], color=color[s], width=3 if s == "c" else 2.5, cls="recurrent",
                    data={"state": s, "from": k, "to": k + 1})
            if k == 0:
                cv.text(x_from - 4, y, f"{s}_0", anchor="end", color=color[s], size=label)
        if kind == "rnn" and 0 < k < steps:  # between two steps: the shared recurrent weights
            cv.text((x_from + x_to) / 2, y_chain - box_h / 2 - 14, "W_{hh}", size=22, color="#444444",
                    cls="weight", data={"from": k, "to": k + 1})
        if kind == "rnn" and k < steps:  # the error of the last step's loss, going back into h_k
            cv.wire([(x_to - 2, y_chain + 14), (x_from + 2, y_chain + 14)], color=color["f"], width=2.2,
                    dash="7 5", cls="error", data={"from": k + 1, "to": k})
        if k == steps:
            cv.text(x_to + 6, y_state[states[0]], "…", anchor="start", size=22, math=False, color="#444444")
    return cv.diagram("lstm-diagram unrolled", kind=kind, steps=steps)


def carousel_diagram(steps=3):
    """The constant error carousel alone (Hochreiter & Schmidhuber 1997, section 3.2).

    One linear unit with a self-connection of weight 1.0, unrolled over `steps` steps
    (1 .. 8): y_j(t) = y_j(t-1) + w_in x(t). Forward (solid), each step adds its input to
    what was there; backward (dashed), the error reaches y_j(t-1) multiplied by
    f'(net) w_jj = 1 * 1.0: unchanged at any distance. Returns a Diagram.
    """
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be an integer 1 .. {MAX_STEPS}, got {steps!r}")
    color = GATE_COLORS
    y_line, y_err, x_first, pitch, r = 150, 200, 150, 140, 17
    width = int(x_first + (steps - 1) * pitch + 120)
    cv = Canvas(width, 330, f"The constant error carousel: a linear unit with self-weight 1.0, over {steps} steps")
    cv.wire([(12, 18), (52, 18)], color=color["f"], width=2.2, dash="7 5", arrow=False)
    cv.text(60, 18, "the error, going back", anchor="start", size=18, math=False, color=color["f"])
    cv.text(x_first - pitch + 62, y_line - 24, "y_j(-1)", size=20, color=color["c"])  # steps count from 0
    for k in range(steps + 1):
        x_from = x_first + (k - 1) * pitch + r if k else x_first - pitch + 40
        x_to = x_first + k * pitch - r if k < steps else x_from + 62
        # forward: what the unit holds, passed on with weight 1.0
        cv.wire([(x_from, y_line), (x_to, y_line)], color=color["c"], width=4, cls="recurrent",
                data={"from": k, "to": k + 1, "weight": "1.0"})
        # backward: the error on y_j(t) reaches y_j(t-1) times f'(net) w_jj = 1.0
        cv.wire([(x_to - 4, y_err), (x_from + 4, y_err)], color=color["f"], width=2.2, dash="7 5", cls="error",
                data={"from": k + 1, "to": k, "factor": "1.0"})
        if 0 < k < steps:
            cv.text((x_from + x_to) / 2 + 12, y_line - 20, "× 1.0", size=18, math=False, color=color["c"])
            cv.text((x_from + x_to) / 2, y_err + 20, "× 1.0", size=18, math=False, color=color["f"])
    for k in range(steps):
        x = x_first + k * pitch
        with cv.group("step", t=k + 1):
            cv.node(x, y_line, "+", color=color["c"], r=r, cls="op", data={"op": "add"})
            cv.wire([(x, 290), (x, y_line + r)], color=color["x"], width=2.5, cls="input", data={"t": k + 1})
            cv.text(x, 308, f"x({k})", size=20, color=color["x"])
            cv.dot(x + 32, y_line, color["c"])
            cv.wire([(x + 32, y_line), (x + 32, 62)], color=color["h"], width=2.5, cls="output", data={"t": k + 1})
            cv.text(x + 32, 42, f"y_j({k})", size=20, color=color["h"])
    cv.text(x_first - 8, 270, "w_{in}", anchor="end", size=18, color=color["x"])
    x_end = x_first + (steps - 1) * pitch
    cv.text(x_end + 96, y_line, "…", size=22, math=False, color="#444444")
    return cv.diagram("lstm-diagram carousel", steps=steps)


def backward_diagram():
    """The backward graph of one LSTM step (standard cell): the two paths into dc_{t-1}.

    Gradients flow against the forward arrows. Highlighted: along the carousel, dc_t
    times f_t (orange); and from the gates' da_t through W_hh into dh_{t-1}, then
    through o_{t-1} and tanh of step t-1 into c_{t-1} (blue). Grey: the other paths of
    step t (into the gates, and from dh_t into dc_t). Returns a Diagram.
    """
    W, H = 560, 490
    cv = Canvas(W, H, "Backward through one LSTM step: the two paths of the error into dc_{t-1}")
    color = GATE_COLORS
    Y_C, Y_TANH, Y_GATES, Y_H = 78, 160, 250, 330
    x_prev, x_sep, x_f, x_add, x_out, x_gates, x_w = 100, 158, 250, 360, 455, 315, 222
    hi = 5.0  # width of a highlighted path
    grey = "#9a9a9a"

    # the two steps: the end of step t-1 (its output h_{t-1} = o_{t-1} tanh(c_{t-1})) and step t
    cv.wire([(x_sep, 30), (x_sep, Y_H - 48)], color="#cccccc", width=1.5, arrow=False, dash="4 5")
    cv.text(x_sep - 10, 20, "step t-1", anchor="end", size=21, math=False, color="#555555")
    cv.text(x_sep + 10, 20, "step t", anchor="start", size=21, math=False, color="#555555")

    # grey: the rest of step t's backward pass
    cv.text(W - 8, Y_C - 22, "from t+1", anchor="end", size=22, math=False, color=NOTE)
    cv.text((x_add + x_out) / 2 - 6, Y_C - 24, "dc_t", size=24, color=color["c"])
    cv.text(W - 14, Y_H - 24, "dh_t", anchor="end", size=24, color=color["h"])
    cv.wire([(W - 10, Y_H), (x_out, Y_H), (x_out, Y_GATES + 13)], color=grey, width=2)
    cv.node(x_out, Y_GATES, "×", color=color["o"], cls="op", data={"op": "read"})
    cv.wire([(x_out, Y_GATES - 13), (x_out, Y_TANH + 16)], color=grey, width=2)
    cv.ellipse(x_out, Y_TANH, 30, 16, color=color["c"])
    cv.text(x_out, Y_TANH, "tanh", size=20, math=False, color=color["c"])
    cv.wire([(x_out, Y_TANH - 16), (x_out, Y_C + 5)], color=grey, width=2)
    cv.wire([(x_out - 13, Y_GATES), (x_gates + 90, Y_GATES)], color=grey, width=2)
    cv.text((x_out + x_gates + 90) / 2 - 6, Y_GATES - 20, "da_o", size=23, color=color["o"])
    cv.box(x_gates, Y_GATES, 180, 46, color="#666666", fill="#f4f4f4")
    cv.text(x_gates, Y_GATES, "gates i, f, g, o", size=19, math=False, color="#333333")
    cv.wire([(x_add, Y_C + 13), (x_add, Y_GATES - 23)], color=grey, width=2)
    cv.text(x_add - 8, Y_TANH - 4, "da_i, da_g", anchor="end", size=22, color=color["i"])
    cv.wire([(x_f, Y_C + 13), (x_f, Y_GATES - 23)], color=grey, width=2)
    cv.text(x_f - 8, Y_TANH - 4, "da_f", anchor="end", size=22, color=color["f"])

    # orange: along the carousel, dc_{t-1} = dc_t * f_t
    with cv.group("grad-path", path="carousel", to="dc_prev", through="f"):
        cv.wire([(W - 10, Y_C), (x_add + 13, Y_C)], color=color["c"], width=hi)
        cv.wire([(x_add - 13, Y_C), (x_f + 13, Y_C)], color=color["c"], width=hi)
        cv.wire([(x_f - 13, Y_C), (x_prev + 16, Y_C)], color=color["c"], width=hi)
        cv.text((x_f + x_prev) / 2 + 10, Y_C + 26, "· f_t", size=24, color=color["f"], halo=True)
    cv.node(x_add, Y_C, "+", color=color["c"], cls="op", data={"op": "add"})
    cv.node(x_f, Y_C, "×", color=color["f"], cls="op", data={"op": "forget"})

    # blue: da_t -> W_hh -> dh_{t-1} -> through o_{t-1} and tanh -> dc_{t-1}
    with cv.group("grad-path", path="recurrent", to="dc_prev", through="W_hh"):
        cv.wire([(x_gates, Y_GATES + 23), (x_gates, Y_H), (x_w + 36, Y_H)], color=color["h"], width=hi)
        cv.box(x_w, Y_H, 72, 40, color=color["h"], fill="#ffffff")
        cv.text(x_w, Y_H, "W_{hh}", size=23, color="#222222")
        cv.wire([(x_w - 36, Y_H), (x_prev + 13, Y_H)], color=color["h"], width=hi)
        cv.wire([(x_prev, Y_H - 13), (x_prev, Y_GATES + 13)], color=color["h"], width=hi)
        cv.node(x_prev, Y_H, "+", color=color["h"])
        cv.node(x_prev, Y_GATES, "×", color=color["o"])
        cv.wire([(x_prev, Y_GATES - 13), (x_prev, Y_TANH + 16)], color=color["h"], width=hi)
        cv.ellipse(x_prev, Y_TANH, 30, 16, color=color["c"])
        cv.text(x_prev, Y_TANH, "tanh", size=20, math=False, color=color["c"])
        cv.wire([(x_prev, Y_TANH - 16), (x_prev, Y_C + 16)], color=color["h"], width=hi)
        cv.text(x_gates + 8, Y_H - 28 + 2, "da_t", anchor="start", size=23, color="#333333", halo=True)
        cv.text((x_w - 36 + x_prev) / 2 + 6, Y_H - 22, "dh_{t-1}", size=23, color=color["h"], halo=True)
        cv.text(x_prev + 17, Y_GATES - 20, "o_{t-1}", anchor="start", size=23, color=color["o"], halo=True)
    # dh_{t-1} also gets the error of step t-1's own output
    cv.wire([(x_prev, 395), (x_prev, Y_H + 13)], color=grey, width=2)
    cv.text(x_prev + 8, 386, "from y_{t-1}", anchor="start", size=22, color=NOTE)
    with cv.group("node", name="dc_prev"):
        cv.element("circle", cx=x_prev, cy=Y_C, r=16, fill=color["c"], fill_opacity=0.25, stroke=color["c"],
                   stroke_width=2.5)
        cv.text(x_prev, Y_C, "+", size=22, math=False, weight="bold", color=color["c"])
        cv.text(x_prev - 2, Y_C - 32, "dc_{t-1}", color=color["c"])

    cv.text(10, 432, "dc_{t-1} = dc_t · f_t", anchor="start", size=25, color=color["c"], italic=False, math=True)
    cv.text(10, 466, "+ dh_{t-1} · o_{t-1} · (1 - tanh^2 c_{t-1})", anchor="start", size=25, color=color["h"],
            italic=False, math=True)
    return cv.diagram("lstm-diagram backward", kind="standard")
