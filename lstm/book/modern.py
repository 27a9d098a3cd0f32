"""Chapter 10's diagram of the parallel scan: which position reads which, round by round.

    edges = scan_rounds(16)          # [(from, to, round, "up" | "down"), ...]
    fig = draw_scan_rounds(16)       # the loop's T rounds next to the scan's 2 log2 T - 1

`scan_rounds` follows `lstm.scan._pairs_scan` (the recursion behind `scan_parallel`):
going down the recursion, each odd position combines with its left neighbour ("up",
equation (2) of lstm.scan); coming back, each even position is filled in from the
odd position before it ("down"). Positions are 0-based.
"""
from __future__ import annotations

import numbers

import numpy as np

from . import plots
from .style import GATE_COLORS

__all__ = ["scan_rounds", "draw_scan_rounds"]


def _check_length(T):
    if isinstance(T, bool) or not isinstance(T, numbers.Integral) or T < 2:
        raise ValueError(f"T must be an integer of at least 2 positions, got {T!r}")
    return int(T)


def scan_rounds(T: int) -> list[tuple[int, int, int, str]]:
    """The (from, to, round, "up" or "down") edges of `_pairs_scan` on T positions:
    T - 1 combining steps up, and the fill-ins down, in 2 ceil(log2 T) - 1 rounds."""
    T = _check_length(T)
    depth_max = int(np.ceil(np.log2(T)))
    edges = []

    def visit(idx, depth):
        if len(idx) == 1:
            return
        odd, partner = idx[1::2], idx[0:len(idx) - 1:2]
        edges.extend((p, o, depth + 1, "up") for p, o in zip(partner, odd))
        visit(odd, depth + 1)
        edges.extend((idx[2 * j - 1], idx[2 * j], 2 * depth_max - depth - 1, "down")
                     for j in range(1, (len(idx) + 1) // 2))

    visit(list(range(T)), 0)
    return edges


def draw_scan_rounds(T: int = 16):
    """Two panels, time running down: the loop (one step per round, T rounds) and the
    parallel scan (`scan_rounds`), each arrow a multiply-add of two positions."""
    T = _check_length(T)
    edges = scan_rounds(T)
    rounds = max(r for _, _, r, _ in edges)
    arrows = ([((t, t), (t + 1, t + 1), GATE_COLORS["c"]) for t in range(T)],
              [((p, r - 1), (o, r), GATE_COLORS["i" if kind == "up" else "f"]) for p, o, r, kind in edges])
    fig, axes = plots.figure(2, width=7.1, height=4.2, sharey=True)  # 7.1 in: shown at 1x in the column
    for ax, drawn, title in zip(axes, arrows, (f"loop: {T} rounds", f"parallel scan: {rounds} rounds")):
        for start, end, color in drawn:
            ax.annotate("", xy=end, xytext=start, arrowprops=dict(arrowstyle="->", color=color, lw=1.2))
        ax.set(title=title, xlabel="position t")
    axes[0].set_ylabel("round")
    axes[0].scatter(range(T), range(T), s=12, color=GATE_COLORS["x"])
    axes[1].vlines(range(T), 0, rounds, color="0.85", lw=1, zorder=0)  # each position carries its value down
    axes[1].scatter(range(T), [0] * T, s=12, color=GATE_COLORS["x"])
    axes[1].scatter(range(T), [rounds] * T, s=12, color=GATE_COLORS["c"], label="$h_t$ final")
    axes[1].plot([], [], color=GATE_COLORS["i"], label="combine a pair (up)")
    axes[1].plot([], [], color=GATE_COLORS["f"], label="fill in (down)")
    axes[1].legend(loc="lower left")
    axes[0].invert_yaxis()  # shared: round 0 at the top of both panels
    fig.tight_layout()
    return fig
