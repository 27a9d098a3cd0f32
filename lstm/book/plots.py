"""The book's figures: one style, set once, and the few shapes the chapters draw.

d2l's ``d2l.plot`` is the model: a figure cell should say *what* it shows (which
curves, which axes, which reference line), and leave *how* to one place, here.

    from lstm.book import plots
    fig, (left, right) = plots.figure(2)          # the book's size and style
    plots.curves(left, steps, {"1997 cell": c_1997, "with forget gate": c_forget},
                 xlabel="step t", ylabel="$|c_t|$", yscale="log")
    plots.reference(left, 0.5, "chance")
    plots.gates(right, steps, {"i": i_t, "f": f_t, "o": o_t})   # the book's gate colours
    plots.show(fig)

Every figure is at most ``MAX_FIGURE_INCHES`` wide, so the website never shrinks it
below a legible scale (see ``lstm.book.widgets``); ``figure`` refuses wider ones.
"""
from __future__ import annotations

import numbers
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np

from .style import GATE_COLORS, SERIES_COLORS
from .figure_image import MAX_FIGURE_INCHES

__all__ = ["STYLE", "use_style", "figure", "curves", "gates", "reference", "legend_below", "show"]

#: The book's matplotlib settings. Text sizes are the page's caption size or larger
#: once the figure is shown at the column's width.
STYLE = {
    "font.size": 10,
    "axes.titlesize": 10.5,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.prop_cycle": plt.cycler(color=SERIES_COLORS),
    "lines.linewidth": 1.8,
    "legend.frameon": False,
    "figure.dpi": 100,
    "svg.fonttype": "none",  # SVG text stays text: smaller files, crisp at any zoom
}

#: Width (inches) of one panel, and the height of one row of panels: two panels side by side
#: are 7.5 in, which the site shows with 9 pt tick labels at 11 px or more (lstm.book.widgets).
PANEL_WIDTH, PANEL_HEIGHT = 3.6, 3.4


def use_style() -> None:
    """Apply ``STYLE``, and in a notebook draw figures at twice the screen's resolution.
    Idempotent: ``figure`` calls it, so a chapter never has to."""
    plt.rcParams.update(STYLE)
    try:  # only inside IPython (a notebook or the book build)
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats("retina")


def _positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def figure(ncols: int = 1, nrows: int = 1, width: float | None = None, height: float | None = None,
           **subplots):
    """A new figure of ``nrows x ncols`` panels in the book's style: ``(fig, axes)``, where
    axes is one Axes for a single panel and an array otherwise (as ``plt.subplots``).

    width, height: inches (default: ``PANEL_WIDTH`` per column, at most
    ``MAX_FIGURE_INCHES``, and ``PANEL_HEIGHT`` per row). Further keywords
    (``sharex``, ``sharey``, ``gridspec_kw``, ...) go to ``plt.subplots``.
    """
    ncols, nrows = _positive_int("ncols", ncols), _positive_int("nrows", nrows)
    width = min(PANEL_WIDTH * ncols + 0.3, MAX_FIGURE_INCHES) if width is None else width
    height = PANEL_HEIGHT * nrows if height is None else height
    for name, value in (("width", width), ("height", height)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value > 0:
            raise ValueError(f"{name} must be a positive number of inches, got {value!r}")
    if width > MAX_FIGURE_INCHES:
        raise ValueError(f"width must be at most {MAX_FIGURE_INCHES:.2f} in (wider figures are shrunk "
                         f"below a legible size on the page), got {width}")
    use_style()
    return plt.subplots(nrows, ncols, figsize=(width, height), **subplots)


def _series(x, ys):
    """[(label, x, y)] from a mapping label -> y or label -> (x_k, y_k) (a series with its
    own x), a list of 1-D arrays, or one array (each column of a 2-D array is a series,
    unlabelled); x None means 0, 1, ... for the series without their own x."""
    if isinstance(ys, Mapping):
        pairs = [(str(label), y) for label, y in ys.items()]
    else:
        arr = ys if isinstance(ys, (list, tuple)) else np.asarray(ys, dtype=float)
        if isinstance(arr, np.ndarray) and arr.ndim == 2:
            arr = list(arr.T)
        elif isinstance(arr, np.ndarray):
            arr = [arr]
        pairs = [(None, y) for y in arr]
    if not pairs:
        raise ValueError("curves: expected at least one series to draw, got none")
    series = []
    for label, y in pairs:
        own_x = isinstance(y, tuple) and len(y) == 2 and np.ndim(y[0]) == 1
        xs, y = (np.asarray(y[0]), np.asarray(y[1], dtype=float)) if own_x else (x, np.asarray(y, dtype=float))
        if y.ndim != 1:
            raise ValueError(f"curves: each series must be 1-D, got shape {y.shape} for {label or 'a series'}")
        xs = np.arange(len(y)) if xs is None else np.asarray(xs)
        if len(y) != len(xs):
            raise ValueError(f"curves: {label or 'a series'} has {len(y)} points but its x has {len(xs)}")
        series.append((label, xs, y))
    return series


def curves(ax, x, ys, *, colors=None, styles=None, legend=True, xlabel=None, ylabel=None, title=None,
           xscale=None, yscale=None, xlim=None, ylim=None, **line):
    """Draw one or more curves on ``ax`` against ``x`` (None: 0, 1, ...).

    ys: a mapping label -> values (each labelled in the legend), or label -> (x_k, y_k)
    for a series with x values of its own (as ``d2l.plot``), a list of 1-D arrays, or
    one array (2-D: one curve per column). colors, styles: one per curve (default:
    the book's series colours, solid lines). The axis keywords go to ``ax.set``;
    further keywords (``lw``, ``marker``, ``alpha``) to every line. Returns the lines.
    """
    series = _series(x, ys)
    colors = SERIES_COLORS if colors is None else list(colors)
    styles = ["-"] * len(series) if styles is None else list(styles)
    if len(styles) < len(series) or len(colors) < len(series):
        raise ValueError(f"curves: {len(series)} curves need as many colors and styles, "
                         f"got {len(colors)} and {len(styles)}")
    lines = [ax.plot(xs, y, styles[k], color=colors[k], label=label, **line)[0]
             for k, (label, xs, y) in enumerate(series)]
    axis = dict(xlabel=xlabel, ylabel=ylabel, title=title, xscale=xscale, yscale=yscale, xlim=xlim, ylim=ylim)
    ax.set(**{key: value for key, value in axis.items() if value is not None})
    if legend and any(label for label, _, _ in series):
        ax.legend()
    return lines


def gates(ax, x, values, *, legend=True, **axis):
    """Curves of gates and states named as in the equations ("i", "f", "g", "o", "c",
    "h", "x"), each in its book colour: ``values`` maps a name (or a name followed by
    a description, "f forget gate") to its values. Keywords as in ``curves``."""
    if not isinstance(values, Mapping) or not values:
        raise ValueError(f"gates: expected a mapping from gate names to values, got {type(values).__name__}")
    colors = []
    for label in values:
        name = str(label).split()[0].strip("$_{}")[:1]
        if name not in GATE_COLORS:
            raise ValueError(f"gates: each label must start with one of {sorted(GATE_COLORS)}, got {label!r}")
        colors.append(GATE_COLORS[name])
    return curves(ax, x, values, colors=colors, legend=legend, **axis)


def reference(ax, y, label=None, *, vertical=False, style="--"):
    """A grey reference line (chance level, a threshold, the paper's number) at ``y``
    (an x position if ``vertical``), behind the curves."""
    draw = ax.axvline if vertical else ax.axhline
    return draw(y, color="0.55", ls=style, lw=1, label=label, zorder=1)


def legend_below(fig, ax, ncol=None):
    """One legend for the whole figure, below its panels, with the entries of ``ax``
    (share it when every panel draws the same series)."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        raise ValueError("legend_below: the axes has no labelled lines to put in a legend")
    ncol = min(len(handles), 4) if ncol is None else _positive_int("ncol", ncol)
    rows = -(-len(handles) // ncol)
    fig.legend(handles, labels, loc="lower center", ncol=ncol)
    # room for the legend in inches (a row of entries is about 0.25 in), whatever the figure's height
    fig.tight_layout(rect=(0, min((0.15 + 0.25 * rows) / fig.get_size_inches()[1], 0.5), 1, 1))
    return fig


def show(fig, *, tight=True):
    """Lay the figure out and show it (a figure cell's last line)."""
    if tight and not fig.legends:  # legend_below has already laid the figure out
        fig.tight_layout()
    plt.show()
