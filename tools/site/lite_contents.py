"""Stage the chapters for JupyterLite, each opening with the cell that installs the book's package.

In JupyterLite, Python (Pyodide) runs in the reader's browser and starts
without the `lstm` package. The website carries its wheel (tools/site/lite/pypi,
built by `make book`), which piplite installs by name. This copies book/
(notebooks and data) to --dest and puts one short code cell first in every
notebook, so a reader's first "Run all" installs the package from the site
itself, with nothing to type. The book's own notebooks are left unchanged.

    python tools/site/lite_contents.py --src book --dest _build/lite_contents/book
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import nbformat

INSTALL_SOURCE = (
    "# JupyterLite: install the book's package from this website's own wheel\n"
    "# (elsewhere `pip install .` in the book's repository does this once).\n"
    "%pip install -q lstm-from-scratch"
)
INSTALL_TAG = "lite-install"


def with_install_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` with the install cell first (once, even if staged twice)."""
    cells = [c for c in nb.cells if INSTALL_TAG not in c.get("metadata", {}).get("tags", [])]
    cell = nbformat.v4.new_code_cell(INSTALL_SOURCE, metadata={"tags": [INSTALL_TAG]})
    cell.pop("id", None)  # ids are optional before nbformat 4.5 notebooks
    if nb.nbformat_minor >= 5:
        cell["id"] = "lite-install"
    nb.cells = [cell] + cells
    return nb


def stage(src: Path, dest: Path) -> list[Path]:
    """Copy ``src`` to ``dest`` and add the install cell to every notebook; return the notebooks."""
    if not src.is_dir():
        raise FileNotFoundError(f"lite_contents: expected a folder of chapters, got {src}")
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    notebooks = sorted(dest.glob("*.ipynb"))
    for path in notebooks:
        nbformat.write(with_install_cell(nbformat.read(path, as_version=4)), path)
    return notebooks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=Path("book"))
    parser.add_argument("--dest", type=Path, default=Path("_build/lite_contents/book"))
    args = parser.parse_args(argv)
    stage(args.src, args.dest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
