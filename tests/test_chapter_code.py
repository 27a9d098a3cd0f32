"""The chapters read like model code: plotting and setup are at most a sixth of each
chapter's code lines (tools/chapter_code.py counts them), and no chapter reaches into
the scripts or changes the import path."""
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import chapter_code  # noqa: E402

CHAPTERS = sorted((ROOT / "book").glob("[0-9]*.ipynb"))


def test_every_chapter_is_counted():
    assert len(CHAPTERS) >= 11


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_plotting_and_setup_are_at_most_a_sixth_of_the_code(chapter):
    total, plotting, setup = chapter_code.shares(chapter)
    assert total > 0
    share = (plotting + setup) / total
    assert share <= chapter_code.MAX_SHARE, (
        f"{chapter.stem}: {plotting} plotting and {setup} setup lines of {total} ({share:.1%}); "
        f"move figure code into lstm.book.plots calls")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapters_do_not_change_the_path_or_import_scripts(chapter):
    lines = list(chapter_code.code_lines(chapter))
    assert not [line for line in lines if "sys.path" in line]
    assert not [line for line in lines if "scripts" in line and "import" in line]


def test_the_count_tells_plotting_from_model_code(tmp_path):
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
            "source": ["import numpy as np\n", "h = np.tanh(x)\n", "# a comment\n", "\n",
                       "fig, ax = plots.figure()\n", "ax.set_xlabel('t')\n", "c = f * c + i * g\n"]}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": [cell, {"cell_type": "markdown", "source": ["fig, ax"]}]}))
    assert chapter_code.shares(path) == (5, 2, 1)
