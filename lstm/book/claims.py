"""Numbers and claims that the prose takes from the computation.

A number in a chapter's text is never typed: the cell that computes it glues
it, and the text pastes it with myst-nb's role::

    glue("ratio_k100", ratio, "{:.2f}")          # in the code cell
    ... the ratio is {glue:text}`ratio_k100` ...  # in the markdown cell

A sentence that rests on a measurement ("every seed", "below", "beats") is
checked right after the computation, in a cell tagged ``remove-cell`` (the
reader does not see it; nbval and the book build run it)::

    claim("Every seed of the LSTM solves T = 100.", solved.all(),
          f"solved {solved.sum()} of {solved.size}")

When the measurement stops supporting the sentence, the chapter stops there
with a `ClaimError` that quotes the sentence and what was measured, so
``make test`` (nbval, then the book build) fails and names it. The list of
each chapter's checked claims is generated from these calls
(``tools/list_claims.py`` writes the book's page of them).

`glue` writes the same display data as ``myst_nb.glue(name, value,
display=False)``, so the book builds from it, but needs no myst-nb: the
chapters also run in JupyterLite, where myst-nb is not installed.
"""
from __future__ import annotations

import numpy as np

__all__ = ["ClaimError", "claim", "glue"]

# The MIME prefix myst-nb reads glued values from (myst_nb.ext.glue.GLUE_PREFIX).
GLUE_PREFIX = "application/papermill.record/"


class ClaimError(AssertionError):
    """A sentence of the chapter that its own measurement no longer supports."""


def glue(name: str, value, fmt: str = "{}") -> str:
    """Glue ``value``, formatted with ``fmt``, under ``name``; return the text.

    fmt: a ``str.format`` pattern with one field, e.g. ``"{:.2f}"``, ``"{:,}"``
    or ``"{:.0%}"``. The text is stored as it will read on the page, so the
    markdown pastes it with ``{glue:text}`name``` and no format spec.
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"name must be a Python identifier such as 'ratio_k100', got {name!r}")
    if not isinstance(fmt, str) or fmt.count("{") != 1:
        raise ValueError(f"fmt must be a format string with one field such as '{{:.2f}}', got {fmt!r}")
    if isinstance(value, np.generic):
        value = value.item()
    text = fmt.format(value)
    _display_glued(name, text)
    return text


def claim(sentence: str, holds, measured: str = "") -> None:
    """Stop the chapter with a `ClaimError` unless ``holds`` is true.

    sentence: the chapter's sentence (or its key clause) as the reader reads it.
    holds: a bool (or numpy bool) computed from the measurement.
    measured: what was measured, for the message (e.g. "9 of 10 seeds").
    """
    if not isinstance(sentence, str) or not sentence.strip():
        raise ValueError("sentence must be the chapter's sentence that the check supports, as text")
    if isinstance(holds, np.ndarray) and holds.shape == ():
        holds = holds.item()
    if not isinstance(holds, (bool, np.bool_)):
        raise TypeError(f"holds must be a bool computed from the measurement, got {type(holds).__name__}"
                        " (use .all() or .any() on an array)")
    if not holds:
        detail = f" Measured: {measured}." if measured else ""
        raise ClaimError(f"The chapter says: \u201c{sentence}\u201d, but its measurement no longer "
                         f"supports it.{detail} Change the sentence or find out what changed.")


def _display_glued(name: str, text: str) -> None:
    # IPython is there whenever a kernel runs the chapter; outside one (a plain
    # script, a test) there is nothing to glue into, and the text is returned.
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython comes with every kernel
        return
    if get_ipython() is None:
        return
    # myst-nb reads text/plain back with ast.literal_eval, as IPython writes a
    # str: quoted, so "28,336" is not read as the tuple (28, 336).
    display({GLUE_PREFIX + "text/plain": repr(text)}, raw=True,
            metadata={"scrapbook": {"name": name, "mime_prefix": GLUE_PREFIX}})

