"""Ablation of the LSTM family on the adding problem, in the spirit of Greff et al. 2017.

    nice -n 10 python scripts/ablation.py            # writes book/data/ablation.json

Every variant of `lstm.cells` (Greff's vanilla = our "peephole", NP = our "standard",
NIG, NFG, NOG, NIAF, NOAF, CIFG, FGR) and the GRU learn experiment 4 of Hochreiter &
Schmidhuber 1997 (the adding problem, `lstm.tasks.adding`, the paper's version) with
minimal length T = 30 (lengths 30-33, lags up to 32 steps), from 5 seeds each, with one shared protocol:

  * H = 16 cells, a linear readout, mean squared error at each sequence's last step;
  * Adam, learning rate 5e-3, minibatches of 128 sequences, gradient norm clipped at 1;
  * the keep gate starts open: forget-gate bias +3 (Gers et al. 2000; Jozefowicz et al.
    2015 use +1), which for CIFG means an input-gate bias of -3 (f = 1 - i) and for the
    GRU an update-gate bias of +3 (z keeps h); cells without a keep gate (NFG) keep
    everything anyway;
  * every 25 updates, 512 fixed test sequences are scored; a run has solved the task
    when at least 80% of them are within the paper's tolerance |error| < 0.04, and
    stops there or after 300 updates (38,400 sequences).

Seeds s = 0..4 fix the weights (rng s) and the training stream (rng 1000 + s), the
same stream for every variant. About 5-10 CPU minutes in all (T = 50 and more updates
would be closer to the paper but did not fit the chapter's compute budget).
"""
import argparse
import json
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np

from lstm import Adam, SequenceModel, train_step
from lstm.cells import GREFF_NAMES
from lstm.experiments.chapters.ch07_family import FAMILY, make_recurrent
from lstm.tasks.adding import TOLERANCE, adding_batch

VARIANTS = [v for v in FAMILY if v != "1997"]  # Greff's variants and the GRU; 1997 is not in the study
CONFIG = dict(T=30, hidden=16, batch=128, lr=5e-3, clip=1.0, keep_bias=3.0, max_updates=300,
              eval_every=25, test_size=512, solved_fraction=0.8, seeds=5)
OUT = Path(__file__).resolve().parents[1] / "book" / "data" / "ablation.json"


def make_layer(variant, rng, cfg=CONFIG):
    """The recurrent layer of `variant` with its keep gate starting open."""
    return make_recurrent(variant, 2, cfg["hidden"], rng=rng, keep_bias=cfg["keep_bias"])


def evaluate(model, test):
    rows, cols = test.lengths - 1, np.arange(len(test.lengths))
    err = model.forward(test.X)[rows, cols, 0] - test.targets[rows, cols, 0]
    return float(np.mean(err ** 2)), float(np.mean(np.abs(err) < TOLERANCE))


def run(variant, seed, cfg=CONFIG):
    """Train one variant from one seed; returns its learning curve and outcome."""
    start = time.process_time()
    rng = np.random.default_rng(seed)
    model = SequenceModel(make_layer(variant, rng, cfg), 1, rng=rng)
    opt = Adam(model.layers, lr=cfg["lr"])
    stream = np.random.default_rng(1000 + seed)
    test = adding_batch(np.random.default_rng(12345), cfg["test_size"], cfg["T"])
    curve = {"updates": [0], "test_mse": [], "test_right": []}
    mse, right = evaluate(model, test)
    curve["test_mse"].append(mse)
    curve["test_right"].append(right)
    solved_at = None
    for update in range(1, cfg["max_updates"] + 1):
        batch = adding_batch(stream, cfg["batch"], cfg["T"])  # scored at each sequence's last step
        train_step(model, batch.X, batch.targets, opt, "mse", at=batch.mask, clip=cfg["clip"])
        if update % cfg["eval_every"] == 0:
            mse, right = evaluate(model, test)
            curve["updates"].append(update)
            curve["test_mse"].append(mse)
            curve["test_right"].append(right)
            if right >= cfg["solved_fraction"]:
                solved_at = update
                break
    return {"variant": variant, "seed": seed, "parameters": model.recurrent.num_parameters,
            "solved_at_update": solved_at,
            "solved_at_sequences": None if solved_at is None else solved_at * cfg["batch"],
            "final_test_mse": curve["test_mse"][-1], "final_test_right": curve["test_right"][-1],
            "cpu_seconds": time.process_time() - start, "curve": curve}


def _run_job(job):
    return run(*job)


def summarise(runs, cfg=CONFIG):
    table = []
    for variant in [v for v in VARIANTS if any(r["variant"] == v for r in runs)]:
        mine = [r for r in runs if r["variant"] == variant]
        solved = [r["solved_at_sequences"] for r in mine if r["solved_at_sequences"] is not None]
        table.append({"variant": variant, "greff_name": GREFF_NAMES.get(variant, "GRU"),
                      "parameters": mine[0]["parameters"], "seeds": len(mine), "solved": len(solved),
                      "median_sequences_to_solve": float(np.median(solved)) if solved else None,
                      "median_final_test_mse": float(np.median([r["final_test_mse"] for r in mine])),
                      "median_final_test_right": float(np.median([r["final_test_right"] for r in mine]))})
    return table


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=CONFIG["seeds"])
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--variants", nargs="*", default=VARIANTS)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/ablation_runs.jsonl"),
                        help="finished runs, one JSON per line; runs found here are not repeated")
    args = parser.parse_args()
    done = {}
    if args.cache.exists():
        for line in args.cache.read_text().splitlines():
            r = json.loads(line)
            done[(r["variant"], r["seed"])] = r
    jobs = [(v, s) for s in range(args.seeds) for v in args.variants if (v, s) not in done]
    start = time.time()
    with Pool(args.workers) as pool, args.cache.open("a") as cache:
        for r in pool.imap_unordered(_run_job, jobs):
            done[(r["variant"], r["seed"])] = r
            cache.write(json.dumps(r) + "\n")
            cache.flush()
            print(f"{r['variant']:>9} seed {r['seed']}: solved at {r['solved_at_update']} updates, "
                  f"{r['cpu_seconds']:.0f} CPU s", flush=True)
    runs = [done[(v, s)] for s in range(args.seeds) for v in args.variants]
    cfg = dict(CONFIG, seeds=args.seeds)
    result = {"task": "adding problem (Hochreiter & Schmidhuber 1997, experiment 4), lstm.tasks.adding",
              "config": cfg, "variants": args.variants, "table": summarise(runs, cfg), "runs": runs,
              "cpu_seconds": sum(r["cpu_seconds"] for r in runs)}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=1))
    for row in result["table"]:
        print(f"{row['variant']:>9} {row['solved']}/{row['seeds']} solved, median sequences "
              f"{row['median_sequences_to_solve']}, median final test mse {row['median_final_test_mse']:.2e}")
    print(f"wrote {OUT} ({result['cpu_seconds']:.0f} CPU s in all runs, "
          f"{time.time() - start:.0f} s wall this time)")


if __name__ == "__main__":
    main()
