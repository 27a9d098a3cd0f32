"""Chapter 0's figure: one LSTM step, for one unit, as labelled bars.

    fig, ax = plots.figure()
    step_bars(ax, unit=0, c_prev=c0, h=h1, c=c1, cell=cache.cell)

draws c_{t-1}, what the forget gate keeps of it (f c_{t-1}), what the input gate
writes (i g), their sum c_t, and h_t, each bar in its gate's colour and labelled
with its value, so a reader can follow equation (ch00-update) with the numbers.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .style import GATE_COLORS

__all__ = ["value_bars", "step_bars"]


def _label(value: float) -> str:
    """A value as the bar's label: three decimals, more for a small non-zero value."""
    if value == 0 or abs(value) >= 0.01:
        return f"{value:+.3f}"
    return f"{value:+.4f}" if abs(value) >= 1e-4 else f"{value:+.0e}"


def value_bars(ax, values: Mapping, colors, *, ylim=(-1.3, 1.3), title=None):
    """One bar per entry of ``values`` (tick label -> number), each labelled with its value.
    colors: one per bar. Returns the bars."""
    if not isinstance(values, Mapping) or not values:
        raise ValueError(f"value_bars: expected a non-empty mapping from labels to numbers, got {values!r}")
    colors = list(colors)
    if len(colors) != len(values):
        raise ValueError(f"value_bars: {len(values)} bars need as many colors, got {len(colors)}")
    heights = [float(v) for v in values.values()]
    bars = ax.bar(range(len(heights)), heights, color=colors)
    for bar, v in zip(bars, heights):
        ax.annotate(_label(v), (bar.get_x() + bar.get_width() / 2, v), ha="center",
                    va="bottom" if v >= 0 else "top", xytext=(0, 2 if v >= 0 else -2),
                    textcoords="offset points")
    ax.axhline(0, color="0.5", lw=0.5)
    ax.set(xticks=range(len(heights)), xticklabels=list(values), ylim=ylim)
    # the labels are maths with subscripts, set at 0.7 of the size: 12 pt, as the book's other text
    ax.tick_params(axis="x", labelsize=12)
    if title is not None:
        ax.set_title(title)
    return bars


def step_bars(ax, unit: int, c_prev, h, c, cell):
    """The parts of one step for one unit: c_prev, f c_prev, i g, c, h (unit ``unit`` of
    row 0). c_prev, h, c: (1, H) or (H,); cell: the step's lstm.cells.CellCache."""
    c_prev, h, c = (np.asarray(a, dtype=float).reshape(-1) for a in (c_prev, h, c))
    f, i, g = (np.asarray(a, dtype=float).reshape(-1) for a in (cell.f, cell.i, cell.g))
    if not 0 <= unit < len(c):
        raise ValueError(f"step_bars: unit must be in 0 .. {len(c) - 1}, got {unit!r}")
    parts = {"$c_0$": c_prev[unit], "$f_1 c_0$": f[unit] * c_prev[unit], "$i_1 g_1$": i[unit] * g[unit],
             "$c_1$": c[unit], "$h_1$": h[unit]}
    colors = ["0.6"] + [GATE_COLORS[k] for k in ("f", "i", "c", "h")]
    return value_bars(ax, parts, colors, title=f"Unit {unit}: from $c_0$ to $c_1$ and $h_1$")
