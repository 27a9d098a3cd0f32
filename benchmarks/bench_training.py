"""Training throughput: sequences per second on the adding problem (T = 100), modern setting.

    nice -n 10 python benchmarks/bench_training.py              # 5 repetitions of 20 batches
    python benchmarks/bench_training.py --batches 50 --reps 3 --json out.json
    PYTHONPATH=/tmp/old python benchmarks/bench_training.py     # an older copy of lstm/

The model, optimiser and batches are those of `python -m lstm.experiments adding-100
--setting modern` (lstm.experiments registry: standard cell with forget-gate bias 1,
H = 8, Adam, batch 32, gradient clipping at norm 1). The batches are drawn before the
clock starts; each repetition times `lstm.experiments.training.train_batch` (forward, loss,
backward, clipping, Adam step) over the same batches, continuing the same training
run. We report the median over repetitions of sequences per second.
"""
import argparse
import json
import os
import statistics
import time


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--batches", type=int, default=20, help="batches per repetition (default 20)")
    ap.add_argument("--reps", type=int, default=5, help="repetitions (default 5)")
    ap.add_argument("--threads", type=int, default=2, help="threads for numpy's BLAS (default 2)")
    ap.add_argument("--experiment", default="adding-100")
    ap.add_argument("--json", metavar="OUT", help="also write the results to this JSON file")
    args = ap.parse_args(argv)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):  # before numpy is imported
        os.environ[var] = str(args.threads)

    import numpy as np

    import lstm
    from lstm.experiments.registry import EXPERIMENTS
    from lstm.experiments.training import build_model, make_optimizer, train_batch

    exp = EXPERIMENTS[args.experiment]
    cfg = exp.setting("modern")
    model = build_model(cfg, exp.input_size, exp.output_size, np.random.default_rng(0))
    opt = make_optimizer(cfg, model)
    data = np.random.default_rng(1)
    batches = [exp.batch(data, cfg.batch_size) for _ in range(args.batches)]
    train_batch(model, opt, batches[0], cfg)  # warm-up
    rates = []
    for _ in range(args.reps):
        start = time.perf_counter()
        for batch in batches:
            train_batch(model, opt, batch, cfg)
        rates.append(args.batches * cfg.batch_size / (time.perf_counter() - start))
    result = {"experiment": args.experiment, "setting": "modern", "hidden": cfg.hidden,
              "batch_size": cfg.batch_size, "lstm_path": os.path.dirname(lstm.__file__),
              "sequences_per_second": statistics.median(rates), "all": rates,
              "load_average": os.getloadavg()}
    print(f"{args.experiment}, modern setting (H = {cfg.hidden}, batch {cfg.batch_size}), lstm from "
          f"{result['lstm_path']}: {result['sequences_per_second']:.0f} sequences/s "
          f"(median of {args.reps}; all: {', '.join(f'{r:.0f}' for r in rates)}; "
          f"load average {result['load_average'][0]:.1f})")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(result, fh, indent=1)


if __name__ == "__main__":
    main()
