"""Forward + backward of lstm.LSTM against torch.nn.LSTM on the CPU.

    nice -n 10 python benchmarks/bench_lstm.py                 # the full table (a few minutes)
    python benchmarks/bench_lstm.py --quick                    # 3 repetitions, no memory run
    python benchmarks/bench_lstm.py --sizes 100,32,32,128 --dtype float32 --reps 9
    python benchmarks/bench_lstm.py --json results.json

What is timed, per size (T, N, D, H) and dtype: one forward pass over X (T, N, D) and
one backward pass from a fixed random dY (T, N, H), giving dX and every weight
gradient; the same weights and input for both libraries. Ours: `layer.forward(X)` then
`layer.backward(dY)`. Torch: `Y = net(X)` with X.requires_grad, then `Y.backward(dY)`
(gradients reset to None before each run, outside the clock).

Threads: both libraries get the same number of threads (default 2). numpy's BLAS
(OpenBLAS here; see `numpy.show_config()`) reads OPENBLAS_NUM_THREADS / OMP_NUM_THREADS
when it is loaded, so this script sets them before it imports numpy; torch gets
`torch.set_num_threads`.

Runs are interleaved (ours, torch, torch, ours, ...) so that load from other processes
hits both alike, and we report medians over the repetitions.

FLOPs counted (matrix products only; the element-wise work is not counted):
    forward   2 T N 4H (D + H)     input projection and recurrent product
    backward  4 T N 4H (D + H)     dX and dh (data gradients), dW_ih and dW_hh
    total     24 T N H (D + H)
GFLOP/s = that / median time. The peak is numpy's own matrix product of two n x n
matrices (2 n^3 FLOPs) in the same run and dtype, best of several repetitions.

Peak memory (largest size only): each library runs in a fresh subprocess that builds
the layer and the inputs and warms up on a 2-step sequence. Then it resets the
kernel's peak-RSS counter (writing 5 to /proc/self/clear_refs, Linux), runs one
forward + backward pass, and reports VmHWM (peak resident set) minus VmRSS before
the pass, from /proc/self/status: the extra memory the pass needed at its peak. (The
growth of resource.getrusage's ru_maxrss cannot be used: importing torch already
sets a higher maximum.) For ours we also give tracemalloc's peak over the same pass
(numpy reports its allocations to tracemalloc), which counts array memory only.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

SIZES = [(100, 1, 8, 32), (100, 32, 32, 128), (100, 64, 128, 256), (50, 128, 256, 512)]


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="3 repetitions, smaller peak matrices, no memory run")
    ap.add_argument("--sizes", help="semicolon-separated T,N,D,H (default: the four standard sizes)")
    ap.add_argument("--dtype", choices=["float32", "float64", "both"], default="both")
    ap.add_argument("--reps", type=int, help="timed repetitions per library (default 7, 3 with --quick)")
    ap.add_argument("--threads", type=int, default=2, help="threads for numpy's BLAS and for torch (default 2)")
    ap.add_argument("--json", metavar="OUT", help="also write the results to this JSON file")
    ap.add_argument("--no-memory", action="store_true", help="skip the peak memory measurement")
    ap.add_argument("--memory-child", nargs=6, metavar=("LIB", "T", "N", "D", "H", "DTYPE"),
                    help=argparse.SUPPRESS)  # internal: one measurement in a fresh process
    args = ap.parse_args(argv)
    if args.sizes:
        args.sizes = [tuple(int(v) for v in s.split(",")) for s in args.sizes.split(";") if s.strip()]
        if any(len(s) != 4 for s in args.sizes):
            ap.error("--sizes wants groups of four numbers T,N,D,H separated by semicolons")
    else:
        args.sizes = SIZES
    if args.reps is None:
        args.reps = 3 if args.quick else 7
    return args


def set_threads(n):
    """Must run before numpy is imported: OpenBLAS reads these once, at load time."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(n)


def matmul_flops(T, N, D, H):
    return 24 * T * N * H * (D + H)


def make_pair(T, N, D, H, dtype, seed=0):
    """Our layer and a torch.nn.LSTM with the same weights, plus X and dY (numpy and torch)."""
    import numpy as np
    import torch

    from lstm import LSTM

    torch.manual_seed(seed)
    net = torch.nn.LSTM(D, H).to(getattr(torch, dtype))
    ours = LSTM(D, H, rng=np.random.default_rng(seed), dtype=dtype)
    ours.load_torch_state_dict(net.state_dict())
    rng = np.random.default_rng(seed + 1)
    X = rng.standard_normal((T, N, D)).astype(dtype)
    dY = rng.standard_normal((T, N, H)).astype(dtype)
    Xt = torch.from_numpy(X.copy()).requires_grad_(True)
    dYt = torch.from_numpy(dY.copy())
    return ours, net, X, dY, Xt, dYt


def runners(ours, net, X, dY, Xt, dYt):
    def run_ours():
        ours.forward(X)
        return ours.backward(dY)

    def run_torch():
        Y, _ = net(Xt)
        Y.backward(dYt)
        return Y

    def reset_torch():  # outside the clock: torch accumulates into .grad otherwise
        Xt.grad = None
        for p in net.parameters():
            p.grad = None

    return run_ours, run_torch, reset_torch


def agreement(ours, net, X, dY, Xt, dYt):
    """Largest relative difference between the two libraries' Y, dX and dW_hh."""
    import numpy as np

    run_ours, run_torch, reset_torch = runners(ours, net, X, dY, Xt, dYt)
    reset_torch()
    Y_ours, _ = ours.forward(X)
    dX_ours, _ = ours.backward(dY)
    Y_t = run_torch()

    def rel(a, b):
        return float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-30))

    return max(rel(Y_ours, Y_t.detach().numpy()), rel(dX_ours, Xt.grad.numpy()),
               rel(ours.grads["weight_hh"], net.weight_hh_l0.grad.numpy()))


def time_pair(size, dtype, reps):
    """Median seconds of forward + backward, ours and torch, interleaved."""
    ours, net, X, dY, Xt, dYt = make_pair(*size, dtype)
    err = agreement(ours, net, X, dY, Xt, dYt)
    run_ours, run_torch, reset_torch = runners(ours, net, X, dY, Xt, dYt)
    t_ours, t_torch = [], []

    def clock_ours():
        start = time.perf_counter()
        run_ours()
        t_ours.append(time.perf_counter() - start)

    def clock_torch():
        reset_torch()
        start = time.perf_counter()
        run_torch()
        t_torch.append(time.perf_counter() - start)

    run_ours(), reset_torch(), run_torch()  # warm-up, not timed
    for r in range(reps):
        first, second = (clock_ours, clock_torch) if r % 2 == 0 else (clock_torch, clock_ours)
        first()
        second()
    return statistics.median(t_ours), statistics.median(t_torch), err, t_ours, t_torch


def matmul_peak(dtype, n, reps):
    """Best and median GFLOP/s of numpy's n x n matrix product."""
    import numpy as np

    rng = np.random.default_rng(0)
    A = rng.standard_normal((n, n)).astype(dtype)
    B = rng.standard_normal((n, n)).astype(dtype)
    C = np.empty((n, n), dtype=dtype)
    np.matmul(A, B, out=C)  # warm-up
    rates = []
    for _ in range(reps):
        start = time.perf_counter()
        np.matmul(A, B, out=C)
        rates.append(2 * n ** 3 / (time.perf_counter() - start) / 1e9)
    return max(rates), statistics.median(rates)


def memory_child(lib, T, N, D, H, dtype):
    """One forward + backward in this (fresh) process; prints growth of max RSS in MiB."""
    import gc
    import tracemalloc

    import torch

    ours, net, X, dY, Xt, dYt = make_pair(T, N, D, H, dtype)
    run_ours, run_torch, reset_torch = runners(ours, net, X, dY, Xt, dYt)
    small = make_pair(2, N, D, H, dtype)  # load BLAS kernels and thread pools first
    warm_ours, warm_torch, _ = runners(*small)
    warm_ours() if lib == "ours" else warm_torch()
    del small, warm_ours, warm_torch
    gc.collect()
    out = {}
    if lib == "torch":
        reset_torch()
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")  # reset VmHWM, the peak resident set size, to the current size
    before = _proc_status_kib("VmRSS")
    run_ours() if lib == "ours" else run_torch()
    out["rss_growth_mib"] = (_proc_status_kib("VmHWM") - before) / 1024
    if lib == "ours":
        ours._cache = None
        ours.grads = {}
        gc.collect()
        tracemalloc.start()
        run_ours()
        out["tracemalloc_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2 ** 20
        tracemalloc.stop()
    inputs = sum(a.nbytes for a in (X, dY)) / 2 ** 20
    out["inputs_mib"] = inputs
    print(json.dumps(out))


def _proc_status_kib(field):
    """A memory figure of this process from /proc/self/status (Linux), in KiB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def measure_memory(size, dtype, threads):
    results = {}
    for lib in ("ours", "torch"):
        cmd = [sys.executable, os.path.abspath(__file__), "--threads", str(threads),
               "--memory-child", lib, *map(str, size), dtype]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
        results[lib] = json.loads(proc.stdout.strip().splitlines()[-1])
    return results


def main(argv=None):
    args = parse_args(argv)
    set_threads(args.threads)
    if args.memory_child:
        lib, T, N, D, H, dtype = args.memory_child
        import torch
        torch.set_num_threads(args.threads)
        memory_child(lib, int(T), int(N), int(D), int(H), dtype)
        return
    import numpy as np
    import torch
    torch.set_num_threads(args.threads)

    dtypes = ["float32", "float64"] if args.dtype == "both" else [args.dtype]
    n_peak = 1024 if args.quick else 2048
    info = {"python": platform.python_version(), "numpy": np.__version__, "torch": torch.__version__,
            "threads": args.threads, "cpus": os.cpu_count(), "reps": args.reps,
            "load_average": os.getloadavg()}
    print(f"numpy {np.__version__} (BLAS: {_blas_name(np)}), torch {torch.__version__}, "
          f"{args.threads} threads, {os.cpu_count()} CPUs, load average {info['load_average'][0]:.1f}, "
          f"{args.reps} reps")
    peaks = {}
    for dtype in dtypes:
        best, med = matmul_peak(dtype, n_peak, 3 if args.quick else 7)
        peaks[dtype] = best
        print(f"numpy matmul peak, {dtype}, {n_peak}x{n_peak}: best {best:.1f} GFLOP/s (median {med:.1f})")
    print(f"\nforward + backward, median of {args.reps}; GFLOP = 24 T N H (D + H) matmul FLOPs")
    header = (f"{'T':>4} {'N':>4} {'D':>4} {'H':>4} {'dtype':>8} {'ours ms':>9} {'torch ms':>9} "
              f"{'ratio':>6} {'GFLOP/s':>8} {'% peak':>7} {'max rel diff':>12}")
    print(header)
    rows = []
    for size in args.sizes:
        for dtype in dtypes:
            ours_s, torch_s, err, all_ours, all_torch = time_pair(size, dtype, args.reps)
            gflops = matmul_flops(*size) / ours_s / 1e9
            row = {"T": size[0], "N": size[1], "D": size[2], "H": size[3], "dtype": dtype,
                   "ours_ms": ours_s * 1e3, "torch_ms": torch_s * 1e3, "ratio": ours_s / torch_s,
                   "gflops": gflops, "peak_gflops": peaks[dtype], "fraction_of_peak": gflops / peaks[dtype],
                   "torch_gflops": matmul_flops(*size) / torch_s / 1e9, "max_rel_diff": err,
                   "ours_all_ms": [t * 1e3 for t in all_ours], "torch_all_ms": [t * 1e3 for t in all_torch]}
            rows.append(row)
            print(f"{size[0]:>4} {size[1]:>4} {size[2]:>4} {size[3]:>4} {dtype:>8} {row['ours_ms']:>9.2f} "
                  f"{row['torch_ms']:>9.2f} {row['ratio']:>6.2f} {gflops:>8.1f} "
                  f"{100 * row['fraction_of_peak']:>6.1f}% {err:>12.1e}", flush=True)
    memory = None
    if not (args.quick or args.no_memory):
        largest = max(args.sizes, key=lambda s: matmul_flops(*s))
        memory = {"size": largest, "dtype": dtypes[0], **measure_memory(largest, dtypes[0], args.threads)}
        o, t = memory["ours"], memory["torch"]
        print(f"\npeak memory, one forward + backward at (T, N, D, H) = {largest}, {dtypes[0]} "
              f"(inputs X and dY: {o['inputs_mib']:.1f} MiB, allocated before):")
        print(f"  ours : peak RSS grows by {o['rss_growth_mib']:.1f} MiB; tracemalloc peak {o['tracemalloc_peak_mib']:.1f} MiB")
        print(f"  torch: peak RSS grows by {t['rss_growth_mib']:.1f} MiB")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"info": info, "peaks_gflops": peaks, "rows": rows, "memory": memory}, fh, indent=1)
        print(f"\nwrote {args.json}")


def _blas_name(np):
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas['name']} {blas.get('version', '')}".strip()
    except Exception:  # older numpy without mode="dicts"
        return "see numpy.show_config()"


if __name__ == "__main__":
    main()
