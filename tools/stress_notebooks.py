"""Execute chapters many times and report the slowest run of each: a stall cannot hide.

A stall (an execution that waits on a message that never comes) shows up as a
run far slower than the chapter's median. Each run starts a fresh kernel, the
way `make book` and nbval do, and records every cell's wall time.

    python tools/stress_notebooks.py --runs 20                   # every chapter
    python tools/stress_notebooks.py --runs 10 book/03_memory_cell.ipynb
    python tools/stress_notebooks.py --runs 20 --json stress.json

Prints one row per chapter (median, slowest, slowest/median, slowest cell) and
exits 1 if any run took more than --max-ratio times its chapter's median.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def execute_once(path: Path, timeout: int) -> tuple[float, list[float]]:
    """Run one notebook in a fresh kernel (cwd: its folder); return (total s, per-cell s)."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    cell_seconds: list[float] = []
    original = client.async_execute_cell

    async def timed(cell, cell_index, *args, **kwargs):
        start = time.perf_counter()
        try:
            return await original(cell, cell_index, *args, **kwargs)
        finally:
            cell_seconds.append(time.perf_counter() - start)

    client.async_execute_cell = timed
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start, cell_seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="chapters to run (default: every book/*.ipynb)")
    parser.add_argument("--runs", type=int, default=20, help="executions per chapter (default 20)")
    parser.add_argument("--timeout", type=int, default=120, help="per-cell timeout in seconds")
    parser.add_argument("--max-ratio", type=float, default=2.0,
                        help="fail if a run exceeds this multiple of its chapter's median")
    parser.add_argument("--json", type=Path, help="also write every run's timings here")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error(f"--runs must be at least 1, got {args.runs}")
    notebooks = args.notebooks or sorted((ROOT / "book").glob("*.ipynb"))
    missing = [str(p) for p in notebooks if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")

    record: dict[str, list[dict]] = {}
    print(f"{'chapter':32} {'runs':>4} {'median s':>9} {'slowest s':>9} {'ratio':>6}  slowest cell")
    failed = False
    for path in notebooks:
        runs = []
        for _ in range(args.runs):
            total, cells = execute_once(path.resolve(), args.timeout)
            runs.append({"seconds": total, "cells": cells})
        totals = [r["seconds"] for r in runs]
        median = statistics.median(totals)
        worst = max(runs, key=lambda r: r["seconds"])
        worst_cell = max(range(len(worst["cells"])), key=worst["cells"].__getitem__)
        ratio = worst["seconds"] / median
        failed |= ratio > args.max_ratio
        print(f"{path.stem:32} {len(runs):4d} {median:9.2f} {worst['seconds']:9.2f} {ratio:6.2f}  "
              f"cell {worst_cell} ({worst['cells'][worst_cell]:.2f} s)", flush=True)
        record[path.stem] = runs
    if args.json:
        args.json.write_text(json.dumps(record, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
