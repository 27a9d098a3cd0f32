"""Drawing a finite automaton (`lstm.automata.Automaton`) with matplotlib, for chapter 6.

Labels are drawn at 11 pt (states) and 10.5 pt (symbols on the arrows), so that in a
figure about 5 in wide they stay readable (about 11 px) when a phone shows it at its
column width.

    fig, ax = plots.figure(width=4.8)
    draw_automaton(ax, machine, symbols=["B", "T", "P", "S", "X", "V", "E"])
    fig = draw_comparison(true_full, true_min, extracted, SYMBOLS, final=E)  # the two, state by state
"""
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch

from lstm.automata import pair_states

from . import plots
from .style import SERIES_COLORS


def draw_automaton(ax, machine, symbols, positions=None, names=None, start_label="start", final=None, color="C0"):
    """Draw a Moore machine with matplotlib: circles for states, arrows labelled with
    symbols. positions: (Q, 2) or None (a circle). final: a symbol index; states whose
    label allows it get an arrow to a double-circled end node."""
    Q = machine.n_states
    if positions is None:
        angle = 2 * np.pi * np.arange(Q) / max(Q, 1)
        positions = np.c_[np.cos(angle), np.sin(angle)]
    positions = np.asarray(positions, dtype=float)
    r = 0.2  # state radius, in layout units: room for an 11 pt name
    for q in range(Q):
        ax.add_patch(Circle(positions[q], r, fill=True, fc="white", ec=color, lw=2, zorder=3))
        ax.text(*positions[q], names[q] if names is not None else str(q), ha="center", va="center", fontsize=11, zorder=4)
    s = positions[machine.start]
    ax.annotate(start_label, xy=s - [r, 0], xytext=s - [3 * r, 0], ha="right", va="center", fontsize=11,
                arrowprops=dict(arrowstyle="->", color="k"))
    edges = {}
    for p in range(Q):
        for a in range(machine.n_symbols):
            q = int(machine.delta[p, a])
            if q >= 0:
                edges.setdefault((p, q), []).append(symbols[a])
    end = None
    if final is not None:
        enders = [q for q in range(Q) if (int(machine.labels[q]) >> final) & 1]
        if enders:
            end = positions[enders].mean(0) + [0.9, 0.0]
            ax.add_patch(Circle(end, r, fill=False, ec="k", lw=1.5))
            ax.add_patch(Circle(end, 0.75 * r, fill=False, ec="k", lw=1.5))
            for q in enders:
                edges.setdefault((q, "end"), []).append(symbols[final])
    for (p, q), labs in edges.items():
        a, b = positions[p], (end if q == "end" else positions[q])
        text = ",".join(labs)
        if q != "end" and p == q:  # a self-loop: a small arc above the state
            arrow = FancyArrowPatch(a + [-0.08, r], a + [0.08, r], connectionstyle="arc3,rad=-2.2",
                                    arrowstyle="-|>", mutation_scale=12, color=color, lw=1.2)
            ax.add_patch(arrow)
            ax.text(a[0], a[1] + 2.2 * r, text, ha="center", va="bottom", fontsize=10.5)
            continue
        d = (b - a) / (np.linalg.norm(b - a) + 1e-12)
        bend = 0.25 if q != "end" and (q, p) in edges else 0.0
        arrow = FancyArrowPatch(a + r * d, b - r * d, connectionstyle=f"arc3,rad={bend}", arrowstyle="-|>",
                                mutation_scale=12, color=color, lw=1.2)
        ax.add_patch(arrow)
        mid = (a + b) / 2 + bend * 0.5 * np.array([d[1], -d[0]]) * np.linalg.norm(b - a)
        ax.text(*mid, text, ha="center", va="center", fontsize=10.5,
                bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.85))
    ax.set_aspect("equal")
    ax.axis("off")
    ax.autoscale_view()
    pts = positions if end is None else np.vstack([positions, end])
    ax.set_xlim(pts[:, 0].min() - 0.8, pts[:, 0].max() + 0.5)
    ax.set_ylim(pts[:, 1].min() - 0.5, pts[:, 1].max() + 0.7)


#: Where the Reber grammar's states 1-6 (after the first B) are usually drawn.
REBER_LAYOUT = {1: (0, 0), 2: (1.3, 0.9), 3: (1.3, -0.9), 4: (2.8, 0.9), 5: (2.8, -0.9), 6: (4.0, 0)}


def draw_comparison(true_full, true_min, extracted, symbols, final, layout=REBER_LAYOUT, title=""):
    """Two drawings, one above the other: the true automaton ``true_min`` (minimised), its
    states named and placed as their partners in ``true_full`` (numbered as in ``layout``),
    and an ``extracted`` automaton equivalent to it, each state named and placed as its
    partner in the true one (found with `lstm.automata.pair_states`), so the two can be
    compared state by state. title: the extracted drawing's title. Returns the figure."""
    same, ext_pairs = pair_states(extracted, true_min)
    if not same:
        raise ValueError("the extracted automaton does not behave as the true one: there is no "
                         "state-by-state correspondence to draw")
    true_name = dict(pair_states(true_min, true_full)[1])  # state of true_min -> its number in layout
    ext_partner = dict(ext_pairs)  # state of extracted -> its partner in true_min
    partner = [true_name[ext_partner[q]] for q in range(extracted.n_states)]
    fig, (top, bottom) = plots.figure(1, 2, width=4.8, height=6.8)  # narrow: legible on a phone too
    for ax, machine, names, color in ((top, true_min, [true_name[q] for q in range(true_min.n_states)], 0),
                                      (bottom, extracted, partner, 1)):
        draw_automaton(ax, machine, symbols, positions=[layout[n] for n in names], names=[str(n) for n in names],
                       start_label="B", final=final, color=SERIES_COLORS[color])
    top.set_title(f"Reber grammar\n(states 1-{len(layout)}, after the first B)")
    bottom.set_title(title)
    fig.tight_layout()
    return fig
