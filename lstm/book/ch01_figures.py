"""Chapter 1's error-flow panels stacked one above the other, for the page's column.

``lag_panels_stacked`` draws what ``lstm.book.plain_rnn.lag_panels`` draws (one panel per
entry of ``panels``, the curves on a shared log scale, one legend below), but in one
column 4.8 in wide, so the text stays legible when a phone shows the figure ~350 px wide.
"""
from __future__ import annotations

from collections.abc import Mapping

from . import plots
from .plain_rnn import Y_RANGE, Y_TICKS, YLABEL

__all__ = ["lag_panels_stacked"]


def lag_panels_stacked(lags, panels: Mapping, *, styles=None, reference: float | None = None,
                       ncol: int | None = None, width: float = 4.8, panel_height: float = 2.7):
    """One panel per entry of ``panels`` (title -> {label: curve over ``lags``}), stacked,
    sharing the lag axis; ``reference``: a grey line at this height in every panel.
    Returns the figure."""
    if not isinstance(panels, Mapping) or not panels:
        raise ValueError(f"lag_panels_stacked: expected a mapping from panel titles to curves, got {panels!r}")
    n = len(panels)
    fig, axes = plots.figure(1, n, width=width, height=panel_height * n + 0.9, sharex=True, squeeze=False)
    for row, (ax, (title, curves)) in enumerate(zip(axes[:, 0], panels.items())):
        if reference is not None:
            plots.reference(ax, reference, style="-")
        plots.curves(ax, lags, curves, styles=styles, legend=False, yscale="log", ylim=Y_RANGE, title=title,
                     xlabel="lag q = T - t" if row == n - 1 else None)
        ax.set(ylabel=YLABEL, yticks=Y_TICKS)
    return plots.legend_below(fig, axes[0, 0], ncol=ncol)
