"""A slider whose figures are drawn in advance, so it works without a kernel.

On the book's static website there is no Python behind a widget: an ordinary
``ipywidgets.interactive`` slider shows the figure of its default position and
nothing happens when the reader moves it. When a figure depends on a single
parameter we can afford to draw it once for every slider position while the
notebook executes, keep each drawing as an ``Image`` widget (a PNG, or an SVG
from `lstm.book.diagrams`) in a ``Stack``,
and tie the slider's position to the stack's visible child with ``jslink``.
The link runs in the browser, so the page responds with or without a kernel:

    slider.index  --jslink-->  stack.selected_index  (image k is shown)

The cost is one image per position in the page's saved widget state (about
20-60 kB per PNG of a small figure, 5-10 kB per SVG diagram), so keep the
number of positions modest.

Requires ipywidgets >= 8 and matplotlib (not dependencies of the numpy
package itself; import this module only where they are installed).
"""
from __future__ import annotations

import io
import math
import numbers
from collections.abc import Callable, Sequence
from typing import NamedTuple

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

__all__ = ["CSS_CLASS", "PrecomputedSlider", "figure_png", "precomputed_slider", "svg_image"]

#: CSS class of every precomputed slider's box; the website test
#: (tests/site/check_site.py) moves each one and checks that the figure changes.
CSS_CLASS = "lstm-precomputed-slider"


class PrecomputedSlider(NamedTuple):
    """The parts of a precomputed slider; ``box`` is what a cell displays."""

    box: widgets.VBox            # slider above the stack of figures
    slider: widgets.SelectionSlider
    stack: widgets.Stack         # one Image child per slider position
    link: widgets.widget_link.Link  # slider.index -> stack.selected_index


def figure_png(fig: Figure, dpi: int = 80) -> bytes:
    """Render a matplotlib figure to PNG bytes and close it.

    Closing matters in a notebook: the inline backend would otherwise display
    every precomputed figure below the cell.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    if isinstance(dpi, bool) or not isinstance(dpi, numbers.Integral) or dpi < 1:
        raise ValueError(f"dpi must be a positive integer, got {dpi!r}")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=int(dpi))
    plt.close(fig)
    return buffer.getvalue()


def svg_image(svg: str) -> widgets.Image:
    """An Image widget showing SVG text (vector graphics), as wide as its container allows.

    The SVG is kept in the page's widget state and shown as an <img>, like the PNGs.
    """
    if not isinstance(svg, str) or "<svg" not in svg:
        raise TypeError(f"svg must be the text of an SVG drawing, got {type(svg).__name__}")
    return widgets.Image(value=svg.encode("utf-8"), format="svg+xml",
                         layout=widgets.Layout(width="100%", max_width="40rem", height="auto"))


def _check_values(values) -> list[float]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) and not hasattr(values, "__array__"):
        raise TypeError(f"values must be a sequence of numbers, got {type(values).__name__}")
    out = []
    for k, v in enumerate(list(values)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise TypeError(f"values[{k}] must be a real number, got {v!r}")
        if not math.isfinite(v):
            raise ValueError(f"values[{k}] must be finite, got {v!r}")
        out.append(float(v))
    if not out:
        raise ValueError("values must hold at least one slider position, got none")
    if len(set(out)) != len(out):
        raise ValueError(f"values must be distinct, got {out}")
    return out


def precomputed_slider(
    draw: Callable[[float], Figure],
    values: Sequence[float],
    *,
    value: float | None = None,
    description: str = "",
    readout_format: str = "{:g}",
    dpi: int = 80,
) -> PrecomputedSlider:
    """A slider over ``values`` showing ``draw(v)`` for the selected ``v``.

    draw: called once per entry of ``values`` with that value (a float); must
        return a matplotlib Figure, which is rendered to PNG and closed, or an SVG
        drawing (an object with ``_repr_svg_``, e.g. from lstm.book.diagrams),
        which is kept as vector graphics.
    values: the slider positions, in slider order (distinct finite numbers).
    value: the initial position (must be one of ``values``); the first by default.
        The static page shows this figure until the reader moves the slider.
    description: the slider's label. readout_format: formats each position's
        readout, e.g. "{:.1f}". dpi: resolution of the PNGs.

    Returns a PrecomputedSlider; display its ``box``.
    """
    if not callable(draw):
        raise TypeError(f"draw must be a callable returning a Figure, got {draw!r}")
    positions = _check_values(values)
    if value is None:
        start = 0
    else:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"value must be one of values, got {value!r}")
        if float(value) not in positions:
            raise ValueError(f"value must be one of values {positions}, got {value!r}")
        start = positions.index(float(value))
    if not isinstance(description, str):
        raise TypeError(f"description must be a str, got {type(description).__name__}")
    try:
        labels = [readout_format.format(v) for v in positions]
    except (AttributeError, IndexError, KeyError, ValueError) as err:
        raise ValueError(f"readout_format must format one number, e.g. '{{:.2f}}', got {readout_format!r}") from err
    if len(set(labels)) != len(labels):
        raise ValueError(f"readout_format {readout_format!r} gives equal readouts {labels}; use more digits")

    images = []
    for v in positions:
        drawing = draw(v)
        if isinstance(drawing, Figure):
            images.append(widgets.Image(value=figure_png(drawing, dpi=dpi), format="png"))
        elif callable(getattr(drawing, "_repr_svg_", None)):
            images.append(svg_image(drawing._repr_svg_()))
        else:
            plt.close("all")
            raise TypeError(f"draw({v!r}) must return a matplotlib Figure or an SVG drawing "
                            f"(lstm.book.diagrams), got {type(drawing).__name__}")

    # SelectionSlider's `index` is an int, like Stack's `selected_index`, so the two
    # can be linked directly; its readout shows the label of the position.
    slider = widgets.SelectionSlider(
        options=list(zip(labels, positions)), index=start, description=description,
        continuous_update=True, layout=widgets.Layout(width="min(100%, 32rem)"),
        style={"description_width": "initial"},
    )
    stack = widgets.Stack(children=images, selected_index=start)
    link = widgets.jslink((slider, "index"), (stack, "selected_index"))
    box = widgets.VBox([slider, stack])
    box.add_class(CSS_CLASS)
    return PrecomputedSlider(box, slider, stack, link)
