"""The execution cache (tools/build_cache.py, tools/nbval_cached.py) never serves stale outputs.

A chapter is executed again when its code cells change, and every chapter
when the package lstm/, the data in book/data/ or the lock changes; a change
to a markdown cell executes nothing. The nbval checks read the cached
executions and still fail on an error (a failing claim shows its sentence) and
on an output that differs from the committed one.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"
sys.path.insert(0, str(TOOLS))
import build_cache  # noqa: E402

from jupyter_cache.base import CacheBundleIn  # noqa: E402


def write_notebook(path: Path, code: list[str], markdown: str = "Some prose.", tags=None) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(markdown)]
    for i, src in enumerate(code):
        cell = nbformat.v4.new_code_cell(src)
        if tags and tags[i]:
            cell.metadata["tags"] = list(tags[i])
        nb.cells.append(cell)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def small_repository(root: Path) -> Path:
    (root / "lstm").mkdir(parents=True)
    (root / "lstm" / "__init__.py").write_text("SCALE = 1\n")
    (root / "book" / "data").mkdir(parents=True)
    (root / "book" / "data" / "result.json").write_text('{"loss": 0.5}\n')
    (root / "requirements.txt").write_text("numpy==2.0.0\n")
    return root


def cache_as_executed(cache_dir: Path, path: Path) -> None:
    """Put ``path`` into the cache as if it had executed (outputs made up, no kernel)."""
    nb = nbformat.read(path, as_version=4)
    for n, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = n + 1
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"cell {n}\n")]
    build_cache.open_cache(cache_dir).cache_notebook_bundle(
        CacheBundleIn(nb, str(path)), check_validity=False, overwrite=True)


def edit_cell(path: Path, index: int, source: str) -> None:
    nb = nbformat.read(path, as_version=4)
    nb.cells[index].source = source
    nbformat.write(nb, path)


# --- the inputs key --------------------------------------------------------

def test_the_key_changes_with_the_package_the_data_and_the_lock(tmp_path):
    root = small_repository(tmp_path)
    key = build_cache.inputs_key(root)
    assert build_cache.inputs_key(root) == key
    for name, text in [("lstm/__init__.py", "SCALE = 2\n"), ("lstm/new_module.py", "X = 1\n"),
                       ("book/data/result.json", '{"loss": 0.4}\n'), ("requirements.txt", "numpy==2.1.0\n")]:
        path = root / name
        before = path.read_text() if path.exists() else None
        path.write_text(text)
        assert build_cache.inputs_key(root) != key, f"editing {name} must change the key"
        if before is None:
            path.unlink()
        else:
            path.write_text(before)
        assert build_cache.inputs_key(root) == key


def test_the_key_ignores_bytecode_and_the_chapters(tmp_path):
    root = small_repository(tmp_path)
    key = build_cache.inputs_key(root)
    (root / "lstm" / "__pycache__").mkdir()
    (root / "lstm" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0\1")
    write_notebook(root / "book" / "00_a.ipynb", ["print(1)"])
    assert build_cache.inputs_key(root) == key


def test_a_copy_of_this_repository_has_its_key_until_the_package_is_edited(tmp_path):
    for name in build_cache.INPUTS:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, tmp_path / name)
    assert build_cache.inputs_key(tmp_path) == build_cache.inputs_key(ROOT)
    core = tmp_path / "lstm" / "__init__.py"
    core.write_text(core.read_text() + "\n# an edit\n")
    assert build_cache.inputs_key(tmp_path) != build_cache.inputs_key(ROOT)


# --- what is marked for execution ---------------------------------------------

def test_code_edits_and_package_edits_execute_again_markdown_edits_do_not(tmp_path):
    root = small_repository(tmp_path)
    cache_dir = root / "_build" / ".jupyter_cache"
    chapter = write_notebook(root / "book" / "00_a.ipynb", ["import json", "print(2 + 2)"])
    key = build_cache.inputs_key(root)
    assert build_cache.stale(cache_dir, [chapter], key) == [chapter]
    cache_as_executed(cache_dir, chapter)
    assert build_cache.stale(cache_dir, [chapter], key) == []

    edit_cell(chapter, 0, "Some prose, with a typo fixed.")
    assert build_cache.stale(cache_dir, [chapter], key) == [], "a markdown edit must not execute"

    edit_cell(chapter, 2, "print(2 + 3)")
    assert build_cache.stale(cache_dir, [chapter], key) == [chapter], "a code edit must execute"
    edit_cell(chapter, 2, "print(2 + 2)")
    assert build_cache.stale(cache_dir, [chapter], key) == []

    (root / "lstm" / "__init__.py").write_text("SCALE = 3\n")
    new_key = build_cache.inputs_key(root)
    with pytest.raises(RuntimeError, match="other code or data"):
        build_cache.check_current(cache_dir, new_key)
    assert build_cache.stale(cache_dir, [chapter], new_key) == [chapter], "a package edit must execute"
    assert build_cache.open_cache(cache_dir).list_cache_records() == [], "the old outputs must be gone"
    build_cache.check_current(cache_dir, new_key)


def test_an_execution_slower_than_the_budget_is_not_reused(tmp_path):
    root = small_repository(tmp_path)
    cache_dir = root / "cache"
    chapter = write_notebook(root / "book" / "00_a.ipynb", ["print(1)"])
    key = build_cache.inputs_key(root)
    build_cache.ensure_current(cache_dir, key)
    nb = nbformat.read(chapter, as_version=4)
    nb.cells[1].execution_count = 1
    build_cache.open_cache(cache_dir).cache_notebook_bundle(
        CacheBundleIn(nb, str(chapter), data={"execution_seconds": 130.0}), check_validity=False)
    assert build_cache.stale(cache_dir, [chapter], key, max_seconds=120) == [chapter]
    assert build_cache.stale(cache_dir, [chapter], key, max_seconds=150) == []


def test_a_cache_without_a_key_is_cleared(tmp_path):
    root = small_repository(tmp_path)
    cache_dir = root / "cache"
    chapter = write_notebook(root / "book" / "00_a.ipynb", ["print(1)"])
    cache_as_executed(cache_dir, chapter)
    assert build_cache.ensure_current(cache_dir, build_cache.inputs_key(root)) is True
    assert build_cache.open_cache(cache_dir).list_cache_records() == []


def test_the_chapters_of_this_book_follow_the_key(tmp_path):
    """Every real chapter: cached under one key, a markdown edit keeps it, a new key drops it."""
    cache_dir = tmp_path / "cache"
    chapters = []
    for path in build_cache.chapters():
        # The match reads code cells' sources and metadata only: the copies leave out the
        # outputs and the saved widget state (megabytes that only slow the test down).
        nb = json.loads(path.read_text(encoding="utf-8"))
        nb["metadata"].pop("widgets", None)
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                cell["outputs"], cell["execution_count"] = [], None
        copy = tmp_path / "book" / path.name
        copy.parent.mkdir(exist_ok=True)
        copy.write_text(json.dumps(nb), encoding="utf-8")
        chapters.append(copy)
    assert len(chapters) >= 10
    key = build_cache.inputs_key()
    build_cache.ensure_current(cache_dir, key)
    for chapter in chapters:
        cache_as_executed(cache_dir, chapter)
    assert build_cache.stale(cache_dir, chapters, key) == []
    for chapter in chapters:
        nb = nbformat.read(chapter, as_version=4)
        first_markdown = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown")
        edit_cell(chapter, first_markdown, nb.cells[first_markdown].source + "\n\nOne more sentence.")
    assert build_cache.stale(cache_dir, chapters, key) == []
    assert build_cache.stale(cache_dir, chapters, "another key") == chapters


# --- executing, then nbval's checks on the cache -------------------------------

def run_nbval_cached(path: Path, cache_dir: Path, root: Path) -> subprocess.CompletedProcess:
    """pytest with nbval's checks on the cache over ``path``, a notebook or a folder of them."""
    env = dict(os.environ, PYTHONPATH=str(TOOLS))
    folder = path if path.is_dir() else path.parent
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "nbval_cached", "-p", "no:cacheprovider", "-q", "-rf",
         "--nbval-cached", f"--nbval-cache-dir={cache_dir}", f"--nbval-inputs-root={root}",
         "--rootdir", str(folder), str(path)],
        capture_output=True, text=True, cwd=folder, env=env, timeout=300)


def test_executed_chapters_are_checked_like_nbval_and_a_failing_claim_says_why(tmp_path):
    """Two chapters executed (one of them raises a ClaimError), then nbval's checks on the
    cache in one pytest run over three notebooks, and once more after a package edit.
    (Each pytest run with nbval costs seconds of imports, each execution a kernel: the
    cases share them.)"""
    root = small_repository(tmp_path)
    cache_dir = root / "_build" / ".jupyter_cache"
    chapter = write_notebook(root / "book" / "00_a.ipynb",
                             ["x = 6 * 7", "print(x)", "print('not compared')"],
                             tags=[None, ["nbval-check-output"], None])
    committed = nbformat.read(chapter, as_version=4)
    for n, cell in enumerate(c for c in committed.cells if c.cell_type == "code"):
        cell.execution_count = n + 1
    committed.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="42\n")]
    committed.cells[3].outputs = [nbformat.v4.new_output("stream", name="stdout", text="old text\n")]
    nbformat.write(committed, chapter)
    claiming = write_notebook(root / "book" / "01_claim.ipynb", [
        "from lstm.book.claims import claim",
        "claim('Every seed solves the task.', False, 'solved 3 of 10')",
        "print('never reached')"])

    build_cache.ensure_current(cache_dir, build_cache.inputs_key(root))
    log = []
    assert build_cache.execute(cache_dir, [chapter, claiming], timeout=60, jobs=1, log=log.append) == [claiming]
    report = "\n".join(log)
    assert "FAILED   01_claim.ipynb" in report and "executed 00_a.ipynb" in report
    assert "ClaimError" in report and "Every seed solves the task." in report and "solved 3 of 10" in report
    assert build_cache.stale(cache_dir, [chapter, claiming], build_cache.inputs_key(root)) == [claiming], \
        "a clean execution is cached, a failed one is not"

    # 00_b: the same code cells (so the same cached execution), but the committed output
    # of the tagged cell no longer matches what the code prints.
    committed.cells[2].outputs[0]["text"] = "41\n"
    differing = root / "book" / "00_b.ipynb"
    nbformat.write(committed, differing)
    result = run_nbval_cached(root / "book", cache_dir, root)
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    failed = {line.split(" - ")[0].removeprefix("FAILED ") for line in out.splitlines() if line.startswith("FAILED")}
    # 00_a passes all three cells; 00_b fails its tagged cell only; 01_claim has no execution
    assert failed == {"00_b.ipynb::Cell 1", "01_claim.ipynb::Cell 0", "01_claim.ipynb::Cell 1",
                      "01_claim.ipynb::Cell 2"}, out
    assert "Cell outputs differ" in out
    assert "no execution of its current code cells" in out
    assert "4 failed, 5 passed" in out, out

    # The package changed after the execution: nothing is compared with the old outputs.
    (root / "lstm" / "__init__.py").write_text("SCALE = 5\n")
    result = run_nbval_cached(chapter, cache_dir, root)
    assert result.returncode != 0 and "other code or data" in result.stdout + result.stderr


def test_bad_arguments_get_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="parallel"):
        build_cache.execute(tmp_path, [], timeout=10, jobs=0)
    with pytest.raises(ValueError, match="seconds"):
        build_cache.execute(tmp_path, [], timeout=0, jobs=1)


# --- a direct `jupyter-book build` (tools/cache_guard.py, a Sphinx extension) ---

def _sphinx_app(root: Path, cache_dir: Path, mode: str = "cache"):
    """What cache_guard reads of a Sphinx application once myst-nb has set it up."""
    from types import SimpleNamespace

    config = SimpleNamespace(execution_mode=mode, execution_cache_path=str(cache_dir))
    return SimpleNamespace(srcdir=str(root), env=SimpleNamespace(mystnb_config=config,
                                                                 found_docs={"book/00", "book/01", "intro"}))


def test_a_direct_build_clears_a_stale_cache_and_reads_every_page_again(tmp_path):
    import cache_guard

    root = small_repository(tmp_path / "repo")
    cache_dir = root / "_build" / ".jupyter_cache"
    chapter = write_notebook(root / "book" / "00.ipynb", ["print(1)"])
    build_cache.ensure_current(cache_dir, build_cache.inputs_key(root))
    cache_as_executed(cache_dir, chapter)

    app = _sphinx_app(root, cache_dir)
    cache_guard._guard(app)  # current cache: kept, no page read again because of it
    assert build_cache.stale(cache_dir, [chapter], build_cache.inputs_key(root)) == []
    assert cache_guard._reread_all(app, app.env, set(), set(), set()) == []

    (root / "lstm" / "__init__.py").write_text("SCALE = 2\n")  # the package changes
    app = _sphinx_app(root, cache_dir)
    cache_guard._guard(app)
    build_cache.check_current(cache_dir, build_cache.inputs_key(root))  # the key is the new one ...
    assert build_cache.stale(cache_dir, [chapter], build_cache.inputs_key(root)) == [chapter]  # ... the old run gone
    assert cache_guard._reread_all(app, app.env, {"intro"}, set(), set()) == ["book/00", "book/01"]


def test_the_guard_leaves_builds_without_a_cache_alone(tmp_path):
    import cache_guard

    root = small_repository(tmp_path / "repo")
    cache_dir = root / "_build" / ".jupyter_cache"
    build_cache.ensure_current(cache_dir, "an old key")
    app = _sphinx_app(root, cache_dir, mode="force")
    cache_guard._guard(app)
    assert (cache_dir / build_cache.KEY_FILE).read_text().strip() == "an old key"
