"""tools/nbval_tags.py: nbval's comment markers become cell tags, and nbval still checks the cell."""
import importlib.util
from pathlib import Path

import nbformat

TOOL = Path(__file__).resolve().parents[1] / "tools" / "nbval_tags.py"


def run_tool(*argv):
    """The tool's main(), in this process (a fresh interpreter would only add its start-up)."""
    spec = importlib.util.spec_from_file_location("nbval_tags", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main([str(a) for a in argv])


def notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src, metadata=meta) for src, meta in cells]
    return nb


def test_markers_move_to_tags_and_nothing_else_changes(tmp_path, capsys):
    path = tmp_path / "ch.ipynb"
    nb = notebook(("# NBVAL_CHECK_OUTPUT\nprint(1)", {"tags": ["hide-input"]}),
                  ("x = 1  # NBVAL_CHECK_OUTPUT is mentioned, not a marker", {}),
                  ("print(2)\n#NBVAL_IGNORE_OUTPUT", {}),
                  ("y = 2", {}))
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    nbformat.write(nb, path)
    assert run_tool(path) == 0
    assert "2 marker(s) moved" in capsys.readouterr().out
    cells = nbformat.read(path, as_version=4).cells
    assert cells[0].source == "print(1)" and cells[0].metadata["tags"] == ["hide-input", "nbval-check-output"]
    assert cells[0].outputs[0]["text"] == "1\n"
    assert cells[1].source == "x = 1  # NBVAL_CHECK_OUTPUT is mentioned, not a marker" and "tags" not in cells[1].metadata
    assert cells[2].source == "print(2)" and cells[2].metadata["tags"] == ["nbval-ignore-output"]
    assert cells[3].source == "y = 2" and "tags" not in cells[3].metadata


def test_nbval_reads_the_tag_in_lax_mode():
    # nbval 0.11 maps each comment marker to a tag: lower case, '-' for '_'.
    from nbval.plugin import find_metadata_tags

    assert dict(find_metadata_tags({"tags": ["nbval-check-output"]})) == {"check": True}
    assert dict(find_metadata_tags({"tags": ["nbval-ignore-output"]})) == {"check": False}
