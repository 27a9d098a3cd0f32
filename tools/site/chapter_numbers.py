"""Sphinx extension: chapters are numbered as their files are, from 0, everywhere the reader looks.

The chapters are book/00_*.ipynb to book/10_*.ipynb and the prose refers to them by
those numbers ("chapter 5's equation (36)"). _toc.yml numbers the part that holds
them (``numbered: true``), but Sphinx counts sections from 1; this extension shifts
the first number of every numbered page down by one, so chapter 00 is "0." in the
navigation, in its heading, in the previous/next links and in section references.
Jupyter Book's sphinx-multitoc-numbering also numbers each page's title node, which
the page's <title> (browser tab, bookmarks) and the previous/next links show; those
are shifted too.

Equation and figure numbers stay as they are (global across the book, "(36)"):
``numfig_secnum_depth: 0`` in _config.yml keeps section numbers out of them.
"""
from __future__ import annotations


from docutils import nodes
from sphinx.application import Sphinx

#: The first chapter's number (Sphinx would give it 1).
FIRST = 0


def _shift(number: tuple) -> tuple:
    return (number[0] - 1 + FIRST,) + tuple(number[1:]) if number else number


def shift_section_numbers(app: Sphinx, env) -> list:
    """After Sphinx has numbered the toctree, renumber from FIRST instead of 1."""
    if FIRST == 1 or getattr(env, "_lstm_numbers_shifted", None) == id(env.toc_secnumbers):
        return []
    for docname, numbers in env.toc_secnumbers.items():
        env.toc_secnumbers[docname] = {anchor: _shift(n) for anchor, n in numbers.items()}
    # The toctree entries (navigation, previous/next) carry their own copy of the number.
    for toc in env.tocs.values():
        for ref in toc.findall(nodes.reference):
            if ref.get("secnumber"):
                ref["secnumber"] = _shift(tuple(ref["secnumber"]))
    # sphinx-multitoc-numbering (Jupyter Book) also numbers the title nodes: the <title>, and the
    # previous/next links.
    for title in env.titles.values():
        if title.get("secnumber"):
            title["secnumber"] = _shift(tuple(title["secnumber"]))
    env._lstm_numbers_shifted = id(env.toc_secnumbers)
    return []


def setup(app: Sphinx):
    # Late: after the toctree collector (and sphinx-multitoc-numbering) assigned the numbers.
    app.connect("env-get-updated", shift_section_numbers, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
