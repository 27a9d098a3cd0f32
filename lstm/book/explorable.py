"""Explorables: figures that follow their controls on the static page, and compute live with a kernel.

Two readers, one widget. On the book's static website there is no Python behind
a widget; in JupyterLab (``make lab``), JupyterLite or a reader's own Jupyter
there is. ``explorable(draw, *controls)`` serves both:

**Static: every grid figure drawn in advance.** While the chapter executes (the
book build, nbval, ``nbconvert --execute``), ``draw`` is called at every grid
point (every combination of the controls' grid values) and each figure is kept
as an ``Image`` widget. The controls pick the visible one through ``jslink``,
which runs in the browser, with or without a kernel. One control: a ``Stack``
of images, the control's ``index`` linked to its ``selected_index``. Two or
more: a stack of stacks, one level per control, control k linked to the
``selected_index`` of every stack at depth k::

    control0.index --jslink--> outer.selected_index
    control1.index --jslink--> outer.children[j].selected_index, for every j

(A flat stack indexed by a combined index would need arithmetic in the link,
which ``jslink`` cannot do: it copies one value unchanged.)

**Live: computed for any value, once a browser shows the widget to a kernel.**
The explorable's box asks the browser to count its views (ipywidgets'
``_view_count``, set to 0). A front end connected to the kernel (JupyterLab,
Jupyter Notebook, JupyterLite, VS Code) reports the first view back to the
kernel; that message is the switch. Python then replaces, in the same box, the
grid controls and the stack by live controls (a slider made with
``live=(low, high, step)`` covers its whole range; the other controls offer
their grid) above one ``Image``, and an observer redraws that image with
``draw`` whenever a live control changes. Nothing else sends that message:
executing a notebook has no front end, and the static page has no kernel to
send it to, so the build stores the precomputed grid and needs no setting (no
environment variable to forget), and the page works as before. Why not an
``Output`` widget: one filled while a chapter executed stalled the build, and
an image is what the static stack shows, so both modes show the same kind of
element.

Same figure at the grid points: the live image starts as the stack's current
figure and every grid value lies on its live range, so at a grid point the
live figure is the static one. Never stale: the switch removes the stack from
the box (the two never show at once), and a value ``draw`` cannot draw hides
the image and says why (class ``lstm-live-error``) instead of leaving the
previous figure up.

Usage (in a chapter; ``draw`` receives one keyword argument per control)::

    from lstm.book.explorable import explorable
    from lstm.book.controls import checkbox, dropdown, slider

    def draw(bias_i, peepholes, activation):
        fig, ax = plt.subplots(figsize=(7, 3))
        ...
        return fig

    gates = explorable(
        draw,
        slider("bias_i", [-8, -4, -2, 0], value=-4, description="input bias b_i", live=(-10, 10, 0.1)),
        checkbox("peepholes", value=True),
        dropdown("activation", ["tanh", "sigmoid"]),
    )                          # 4 x 2 x 2 = 16 figures drawn now; any b_i in -10 .. 10 live
    display(gates.box)
    gates.nbytes               # what the widget adds to the page, in bytes

Sizes (lstm.book.figure_image): figures are PNG at ``DPI`` or SVG, their text
at least ``MIN_TEXT_PX`` high in the ``COLUMN_PX`` column, at most
``MAX_FIGURE_INCHES`` wide; a figure that breaks this raises ValueError. One
explorable adds at most ``MAX_WIDGET_BYTES`` to its page (base64 in the saved
widget state; ``widget_bytes(box)`` reports it): choose grids whose every
position teaches something, a dozen positions per slider is plenty, and let
the live range carry the values between. A control that changes no figure
anywhere on the grid raises ValueError.

``precomputed_slider(draw, values, ...)`` is the one-slider explorable of the
first chapters, kept with its signature (a thin wrapper of ``explorable``,
lenient about figure size).

Requires ipywidgets >= 8 and matplotlib (the ``book`` extra).
"""
from __future__ import annotations

import html
import io
import itertools
import json
import numbers
from collections.abc import Callable, Sequence
from typing import NamedTuple

import ipywidgets as widgets
import matplotlib.pyplot as plt
from ipywidgets.embed import dependency_state
from matplotlib.figure import Figure

from .controls import Control, slider
from .figure_image import (
    COLUMN_PX, CSS_PX_PER_INCH, DPI, LEGIBLE_SCALE, MAX_FIGURE_INCHES, MAX_WIDGET_BYTES, MIN_TEXT_PX,
    PAGE_BUDGET_BYTES, running_cell_alt, smallest_text_px,
)
from .plots import (
    META_ALT, META_TEXT_PT, META_VARIANT, META_WIDTH_IN, MIN_PHONE_TEXT_PX, NARROW_WIDTH, PHONE_COLUMN_PX,
    _smallest_text_pt, _with_text_chunks, narrow_layout, phone_width, plain_log_ticks,
)

__all__ = ["CSS_CLASS", "FIGURE_CLASS", "LIVE_ERROR_CLASS", "Explorable", "Frame", "LiveFigure",
           "PrecomputedSlider", "explorable", "narrow_layout", "phone_width", "precomputed_slider", "widget_bytes"]

#: CSS classes the site test (tests/site/check_site.py) and the live test
#: (tests/live/) look for: the box of every explorable and its figure.
CSS_CLASS = "lstm-explorable"
FIGURE_CLASS = "lstm-figure"
#: Class of the message shown instead of a figure that could not be drawn live.
LIVE_ERROR_CLASS = "lstm-live-error"


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


def _leaf_image(data: bytes, width_in: float, variant: str = "only") -> widgets.Image:
    # Shown at most at the figure's 1x size and never wider than the column.
    layout = widgets.Layout(width="100%", max_width=f"{round(width_in * CSS_PX_PER_INCH)}px", height="auto")
    if variant == "narrow":
        layout.display = "none"  # a phone's variant: _static/book.css shows it on narrow screens only
    image = widgets.Image(value=data, format="svg+xml" if _is_svg(data) else "png", layout=layout)
    image.add_class(FIGURE_CLASS)
    if variant != "only":
        image.add_class(f"lstm-fig-{variant}")
    return image


class Frame(NamedTuple):
    """One grid figure as image bytes: the figure (``wide``), and when its text would be under
    MIN_PHONE_TEXT_PX on a phone, the same figure laid out narrower for phones (``narrow``)."""

    wide: bytes
    narrow: bytes | None
    width_in: float         # the figure's width, inches (the wide variant's)
    narrow_width_in: float  # the narrow variant's, inches (0 without one)


def _leaf(frame: Frame) -> widgets.DOMWidget:
    """The stack's child for one grid figure: its image, or a box of its wide and narrow images
    (_static/book.css shows one of the two, by the screen's width)."""
    if frame.narrow is None:
        return _leaf_image(frame.wide, frame.width_in)
    return widgets.Box([_leaf_image(frame.wide, frame.width_in, "wide"),
                        _leaf_image(frame.narrow, frame.narrow_width_in, "narrow")],
                       layout=widgets.Layout(display="block"))


def _save(fig: Figure, fmt: str, dpi: int) -> bytes:
    """The figure as PNG or SVG bytes (it stays open, and laid out: its tick labels exist)."""
    buffer = io.BytesIO()
    if fmt == "png":
        fig.savefig(buffer, format="png", dpi=int(dpi), metadata={"Software": None})
    else:  # no creation date, ids from a fixed salt: the same figure gives the same bytes
        with plt.rc_context({"svg.hashsalt": "lstm-book"}):
            fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _recorded(data: bytes, fmt: str, fig: Figure, pt: float | None, alt: str | None, variant: str) -> bytes:
    """A PNG with lstm.book.plots.image_metadata's record (alternative text, smallest font size
    ``pt``, width, variant) as text chunks; an SVG with the alternative text as its <title>.
    Written after saving, so the figure is drawn once per image."""
    if fmt == "png":
        chunks = {META_TEXT_PT: "none" if pt is None else f"{pt:g}", META_WIDTH_IN: f"{fig.get_figwidth():.4g}",
                  META_VARIANT: variant}
        if alt:
            chunks[META_ALT] = " ".join(alt.split())
        return _with_text_chunks(data, chunks)
    if not alt:
        return data
    svg = data.decode("utf-8")
    start = svg.find("<svg")
    end = svg.find(">", start) + 1
    if start < 0 or end <= 0:
        return data
    return (svg[:end] + f"<title>{html.escape(' '.join(alt.split()))}</title>" + svg[end:]).encode("utf-8")


def _render(draw: Callable, kwargs: dict, fmt: str, dpi: int, *, legible: bool, min_text_px: float,
            column_px: float, alt: str | None = None, phone: bool = True) -> Frame:
    """``draw(**kwargs)`` as a Frame: image bytes, a phone's variant where needed, and widths."""
    fig = draw(**kwargs)
    if not isinstance(fig, Figure) and callable(getattr(fig, "_repr_svg_", None)):
        return Frame(_pixel_width_svg(fig._repr_svg_(), DRAWING_WIDTH_IN).encode("utf-8"), None,
                     DRAWING_WIDTH_IN, 0.0)
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
    try:
        plain_log_ticks(fig)  # log-axis exponents at 0.7 of the tick size would be under the minimum
        width_in = fig.get_figwidth()
        wide = _save(fig, fmt, dpi)
        pt = _smallest_text_pt(fig, laid_out=True)  # saving drew it: no second drawing
        narrow_in = phone_width(fig, pt) if phone else None
        wide = _recorded(wide, fmt, fig, pt, alt, "only" if narrow_in is None else "wide")
        narrow = None
        if narrow_in is not None:
            narrow_layout(fig, narrow_in)
            narrow = _recorded(_save(fig, fmt, dpi), fmt, fig, pt, alt, "narrow")
    finally:
        plt.close(fig)
    return Frame(wide, narrow, width_in, narrow_in or 0.0)


#: Run by the front end (JupyterLab, Jupyter Notebook, JupyterLite) where the live controls show:
#: ipywidgets draws a slider's handle as a <div role="slider"> that its visible label does not
#: name, so a screen reader announces a nameless slider. This gives every slider, dropdown and
#: text field of the explorable the name its label shows (and a slider the value its readout
#: shows), now and whenever the box changes. On the static site _static/book.js does the same.
NAME_CONTROLS_JS = """
(function (element) {
  // rendered before it is attached to the page: wait for the explorable's box (10 s at most)
  let box = element.closest('.lstm-explorable'), tries = 0;
  if (!box) {
    const retry = setInterval(() => {
      box = element.closest('.lstm-explorable');
      if (box || ++tries > 100) { clearInterval(retry); if (box) watch(); }
    }, 100);
  }
  const name = () => {
    for (const widget of box.querySelectorAll('.widget-slider, .widget-dropdown, .widget-text, .widget-select')) {
      const label = widget.querySelector('.widget-label');
      const text = label ? label.textContent.trim() : '';
      for (const control of widget.querySelectorAll('[role=slider], select, input')) {
        if (text && control.getAttribute('aria-label') !== text) control.setAttribute('aria-label', text);
        const readout = widget.querySelector('.widget-readout');
        const value = readout ? readout.textContent.trim() : '';
        if (control.getAttribute('role') === 'slider' && value && control.getAttribute('aria-valuetext') !== value) {
          control.setAttribute('aria-valuetext', value);
        }
      }
    }
  };
  const watch = () => {
    name();
    new MutationObserver(name).observe(box, {subtree: true, childList: true, characterData: true});
  };
  if (box) watch();
})(element);
"""


def _control_names() -> widgets.Output:
    """An empty-looking Output widget whose JavaScript names the explorable's controls (see
    NAME_CONTROLS_JS); only a front end with a kernel shows it (the live box)."""
    from IPython.display import Javascript

    out = widgets.Output(layout=widgets.Layout(height="0px", overflow="hidden"))
    out.append_display_data(Javascript(NAME_CONTROLS_JS))
    return out


class LiveFigure:
    """The live side of an explorable: live controls above one image that ``draw`` redraws.

    Built when a front end connected to the kernel first shows the explorable
    (``start()``; see the module docstring). ``controls``: name -> live widget;
    ``image``: the Image redrawn; ``status``: an HTML widget, empty unless a value
    could not be drawn; ``redraws``: how many figures were drawn live.
    """

    def __init__(self, draw, controls, static_controls, box, figure_of, render):
        self._draw, self._specs, self._static = draw, controls, static_controls
        self._box, self._figure_of, self._render = box, figure_of, render
        self.active = False
        self.controls: dict[str, widgets.DOMWidget] = {}
        self.image: widgets.Image | None = None
        self.status = widgets.HTML(value="")
        self.redraws = 0

    def start(self) -> None:
        """Swap the box's grid controls and stack for live controls and one live image (once)."""
        if self.active:
            return
        point = tuple(w.index for w in self._static)
        self.controls = {c.name: c.live_widget(k) for c, k in zip(self._specs, point)}
        self.image = self._figure_of(point)  # the very figure the stack shows now
        for w in self.controls.values():
            w.observe(self._redraw, names="value")
        row = widgets.HBox(list(self.controls.values()),
                           layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        self._box.children = (row, self.image, self.status, _control_names())
        self.active = True

    def values(self) -> dict:
        """What ``draw`` receives for the live controls' current values."""
        return {c.name: c.live_value(self.controls[c.name].value) for c in self._specs}

    def _redraw(self, change=None) -> None:
        kwargs = self.values()
        try:
            data = self._render(kwargs)
        except Exception as err:  # shown where the figure was, instead of a figure of other values
            plt.close("all")
            self.image.layout.display = "none"
            self.status.value = (
                f'<div class="{LIVE_ERROR_CLASS}" role="alert">Could not draw the figure for '
                f'{html.escape(_call(kwargs))}: {html.escape(type(err).__name__)}: {html.escape(str(err))}</div>')
            return
        with self.image.hold_sync():
            self.image.format = "svg+xml" if _is_svg(data) else "png"
            self.image.value = data
            self.image.layout.display = None
        self.status.value = ""
        self.redraws += 1


class Explorable(NamedTuple):
    """The parts of an explorable; ``box`` is what a cell displays."""

    box: widgets.VBox                       # the controls above the figure
    controls: dict[str, widgets.DOMWidget]  # name -> static control widget (its `index` is the position)
    figure: widgets.Stack                   # nested stacks, one level per control, Images at the leaves
    links: tuple                            # the jslinks, control.index -> stack.selected_index
    images: dict[tuple[int, ...], widgets.Image]  # grid position -> its image
    nbytes: int                             # widget_bytes(box)
    live: LiveFigure                        # what a live kernel shows instead (see the module docstring)


def explorable(draw: Callable[..., Figure], *controls: Control, fmt: str = "png", dpi: int = DPI,
               max_bytes: int = MAX_WIDGET_BYTES, min_text_px: float = MIN_TEXT_PX,
               column_px: float = COLUMN_PX, legible: bool = True, alt: str | None = None) -> Explorable:
    """Controls above a figure ``draw(**{control.name: value, ...})``: every grid figure drawn now, any value live.

    draw: called once per grid point (every combination of the controls'
        values, the last control varying fastest) with one keyword argument per
        control; must return a matplotlib Figure (rendered and closed here) or
        an SVG drawing (an object with ``_repr_svg_``, e.g. from
        lstm.book.diagrams, whose legibility its own tests check). With a live
        kernel it is called again for each value the reader picks.
    controls: one or more of ``slider(...)``, ``dropdown(...)``, ``checkbox(...)``,
        with distinct names; shown in this order.
    fmt: "png" (at ``dpi``) or "svg" (vector figures with few points).
    max_bytes: raise ValueError if the widget would add more to the page.
    min_text_px, column_px: raise ValueError if a figure's smallest text is
        under ``min_text_px`` CSS px when shown ``column_px`` wide, or if the
        figure is wider than MAX_FIGURE_INCHES (scaled to ``column_px``).
    legible: False skips those two checks (only for precomputed_slider's
        old figures).
    alt: the figures' alternative text, a sentence saying what they show; by
        default the ``# alt:`` comment of the notebook cell that calls this
        (lstm.book.figure_image.running_cell_alt). Each PNG records it with its
        smallest font size and width (lstm.book.plots.image_metadata), which
        _static/book.js puts on the page's image and the site test checks.

    Phones: a figure whose smallest text would show under MIN_PHONE_TEXT_PX in a
    phone's column also gets a narrow variant (``narrow_layout``: the panels
    stacked, the fonts kept), which the site shows on narrow screens instead.

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
    if alt is None:
        alt = running_cell_alt()
    elif not isinstance(alt, str) or not alt.strip():
        raise ValueError(f"alt must be a sentence saying what the figures show, got {alt!r}")

    def render(kwargs, check=legible, phone=True):
        return _render(draw, kwargs, fmt, dpi, legible=check, min_text_px=min_text_px, column_px=column_px,
                       alt=alt, phone=phone)

    shape = tuple(len(c.values) for c in controls)
    frames: dict[tuple[int, ...], Frame] = {}
    for point in itertools.product(*(range(n) for n in shape)):
        frames[point] = render({c.name: c.values[k] for c, k in zip(controls, point)})
    # every frame shown at the widest figure's size, so that the slider does not resize it
    width_in = max(f.width_in for f in frames.values())
    narrow_in = max(f.narrow_width_in for f in frames.values())
    frames = {p: f._replace(width_in=width_in, narrow_width_in=narrow_in) for p, f in frames.items()}
    data = {p: f.wide for p, f in frames.items()}

    for axis, c in enumerate(controls):
        if shape[axis] > 1 and not any(
            data[p] != data[p[:axis] + (k,) + p[axis + 1:]] for p in data for k in range(shape[axis])
        ):
            raise ValueError(f"control {c.name!r} changes no figure: draw ignores it, or its values are too close")

    # Identical figures share one leaf (a model may be the child of several stacks).
    by_bytes: dict[tuple, widgets.DOMWidget] = {}
    for f in frames.values():
        if (f.wide, f.narrow) not in by_bytes:
            by_bytes[(f.wide, f.narrow)] = _leaf(f)
    images = {p: by_bytes[(f.wide, f.narrow)] for p, f in frames.items()}

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
    # A screen loads the wide or the narrow variant of a figure, not both: the phones' copies
    # (base64 in the state, 4/3 of their bytes) do not count against the budget.
    phones_only = sum(-(-len(narrow) // 3) * 4 for _, narrow in by_bytes if narrow is not None)
    if nbytes - phones_only > max_bytes:
        for w in [box, *links, *control_widgets, *by_bytes.values()]:
            w.close()
        raise ValueError(
            f"the explorable would add {(nbytes - phones_only) / 1e6:.2f} MB to the page ({len(data)} figures, "
            f"{len(by_bytes)} distinct), over max_bytes = {max_bytes / 1e6:.2f} MB: use fewer positions, "
            f"smaller figures, or a lower dpi")

    live = LiveFigure(draw, controls, control_widgets, box,
                      figure_of=lambda point: _leaf_image(data[point], width_in),
                      render=lambda kwargs: render(kwargs, check=False, phone=False).wide)
    # The switch to live: a front end attached to the kernel reports its first view of
    # the box; executing a notebook (no front end) and the static page (no kernel) never do.
    box._view_count = 0
    box.observe(lambda change: live.start() if change["new"] else None, names="_view_count")
    return Explorable(box, dict(zip(names, control_widgets)), figure, links, images, nbytes, live)


def _call(kwargs: dict) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in kwargs.items())


# ---------------------------------------------------------------------------
# The one-slider explorable of the first chapters


class PrecomputedSlider(NamedTuple):
    """The parts of a precomputed slider; ``box`` is what a cell displays."""

    box: widgets.VBox            # slider above the stack of figures
    slider: widgets.SelectionSlider
    stack: widgets.Stack         # one Image child per slider position
    link: widgets.widget_link.Link  # slider.index -> stack.selected_index
    live: LiveFigure             # what a live kernel shows instead


def precomputed_slider(
    draw: Callable[[float], Figure],
    values: Sequence[float],
    *,
    value: float | None = None,
    description: str = "",
    readout_format: str = "{:g}",
    live: tuple[float, float, float] | None = None,
    dpi: int = DPI,
    max_bytes: int = PAGE_BUDGET_BYTES,
    alt: str | None = None,
    **options,
) -> PrecomputedSlider:
    """A slider over ``values`` showing ``draw(v)`` for the selected ``v``.

    ``explorable(lambda v: draw(v), slider("v", values, ...))``: draw is called
    with one positional float per position (and per live value: ``live`` is the
    slider's live range, see ``slider``). Kept for the chapters written
    before ``explorable``, with their figures: it does not check text size
    or width (legible=False) and allows up to the page budget; new code
    should call ``explorable``, whose defaults check all three. ``options``
    go to ``explorable`` (fmt).
    """
    if not callable(draw):
        raise TypeError(f"draw must be a callable returning a Figure, got {draw!r}")
    control = slider("value", values, value=value, description=description, readout_format=readout_format,
                     live=live)
    if alt is None:  # read here: the cell that calls precomputed_slider is the one running
        alt = running_cell_alt()
    parts = explorable(lambda value: draw(float(value)), control, dpi=dpi, max_bytes=max_bytes,
                       legible=False, alt=alt, **options)
    return PrecomputedSlider(parts.box, parts.controls["value"], parts.figure, parts.links[0], parts.live)
