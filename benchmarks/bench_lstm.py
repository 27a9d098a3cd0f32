"""Forward + backward of lstm.LSTM against torch.nn.LSTM on the CPU.

    nice -n 10 python benchmarks/bench_lstm.py                 # the full table (a few minutes)
    python benchmarks/bench_lstm.py --quick                    # 3 repetitions, no memory run
    python benchmarks/bench_lstm.py --sizes 100,32,32,128 --dtype float32 --reps 9
    python benchmarks/bench_lstm.py --json results.json
    python benchmarks/bench_lstm.py --threads 1 --baseline /tmp/old   # also time another copy of lstm/

--baseline DIR times a second copy of the package (DIR/lstm, e.g. `git archive <commit> lstm |
tar -x -C DIR`) in the same run, interleaved with the other two, so that a change to the
kernel is measured side by side with what it replaced and with torch.

What is timed, per size (T, N, D, H) and dtype: one forward pass over X (T, N, D) and
one backward pass from a fixed random dY (T, N, H), giving dX and every weight
gradient; the same weights and input for both libraries. Ours: `layer.forward(X)` then
`layer.backward(dY)`. Torch: `Y = net(X)` with X.requires_grad, then `Y.backward(dY)`
(gradients reset to None before each run, outside the clock).

Which torch: for float32 on the CPU, torch.nn.LSTM runs oneDNN's fused LSTM kernel (one
compiled pass over each step's element-wise work); for float64 it runs its own aten loop
of separate tensor operations, as it does for float32 with --torch-native, which times
torch with oneDNN switched off (torch.backends.mkldnn.flags(enabled=False)) as well.

Threads: both libraries get the same number of threads (default 2). numpy's BLAS
(OpenBLAS here; see `numpy.show_config()`) reads OPENBLAS_NUM_THREADS / OMP_NUM_THREADS
when it is loaded, so this script sets them before it imports numpy; torch gets
`torch.set_num_threads`.

Runs are interleaved (ours, torch, torch, ours, ...) so that load from other processes
hits both alike, and we report medians over the repetitions, of wall time and of CPU
time (time.process_time). On a shared machine the CPU time is the steadier measure: a
process that waits for a core loses wall time but not CPU time. With one thread each
(--threads 1) the two measure the same work.

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

from baseline import load_baseline

SIZES = [(100, 1, 8, 32), (100, 32, 32, 128), (100, 64, 128, 256), (100, 128, 256, 512)]


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="3 repetitions, smaller peak matrices, no memory run")
    ap.add_argument("--sizes", help="semicolon-separated T,N,D,H (default: the four standard sizes)")
    ap.add_argument("--dtype", choices=["float32", "float64", "both"], default="both")
    ap.add_argument("--reps", type=int, help="timed repetitions per library (default 7, 3 with --quick)")
    ap.add_argument("--threads", type=int, default=2, help="threads for numpy's BLAS and for torch (default 2)")
    ap.add_argument("--json", metavar="OUT", help="also write the results to this JSON file")
    ap.add_argument("--no-memory", action="store_true", help="skip the peak memory measurement")
    ap.add_argument("--baseline", metavar="DIR", help="also time the package in DIR/lstm (another version)")
    ap.add_argument("--torch-native", action="store_true",
                    help="also time torch with oneDNN (mkldnn) switched off: its own aten loop")
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


def make_pair(T, N, D, H, dtype, seed=0, package=None):
    """Our layer (from `package`, default lstm) and a torch.nn.LSTM with the same weights,
    plus X and dY (numpy and torch)."""
    import numpy as np
    import torch

    if package is None:
        import lstm as package

    torch.manual_seed(seed)
    net = torch.nn.LSTM(D, H).to(getattr(torch, dtype))
    ours = package.LSTM(D, H, rng=np.random.default_rng(seed), dtype=dtype)
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


def time_pair(size, dtype, reps, baseline=None, torch_native=False):
    """Median seconds (wall and CPU) of forward + backward, ours, torch and optionally the
    baseline package's and torch's without oneDNN, interleaved."""
    ours, net, X, dY, Xt, dYt = make_pair(*size, dtype)
    err = agreement(ours, net, X, dY, Xt, dYt)
    run_ours, run_torch, reset_torch = runners(ours, net, X, dY, Xt, dYt)
    libs = {"ours": (run_ours, lambda: None), "torch": (run_torch, reset_torch)}
    if baseline is not None:
        old = make_pair(*size, dtype, package=baseline)[0]
        libs["baseline"] = (runners(old, net, X, dY, Xt, dYt)[0], lambda: None)
    if torch_native:
        import torch

        def run_native():
            import warnings

            with warnings.catch_warnings():  # the flags context warns about Intel GPUs, which do not matter here
                warnings.simplefilter("ignore", UserWarning)
                with torch.backends.mkldnn.flags(enabled=False):
                    return run_torch()
        libs["torch_native"] = (run_native, reset_torch)
    wall = {name: [] for name in libs}
    cpu = {name: [] for name in libs}
    for run, reset in libs.values():  # warm-up, not timed
        reset()
        run()
    order = list(libs)
    for r in range(reps):
        for name in (order if r % 2 == 0 else order[::-1]):
            run, reset = libs[name]
            reset()  # outside the clock
            start, start_cpu = time.perf_counter(), time.process_time()
            run()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    med = {name: (statistics.median(wall[name]), statistics.median(cpu[name])) for name in libs}
    return med, err, wall, cpu


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
    info["baseline"] = args.baseline
    peaks = {}
    for dtype in dtypes:
        best, med = matmul_peak(dtype, n_peak, 3 if args.quick else 7)
        peaks[dtype] = best
        print(f"numpy matmul peak, {dtype}, {n_peak}x{n_peak}: best {best:.1f} GFLOP/s (median {med:.1f})")
    baseline = load_baseline(args.baseline) if args.baseline else None
    print(f"\nforward + backward, median of {args.reps}; GFLOP = 24 T N H (D + H) matmul FLOPs; "
          f"ratio = ours / torch (below 1: ours is faster), wall time and CPU time")
    header = (f"{'T':>4} {'N':>4} {'D':>4} {'H':>4} {'dtype':>8} {'ours ms':>9} {'torch ms':>9} "
              f"{'ratio':>6} {'cpu ratio':>9} {'GFLOP/s':>8} {'% peak':>7} {'max rel diff':>12}")
    if baseline is not None:
        header += f" {'base ms':>9} {'base ratio':>10} {'base cpu':>9}"
    if args.torch_native:
        header += f" {'native ms':>9} {'cpu ratio vs native':>19}"
    print(header)
    rows = []
    for size in args.sizes:
        for dtype in dtypes:
            med, err, wall, cpu = time_pair(size, dtype, args.reps, baseline, args.torch_native)
            (ours_s, ours_cpu), (torch_s, torch_cpu) = med["ours"], med["torch"]
            gflops = matmul_flops(*size) / ours_s / 1e9
            row = {"T": size[0], "N": size[1], "D": size[2], "H": size[3], "dtype": dtype,
                   "ours_ms": ours_s * 1e3, "torch_ms": torch_s * 1e3, "ratio": ours_s / torch_s,
                   "ours_cpu_ms": ours_cpu * 1e3, "torch_cpu_ms": torch_cpu * 1e3, "cpu_ratio": ours_cpu / torch_cpu,
                   "gflops": gflops, "peak_gflops": peaks[dtype], "fraction_of_peak": gflops / peaks[dtype],
                   "torch_gflops": matmul_flops(*size) / torch_s / 1e9, "max_rel_diff": err,
                   "all_ms": {k: [t * 1e3 for t in v] for k, v in wall.items()},
                   "all_cpu_ms": {k: [t * 1e3 for t in v] for k, v in cpu.items()}}
            line = (f"{size[0]:>4} {size[1]:>4} {size[2]:>4} {size[3]:>4} {dtype:>8} {row['ours_ms']:>9.2f} "
                    f"{row['torch_ms']:>9.2f} {row['ratio']:>6.2f} {row['cpu_ratio']:>9.2f} {gflops:>8.1f} "
                    f"{100 * row['fraction_of_peak']:>6.1f}% {err:>12.1e}")
            if baseline is not None:
                base_s, base_cpu = med["baseline"]
                row.update(baseline_ms=base_s * 1e3, baseline_cpu_ms=base_cpu * 1e3, baseline_ratio=base_s / torch_s,
                           baseline_cpu_ratio=base_cpu / torch_cpu)
                line += f" {base_s * 1e3:>9.2f} {row['baseline_ratio']:>10.2f} {row['baseline_cpu_ratio']:>9.2f}"
            if args.torch_native:
                native_s, native_cpu = med["torch_native"]
                row.update(torch_native_ms=native_s * 1e3, torch_native_cpu_ms=native_cpu * 1e3,
                           cpu_ratio_vs_native=ours_cpu / native_cpu)
                line += f" {native_s * 1e3:>9.2f} {row['cpu_ratio_vs_native']:>19.2f}"
            rows.append(row)
            print(line, flush=True)
    memory = None
    if not (args.quick or args.no_memory):
        largest = max(args.sizes, key=lambda s: matmul_flops(*s))
        memory = {"size": largest, "dtype": dtypes[0], **measure_memory(largest, dtypes[0], args.threads)}
        o, t = memory["ours"], memory["torch"]
        print(f"\npeak memory, one forward + backward at (T, N, D, H) = {largest}, {dtypes[0]} "
              f"(inputs X and dY: {o['inputs_mib']:.1f} MiB, allocated before):")
        print(f"  ours : peak RSS grows by {o['rss_growth_mib']:.1f} MiB; tracemalloc peak {o['tracemalloc_peak_mib']:.1f} MiB")
        print(f"  torch: peak RSS grows by {t['rss_growth_mib']:.1f} MiB")
    info["load_average_end"] = os.getloadavg()
    print(f"load average at the end {info['load_average_end'][0]:.1f}")
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
