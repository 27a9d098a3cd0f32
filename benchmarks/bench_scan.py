"""The linear recurrence h_t = a_t * h_{t-1} + b_t: loop against parallel scan, in numpy.

    nice -n 10 python benchmarks/bench_scan.py                      # the table, T = 10 .. 10^5
    python benchmarks/bench_scan.py --width 64 --reps 3
    python benchmarks/bench_scan.py --json book/data/modern_results.json   # also store it

Timed, per T: `lstm.scan_loop` (T dependent steps, each a few numpy calls on a (width,)
slice) and `lstm.scan_parallel` (ceil(log2 T) rounds, each a few numpy calls on the
whole (T, width) array; O(T log T) arithmetic), forward only, on one thread; the best
of `reps` runs. Both compute the same numbers: the last column is their largest
absolute difference (float64; a_t in (0, 1), b_t standard normal). The loop's cost is
the number of Python-level steps; the scan's is memory traffic. Threads: OPENBLAS_NUM_THREADS / OMP_NUM_THREADS are set to 1 before numpy
is imported (the scan uses no BLAS, but keep it comparable with the other scripts).
"""
import argparse
import json
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from lstm import scan_loop, scan_parallel  # noqa: E402


def best_time(fn, reps):
    """Least CPU time of this process over reps runs (on a shared machine, wall time
    also counts the time other processes hold the core)."""
    best = np.inf
    for _ in range(reps):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def measure(lengths, width, reps):
    rng = np.random.default_rng(0)
    rows = []
    for T in lengths:
        a, b = rng.uniform(0, 1, (T, width)), rng.standard_normal((T, width))
        loop = best_time(lambda: scan_loop(a, b), reps)
        par = best_time(lambda: scan_parallel(a, b), reps)
        diff = float(np.max(np.abs(scan_loop(a, b) - scan_parallel(a, b))))
        rows.append({"T": T, "width": width, "loop_ms": round(1000 * loop, 3), "scan_ms": round(1000 * par, 3),
                     "speedup": round(loop / par, 1), "rounds": 2 * int(np.ceil(np.log2(T))) - 1 if T > 1 else 0,
                     "max_abs_diff": diff})
    return rows


def main():
    parser = argparse.ArgumentParser(description="loop vs parallel scan for h_t = a_t h_{t-1} + b_t")
    parser.add_argument("--lengths", default="10,100,1000,10000,100000")
    parser.add_argument("--width", type=int, default=16, help="numbers per step (e.g. N * H)")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--json", help="store the rows under 'scan_timing' in this JSON file (other keys kept)")
    args = parser.parse_args()
    rows = measure([int(s) for s in args.lengths.split(",")], args.width, args.reps)
    print("| T | loop (ms) | scan (ms) | loop / scan | scan rounds | max abs diff |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['T']:,} | {r['loop_ms']:.3f} | {r['scan_ms']:.3f} | {r['speedup']} | {r['rounds']} | "
              f"{r['max_abs_diff']:.1e} |")
    if args.json:
        data = json.load(open(args.json)) if os.path.exists(args.json) else {}
        data["scan_timing"] = rows
        with open(args.json, "w") as f:
            f.write(json.dumps(data, indent=1) + "\n")


if __name__ == "__main__":
    main()
