"""One colour per gate and state, the same in every plot and diagram of the book.

The palette is Okabe & Ito's (2008), chosen to stay distinguishable with the
common forms of colour blindness. Gate order follows the package: i, f, g, o.
"""
from __future__ import annotations

#: Colour of each gate (i, f, g, o), of the cell state c, the output h and the input x.
GATE_COLORS = {
    "i": "#0072B2",  # input gate: blue
    "f": "#D55E00",  # forget gate: vermillion
    "g": "#009E73",  # candidate (cell input): green
    "o": "#CC79A7",  # output gate: reddish purple
    "c": "#E69F00",  # cell state, the carousel: orange
    "h": "#56B4E9",  # hidden state / output: sky blue
    "x": "#444444",  # input: dark grey
}

#: Colours for series that are not gates (seeds, lags, variants), in order.
SERIES_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

__all__ = ["GATE_COLORS", "SERIES_COLORS", "gate_color"]


def gate_color(name: str) -> str:
    """The book's colour for a gate or state name ("i", "f", "g", "o", "c", "h", "x")."""
    try:
        return GATE_COLORS[name]
    except KeyError:
        raise ValueError(f"gate_color: expected one of {sorted(GATE_COLORS)}, got {name!r}") from None
