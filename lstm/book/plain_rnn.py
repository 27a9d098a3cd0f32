"""Chapter 1's figure shape: how much error reaches q steps back, one panel per kind of unit.

    fig = lag_panels(lags, {"tanh units": {"w = 0.25": flow_tanh, ...},
                            "logistic units": {"w = 0.25": flow_sigmoid, ...}})
    plots.show(fig)

Every panel shares the same logarithmic y axis, from 1e-30 to 1e14 (so the panels, and
the positions of chapter 1's slider, compare at a glance), and one legend below them.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from . import plots

__all__ = ["lag_panels", "Y_RANGE", "Y_TICKS", "YLABEL"]

#: The y range of every panel (every curve of chapter 1 fits, up to w_max = 4) and its ticks.
Y_RANGE = (1e-30, 1e14)
Y_TICKS = 10.0 ** np.arange(-30, 11, 10)
YLABEL = r"$\|\delta_{T-q}\| \,/\, \|\delta_T\|$"


def lag_panels(lags, panels: Mapping, *, styles=None, reference: float | None = None, ncol: int | None = None,
               width: float | None = None, height: float = 4.2):
    """A figure with one panel per entry of ``panels`` (title -> {label: curve over
    ``lags``}), the curves on a shared log scale, and the legend of the first panel below.

    styles: one line style per curve of a panel (default: solid). reference: draw a
    grey line at this height in every panel (1.0: the error neither shrinks nor grows).
    ncol: columns of the legend. Returns the figure.
    """
    if not isinstance(panels, Mapping) or not panels:
        raise ValueError(f"lag_panels: expected a mapping from panel titles to curves, got {panels!r}")
    fig, axes = plots.figure(len(panels), width=width, height=height, sharey=True, squeeze=False)
    for ax, (title, curves) in zip(axes[0], panels.items()):
        if reference is not None:
            plots.reference(ax, reference, style="-")
        plots.curves(ax, lags, curves, styles=styles, legend=False, yscale="log", ylim=Y_RANGE,
                     xlabel="lag q = T - t", title=title)
    axes[0, 0].set(ylabel=YLABEL, yticks=Y_TICKS)
    return plots.legend_below(fig, axes[0, 0], ncol=ncol)
