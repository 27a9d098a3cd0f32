"""Figures as image bytes, and the sizes that keep them legible in the book's text column.

One concern: how a matplotlib figure becomes the PNG or SVG bytes an image widget
shows, and the numbers that decide whether it reads well on the page:

* Images are PNG at ``DPI`` = 160 dots per inch (2x a screen's 1x size of 96
  CSS px per inch, so crisp on high-density screens) or SVG (``fmt="svg"``),
  shown at most at the figure's 1x size and shrunk to the column below that.
* The smallest text of every figure must be at least ``MIN_TEXT_PX`` CSS
  pixels high at the book's text-column width ``COLUMN_PX`` = 688 px (a
  7-inch-wide figure, 672 px, fits the column unscaled, so 8.5 pt is enough;
  an 11-inch one is shrunk to 0.65x and needs 12.7 pt). A figure is also never
  shrunk below ``LEGIBLE_SCALE`` = 0.75 of its 1x size, which the site test
  checks for every image: at most ``MAX_FIGURE_INCHES`` (9.5 in) wide.
* ``MAX_WIDGET_BYTES`` and ``PAGE_BUDGET_BYTES`` bound what one explorable and
  one page of the book may weigh (tests/site/check_site.py checks the page).

Needs matplotlib only (no ipywidgets), so figure modules can import the sizes.
"""
from __future__ import annotations

import io
import math
import numbers
import re

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.text import Text

__all__ = [
    "COLUMN_PX", "CSS_PX_PER_INCH", "DPI", "LEGIBLE_SCALE", "MAX_FIGURE_INCHES", "MAX_WIDGET_BYTES",
    "MIN_TEXT_PX", "PAGE_BUDGET_BYTES", "alt_comments", "figure_image", "figure_png", "running_cell_alt",
    "smallest_text_px",
]

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


# ---------------------------------------------------------------------------
# Alternative text from a cell's "# alt:" comment


_ALT_LINE = re.compile(r"^\s*#\s*alt:\s*(.*)$", re.I)
_COMMENT_LINE = re.compile(r"^\s*#\s?(.*)$")
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")


def alt_comments(source: str) -> list[str]:
    """The alternative texts a code cell's ``# alt:`` comments give, in order.

    A comment continues on the following ``#`` lines until a line ends a sentence
    (``.``, ``!`` or ``?``, perhaps followed by a closing bracket or quote), so an author
    can wrap a long sentence; a comment after that is an ordinary comment.
    """
    if not isinstance(source, str):
        raise TypeError(f"alt_comments: expected a cell's source as a string, got {type(source).__name__}")
    texts, current = [], None
    for line in source.splitlines():
        start = _ALT_LINE.match(line)
        if start:
            current = [start.group(1).strip()]
            texts.append(current)
        elif current is not None and _COMMENT_LINE.match(line) and not _SENTENCE_END.search(current[-1]):
            current.append(_COMMENT_LINE.match(line).group(1).strip())
        else:
            current = None
    return [" ".join(" ".join(parts).split()) for parts in texts if " ".join(parts).strip()]


def running_cell_alt() -> str | None:
    """The first ``# alt:`` comment of the notebook cell running now, or None (no IPython, no comment).

    IPython records a cell's source in its input history before running it, so a function
    a cell calls can read the comment its author wrote above the call.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the book extra
        return None
    shell = get_ipython()
    history = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None)
    if not history or not isinstance(history[-1], str):
        return None
    texts = alt_comments(history[-1])
    return texts[0] if texts else None
