"""Explorables: controls whose figures are drawn in advance, so they respond without a kernel.

On the book's static website there is no Python behind a widget: an ordinary
``ipywidgets.interactive`` control shows the figure of its default position and
nothing happens when the reader moves it. Here every figure a set of controls
can show is drawn once while the notebook executes, kept as an ``Image``
widget, and the controls pick which one is visible through ``jslink``, which
runs in the browser, with or without a kernel.

One control: a ``Stack`` of images; the control's ``index`` (position 0, 1,
...) is linked to the stack's ``selected_index``.
Two or more controls: a stack of stacks, one level per control. Control k is
linked to the ``selected_index`` of every stack at depth k, so the visible
image is the one at (index of control 0, index of control 1, ...)::

    control0.index --jslink--> outer.selected_index
    control1.index --jslink--> outer.children[j].selected_index, for every j

(A flat stack indexed by a combined index would need arithmetic in the link,
which ``jslink`` cannot do: it copies one value unchanged.) Every control
therefore offers an integer ``index``: sliders are ``SelectionSlider``,
dropdowns ``Dropdown``, and an on/off choice is a two-button
``ToggleButtons``: a ``Checkbox``'s value is a bool, and the browser's Stack
view looks up ``children[selected_index]``, so ``false``/``true`` select
nothing (tried: the Stack's view fails to render in the HTML widget manager).

Usage (in a chapter; ``draw`` receives one keyword argument per control)::

    from lstm.book.widgets import checkbox, dropdown, explorable, slider

    def draw(delay, peepholes, activation):
        fig, ax = plt.subplots(figsize=(7, 3))
        ...
        return fig

    timer = explorable(
        draw,
        slider("delay", [5, 10, 20, 40], value=20, description="delay k"),
        checkbox("peepholes", value=True),
        dropdown("activation", ["tanh", "sigmoid"]),
    )                          # 4 x 2 x 2 = 16 figures drawn now
    display(timer.box)
    timer.nbytes               # what the widget adds to the page, in bytes

What the reader sees and what it costs:

* Images are PNG at ``DPI`` = 160 dots per inch (2x a screen's 1x size of 96
  CSS px per inch, so crisp on high-density screens) or SVG (``fmt="svg"``),
  shown at most at the figure's 1x size and shrunk to the column below that.
* The smallest text of every figure must be at least ``MIN_TEXT_PX`` CSS
  pixels high at the book's text-column width ``COLUMN_PX`` = 688 px (a
  7-inch-wide figure, 672 px, fits the column unscaled, so 8.5 pt is enough;
  an 11-inch one is shrunk to 0.65x and needs 12.7 pt). A figure with smaller
  text raises ValueError: enlarge its fonts or make it narrower. A figure is
  also never shrunk below ``LEGIBLE_SCALE`` = 0.75 of its 1x size, which the
  site test checks for every image: at most ``MAX_FIGURE_INCHES`` (9.5 in) wide.
* Every figure is stored in the page's saved widget state, base64-encoded.
  One explorable may add at most ``MAX_WIDGET_BYTES`` (1.5 MB); a page of the
  book at most ``PAGE_BUDGET_BYTES`` (5 MB, checked by tests/site/check_site.py).
  ``widget_bytes(box)`` reports what any widget adds. Choose grids whose every
  position teaches something: a dozen positions per slider is plenty.
* A control that changes no figure anywhere on the grid raises ValueError.

Controls that really need Python (a live training run) stay live and go in
``needs_kernel(...)``: a box that says so on the page and links to the chapter
in JupyterLite, which the site test does not expect to respond statically::

    run = widgets.interactive(train_and_plot, epochs=widgets.IntSlider(10, 1, 50))
    display(needs_kernel(run, notebook="08_reproducing_1997.ipynb",
                         reason="train a network for each setting"))

``precomputed_slider(draw, values, ...)`` is the one-slider explorable of the
first chapters, kept with its original signature; it is lenient (no text-size
or width check, up to the page budget) so that those chapters build until
their figures are redrawn. New code calls ``explorable``.

Requires ipywidgets >= 8 and matplotlib (the ``book`` extra).
"""
from __future__ import annotations

import html
import io
import itertools
import json
import math
import numbers
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import ipywidgets as widgets
import matplotlib.pyplot as plt
from ipywidgets.embed import dependency_state
from matplotlib.figure import Figure
from matplotlib.text import Text

__all__ = [
    "COLUMN_PX", "CONTROL_CLASS", "CSS_CLASS", "DPI", "FIGURE_CLASS", "KERNEL_CLASS", "LEGIBLE_SCALE",
    "MAX_FIGURE_INCHES", "MAX_WIDGET_BYTES",
    "MIN_TEXT_PX", "PAGE_BUDGET_BYTES", "Control", "Explorable", "PrecomputedSlider", "checkbox", "dropdown",
    "explorable", "figure_image", "figure_png", "live_notebook_url", "needs_kernel", "precomputed_slider",
    "slider", "smallest_text_px", "widget_bytes",
]

#: CSS classes the site test (tests/site/check_site.py) looks for: the box of
#: every explorable, each of its controls, its figure, and a needs-a-kernel box.
CSS_CLASS = "lstm-explorable"
CONTROL_CLASS = "lstm-control"
FIGURE_CLASS = "lstm-figure"
KERNEL_CLASS = "lstm-needs-kernel"

#: PNG resolution: 2x the 96 CSS px per inch at which a figure is shown.
DPI = 160
#: CSS pixels per inch of figure at its 1x size.
CSS_PX_PER_INCH = 96
#: Width of the book's text column at a 1280 px window (sphinx-book-theme 1.3, measured), CSS px.
COLUMN_PX = 688
#: The smallest text a figure may show at COLUMN_PX, in CSS px (the theme's
#: small print, e.g. figure captions and footnotes, is about this size).
MIN_TEXT_PX = 11.0
#: No figure is shown at less than this fraction of its 1x size at COLUMN_PX
#: (tests/site/check_site.py checks every image of the site against it) ...
LEGIBLE_SCALE = 0.75
#: ... so a figure is at most this wide, in inches (9.55).
MAX_FIGURE_INCHES = COLUMN_PX / LEGIBLE_SCALE / CSS_PX_PER_INCH
#: Default ceiling of what one explorable adds to its page.
MAX_WIDGET_BYTES = 1_500_000
#: Ceiling of one page (HTML with its saved widget state, plus its images).
PAGE_BUDGET_BYTES = 5_000_000


# ---------------------------------------------------------------------------
# Figures to bytes


def smallest_text_px(fig: Figure, column_px: float = COLUMN_PX) -> float:
    """Height in CSS px of the figure's smallest visible text, shown at most ``column_px`` wide.

    The figure is shown at its 1x size (CSS_PX_PER_INCH per inch) or shrunk to
    the column, whichever is narrower; a point is 1/72 inch. Returns ``inf``
    for a figure without text.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    width_in = fig.get_figwidth()
    scale = min(1.0, column_px / (width_in * CSS_PX_PER_INCH))
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    if not sizes:
        return math.inf
    return min(sizes) / 72 * CSS_PX_PER_INCH * scale


def figure_image(fig: Figure, fmt: str = "png", dpi: int = DPI) -> bytes:
    """Render a matplotlib figure to PNG (at ``dpi``) or SVG bytes and close it.

    Closing matters in a notebook: the inline backend would otherwise display
    every precomputed figure below the cell.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    if fmt not in ("png", "svg"):
        raise ValueError(f"fmt must be 'png' or 'svg', got {fmt!r}")
    if isinstance(dpi, bool) or not isinstance(dpi, numbers.Integral) or dpi < 1:
        raise ValueError(f"dpi must be a positive integer, got {dpi!r}")
    buffer = io.BytesIO()
    # SVG: no creation date, and ids from a fixed salt, so the same figure gives the same bytes.
    metadata = {"Date": None} if fmt == "svg" else None
    with plt.rc_context({"svg.hashsalt": "lstm-book"}):
        fig.savefig(buffer, format=fmt, dpi=int(dpi), metadata=metadata)
    plt.close(fig)
    return buffer.getvalue()


def figure_png(fig: Figure, dpi: int = DPI) -> bytes:
    """``figure_image(fig, "png", dpi)``: the figure as PNG bytes, closed."""
    return figure_image(fig, "png", dpi)


def widget_bytes(*widget: widgets.Widget) -> int:
    """Bytes these widgets and every widget they refer to add to a page's saved widget state.

    This is the JSON the notebook stores (and the HTML page embeds), images
    included as base64, as ``ipywidgets.embed`` writes it; a widget shared by
    several of the arguments counts once.
    """
    if not widget:
        raise TypeError("widget_bytes needs at least one ipywidgets Widget")
    for w in widget:
        if not isinstance(w, widgets.Widget):
            raise TypeError(f"widget must be an ipywidgets Widget, got {type(w).__name__}")
    state = dependency_state(list(widget), drop_defaults=False)
    return len(json.dumps(state, separators=(",", ":")).encode())


# ---------------------------------------------------------------------------
# Controls


@dataclass(frozen=True)
class Control:
    """One control of an explorable: which values ``draw`` receives and how they are chosen.

    name: the keyword argument of ``draw``. kind: "slider", "dropdown" or
    "checkbox". labels: what the reader sees per position; values: what
    ``draw`` receives per position (same length). index: the initial position.
    description: the label next to the control.
    """

    name: str
    kind: str
    labels: tuple[str, ...]
    values: tuple[Any, ...]
    index: int
    description: str

    def widget(self) -> widgets.DOMWidget:
        """A new ipywidgets control whose ``index`` trait is the position (0, 1, ...)."""
        options = list(zip(self.labels, self.values))
        common = dict(description=self.description, style={"description_width": "initial"})
        if self.kind == "slider":
            w = widgets.SelectionSlider(options=options, index=self.index, continuous_update=True,
                                        layout=widgets.Layout(width="min(100%, 30rem)"), **common)
        elif self.kind == "dropdown":
            w = widgets.Dropdown(options=options, index=self.index, layout=widgets.Layout(width="auto"), **common)
        elif self.kind == "checkbox":
            w = widgets.ToggleButtons(options=options, index=self.index,
                                      style={"description_width": "initial", "button_width": "auto"},
                                      description=self.description)
        else:  # pragma: no cover - the constructors below only make the three kinds
            raise ValueError(f"unknown control kind {self.kind!r}")
        w.add_class(CONTROL_CLASS)
        return w


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _check_name(name, description):
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"name must be a Python identifier (the keyword argument of draw), got {name!r}")
    if description is None:
        return name
    if not isinstance(description, str):
        raise TypeError(f"description must be a str, got {type(description).__name__}")
    return description


def _start_index(values: list, value, what: str) -> int:
    if value is None:
        return 0
    matches = [k for k, v in enumerate(values) if type(v) is type(value) or isinstance(v, numbers.Real)
               and isinstance(value, numbers.Real) and not isinstance(value, bool)]
    for k in matches:
        if values[k] == value:
            return k
    raise ValueError(f"value must be one of the {what} {values}, got {value!r}")


def slider(name: str, values: Sequence[float], *, value: float | None = None,
           description: str | None = None, readout_format: str = "{:g}") -> Control:
    """A slider over the numbers ``values`` (in slider order); ``draw`` gets the number.

    value: the initial position, one of ``values`` (the first by default).
    readout_format: formats each position's readout, e.g. "{:.2f}".
    description: the label, ``name`` by default.
    """
    description = _check_name(name, description)
    if isinstance(values, (str, bytes)) or not (isinstance(values, Sequence) or hasattr(values, "__array__")):
        raise TypeError(f"values must be a sequence of numbers, got {type(values).__name__}")
    positions = []
    for k, v in enumerate(list(values)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise TypeError(f"values[{k}] must be a real number, got {v!r}")
        if not math.isfinite(v):
            raise ValueError(f"values[{k}] must be finite, got {v!r}")
        positions.append(int(v) if isinstance(v, numbers.Integral) else float(v))
    if not positions:
        raise ValueError("values must hold at least one slider position, got none")
    if len(set(positions)) != len(positions):
        raise ValueError(f"values must be distinct, got {positions}")
    if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Real)):
        raise TypeError(f"value must be one of values, got {value!r}")
    start = _start_index(positions, value, "slider values")
    if not isinstance(readout_format, str):
        raise TypeError(f"readout_format must be a str such as '{{:.2f}}', got {readout_format!r}")
    try:
        labels = [readout_format.format(v) for v in positions]
    except (AttributeError, IndexError, KeyError, ValueError) as err:
        raise ValueError(f"readout_format must format one number, e.g. '{{:.2f}}', got {readout_format!r}") from err
    if len(set(labels)) != len(labels):
        raise ValueError(f"readout_format {readout_format!r} gives equal readouts {labels}; use more digits")
    return Control(name, "slider", tuple(labels), tuple(positions), start, description)


def dropdown(name: str, options, *, value=None, description: str | None = None) -> Control:
    """A dropdown; ``draw`` gets the chosen option's value.

    options: a sequence of strings (each is its own label and value), a
    sequence of (label, value) pairs, or a dict {label: value}.
    value: the initial value (the first option's by default).
    """
    description = _check_name(name, description)
    if isinstance(options, dict):
        pairs = list(options.items())
    elif isinstance(options, (str, bytes)) or not isinstance(options, Sequence):
        raise TypeError(f"options must be a list of strings, of (label, value) pairs, or a dict, got {options!r}")
    else:
        pairs = []
        for k, option in enumerate(options):
            if isinstance(option, str):
                pairs.append((option, option))
            elif isinstance(option, tuple) and len(option) == 2 and isinstance(option[0], str):
                pairs.append(option)
            else:
                raise TypeError(f"options[{k}] must be a string or a (label, value) pair, got {option!r}")
    if not pairs:
        raise ValueError("options must hold at least one option, got none")
    labels = [label for label, _ in pairs]
    if not all(isinstance(label, str) and label for label in labels):
        raise TypeError(f"option labels must be non-empty strings, got {labels}")
    if len(set(labels)) != len(labels):
        raise ValueError(f"option labels must be distinct, got {labels}")
    values = [v for _, v in pairs]
    start = _start_index(values, value, "option values")
    return Control(name, "dropdown", tuple(labels), tuple(values), start, description)


def checkbox(name: str, *, value: bool = False, description: str | None = None,
             labels: tuple[str, str] = ("off", "on")) -> Control:
    """An on/off choice; ``draw`` gets False or True.

    Shown as two buttons labelled ``labels`` (for False, True), e.g.
    ("without", "with"): see the module docstring for why not a Checkbox.
    """
    description = _check_name(name, description)
    if not isinstance(value, bool):
        raise TypeError(f"value must be True or False, got {value!r}")
    if (not isinstance(labels, (tuple, list)) or len(labels) != 2
            or not all(isinstance(s, str) and s for s in labels) or labels[0] == labels[1]):
        raise ValueError(f"labels must be two different non-empty strings (for False, True), got {labels!r}")
    return Control(name, "checkbox", tuple(labels), (False, True), int(value), description)


# ---------------------------------------------------------------------------
# Explorables


class Explorable(NamedTuple):
    """The parts of an explorable; ``box`` is what a cell displays."""

    box: widgets.VBox                       # the controls above the figure
    controls: dict[str, widgets.DOMWidget]  # name -> control widget (its `index` is the position)
    figure: widgets.Stack                   # nested stacks, one level per control, Images at the leaves
    links: tuple                            # the jslinks, control.index -> stack.selected_index
    images: dict[tuple[int, ...], widgets.Image]  # grid position -> its image
    nbytes: int                             # widget_bytes(box)


#: Width at which an SVG drawing (lstm.book.diagrams) is shown at most, in inches.
DRAWING_WIDTH_IN = 7.0


def _is_svg(data: bytes) -> bool:
    return data.lstrip()[:5] in (b"<svg ", b"<svg>", b"<?xml")


def _pixel_width_svg(svg: str, width_in: float) -> str:
    """The drawing with a root width in px instead of "100%".

    In an <img>, an SVG whose root says width="100%" has no size of its own, and a
    widget's box is sized by its content, so the browser falls back to 300 px: the
    drawings of lstm.book.diagrams came out 300 px wide. With a width in px the image
    behaves like a PNG: shown at that width at most, shrunk to a narrower column.
    """
    head, sep, rest = svg.partition(">")  # the root <svg ...> tag of a diagram
    if not head.lstrip().startswith("<svg") or 'width="100%"' not in head:
        return svg
    return head.replace('width="100%"', f'width="{round(width_in * CSS_PX_PER_INCH)}"', 1) + sep + rest


def _leaf_image(data: bytes, width_in: float) -> widgets.Image:
    # Shown at most at the figure's 1x size and never wider than the column.
    layout = widgets.Layout(width="100%", max_width=f"{round(width_in * CSS_PX_PER_INCH)}px", height="auto")
    image = widgets.Image(value=data, format="svg+xml" if _is_svg(data) else "png", layout=layout)
    image.add_class(FIGURE_CLASS)
    return image


def explorable(draw: Callable[..., Figure], *controls: Control, fmt: str = "png", dpi: int = DPI,
               max_bytes: int = MAX_WIDGET_BYTES, min_text_px: float = MIN_TEXT_PX,
               column_px: float = COLUMN_PX, legible: bool = True) -> Explorable:
    """Controls above a figure ``draw(**{control.name: value, ...})``, every figure drawn now.

    draw: called once per grid point (every combination of the controls'
        values, the last control varying fastest) with one keyword argument per
        control; must return a matplotlib Figure (rendered and closed here) or
        an SVG drawing (an object with ``_repr_svg_``, e.g. from
        lstm.book.diagrams, whose legibility its own tests check).
    controls: one or more of ``slider(...)``, ``dropdown(...)``, ``checkbox(...)``,
        with distinct names; shown in this order.
    fmt: "png" (at ``dpi``) or "svg" (vector figures with few points).
    max_bytes: raise ValueError if the widget would add more to the page.
    min_text_px, column_px: raise ValueError if a figure's smallest text is
        under ``min_text_px`` CSS px when shown ``column_px`` wide, or if the
        figure is wider than MAX_FIGURE_INCHES (scaled to ``column_px``).
    legible: False skips those two checks (only for precomputed_slider's
        old figures).

    Also raises ValueError if a control changes no figure at any grid point.
    Returns an Explorable; display its ``box``.
    """
    if not callable(draw):
        raise TypeError(f"draw must be a callable returning a Figure, got {draw!r}")
    if not controls:
        raise ValueError("explorable needs at least one control (slider, dropdown or checkbox), got none")
    for k, c in enumerate(controls):
        if not isinstance(c, Control):
            raise TypeError(f"controls[{k}] must be made by slider(), dropdown() or checkbox(), got {c!r}")
    names = [c.name for c in controls]
    if len(set(names)) != len(names):
        raise ValueError(f"control names must be distinct (they are draw's keyword arguments), got {names}")
    if fmt not in ("png", "svg"):
        raise ValueError(f"fmt must be 'png' or 'svg', got {fmt!r}")
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, numbers.Integral) or max_bytes < 1:
        raise ValueError(f"max_bytes must be a positive integer, got {max_bytes!r}")

    shape = tuple(len(c.values) for c in controls)
    data: dict[tuple[int, ...], bytes] = {}
    width_in = 0.0
    for point in itertools.product(*(range(n) for n in shape)):
        kwargs = {c.name: c.values[k] for c, k in zip(controls, point)}
        fig = draw(**kwargs)
        if not isinstance(fig, Figure) and callable(getattr(fig, "_repr_svg_", None)):
            data[point] = _pixel_width_svg(fig._repr_svg_(), DRAWING_WIDTH_IN).encode("utf-8")
            width_in = max(width_in, DRAWING_WIDTH_IN)
            continue
        if not isinstance(fig, Figure):
            plt.close("all")
            raise TypeError(f"draw({_call(kwargs)}) must return a matplotlib Figure or an SVG drawing, "
                            f"got {type(fig).__name__}")
        if legible and fig.get_figwidth() > MAX_FIGURE_INCHES * column_px / COLUMN_PX + 1e-9:
            width = fig.get_figwidth()
            plt.close(fig)
            raise ValueError(
                f"draw({_call(kwargs)}): the figure is {width:.3g} in wide; at most "
                f"{MAX_FIGURE_INCHES * column_px / COLUMN_PX:.3g} in fits a {column_px:g} px column at "
                f"{LEGIBLE_SCALE:g} of its size or more: make it narrower")
        text_px = smallest_text_px(fig, column_px)
        if legible and text_px < min_text_px:
            size_in = f"{fig.get_figwidth():.3g} x {fig.get_figheight():.3g} in"
            plt.close(fig)
            raise ValueError(
                f"draw({_call(kwargs)}): the smallest text would be {text_px:.1f} px high in a {column_px:g} px "
                f"column (figure {size_in}), under the {min_text_px:g} px minimum: use larger fonts or a "
                f"narrower figure")
        width_in = max(width_in, fig.get_figwidth())
        data[point] = figure_image(fig, fmt, dpi)

    for axis, c in enumerate(controls):
        if shape[axis] > 1 and not any(
            data[p] != data[p[:axis] + (k,) + p[axis + 1:]] for p in data for k in range(shape[axis])
        ):
            raise ValueError(f"control {c.name!r} changes no figure: draw ignores it, or its values are too close")

    # Identical figures share one Image (a model may be the child of several stacks).
    by_bytes: dict[bytes, widgets.Image] = {}
    for d in data.values():
        if d not in by_bytes:
            by_bytes[d] = _leaf_image(d, width_in)
    images = {p: by_bytes[d] for p, d in data.items()}

    control_widgets = [c.widget() for c in controls]
    levels: list[list[widgets.Stack]] = [[] for _ in controls]  # stacks at each depth

    def nest(prefix: tuple[int, ...]) -> widgets.Stack:
        depth = len(prefix)
        if depth == len(controls) - 1:
            children = [images[prefix + (k,)] for k in range(shape[depth])]
        else:
            children = [nest(prefix + (k,)) for k in range(shape[depth])]
        stack = widgets.Stack(children=children, selected_index=controls[depth].index)
        levels[depth].append(stack)
        return stack

    figure = nest(())
    links = tuple(widgets.jslink((w, "index"), (stack, "selected_index"))
                  for w, stacks in zip(control_widgets, levels) for stack in stacks)
    row = widgets.HBox(control_widgets, layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
    box = widgets.VBox([row, figure])
    box.add_class(CSS_CLASS)
    nbytes = widget_bytes(box, *links)
    if nbytes > max_bytes:
        for w in [box, *links, *control_widgets, *by_bytes.values()]:
            w.close()
        raise ValueError(
            f"the explorable would add {nbytes / 1e6:.2f} MB to the page ({len(data)} figures, "
            f"{len(by_bytes)} distinct), over max_bytes = {max_bytes / 1e6:.2f} MB: use fewer positions, "
            f"smaller figures, or a lower dpi")
    return Explorable(box, dict(zip(names, control_widgets)), figure, links, images, nbytes)


def _call(kwargs: dict) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in kwargs.items())


# ---------------------------------------------------------------------------
# Controls that need Python


def live_notebook_url(notebook: str) -> str:
    """The chapter in JupyterLite, relative to its page book/<chapter>.html.

    notebook: the chapter's file name, e.g. "05_bptt.ipynb"; the site's
    JupyterLite holds the chapters under book/ (tools/site/site.yml), as its
    launch button does.
    """
    if not isinstance(notebook, str) or not re.fullmatch(r"[A-Za-z0-9_.-]+\.ipynb", notebook):
        raise ValueError(f"notebook must be a chapter's file name such as '05_bptt.ipynb', got {notebook!r}")
    return f"../lite/lab/index.html?path=book/{notebook}"


def needs_kernel(*children: widgets.Widget, notebook: str, reason: str) -> widgets.VBox:
    """A box that says its controls need a running kernel, with a button to open the chapter live.

    children: the live controls and their output, shown below the note.
    notebook: the chapter's file, e.g. "05_bptt.ipynb" (see live_notebook_url).
    reason: what the controls do that needs Python, a verb phrase that
        follows "these controls", e.g. "train a network for each setting".
    The site test does not expect controls in this box to respond on the static page.
    """
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError(f"reason must say what needs Python, e.g. 'trains a network', got {reason!r}")
    for k, child in enumerate(children):
        if not isinstance(child, widgets.Widget):
            raise TypeError(f"children[{k}] must be an ipywidgets Widget, got {type(child).__name__}")
    url = live_notebook_url(notebook)
    note = widgets.HTML(
        f'<div class="lstm-kernel-note"><strong>Needs a live kernel:</strong> these controls '
        f'{html.escape(reason.strip())}, so on this static page they do nothing. '
        f'<a class="lstm-live-button" href="{html.escape(url)}" target="_blank" rel="noopener">'
        f'Open this chapter live (JupyterLite)</a></div>')
    box = widgets.VBox([note, *children])
    box.add_class(KERNEL_CLASS)
    return box


# ---------------------------------------------------------------------------
# The one-slider explorable of the first chapters


class PrecomputedSlider(NamedTuple):
    """The parts of a precomputed slider; ``box`` is what a cell displays."""

    box: widgets.VBox            # slider above the stack of figures
    slider: widgets.SelectionSlider
    stack: widgets.Stack         # one Image child per slider position
    link: widgets.widget_link.Link  # slider.index -> stack.selected_index


def precomputed_slider(
    draw: Callable[[float], Figure],
    values: Sequence[float],
    *,
    value: float | None = None,
    description: str = "",
    readout_format: str = "{:g}",
    dpi: int = DPI,
    max_bytes: int = PAGE_BUDGET_BYTES,
    **options,
) -> PrecomputedSlider:
    """A slider over ``values`` showing ``draw(v)`` for the selected ``v``.

    ``explorable(lambda v: draw(v), slider("v", values, ...))``: draw is called
    with one positional float per position. Kept for the chapters written
    before ``explorable``, with their figures: it does not check text size
    or width (legible=False) and allows up to the page budget; new code
    should call ``explorable``, whose defaults check all three. ``options``
    go to ``explorable`` (fmt).
    """
    if not callable(draw):
        raise TypeError(f"draw must be a callable returning a Figure, got {draw!r}")
    control = slider("value", values, value=value, description=description, readout_format=readout_format)
    parts = explorable(lambda value: draw(float(value)), control, dpi=dpi, max_bytes=max_bytes,
                       legible=False, **options)
    return PrecomputedSlider(parts.box, parts.controls["value"], parts.figure, parts.links[0])
