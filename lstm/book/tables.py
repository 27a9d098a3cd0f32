"""Tables built in code that render as tables: on the website, in Jupyter and as plain text.

A chapter that prints a Markdown table (``print("| a | b |")``) or displays
``Markdown(...)`` shows ``|`` characters on the website: myst-nb renders a
cell's Markdown output as CommonMark, which has no tables. An HTML table
renders everywhere, so the chapters display this::

    from lstm.book.tables import show

    show([["LSTM", 3, 0.0123], ["GRU", 2, 0.02]],
         header=["cell", "gates", "loss"], formats={"loss": "{:.3g}"},
         caption="Final loss per cell (seed 0).")

``show`` displays a ``Table``: its HTML (``_repr_html_``) is what the website
and Jupyter show, inside a ``div.lstm-table``; its plain-text form (``repr``) is
an aligned text table, what a terminal shows and what nbval compares in a cell
tagged ``nbval-check-output``.

Tables that fit (the site test, tests/site/check_site.py, checks it):

* At a 1280 px window no table may scroll or clip: the column is 688 CSS px, about
  75 characters of table text. Keep a table to the columns the text discusses;
  put units in the header (``units={"time": "ms"}`` shows "time" over "(ms)"),
  numbers to the digits that matter (``digits={"loss": 3}``: three significant
  digits), short headers (they wrap between words; cells do not), and long
  settings in a note under the table (``note=``) instead of a column.
* On a phone (390 px) a wide table scrolls inside its own box, which shows a
  shadow at the edge that hides columns (the cue that there is more) and keeps
  the first column in place: put the key column (what each row is) first. The
  scrolling box is focusable and named after the caption, so a keyboard can
  scroll it and a screen reader announces it.
* Hide the cell that builds the table (tag it ``hide-input``): the reader needs
  the table, not the ``show(...)`` call.

Cell text is escaped, so ``<`` and ``&`` show as themselves; inline math
written ``\\(f_t\\)`` is typeset by MathJax on the website (``$...$`` is not:
dollar math is a Markdown feature, and this is HTML).
"""
from __future__ import annotations

import html
import numbers
from collections.abc import Mapping, Sequence

from IPython.display import display

__all__ = ["CSS_CLASS", "Table", "show"]

#: CSS class of the div around every table (_static/book.css styles it).
CSS_CLASS = "lstm-table"


def _check_text(value, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, got {type(value).__name__}")
    return value


class Table:
    """A table of ``rows`` under ``header``; display it, or call ``show``.

    rows: a sequence of rows, each a sequence with one entry per header column
        (numbers, strings, or anything with a str()).
    header: the column titles.
    formats: {column title: format string such as "{:.3g}"} for numbers
        (default "{:,}" for integers and "{:.4g}" for other numbers).
    caption: a sentence shown above the table (optional); it also names the
        table's scrolling box for screen readers.
    align: "left" or "right" per column; by default numbers right, text left.
    units: {column title: unit}, shown under the title in the header ("ms", "bits/char").
    digits: {column title: n}: numbers of that column to n significant digits
        (a shortcut for formats "{:.ng}"; give one or the other per column).
    note: a sentence shown under the table (settings that would make a column too wide).
    """

    def __init__(self, rows, header, *, formats: Mapping[str, str] | None = None,
                 caption: str | None = None, align: Sequence[str] | None = None,
                 units: Mapping[str, str] | None = None, digits: Mapping[str, int] | None = None,
                 note: str | None = None):
        if isinstance(header, (str, bytes)) or not isinstance(header, Sequence) or not header:
            raise TypeError(f"header must be a non-empty list of column titles, got {header!r}")
        self.header = [_check_text(h, f"header[{k}]") for k, h in enumerate(header)]
        if len(set(self.header)) != len(self.header):
            raise ValueError(f"column titles must be distinct, got {self.header}")
        n = len(self.header)
        if isinstance(rows, (str, bytes)) or not (isinstance(rows, Sequence) or hasattr(rows, "__array__")):
            raise TypeError(f"rows must be a sequence of rows, got {type(rows).__name__}")
        rows = [list(r) if not isinstance(r, (str, bytes)) and hasattr(r, "__iter__") else r for r in rows]
        for k, row in enumerate(rows):
            if not isinstance(row, list):
                raise TypeError(f"rows[{k}] must be a sequence of {n} entries, got {row!r}")
            if len(row) != n:
                raise ValueError(f"rows[{k}] has {len(row)} entries, the header has {n} columns: {row!r}")
        formats = dict(formats or {})
        for what, given in (("formats", formats), ("units", units or {}), ("digits", digits or {})):
            unknown = set(given) - set(self.header)
            if unknown:
                raise ValueError(f"{what} names columns not in the header: {sorted(unknown)}; header: {self.header}")
        for title, n in (digits or {}).items():
            if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 1 <= n <= 17:
                raise ValueError(f"digits[{title!r}] must be a number of significant digits in 1..17, got {n!r}")
            if title in formats:
                raise ValueError(f"column {title!r} has both a format and digits: give one")
            formats[title] = f"{{:.{int(n)}g}}"
        self.units = {title: _check_text(u, f"units[{title!r}]") for title, u in (units or {}).items()}
        self.note = None if note is None else _check_text(note, "note")
        for title, fmt in formats.items():
            _check_text(fmt, f"formats[{title!r}]")
        self.caption = None if caption is None else _check_text(caption, "caption")
        numeric = [all(isinstance(r[j], numbers.Number) and not isinstance(r[j], bool) for r in rows) and bool(rows)
                   for j in range(n)]
        if align is None:
            self.align = ["right" if num else "left" for num in numeric]
        else:
            if isinstance(align, str) or len(align) != n or any(a not in ("left", "right") for a in align):
                raise ValueError(f"align must give 'left' or 'right' for each of the {n} columns, got {align!r}")
            self.align = list(align)
        self.cells = [[self._format(v, formats.get(self.header[j])) for j, v in enumerate(r)] for r in rows]

    @staticmethod
    def _format(value, fmt: str | None) -> str:
        if isinstance(value, numbers.Number) and not isinstance(value, bool):
            if fmt is None:
                fmt = "{:,}" if isinstance(value, numbers.Integral) else "{:.4g}"
            try:
                return fmt.format(value)
            except (ValueError, IndexError, KeyError) as err:
                raise ValueError(f"format {fmt!r} cannot format {value!r}") from err
        return str(value)

    def _title_html(self, title: str) -> str:
        unit = self.units.get(title)
        text = html.escape(title)
        return text + (f'<br><span class="{CSS_CLASS}-unit">({html.escape(unit)})</span>' if unit else "")

    def _title_text(self, title: str) -> str:
        unit = self.units.get(title)
        return f"{title} ({unit})" if unit else title

    def _repr_html_(self) -> str:
        style = {"left": "text-align: left", "right": "text-align: right"}
        head = "".join(f'<th scope="col" style="{style[a]}">{self._title_html(h)}</th>'
                       for h, a in zip(self.header, self.align))
        body = "".join(
            "<tr>" + "".join(f'<td style="{style[a]}">{html.escape(c)}</td>' for c, a in zip(row, self.align)) + "</tr>"
            for row in self.cells)
        # the caption is a paragraph above the table, not a <caption>: a <caption> is as wide as its
        # table, so on a phone it scrolls out of sight with the table's columns; a paragraph wraps
        caption = f'<p class="{CSS_CLASS}-caption">{html.escape(self.caption)}</p>' if self.caption else ""
        note = f'<p class="{CSS_CLASS}-note">{html.escape(self.note)}</p>' if self.note else ""
        # the box that scrolls on a phone: focusable (a keyboard can scroll it) and named
        name = html.escape(self.caption or "table: " + ", ".join(self.header), quote=True)
        return (f'<div class="{CSS_CLASS}">{caption}'
                f'<div class="{CSS_CLASS}-scroll" role="region" tabindex="0" aria-label="{name}">'
                f'<table class="table"><thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table></div>{note}</div>")

    def __repr__(self) -> str:
        header = [self._title_text(h) for h in self.header]
        widths = [max([len(h)] + [len(r[j]) for r in self.cells]) for j, h in enumerate(header)]

        def line(entries):
            return "  ".join(e.rjust(w) if a == "right" else e.ljust(w)
                             for e, w, a in zip(entries, widths, self.align)).rstrip()

        lines = ([self.caption] if self.caption else []) + [line(header), line("-" * w for w in widths)]
        return "\n".join(lines + [line(r) for r in self.cells] + ([self.note] if self.note else []))


def show(rows, header, *, formats: Mapping[str, str] | None = None, caption: str | None = None,
         align: Sequence[str] | None = None, units: Mapping[str, str] | None = None,
         digits: Mapping[str, int] | None = None, note: str | None = None) -> None:
    """Display ``Table(rows, header, ...)`` below the cell (see ``Table`` for the arguments)."""
    display(Table(rows, header, formats=formats, caption=caption, align=align, units=units, digits=digits,
                  note=note))
