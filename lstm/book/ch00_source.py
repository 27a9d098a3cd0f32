"""Show a reader the lines of a package function that the text discusses, not all of it.

    from lstm.book.ch00_source import excerpt
    excerpt(lstm.cell_forward, start="g = tanh", stop="return", drop=("peephole",))

returns an IPython ``Code`` object (it renders as highlighted Python) holding the lines of
the function's source from the first line containing ``start`` to the first later line
containing ``stop`` (both included), without the lines that contain one of ``drop``. The
lines are read from the package at the time the chapter runs, so the page cannot show code
the package no longer has: a marker that is not found raises an error naming it.
"""
from __future__ import annotations

import inspect
import textwrap

__all__ = ["excerpt_lines", "excerpt"]


def excerpt_lines(func, start: str, stop: str | None = None, drop=()) -> list[str]:
    """The source lines of ``func`` from the line containing ``start`` to the line containing
    ``stop`` (None: the function's last line), dedented, without lines containing any of ``drop``."""
    if not callable(func):
        raise TypeError(f"excerpt: expected a function, got {type(func).__name__}")
    if not isinstance(start, str) or not start:
        raise ValueError(f"excerpt: start must be a non-empty piece of a source line, got {start!r}")
    lines = inspect.getsource(func).splitlines()
    first = next((k for k, line in enumerate(lines) if start in line), None)
    if first is None:
        raise ValueError(f"excerpt: no line of {func.__name__} contains {start!r}")
    last = len(lines) - 1
    if stop is not None:
        last = next((k for k in range(first, len(lines)) if stop in lines[k]), None)
        if last is None:
            raise ValueError(f"excerpt: no line of {func.__name__} after {start!r} contains {stop!r}")
    kept = [line for line in lines[first:last + 1] if not any(d in line for d in drop)]
    return textwrap.dedent("\n".join(kept)).splitlines()


def excerpt(func, start: str, stop: str | None = None, drop=()):
    """``excerpt_lines`` as an IPython ``Code`` object, highlighted as Python."""
    from IPython.display import Code
    return Code("\n".join(excerpt_lines(func, start, stop, drop)), language="python")
