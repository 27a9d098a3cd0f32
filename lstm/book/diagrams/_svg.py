"""A tiny SVG canvas: wires, nodes, boxes and labels, written as plain SVG text.

The diagrams of `lstm.book.diagrams` are drawn on a fixed coordinate grid (the
viewBox) and scaled by the browser, so they stay crisp at any zoom and shrink to
a phone's width. Every element can carry a CSS class and ``data-*`` attributes,
which is how the tests find the gates, peepholes and values in a drawing.

Labels use a small subset of LaTeX: ``c_{t-1}`` draws c with the subscript t−1
(a lowered, smaller tspan; ``-`` in a label becomes the minus sign −), and
``x^2`` a superscript. Nothing else is interpreted.
"""
from __future__ import annotations

import contextlib
import re
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

__all__ = ["Canvas", "Diagram"]

FONT = "'Helvetica Neue', Helvetica, Arial, sans-serif"
MATH_FONT = "'Times New Roman', 'DejaVu Serif', Times, serif"
WIRE = "#555555"  # wires that carry no gate's colour
HALO = "#ffffff"  # drawn under a wire where it crosses another


class Diagram:
    """An SVG drawing: shows itself in Jupyter, and has ``.svg`` and ``.save(path)``.

    The root element has a viewBox and ``width="100%"``, so the drawing fills
    the width it is given (up to ``max_width`` CSS pixels) and keeps its shape.
    """

    def __init__(self, svg: str, title: str, max_width: int | None = None):
        self.svg = svg
        self.title = title
        self.max_width = max_width

    def _repr_svg_(self):
        return self.svg

    def save(self, path):
        """Write the SVG to ``path`` (a str or Path, usually ending in .svg); returns the Path."""
        path = Path(path)
        path.write_text(self.svg, encoding="utf-8")
        return path

    def __repr__(self):
        return f"<Diagram {self.title!r}: {len(self.svg)} characters of SVG>"


def _fmt(v):
    """A coordinate as short text: 12, 12.5 (no float noise in the SVG)."""
    return f"{v:.1f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v)


def _attrs(cls=None, data=None, **attrs):
    parts = []
    if cls:
        parts.append(f"class={quoteattr(cls)}")
    for key, value in (data or {}).items():
        parts.append(f"data-{key}={quoteattr(str(value))}")
    for key, value in attrs.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        parts.append(f"{name}={quoteattr(_fmt(value) if isinstance(value, (int, float)) else str(value))}")
    return " ".join(parts)


_TOKEN = re.compile(r"([_^])(\{[^}]*\}|.)")


def label_spans(text, size):
    """The tspans of a label with _{sub} and ^{sup} parts (see the module docstring)."""
    text = text.replace("-", "\u2212")
    out, pos, shift = [], 0, 0.0
    small = round(size * 0.8, 1)  # subscripts stay legible where the drawing is shrunk to a phone
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            out.append(_span(text[pos:m.start()], -shift, None))
            shift = 0.0
        body = m.group(2)[1:-1] if m.group(2).startswith("{") else m.group(2)
        dy = size * (0.3 if m.group(1) == "_" else -0.45)
        out.append(_span(body, dy - shift, small))
        shift = dy
        pos = m.end()
    if pos < len(text):
        out.append(_span(text[pos:], -shift, None))
    return "".join(out)


def _span(text, dy, size):
    attrs = _attrs(dy=round(dy, 1) if dy else None, font_size=size)
    return f"<tspan {attrs}>{escape(text)}</tspan>" if attrs else f"<tspan>{escape(text)}</tspan>"


class Canvas:
    """Collects SVG elements on a width x height grid; `diagram()` wraps them up."""

    def __init__(self, width, height, title, max_width=None):
        self.width, self.height, self.title = width, height, title
        self.max_width = max_width or int(width * 1.15)
        self.parts = []

    @contextlib.contextmanager
    def group(self, cls, **data):
        """Elements drawn inside ``with canvas.group("gate", gate="f"):`` share one <g>."""
        self.parts.append(f"<g {_attrs(cls, data)}>")
        try:
            yield
        finally:
            self.parts.append("</g>")

    def wire(self, points, color=WIRE, width=2.0, arrow=True, dash=None, halo=False, opacity=None,
             cls=None, data=None):
        """A polyline through points [(x, y), ...]; an arrowhead at the last point if arrow."""
        d = "M" + " L".join(f"{_fmt(x)} {_fmt(y)}" for x, y in points)
        if halo:  # a white band under the wire, so a crossing reads as a bridge
            self.element("path", d=d, fill="none", stroke=HALO, stroke_width=width + 6)
        self.element("path", cls, data, d=d, fill="none", stroke=color, stroke_width=round(width, 2),
                     stroke_dasharray=dash, stroke_linejoin="round", opacity=opacity)
        if arrow:
            self.arrowhead(points[-2], points[-1], color, size=6 + width, opacity=opacity)

    def arrowhead(self, start, end, color, size=8.0, opacity=None):
        """A filled triangle with its tip at `end`, pointing along start -> end."""
        (x0, y0), (x1, y1) = start, end
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        bx, by = x1 - ux * size * 1.4, y1 - uy * size * 1.4
        pts = [(x1, y1), (bx - uy * size * 0.6, by + ux * size * 0.6), (bx + uy * size * 0.6, by - ux * size * 0.6)]
        self.element("polygon", points=" ".join(f"{x:.1f},{y:.1f}" for x, y in pts), fill=color, opacity=opacity)

    def dot(self, x, y, color=WIRE, r=3.5):
        """A junction where a wire splits."""
        self.element("circle", cx=x, cy=y, r=r, fill=color)

    def node(self, x, y, symbol, color=WIRE, r=13, fill="#ffffff", cls=None, data=None, size=22):
        """A round operation node: "+", "×", "1−" ..."""
        self.element("circle", cls, data, cx=x, cy=y, r=r, fill=fill, stroke=color, stroke_width=2)
        self.text(x, y, symbol, size=size, color=color, math=False, weight="bold")

    def box(self, x, y, w, h, color, fill="#ffffff", cls=None, data=None, rx=7, opacity=None, dash=None, width=2):
        """A rectangle centred on (x, y)."""
        self.element("rect", cls, data, x=x - w / 2, y=y - h / 2, width=w, height=h, rx=rx, fill=fill,
                     fill_opacity=opacity, stroke=color, stroke_width=width, stroke_dasharray=dash)

    def ellipse(self, x, y, rx, ry, color, fill="#ffffff", cls=None, data=None):
        self.element("ellipse", cls, data, cx=x, cy=y, rx=rx, ry=ry, fill=fill, stroke=color, stroke_width=2)

    def text(self, x, y, label, size=22, color="#222222", anchor="middle", math=True, weight=None,
             cls=None, data=None, italic=None, halo=False):
        """A label centred vertically on y; math labels are set in an italic serif, like equations."""
        font = MATH_FONT if math else FONT
        style = "italic" if (math if italic is None else italic) else None
        halo_attrs = dict(stroke=HALO, stroke_width=4, paint_order="stroke", stroke_linejoin="round") if halo else {}
        # y + 0.35 em puts the middle of lower-case letters on y; unlike dominant-baseline,
        # every renderer (browsers, librsvg, Inkscape) agrees on it
        attrs = _attrs(cls, data, x=x, y=round(y + 0.35 * size, 1), font_family=font, font_size=size,
                       font_style=style, font_weight=weight, fill=color, text_anchor=anchor, **halo_attrs)
        # xml:space keeps the spaces next to a subscript's tspan (librsvg drops them otherwise)
        self.parts.append(f'<text xml:space="preserve" {attrs}>{label_spans(label, size)}</text>')

    def element(self, tag, cls=None, data=None, **attrs):
        """Any empty SVG element, e.g. element("circle", cx=10, cy=10, r=4, fill="#000")."""
        self.parts.append(f"<{tag} {_attrs(cls, data, **attrs)}/>")

    def diagram(self, cls, **data):
        """The finished Diagram: a root <svg> with a viewBox, width 100% and a <title>."""
        root = _attrs(cls, data, xmlns="http://www.w3.org/2000/svg", viewBox=f"0 0 {self.width} {self.height}",
                      width="100%", role="img", style=f"max-width: {self.max_width}px; height: auto")
        # an opaque background: the drawing stays readable on the website's dark theme
        background = f"<rect {_attrs(width='100%', height='100%', fill=HALO)}/>"
        body = "\n".join(self.parts)
        svg = f"<svg {root}>\n<title>{escape(self.title)}</title>\n{background}\n{body}\n</svg>\n"
        return Diagram(svg, self.title, self.max_width)
