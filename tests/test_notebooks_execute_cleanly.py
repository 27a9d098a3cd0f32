"""Chapters execute headless without the widget pattern that stalls notebook execution.

When a cell's output goes into an ipywidgets Output widget (as
`widgets.interactive_output` and `interact` do when they draw their first
figure), nbclient, which executes the chapters for the book build and for
nbval, acts as a front end and answers on the kernel's shell channel while it
is waiting on that same channel for the cell's reply. jupyter_client sends
that answer on a synchronous shadow of the asyncio socket, which consumes the
socket's edge-triggered wake-up; if the kernel's reply lands in that window,
nothing wakes the waiting coroutine, and the reply is found only when the cell
timeout expires (the build then goes on, with identical outputs, minutes
later). Chapter 3 stalled like this in about one execution in four.

Such a figure is also dead on the static website. The book's explorables are
precomputed (lstm.book.widgets): their figures are drawn while the chapter
executes and switched in the browser, with no Output widget written to. This
test reads each chapter's saved widget state and fails on any Output widget
that received output during execution.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parent.parent / "book"
CHAPTERS = sorted(p for p in BOOK.glob("*.ipynb") if not p.name.startswith("_"))
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def output_widgets_written_to(notebook: dict) -> list[str]:
    """Model ids of Output widgets whose saved state holds outputs."""
    state = notebook.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    return [model_id for model_id, model in state.items()
            if model.get("model_name") == "OutputModel" and model.get("state", {}).get("outputs")]


def test_the_check_finds_an_output_widget_with_outputs():
    notebook = {"metadata": {"widgets": {WIDGET_STATE: {"state": {
        "a": {"model_name": "OutputModel", "state": {"outputs": [{"output_type": "stream"}]}},
        "b": {"model_name": "OutputModel", "state": {"outputs": []}},
        "c": {"model_name": "ImageModel", "state": {}},
    }}}}}
    assert output_widgets_written_to(notebook) == ["a"]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_no_output_widget_is_written_while_the_chapter_executes(chapter):
    written = output_widgets_written_to(json.loads(chapter.read_text(encoding="utf-8")))
    assert not written, (
        f"{chapter.name}: {len(written)} Output widget(s) received output during execution "
        "(interactive_output / interact). Use a precomputed explorable from lstm.book.widgets, "
        "which works on the static page and cannot stall the build.")
