"""The book's figures: one style, set once, and the few shapes the chapters draw.

d2l's ``d2l.plot`` is the model: a figure cell should say *what* it shows (which
curves, which axes, which reference line), and leave *how* to one place, here.

    from lstm.book import plots
    fig, (left, right) = plots.figure(2)          # the book's size and style
    plots.curves(left, steps, {"1997 cell": c_1997, "with forget gate": c_forget},
                 xlabel="step t", ylabel="$|c_t|$", yscale="log")
    plots.reference(left, 0.5, "chance")
    plots.gates(right, steps, {"i": i_t, "f": f_t, "o": o_t})   # the book's gate colours
    plots.show(fig, alt="Left: |c_t| of the 1997 cell grows without bound while the cell "
                        "with a forget gate stays below 3. Right: the gates over the same steps.")

How to write a figure for the book (the site test, tests/site/check_site.py, checks each rule)
--------------------------------------------------------------------------------------------

1. **Write the alternative text as a comment in the cell**, ``# alt: <sentence>`` (by
   convention its first line; see "Where the alternative text comes from" below), and show the figure any way:
   ``plots.show(fig)``, a bare ``fig``, ``plt.show()``, or a helper that returns a
   figure. Importing this module in a notebook makes every matplotlib figure the
   notebook displays a PNG at twice the screen's resolution that records (text chunks,
   see ``image_metadata``) the smallest font size in points and the width in inches
   of the image (``install_png_formatter``). The site's build
   (tools/site/figure_images.py) puts the alternative text on the <img>, and the site
   test compares the recorded font size with the width the figure is shown at. A figure
   without alternative text, or without the record, fails the site test.
2. **Alternative text says what the figure shows**, as a sentence a reader who cannot
   see it would need: the axes, which curve does what, the point the text makes with
   it ("The forget gate's curve stays near 1 for 40 steps, then drops to 0.1"), not
   "figure" or a file name. Keep it under about 300 characters; the caption or the
   paragraph beside it can hold the rest.
3. **Size for the column.** The text column is ``COLUMN_PX`` (688) CSS px wide at a
   1280 px window and ``PHONE_COLUMN_PX`` (358) on a 390 px phone; figure text must be
   at least ``MIN_TEXT_PX`` (11) CSS px at 1280 and ``MIN_PHONE_TEXT_PX`` (9) on the
   phone; a subscript or superscript in a label's maths counts at 0.7 of the label's size,
   as matplotlib draws it. With the book's style (9 pt ticks, 12 pt for the rest, so
   8.4 pt subscripts) that means: a figure at most
   ``NARROW_WIDTH`` (4.6 in) wide passes at both widths on its own; a wider one (two or
   three panels side by side, up to ``MAX_FIGURE_INCHES``) needs a stacked variant for
   phones: draw it with ``plots.panels(draw, n, alt=...)``, which draws the panels side
   by side for wide screens and one under another for phones and shows both (the page
   loads only the one the screen needs), or pass ``narrow=`` a second figure to
   ``show``. A figure shown without one whose text would be under ``MIN_PHONE_TEXT_PX``
   on the phone (``show``, a bare ``fig``, an explorable's frame) gets one made for it:
   the same figure laid out again at ``phone_width`` (``narrow_layout``: a row of panels
   stacked, fonts unchanged); a given ``narrow=`` too wide for its text is laid out again
   the same way. ``text_sizes(fig)`` tells the CSS px of the smallest text at both widths.
   Log-scale axes: matplotlib labels their ticks $10^{k}$, whose exponent is 0.7 x 9 pt
   = 6.3 pt, 8.4 px at most, below the 11 px rule at any width; so every figure the
   book shows (``show``, a bare ``fig``, an explorable's frames) has its log-axis ticks
   written at full size first, "0.001", "1000", "1e-6" (``plain_log_ticks``).
4. **Integer quantities get integer ticks**: ``plots.integer_ticks(ax)`` (steps, lags,
   seeds, epochs; no "2.5" on an axis of positions).
5. **Curves that would hide each other** get different line styles or markers
   (``curves(..., styles=["-", "--", ":"])``) so each one shows where they overlap.
6. **Explorables** (lstm.book.widgets) show figures through widgets: each frame's PNG
   carries the same record, its alternative text from ``alt=`` or the calling cell's
   ``# alt:`` comment (an SVG frame has it as its <title>); _static/book.js copies it onto
   the widget's image. A frame too wide for a phone gets a stacked narrow variant
   (lstm.book.explorable.narrow_layout), and the site's build moves every frame into a
   file of its own that the page fetches only when it shows it (tools/site/widget_frames.py).
7. **Diagrams** (lstm.book.diagrams) are SVG; their <title> is their alternative text
   (pass ``alt=`` to the drawing functions that take it), and the site test measures
   their labels in the drawing itself.
8. **A figure drawn some other way** (``plt.show()``, a bare ``fig`` at the end of the
   cell, a helper that returns a figure) gets the same record as ``show``'s: importing
   this module installs the PNG formatter for matplotlib figures in the running kernel
   (the inline backend displays each figure still open at the end of a cell through it).
9. **Hide the plumbing**: tag a cell that only builds a figure or a table ``hide-input``
   (the reader sees the result, the source is one click away) or ``remove-input``.

Where the alternative text comes from
-------------------------------------

In order of precedence, a figure's alternative text is

* ``alt=`` given to ``show`` or ``panels`` (written into the PNG, ``META_ALT``), a
  cell's myst-nb metadata ``{"mystnb": {"image": {"alt": "..."}}}``, or a diagram's
  SVG <title>;
* otherwise, the ``# alt:`` comment of the code cell that displays it. When the site is
  built, tools/site/figure_images.py reads each code cell's source from the notebook
  (so it works for ``hide-input`` and ``remove-input`` cells alike, and for PNG and SVG
  figures; ``figure_images.alt_comments``) and gives the cell's k-th ``# alt:`` comment
  to its k-th figure (a figure's wide and narrow variants count as one). A comment
  continues on the next ``#`` lines until a line ends a sentence (``.``, ``!`` or ``?``)::

      # alt: Top: the gates over 40 steps; bottom: the cell state, flat between the
      # write (t = 5) and the read (t = 30).
      fig = chapter_figures.gates_and_state(run)
      fig

A figure with neither has no alternative text, and the site test fails it: nothing
invents one.

Every figure is at most ``MAX_FIGURE_INCHES`` wide, so the website never shrinks it
below a legible scale at 1280 px (see ``lstm.book.widgets``); ``figure`` refuses wider ones.
"""
from __future__ import annotations

import io
import numbers
import re
import struct
import warnings
import zlib
from collections.abc import Callable, Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.text import Text
from matplotlib.transforms import offset_copy
from matplotlib.ticker import LogFormatter, LogFormatterSciNotation, MaxNLocator

from .style import GATE_COLORS, SERIES_COLORS
from .figure_image import COLUMN_PX, CSS_PX_PER_INCH, MAX_FIGURE_INCHES, MIN_TEXT_PX

__all__ = ["STYLE", "use_style", "figure", "curves", "gates", "reference", "legend_below", "show",
           "panels", "integer_ticks", "plain_log_ticks", "image_metadata", "text_sizes", "png_bytes",
           "figure_png", "figure_pngs", "install_png_formatter", "phone_width", "narrow_layout",
           "PHONE_COLUMN_PX", "MIN_PHONE_TEXT_PX", "NARROW_WIDTH", "META_ALT", "META_TEXT_PT",
           "META_WIDTH_IN", "META_VARIANT"]

#: Width of the text column on a 390 px phone (sphinx-book-theme 1.3, measured), CSS px.
PHONE_COLUMN_PX = 358
#: The smallest text a figure may show on that phone, CSS px (at 1280 px: MIN_TEXT_PX, 11).
MIN_PHONE_TEXT_PX = 9.0
#: Width (inches) of a figure that shows the book's smallest text (9 pt) at 9 px or more on
#: the phone by itself: the width of a single panel, and of the stacked variant of a wider one.
NARROW_WIDTH = 4.6
#: PNG text-chunk keywords of the record ``show`` writes into every figure (``image_metadata``):
#: the alternative text, the smallest font size (points), the figure's width (inches), and
#: which variant it is ("wide", "narrow", or "only" when there is one).
META_ALT, META_TEXT_PT, META_WIDTH_IN, META_VARIANT = "Description", "lstm-text-pt", "lstm-width-in", "lstm-variant"
#: PNG resolution of ``show``: twice the 96 CSS px per inch at which a figure is shown.
SHOW_DPI = 2 * CSS_PX_PER_INCH

#: The book's matplotlib settings. Tick labels (numbers, no subscripts) are 9 pt; every
#: other text is 12 pt, so that a subscript in it ($c_t$: 0.7 x 12 = 8.4 pt) still shows
#: at 11 CSS px in the 688 px column and at 9 px on a phone (a figure at most NARROW_WIDTH).
STYLE = {
    "font.size": 12,
    "axes.titlesize": 12,
    "axes.labelsize": 12,
    "legend.fontsize": 12,
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
#: are 7.1 in (682 px), which the 688 px column shows at full size, so 8.4 pt subscripts show
#: at 11.2 px; on a phone such a figure needs its stacked variant (``panels``).
PANEL_WIDTH, PANEL_HEIGHT = 3.4, 3.4


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
        install_png_formatter()  # set_matplotlib_formats has just replaced it


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


def integer_ticks(ax, axis: str = "both"):
    """Ticks at whole numbers only on ``axis`` ("x", "y" or "both") of ``ax``: for steps,
    lags, seeds, counts, where a tick at 2.5 would name a position that does not exist."""
    if axis not in ("x", "y", "both"):
        raise ValueError(f"integer_ticks: axis must be 'x', 'y' or 'both', got {axis!r}")
    for name in ("x", "y") if axis == "both" else (axis,):
        getattr(ax, f"{name}axis").set_major_locator(MaxNLocator(integer=True))
    return ax


class PlainLogFormatter(LogFormatter):
    """Log-axis tick labels as plain numbers at the tick labels' full size: "0.001", "0.2",
    "1000", and "1e-6", "3e8" outside 1e-4 .. 1e5, instead of matplotlib's $10^{-6}$, whose
    exponent is set at 0.7 of the size (6.3 pt with 9 pt ticks, under the book's minimum)."""

    def __call__(self, x, pos=None):
        text = super().__call__(x, pos)  # of |x|: a symlog axis's negative ticks get their sign here
        return self.fix_minus("-" + text) if x < 0 and text else text

    def _num_to_string(self, x, vmin, vmax):
        text = f"{x:.6g}"
        if "e" in text:
            mantissa, exponent = text.split("e")
            text = f"{mantissa}e{int(exponent)}"
        return text


def plain_log_ticks(fig) -> Figure:
    """Replace matplotlib's default log-axis labels ($10^{k}$) by ``PlainLogFormatter`` on every
    axis of ``fig`` that still has them (a formatter a chapter set itself is kept). Returns fig."""
    _check_figure(fig)
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for which in ("major", "minor"):
                current = getattr(axis, f"get_{which}_formatter")()
                if type(current) is not LogFormatterSciNotation:
                    continue
                plain = PlainLogFormatter(base=current._base, labelOnlyBase=current.labelOnlyBase,
                                          minor_thresholds=current.minor_thresholds, linthresh=current._linthresh)
                getattr(axis, f"set_{which}_formatter")(plain)
    return fig


def _check_figure(fig):
    if not isinstance(fig, Figure):
        raise TypeError(f"expected a matplotlib Figure, got {type(fig).__name__}")


#: matplotlib's mathtext sets sub- and superscripts at this fraction of the text's size.
MATH_SCRIPT_SHRINK = 0.7
_MATH = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$")


def _effective_size(text: str, size: float) -> float:
    """The size of the smallest glyphs of a label: its size, or less where its maths has a
    subscript or superscript ("$c_t$": the t is 0.7 of the size)."""
    if any(("_" in m or "^" in m) for m in _MATH.findall(text)):
        return size * MATH_SCRIPT_SHRINK
    return size


def _smallest_text_pt(fig, laid_out: bool = False) -> float | None:
    """Points of the figure's smallest glyphs (``_effective_size``), None without text;
    laid_out: the figure has just been drawn (saved), so its tick labels exist: no draw here."""
    if not laid_out:
        fig.draw_without_rendering()  # tick labels exist only once the figure is laid out
    sizes = [_effective_size(t.get_text(), t.get_fontsize()) for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip()]
    return min(sizes) if sizes else None


def text_sizes(fig) -> dict:
    """CSS px of the figure's smallest text where the site shows it: ``{"1280": px, "390": px}``.

    A figure is shown at its 1x size (96 CSS px per inch) or shrunk to the column
    (``COLUMN_PX`` at 1280, ``PHONE_COLUMN_PX`` at 390), whichever is narrower.
    A figure without text gives ``inf``. Compare with ``MIN_TEXT_PX`` and ``MIN_PHONE_TEXT_PX``.
    """
    _check_figure(fig)
    pt, width = _smallest_text_pt(fig), fig.get_figwidth()
    out = {}
    for key, column in (("1280", COLUMN_PX), ("390", PHONE_COLUMN_PX)):
        scale = min(1.0, column / (width * CSS_PX_PER_INCH))
        out[key] = float("inf") if pt is None else float(pt / 72 * CSS_PX_PER_INCH * scale)
    return out


def phone_width(fig: Figure, pt: float | None = None, width: float | None = None) -> float | None:
    """Inches at which ``fig``'s smallest text shows at MIN_PHONE_TEXT_PX in the phone's column
    (PHONE_COLUMN_PX), at most NARROW_WIDTH; None when the figure already shows it there as it is.

    pt: the smallest text's size in points, if known (``_smallest_text_pt``: a
    subscript or superscript counts at 0.7 of its label's size).
    width: the inches the image is shown at, if not the figure's (a tight bounding box).
    """
    pt = _smallest_text_pt(fig) if pt is None else pt
    width = fig.get_figwidth() if width is None else width
    if pt is None:
        return None
    phone_px = pt / 72 * CSS_PX_PER_INCH * min(1.0, PHONE_COLUMN_PX / (width * CSS_PX_PER_INCH))
    if phone_px >= MIN_PHONE_TEXT_PX:
        return None
    # shown at PHONE_COLUMN_PX, a figure w inches wide scales text by PHONE_COLUMN_PX / (96 w)
    return min(NARROW_WIDTH, int(pt * PHONE_COLUMN_PX / (MIN_PHONE_TEXT_PX * 72) * 100) / 100)


def _fit_legend(fig, legend, renderer):
    """Fewer columns for a figure legend wider than the figure: halved until it fits or has
    one. A legend lays its entries out when it is made (``set_ncols`` alone does not move
    them), so each try is a new legend with the same entries, place and font."""
    ncol = legend._ncols
    while ncol > 1 and legend.get_window_extent(renderer).width > fig.bbox.width:
        ncol = max(1, ncol // 2)
        handles, labels = legend.legend_handles, [t.get_text() for t in legend.get_texts()]
        place = dict(loc=legend._loc, bbox_to_anchor=legend._bbox_to_anchor, prop=legend.prop,
                     title=legend.get_title().get_text() or None, frameon=legend.get_frame_on())
        legend.remove()
        legend = fig.legend(handles, labels, ncol=ncol, **place)
    return legend


def _fit_axes_legend(ax, renderer):
    """An axes legend wider than its axes (it would cover the curves, or squeeze the axes)
    moves below the axes, under the tick labels and the x label, with as many columns of
    the same entries as fit the figure's width."""
    legend = ax.get_legend()
    if legend is None or not legend.get_visible() or legend.get_window_extent(renderer).width <= ax.bbox.width:
        return
    handles, labels = legend.legend_handles, [t.get_text() for t in legend.get_texts()]
    style = dict(prop=legend.prop, title=legend.get_title().get_text() or None, frameon=legend.get_frame_on())
    legend.set_visible(False)
    below_pt = (ax.bbox.y0 - ax.get_tightbbox(renderer).y0) * 72 / ax.figure.dpi + 4
    legend.remove()
    anchor = offset_copy(ax.transAxes, fig=ax.figure, y=-below_pt, units="points")
    ncol = max(1, legend._ncols)
    while True:
        legend = ax.legend(handles, labels, ncol=ncol, loc="upper center", bbox_to_anchor=(0.5, 0),
                           bbox_transform=anchor, **style)
        if ncol == 1 or legend.get_window_extent(renderer).width <= 0.95 * ax.figure.bbox.width:
            return
        ncol = max(1, ncol - 1)


def _show_shared_ticks(axes):
    """Tick labels back on every stacked panel: panels side by side that shared their y axis
    showed its numbers on the first one only."""
    for ax in axes:
        ax.tick_params(axis="y", labelleft=True)


def narrow_layout(fig: Figure, width: float) -> Figure:
    """Lay ``fig`` out ``width`` inches wide, for a phone: panels side by side are stacked one
    under another (a row of panels in their order; a grid of single panels row by row), each as
    tall as a row was (at most 0.8 of the width); any other figure keeps its height. The fonts
    keep their sizes. Returns fig."""
    w, h = fig.get_size_inches()
    placed = [(ax, ax.get_subplotspec()) for ax in fig.axes]
    grids = {id(spec.get_gridspec()) for _, spec in placed if spec is not None}
    first = next((spec for _, spec in placed if spec is not None), None)
    one_grid = first is not None and len(grids) == 1 and all(spec is not None for _, spec in placed)
    nrows, ncols = first.get_gridspec().get_geometry() if one_grid else (0, 0)
    cells = one_grid and ncols > 1 and nrows > 1 and all(
        len(spec.rowspan) == 1 and len(spec.colspan) == 1 for _, spec in placed)
    if one_grid and ncols > 1 and (nrows == 1 or cells):
        n = nrows * ncols
        stacked = fig.add_gridspec(n, 1)
        for ax, spec in placed:
            start = spec.rowspan.start * ncols + spec.colspan.start
            ax.set_subplotspec(stacked[start:start + len(spec.colspan), 0])
        _show_shared_ticks([ax for ax, _ in placed if len(ax.get_shared_y_axes().get_siblings(ax)) > 1])
        fig.set_size_inches(width, n * min(h / nrows, 0.8 * width))
    else:
        fig.set_size_inches(width, h)
    for ax in fig.axes:  # a title or axis label longer than the narrower figure breaks over lines
        for text in (ax.title, ax.xaxis.label, ax.yaxis.label):
            text.set_wrap(True)
    engine = fig.get_layout_engine()
    # None or a placeholder: the chapter's own tight_layout() (if any) ran at the old size, so again
    if engine is None or isinstance(engine, PlaceHolderLayoutEngine):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bottom = 0.0
            if fig.legends:
                renderer = fig.canvas.get_renderer()
                for legend in list(fig.legends):
                    _fit_legend(fig, legend, renderer)
                bottom = min(0.5, max(leg.get_window_extent(renderer).height for leg in fig.legends)
                             / fig.bbox.height + 0.02)
            fig.tight_layout(rect=(0, bottom, 1, 1))
            renderer = fig.canvas.get_renderer()
            for ax in fig.axes:
                _fit_axes_legend(ax, renderer)
            fig.tight_layout(rect=(0, bottom, 1, 1))
    return fig


def image_metadata(fig, alt: str | None, variant: str = "only") -> dict:
    """The record ``show`` writes into a figure's PNG (``savefig(..., metadata=...)``):
    alternative text, smallest font size in points and width in inches, as text chunks
    that the site's build and the site test read back."""
    _check_figure(fig)
    if alt is not None and (not isinstance(alt, str) or not alt.strip()):
        raise ValueError(f"alt must be a sentence saying what the figure shows, got {alt!r}")
    if variant not in ("only", "wide", "narrow"):
        raise ValueError(f"variant must be 'only', 'wide' or 'narrow', got {variant!r}")
    pt = _smallest_text_pt(fig)
    meta = {META_TEXT_PT: "none" if pt is None else f"{pt:g}", META_WIDTH_IN: f"{fig.get_figwidth():.4g}",
            META_VARIANT: variant, "Software": None}
    if alt is not None:
        meta[META_ALT] = " ".join(alt.split())
    return meta


def png_bytes(fig, alt: str | None = None, variant: str = "only") -> bytes:
    """The figure as PNG bytes at ``SHOW_DPI`` with ``image_metadata`` (the figure stays open)."""
    plain_log_ticks(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=SHOW_DPI, metadata=image_metadata(fig, alt, variant))
    return buffer.getvalue()


def _png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("expected PNG bytes")
    return struct.unpack(">II", data[16:24])


def _with_text_chunks(data: bytes, chunks: Mapping[str, str]) -> bytes:
    """PNG ``data`` with text chunks added right after its header (IHDR): tEXt, or iTXt
    (UTF-8) for a text beyond Latin-1."""
    end_of_ihdr = 8 + 12 + struct.unpack(">I", data[8:12])[0]
    extra = b""
    for key, value in chunks.items():
        try:
            kind, body = b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1")
        except UnicodeEncodeError:  # keyword, no compression, no language, no translated keyword
            kind, body = b"iTXt", key.encode("latin-1") + b"\0\0\0\0\0" + value.encode("utf-8")
        extra += struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return data[:end_of_ihdr] + extra + data[end_of_ihdr:]


def _tight_png(fig) -> tuple[bytes, int, int]:
    """The figure as PNG at ``SHOW_DPI``, its bounding box tightened to what it draws (as the
    inline backend's "retina" PNG), without a record yet: ``(bytes, width_px, height_px)``."""
    buffer = io.BytesIO()
    fig.canvas.print_figure(buffer, format="png", dpi=SHOW_DPI, bbox_inches="tight",
                            facecolor=fig.get_facecolor(), edgecolor=fig.get_edgecolor(),
                            metadata={"Software": None})
    data = buffer.getvalue()
    return (data, *_png_size(data))


def _recorded_png(fig, data: bytes, width: int, height: int, meta: dict):
    """``(png, {"width": css_px, "height": css_px})``: the tight PNG with ``image_metadata``'s
    record, whose width is the width of the image itself (the tight box, not the figure's size)."""
    meta = dict(meta, **{META_WIDTH_IN: f"{width / SHOW_DPI:.4g}"})
    chunks = {key: value for key, value in meta.items() if value is not None}
    css = CSS_PX_PER_INCH / SHOW_DPI
    return _with_text_chunks(data, chunks), {"width": round(width * css), "height": round(height * css)}


def figure_png(fig):
    """The PNG a notebook shows for a matplotlib figure displayed without ``show``:
    ``(png_bytes, {"width": css_px, "height": css_px})``, or None for an empty figure
    (as IPython's own formatter).

    Like the inline backend's "retina" PNG (twice the screen's resolution, the figure's
    bounding box tightened to what it draws), plus ``image_metadata``'s record, whose
    width is the width of the image itself (the tight box, not the figure's size).
    The figure is closed in pyplot (it stays usable), so that it is shown only once.
    """
    _check_figure(fig)
    if not fig.axes and not fig.lines and not fig.texts and not fig.images:
        return None
    plain_log_ticks(fig)
    meta = image_metadata(fig, None)
    data, width, height = _tight_png(fig)
    # shown once: a bare ``fig`` at the end of a cell is shown here, and the inline
    # backend would show it again after the cell if pyplot still held it open
    plt.close(fig)
    return _recorded_png(fig, data, width, height, meta)


def figure_pngs(fig) -> list:
    """``figure_png`` and, when the figure's smallest text would show under MIN_PHONE_TEXT_PX
    on a phone, a second PNG of the same figure laid out for the phone (``narrow_layout`` at
    ``phone_width``): ``[(png, size)]`` or ``[(wide png, size), (narrow png, size)]``, each
    recording its variant. An empty figure gives []. The figure is closed in pyplot."""
    _check_figure(fig)
    if not fig.axes and not fig.lines and not fig.texts and not fig.images:
        return []
    plain_log_ticks(fig)
    meta = image_metadata(fig, None)
    pt = None if meta[META_TEXT_PT] == "none" else float(meta[META_TEXT_PT])
    data, width, height = _tight_png(fig)
    column_in = COLUMN_PX / CSS_PX_PER_INCH
    if pt is not None and width / SHOW_DPI > column_in + 0.005 and \
            pt / 72 * COLUMN_PX / (width / SHOW_DPI) < MIN_TEXT_PX:
        # wider than the 688 px column, which would shrink its text under MIN_TEXT_PX: lay it out at the column's width
        _fit_width(fig, fig.get_figwidth() - (width / SHOW_DPI - column_in) - 0.01)
        data, width, height = _tight_png(fig)
    target = phone_width(fig, pt, width / SHOW_DPI)
    if target is None:
        plt.close(fig)
        return [_recorded_png(fig, data, width, height, meta)]
    out = [_recorded_png(fig, data, width, height, dict(meta, **{META_VARIANT: "wide"}))]
    narrow_layout(fig, target)
    data, width, height = _tight_png(fig)
    excess = width / SHOW_DPI - target
    if excess > 0.01:  # a legend or label past the figure's edge widens the tight box: shrink by that much once
        narrow_layout(fig, max(0.6 * target, fig.get_figwidth() - excess))
        again = _tight_png(fig)
        data, width, height = min((data, width, height), again, key=lambda png: png[1])
    out.append(_recorded_png(fig, data, width, height, dict(meta, **{META_VARIANT: "narrow"})))
    plt.close(fig)
    return out


def _fit_width(fig, width: float):
    """The figure laid out again ``width`` inches wide, its height and fonts kept."""
    fig.set_size_inches(width, fig.get_figheight())
    engine = fig.get_layout_engine()
    if engine is None or isinstance(engine, PlaceHolderLayoutEngine):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if fig.legends:
                bottom = min(0.5, max(leg.get_window_extent(fig.canvas.get_renderer()).height for leg in fig.legends)
                             / fig.bbox.height + 0.02)
                fig.tight_layout(rect=(0, bottom, 1, 1))
            else:
                fig.tight_layout()


def _display_figure(fig):
    """IPython's display hook for a Figure (a bare ``fig``, ``display(fig)``, the inline
    backend's figures at the end of a cell): ``figure_pngs``, each shown at its 1x size."""
    from IPython.display import Image, display

    for data, size in figure_pngs(fig):
        display(Image(data=data, format="png", width=size["width"], height=size["height"]))


def install_png_formatter(shell=None) -> bool:
    """Make the IPython ``shell`` (default: the running one) show every matplotlib figure
    as ``figure_png``: a bare ``fig``, ``display(fig)`` and the inline backend's figures
    at the end of a cell (it calls ``display``). Returns False outside IPython.

    ``set_matplotlib_formats`` (and the inline backend when it first loads) replace the
    formatter, so this is called on import, by ``use_style``, and before every cell.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython comes with the book extra
            return False
        shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):  # no IPython display machinery
        return False
    formatters = shell.display_formatter.formatters
    png = formatters["image/png"]
    png.for_type(Figure, figure_png)
    png.enabled = True
    # display() asks this formatter first: it shows the figure (and its phone variant) itself
    shell.display_formatter.ipython_display_formatter.for_type(Figure, _display_figure)
    # one PNG per figure: drop other image formats the inline backend may have enabled
    for mime in ("image/svg+xml", "image/jpeg", "application/pdf"):
        formatters[mime].pop(Figure, None)
    if not getattr(shell, "_lstm_png_formatter_hook", False):
        shell.events.register("pre_run_cell", lambda *args: install_png_formatter(shell))
        shell._lstm_png_formatter_hook = True
    return True


def _display_png(fig, alt, variant):
    from IPython.display import Image, display

    width_px = round(fig.get_figwidth() * CSS_PX_PER_INCH)
    display(Image(data=png_bytes(fig, alt, variant), format="png", width=width_px))


def show(fig, alt: str | None = None, *, narrow=None, tight=True):
    """Show the figure below the cell (a figure cell's last line), with its alternative text.

    alt: a sentence saying what the figure shows (see the module docstring); the site
        test fails a figure without one.
    narrow: optional second Figure, the same content laid out for a phone (panels
        stacked, at most ``NARROW_WIDTH`` wide); the site shows it instead of ``fig`` on
        narrow screens. Without one, a figure whose smallest text would show under
        ``MIN_PHONE_TEXT_PX`` on a phone gets one: the figure laid out again at
        ``phone_width`` (``narrow_layout``); a given narrow figure too wide for its text
        is laid out again at that width.

    Outside IPython (a script, a test) the figures are only laid out and closed.
    """
    figs = [fig] if narrow is None else [fig, narrow]
    for f in figs:
        _check_figure(f)
        plain_log_ticks(f)  # before measuring: matplotlib's 10^k ticks would count at 0.7 of their size
        if tight and not f.legends:  # legend_below has already laid the figure out
            f.tight_layout()
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the book extra
        get_ipython = lambda: None  # noqa: E731
    if get_ipython() is not None:
        column_in = COLUMN_PX / CSS_PX_PER_INCH
        if fig.get_figwidth() > column_in + 0.005 and text_sizes(fig)["1280"] < MIN_TEXT_PX:
            _fit_width(fig, column_in - 0.01)  # the column would shrink its text under MIN_TEXT_PX
        if narrow is None:
            target = phone_width(fig)
            _display_png(fig, alt, "only" if target is None else "wide")
            if target is not None:  # its text would be under MIN_PHONE_TEXT_PX on a phone
                _display_png(narrow_layout(fig, target), alt, "narrow")
        else:
            _display_png(fig, alt, "wide")
            target = phone_width(narrow)
            _display_png(narrow if target is None else narrow_layout(narrow, target), alt, "narrow")
    for f in figs:
        plt.close(f)  # shown once, as the PNG above, not again by the inline backend


def panels(draw: Callable, n: int, alt: str | None = None, *, height: float = PANEL_HEIGHT,
           narrow_height: float | None = None, **subplots):
    """A figure of ``n`` panels side by side for wide screens and stacked for phones, shown.

    draw(fig, axes): draws into ``axes`` (a list of ``n`` Axes) of ``fig``; it is called
        twice, once per layout, so it must only draw (no ``show``).
    alt: the alternative text (as in ``show``), shared by both layouts.
    height: inches of the side-by-side figure; narrow_height: of each stacked panel
        (default ``0.75 * NARROW_WIDTH``). Further keywords go to ``plt.subplots``
        (``sharey`` is dropped for the stacked layout, ``sharex`` kept).
    Returns the two figures (closed, already shown).
    """
    n = _positive_int("n", n)
    if not callable(draw):
        raise TypeError(f"panels: draw must be a function draw(fig, axes), got {type(draw).__name__}")
    wide, wide_axes = figure(n, height=height, **subplots)
    draw(wide, list(np.atleast_1d(wide_axes)))
    stacked_kw = {k: v for k, v in subplots.items() if k != "sharey"}
    row = 0.75 * NARROW_WIDTH if narrow_height is None else narrow_height
    narrow, narrow_axes = figure(1, n, width=NARROW_WIDTH, height=row * n, **stacked_kw)
    draw(narrow, list(np.atleast_1d(narrow_axes)))
    show(wide, alt, narrow=narrow if n > 1 else None)
    if n == 1:
        plt.close(narrow)
    return wide, narrow


def _install_on_import():
    try:  # load the inline backend now, so that its own formatter cannot replace ours later
        import matplotlib
        from IPython import get_ipython

        if get_ipython() is not None and "inline" in str(matplotlib.rcParams["backend"]):
            import matplotlib_inline.backend_inline  # noqa: F401
    except ImportError:  # pragma: no cover - outside a notebook
        return
    install_png_formatter()


_install_on_import()
