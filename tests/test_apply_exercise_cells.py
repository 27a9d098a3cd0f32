"""tools/apply_exercise_cells.py puts a chapter's exercise cells at the end of a section, once."""
import json
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from apply_exercise_cells import apply_blocks, main  # noqa: E402


def chapter(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"),
                nbformat.v4.new_markdown_cell("## Summary\n\n- a point\n\n## Exercises\n\n**1.** Think.\n\n"
                                              "**2. Write it.** Old text of the coding exercise."),
                nbformat.v4.new_code_cell("def old_answer():\n    pass"),
                nbformat.v4.new_markdown_cell("**3.** Another question."),
                nbformat.v4.new_markdown_cell("## Appendix"),
                nbformat.v4.new_code_cell("x = 1")]
    book = tmp_path / "book"
    book.mkdir()
    nbformat.write(nb, book / "04_demo.ipynb")
    cells = tmp_path / "cells"
    cells.mkdir()
    block = {"after_heading": "## Exercises",
             "truncate_cells_at": ["**2. Write it.**"],
             "replace_cells_containing": ["def old_answer("],
             "cells": [{"cell_type": "markdown", "source": "**{next}. Write it.** New task.", "tags": []},
                       {"cell_type": "code", "source": "def old_answer():  # ours, kept", "tags": ["hide-cell"]}]}
    (cells / "04.json").write_text(json.dumps(block))
    return book / "04_demo.ipynb", cells


def run(path, cells):
    assert main(["--book", str(path.parent), "--cells", str(cells)]) == 0


def test_cells_go_to_the_end_of_the_section_and_a_rerun_changes_nothing(tmp_path):
    path, cells = chapter(tmp_path)
    run(path, cells)
    first = path.read_bytes()
    nb = nbformat.read(path, as_version=4)
    sources = [c.source for c in nb.cells]
    assert sources[1].endswith("**1.** Think.\n")  # cut at the old exercise's text
    assert "def old_answer():\n    pass" not in sources  # the old answer cell is gone
    i = sources.index("**4. Write it.** New task.")  # numbered after the section's highest, 3
    assert sources[i - 1] == "**3.** Another question." and sources[i + 2] == "## Appendix"
    assert nb.cells[i + 1].metadata["tags"] == ["hide-cell"] and nb.cells[i + 1].outputs == []
    run(path, cells)
    assert path.read_bytes() == first  # idempotent: nothing duplicated, nothing renumbered


def test_a_changed_file_replaces_the_cells_it_inserted_before(tmp_path):
    path, cells = chapter(tmp_path)
    run(path, cells)
    block = json.loads((cells / "04.json").read_text())
    block["cells"] = block["cells"][:1]
    (cells / "04.json").write_text(json.dumps(block))
    run(path, cells)
    nb = nbformat.read(path, as_version=4)
    assert sum("exercise_cell" in c.metadata for c in nb.cells) == 1


def test_a_missing_heading_or_a_bad_cell_is_a_clear_error(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("## Summary")]
    with pytest.raises(ValueError, match="no markdown cell has the heading line '## Exercises'"):
        apply_blocks(nb, {"after_heading": "## Exercises", "cells": []}, "01")
    with pytest.raises(ValueError, match="cell_type 'markdown' or 'code'"):
        apply_blocks(nb, {"after_heading": "## Summary", "cells": [{"cell_type": "raw", "source": ""}]}, "01")
    with pytest.raises(ValueError, match="unknown keys"):
        apply_blocks(nb, {"after_heading": "## Summary", "cells": [], "after": 1}, "01")


def test_every_handoff_file_applies_to_its_chapter(tmp_path):
    for path in sorted((ROOT / "handoff" / "exercises").glob("[0-9][0-9].json")):
        found = sorted((ROOT / "book").glob(f"{path.stem}_*.ipynb"))
        assert len(found) == 1, path
        raw = json.loads(found[0].read_text())  # read without validation: quicker
        for cell in raw["cells"]:
            cell["source"] = "".join(cell["source"])
        nb = nbformat.from_dict(raw)
        apply_blocks(nb, json.loads(path.read_text()), path.stem)
        inserted = [c for c in nb.cells if "exercise_cell" in c.metadata]
        assert any("raise NotImplementedError" in c.source for c in inserted), path
        assert any("hide-cell" in c.metadata.get("tags", []) for c in inserted), path


def test_the_chapters_keep_their_share_of_setup_lines_with_the_exercises(tmp_path):
    import chapter_code  # tools/, on the path above

    for path in sorted((ROOT / "handoff" / "exercises").glob("[0-9][0-9].json")):
        found = sorted((ROOT / "book").glob(f"{path.stem}_*.ipynb"))
        raw = json.loads(found[0].read_text())
        for cell in raw["cells"]:
            cell["source"] = "".join(cell["source"])
        nb = nbformat.from_dict(raw)
        apply_blocks(nb, json.loads(path.read_text()), path.stem)
        out = tmp_path / found[0].name
        out.write_text(json.dumps(nb))
        total, plotting, setup = chapter_code.shares(out)
        assert (plotting + setup) / total <= chapter_code.MAX_SHARE, (path.stem, total, plotting, setup)
