"""Each chapter's execution time, cell by cell, in CPU seconds as well as wall seconds.

The book's budget is 15 s of execution per chapter. On a machine that other
jobs share, wall time says little about a chapter (it grows with the load);
the kernel's CPU time hardly does. This executes each chapter from a fresh
kernel, in its folder (as the book build does), with IPython's pre/post
run-cell hooks recording `time.process_time()` (the kernel's CPU time, all
its threads) and `time.perf_counter()` around every cell, and prints per
chapter the totals and the slowest cells.

    python tools/chapter_times.py                          # every chapter
    python tools/chapter_times.py --top 5 --json times.json book/08_reproducing_1997.ipynb

Exits 1 if a chapter's kernel CPU time exceeds --budget seconds (default 15).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent

SETUP = """\
import json as _ct_json, time as _ct_time
_ct_rows, _ct_start = [], [0.0, 0.0]
def _ct_pre(info):
    _ct_start[:] = [_ct_time.process_time(), _ct_time.perf_counter()]
def _ct_post(result):
    _ct_rows.append([_ct_time.process_time() - _ct_start[0], _ct_time.perf_counter() - _ct_start[1]])
get_ipython().events.register("pre_run_cell", _ct_pre)
get_ipython().events.register("post_run_cell", _ct_post)
"""
REPORT = "print(_ct_json.dumps(_ct_rows))"


def time_cells(path: Path, timeout: int = 600) -> list[dict]:
    """Execute ``path`` once; return one dict per code cell: index, cpu, wall, first source line."""
    nb = nbformat.read(path, as_version=4)
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    run = nbformat.v4.new_notebook(metadata=nb.metadata)
    run.cells = [nbformat.v4.new_code_cell(SETUP)] + [c for _, c in code] + [nbformat.v4.new_code_cell(REPORT)]
    NotebookClient(run, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    rows = json.loads("".join(o.get("text", "") for o in run.cells[-1].outputs if o.output_type == "stream"))
    # The setup cell may or may not be recorded (its hooks are registered while it runs).
    rows = rows[-len(code):] if code else []
    if len(rows) != len(code):
        raise RuntimeError(f"{path.name}: timed {len(rows)} cells, expected {len(code)}")
    return [{"cell": i, "cpu": cpu, "wall": wall,
             "source": next((l for l in c.source.splitlines() if l.strip() and not l.startswith("#")), "")}
            for (i, c), (cpu, wall) in zip(code, rows)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every book/*.ipynb")
    parser.add_argument("--top", type=int, default=3, help="slowest cells shown per chapter")
    parser.add_argument("--budget", type=float, default=15.0, help="CPU seconds a chapter may take")
    parser.add_argument("--json", type=Path, help="also write every cell's times here")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted(p for p in (ROOT / "book").glob("*.ipynb") if not p.name.startswith("_"))
    report, over = {}, []
    for path in notebooks:
        cells = time_cells(path)
        cpu, wall = sum(c["cpu"] for c in cells), sum(c["wall"] for c in cells)
        report[path.name] = cells
        flag = "  OVER BUDGET" if cpu > args.budget else ""
        print(f"{path.name}: {cpu:.1f} s CPU, {wall:.1f} s wall, {len(cells)} code cells{flag}")
        for c in sorted(cells, key=lambda c: -c["cpu"])[:args.top]:
            print(f"    cell {c['cell']:3d} (notebook index): {c['cpu']:5.1f} s CPU {c['wall']:5.1f} s wall  {c['source'][:70]}")
        if cpu > args.budget:
            over.append(path.name)
        sys.stdout.flush()
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    if over:
        print(f"over the {args.budget:g} s budget: {', '.join(over)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
