"""Several diagrams side by side, e.g. every member of the LSTM family in one output.

    side_by_side([cell_diagram(k) for k in ("standard", "cifg", "gru")], captions=["standard", "cifg", "GRU"])

The drawings sit in a grid of equal columns, as many as fit at ``min_width`` each, each
as large as its column (up to the drawing's own largest size). The default, 440 px,
keeps the smallest label of a cell diagram (520 units wide) at 11 CSS px or more,
the site's limit at a 1280 px window: the book's 688 px column holds one drawing per
row; a wider screen, or a smaller min_width for drawings with larger labels, more. Each drawing is an
<img> of its SVG (a data URI), so it keeps to itself on the page (no CSS or ids shared
with the website) and stays vector graphics.
"""
from __future__ import annotations

import base64
import numbers
from html import escape

from ._svg import Diagram

__all__ = ["Gallery", "side_by_side"]


class Gallery:
    """Diagrams in a grid; shows itself in Jupyter as HTML (``.html``)."""

    def __init__(self, diagrams, captions, min_width):
        self.diagrams, self.captions, self.min_width = diagrams, captions, min_width
        self.html = self._html()

    def _html(self):
        figures = []
        for d, caption in zip(self.diagrams, self.captions):
            data = base64.b64encode(d.svg.encode("utf-8")).decode("ascii")
            text = f'<figcaption style="font-size: 0.95em">{escape(caption)}</figcaption>' if caption else ""
            figures.append(
                '<figure style="margin: 0; text-align: center">'
                f'<img src="data:image/svg+xml;base64,{data}" alt="{escape(d.title)}" '
                f'loading="lazy" style="width: 100%; max-width: {d.max_width}px; height: auto">{text}</figure>')
        # a grid of equal columns, as many as fit at min_width each (one on a phone)
        return (f'<div class="lstm-diagrams" style="display: grid; gap: 0.75rem 1rem; align-items: start; '
                f'grid-template-columns: repeat(auto-fill, minmax(min({self.min_width}px, 100%), 1fr))">'
                + "".join(figures) + "</div>")

    def _repr_html_(self):
        return self.html

    def __repr__(self):
        return f"<Gallery of {len(self.diagrams)} diagrams>"


def side_by_side(diagrams, captions=None, min_width=440):
    """A Gallery of `diagrams` (Diagram objects), with an optional caption under each.

    min_width: the narrowest a column may get, in CSS pixels, before there is one column fewer.
    """
    diagrams = list(diagrams)
    if not diagrams or not all(isinstance(d, Diagram) for d in diagrams):
        raise TypeError("diagrams must be a non-empty sequence of Diagram objects (from lstm.book.diagrams)")
    captions = [""] * len(diagrams) if captions is None else list(captions)
    if len(captions) != len(diagrams) or not all(isinstance(c, str) for c in captions):
        raise ValueError(f"captions must be {len(diagrams)} strings (one per diagram), got {captions!r}")
    if isinstance(min_width, bool) or not isinstance(min_width, numbers.Real) or not 100 <= min_width <= 1000:
        raise ValueError(f"min_width must be a number of CSS pixels in 100 .. 1000, got {min_width!r}")
    return Gallery(diagrams, captions, min_width)
