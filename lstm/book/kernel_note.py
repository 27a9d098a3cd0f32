"""A box for controls that really need Python, with a link to the chapter in JupyterLite.

Most controls of the book are explorables (lstm.book.explorable): they respond on
the static page too. A control that must compute what no grid can hold in advance
(a training run) goes in ``needs_kernel(...)``: a box that says so on the page and
links to the chapter in JupyterLite; the site test does not expect it to respond
without a kernel::

    run = widgets.interactive(train_and_plot, epochs=widgets.IntSlider(10, 1, 50))
    display(needs_kernel(run, notebook="08_reproducing_1997.ipynb",
                         reason="train a network for each setting"))
"""
from __future__ import annotations

import html
import re

import ipywidgets as widgets

__all__ = ["KERNEL_CLASS", "live_notebook_url", "needs_kernel"]

#: CSS class of a needs-a-kernel box (tests/site/check_site.py skips its controls).
KERNEL_CLASS = "lstm-needs-kernel"


def live_notebook_url(notebook: str) -> str:
    """The chapter in JupyterLite, relative to its page book/<chapter>.html.

    notebook: the chapter's file name, e.g. "05_bptt.ipynb"; the site's
    JupyterLite holds the chapters under book/ (tools/site/site.yml), as its
    launch button does.
    """
    if not isinstance(notebook, str) or not re.fullmatch(r"[A-Za-z0-9_.-]+\.ipynb", notebook):
        raise ValueError(f"notebook must be a chapter's file name such as '05_bptt.ipynb', got {notebook!r}")
    return f"../lite/lab/index.html?path=book/{notebook}"


def needs_kernel(*children: widgets.Widget, notebook: str, reason: str) -> widgets.VBox:
    """A box that says its controls need a running kernel, with a button to open the chapter live.

    children: the live controls and their output, shown below the note.
    notebook: the chapter's file, e.g. "05_bptt.ipynb" (see live_notebook_url).
    reason: what the controls do that needs Python, a verb phrase that
        follows "these controls", e.g. "train a network for each setting".
    The site test does not expect controls in this box to respond on the static page.
    """
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError(f"reason must say what needs Python, e.g. 'trains a network', got {reason!r}")
    for k, child in enumerate(children):
        if not isinstance(child, widgets.Widget):
            raise TypeError(f"children[{k}] must be an ipywidgets Widget, got {type(child).__name__}")
    url = live_notebook_url(notebook)
    note = widgets.HTML(
        f'<div class="lstm-kernel-note"><strong>Needs a live kernel:</strong> these controls '
        f'{html.escape(reason.strip())}, so on this static page they do nothing. '
        f'<a class="lstm-live-button" href="{html.escape(url)}" target="_blank" rel="noopener">'
        f'Open this chapter live (JupyterLite)</a></div>')
    box = widgets.VBox([note, *children])
    box.add_class(KERNEL_CLASS)
    return box
