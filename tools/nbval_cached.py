"""pytest plugin: nbval's checks, applied to the chapters' executions in the book's cache.

`make test` executes each chapter once (tools/build_cache.py, into
_build/.jupyter_cache), then checks those executions here, then builds the
website from the same cache. This plugin reuses nbval (0.11) for everything
but running the kernel: its collection of code cells and their options (cell
tags such as ``nbval-check-output`` and comment markers), its sanitising,
stream coalescing and output comparison, and its failure report. Each cell is
one test item, as under ``pytest --nbval-lax``:

- every code cell must have run without an error (a failing ``claim(...)``
  shows its ClaimError and message here);
- a cell tagged ``nbval-check-output`` must give the outputs committed in the
  notebook, compared the way nbval compares them (images are not compared).

    python -m pytest -p nbval_cached --nbval-cached book      (tools/ on sys.path)

The executions must be current: if lstm/, book/data/ or the lock changed since
the cache was filled, every chapter fails with that message instead of being
compared with outputs of older code; a chapter missing from the cache fails too.
"""
from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import pytest
from nbval.plugin import IPyNbCell, IPyNbFile, coalesce_streams

import build_cache


def pytest_addoption(parser):
    group = parser.getgroup("nbval_cached", "nbval on the book's execution cache")
    group.addoption("--nbval-cached", action="store_true",
                    help="check notebooks against their executions in the cache (nbval lax rules)")
    group.addoption("--nbval-cache-dir", default=str(build_cache.CACHE_DIR),
                    help="the jupyter-cache folder (default: _build/.jupyter_cache)")
    group.addoption("--nbval-inputs-root", default=str(build_cache.ROOT),
                    help="the repository whose lstm/, book/data/ and lock the cache must match")


def pytest_collect_file(file_path, parent):
    opt = parent.config.option
    if opt.nbval_cached and file_path.suffix == ".ipynb" and not file_path.name.startswith("_"):
        if opt.nbval or opt.nbval_lax:
            raise pytest.UsageError("--nbval-cached replaces --nbval/--nbval-lax; give only one")
        return CachedNbFile.from_parent(parent, path=file_path)
    return None


class CachedNbFile(IPyNbFile):
    """A notebook whose cells are checked against its cached execution instead of a live kernel."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # --nbval-lax: only cells tagged nbval-check-output are compared.
        self.compare_outputs = False
        self.executed_cells = None
        self.missing = None

    def setup(self):
        opt = self.config.option
        cache_dir = Path(opt.nbval_cache_dir)
        build_cache.check_current(cache_dir, build_cache.inputs_key(Path(opt.nbval_inputs_root)))
        cache = build_cache.open_cache(cache_dir)
        try:
            _, executed = cache.merge_match_into_notebook(nbformat.read(str(self.path), as_version=4))
        except KeyError:
            self.missing = (f"{self.path.name}: no execution of its current code cells in {cache_dir}; "
                            "run `python tools/build_cache.py` first")
            return
        self.executed_cells = [c for c in executed.cells if c.cell_type == "code"]
        self.setup_sanitize_files()

    def collect(self):
        for item in super().collect():
            yield CachedNbCell.from_parent(self, name=item.name, cell_num=item.cell_num,
                                           cell=item.cell, options=item.options)

    def teardown(self):
        pass  # no kernel to stop


class CachedNbCell(IPyNbCell):
    """One code cell: the tail of nbval's IPyNbCell.runtest, on the cached outputs."""

    def runtest(self):
        if self.options["skip"]:
            pytest.skip()
        if self.parent.missing:
            self.raise_cell_error(self.parent.missing)
        outs = copy.deepcopy(self.parent.executed_cells[self.cell_num].outputs)
        errors = [o for o in outs if o.get("output_type") == "error"]
        if errors and not self.options["check_exception"]:
            self.raise_cell_error("Cell execution caused an exception",
                                  "\n" + "\n".join(errors[0].get("traceback", [])))
        for out in outs:
            out.pop("transient", None)
        outs = coalesce_streams(outs)
        self.test_outputs = outs
        unrun = self.cell.execution_count is None
        if unrun and self.cell.outputs:
            self.raise_cell_error("Unrun reference cell has outputs")
        if self.options["check"] and not unrun:
            if not self.compare_outputs(outs, coalesce_streams(self.cell.outputs)):
                self.raise_cell_error("Cell outputs differ", "\n".join(self.comparison_traceback))
