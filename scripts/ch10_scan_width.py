"""Chapter 10: loop against parallel scan for a wide layer (width 256), on this CPU.

    nice -n 10 python scripts/ch10_scan_width.py     # -> book/data/ch10_scan_width.json

The same measurement as benchmarks/bench_scan.py (forward only, CPU time of one core,
best of 5), for states of 16 and of 256 numbers per step (256 = a batch of 16 sequences
of 16 cells, or one sequence of a 256-cell layer), T = 10 .. 10^4.
"""
import importlib.util
import json
import os
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("bench_scan", ROOT / "benchmarks" / "bench_scan.py")
bench_scan = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_scan)

LENGTHS = [10, 100, 1000, 10_000, 100_000]
WIDTHS = [16, 256]


def main():
    rows = [row for width in WIDTHS for row in bench_scan.measure(LENGTHS, width, reps=5)]
    for r in rows:
        print(r, flush=True)
    (ROOT / "book" / "data" / "ch10_scan_width.json").write_text(json.dumps({"rows": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
