"""Text coloured character by character, as static HTML (readable without a kernel).

    display(HTML(colored_text(text, values)))    # one value per character

Positive values shade towards the cell state's colour, negative ones towards the
hidden state's (lstm.book.style.GATE_COLORS "c" and "h"), with opacity |value| / vmax.
"""
from __future__ import annotations

import html

import numpy as np

from .style import GATE_COLORS

__all__ = ["colored_text", "text_block"]

# pre-wrap: long lines wrap inside the box, as a terminal shows them, instead of running past it
_BOX = ("font-family: monospace; font-size: 0.8rem; line-height: 1.35; white-space: pre-wrap; overflow-wrap: anywhere; "
        "padding: 0.5rem; border: 1px solid #ddd; border-radius: 4px; background: #fff; color: #222")


def _rgb(hex_color):
    return tuple(int(hex_color[k:k + 2], 16) for k in (1, 3, 5))


def colored_text(text: str, values, vmax: float | None = None, title: str = "") -> str:
    """HTML for `text` with each character's background shaded by values (len(text),)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    values = np.asarray(values, dtype=np.float64)
    if values.shape != (len(text),):
        raise ValueError(f"values must have one number per character, shape ({len(text)},), got {values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError("values must be finite")
    vmax = float(np.max(np.abs(values))) if vmax is None else float(vmax)
    if not vmax > 0:
        vmax = 1.0
    pos, neg = _rgb(GATE_COLORS["c"]), _rgb(GATE_COLORS["h"])
    spans = []
    for ch, v in zip(text, values):
        r, g, b = pos if v >= 0 else neg
        alpha = min(abs(v) / vmax, 1.0)
        shown = html.escape(ch) if ch != "\n" else "\u21b5\n"  # a visible mark where the line ends
        spans.append(f'<span style="background: rgba({r},{g},{b},{alpha:.2f})">{shown}</span>')
    head = f"<div style='font-size: 0.85rem; margin: 0.3rem 0'>{html.escape(title)}</div>" if title else ""
    return f"{head}<div style='{_BOX}'>{''.join(spans)}</div>"


def text_block(text: str, title: str = "") -> str:
    """HTML for plain monospace text (a model's sample), lines kept as they are."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    head = f"<div style='font-size: 0.85rem; margin: 0.3rem 0'><b>{html.escape(title)}</b></div>" if title else ""
    return f"{head}<div style='{_BOX}'>{html.escape(text)}</div>"
