"""Run a plan of chapter 8's sweep (lstm/experiments/plans.py) and write book/data/experiments.json.

    nice -n 10 python scripts/run_experiments.py evaluation --jobs 2
    nice -n 10 python scripts/run_experiments.py evaluation --experiments reber adding-100 --settings modern
    nice -n 10 python scripts/run_experiments.py evaluation --settings paper --experiments 6a --lockstep 10
    python scripts/run_experiments.py evaluation --scheduler tcp://HOST:8786     # on a Dask cluster
    python scripts/run_experiments.py --write                                     # only rewrite the JSON

Every run's result is cached in book/data/sweep/cache/ under a key of its configuration
and the package version, so a second call runs only what is missing. Afterwards
experiments.json is rewritten from the cache: "runs" holds the tuning plan (the runs the
chapter was written from), "evaluation_runs" the evaluation plan, "missing" what is not
run yet. `--adding-model SECONDS` instead trains the adding network (T = 100, modern
setting, seed 0) that the chapter replays and saves it to book/data/adding_model.npz.
"""
import argparse
import json
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one thread: small matrices, shared machine
os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from lstm import checkpoint  # noqa: E402
from lstm.experiments import run  # noqa: E402
from lstm.experiments.plans import PLANS  # noqa: E402
from lstm.experiments.sweep import expand, missing, sweep, write_results  # noqa: E402

DATA = os.path.join(ROOT, "book", "data")
CACHE = os.path.join(DATA, "sweep", "cache")
NOTE = ("runs: the tuning plan (seeds 0-4, the seeds the modern settings were chosen on; wall-clock budgets); "
        "evaluation_runs: the evaluation plan (seeds 100-109, budgets in training sequences only); "
        "see lstm/experiments/plans.py and scripts/run_experiments.py")


def _select(runs, experiments, settings, seeds):
    return [r for r in runs if (not experiments or r.experiment in experiments)
            and (not settings or r.setting in settings) and (seeds is None or r.seed in seeds)]


def write(path=os.path.join(DATA, "experiments.json")):
    return write_results(path, {"runs": expand(PLANS["tuning"]), "evaluation_runs": expand(PLANS["evaluation"])},
                         CACHE, NOTE)


def summary(section="evaluation_runs", path=os.path.join(DATA, "experiments.json")):
    """One line per experiment and setting of a section of experiments.json: solved/seeds,
    median sequences of the solved runs against the paper's mean, median wall time."""
    import numpy as np
    from lstm.experiments import EXPERIMENTS
    with open(path) as f:
        records = json.load(f)[section]
    lines = [f"{'experiment':>20} {'setting':>7} {'solved':>7} {'median seq':>11} {'paper seq':>10} "
             f"{'paper rate':>16} {'budget':>10} {'median s':>9}"]
    for name, exp in EXPERIMENTS.items():
        for setting in ("modern", "paper", "rnn"):
            rs = [r for r in records if r["experiment"] == name and r["setting"] == setting]
            if not rs:
                continue
            ok = [r["sequences"] for r in rs if r["solved"]]
            med = f"{np.median(ok):,.0f}" if ok else "-"
            paper = f"{exp.paper.sequences:,.0f}" if exp.paper.sequences else "-"
            lines.append(f"{name:>20} {setting:>7} {len(ok):>3}/{len(rs):<3} {med:>11} {paper:>10} "
                         f"{exp.paper.success or '-':>16} {rs[0]['max_sequences']:>10,} "
                         f"{np.median([r['seconds'] for r in rs]):>9.1f}")
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("plan", nargs="?", choices=sorted(PLANS), help="the plan to run")
    p.add_argument("--experiments", nargs="+", metavar="NAME", help="only these experiments of the plan, run in this order")
    p.add_argument("--settings", nargs="+", metavar="SETTING", help="only these settings of the plan")
    p.add_argument("--seeds", nargs="+", type=int, metavar="SEED", help="only these seeds of the plan")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (local; default 1)")
    p.add_argument("--lockstep", type=int, default=1, metavar="K",
                   help="train up to K seeds of an online paper-setting run together (window rule only; default 1)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler (tcp://host:8786): run there")
    p.add_argument("--dry-run", action="store_true", help="list the runs that would execute, run nothing")
    p.add_argument("--write", action="store_true", help="only rewrite experiments.json from the cache")
    p.add_argument("--summary", action="store_true", help="print the evaluation runs of experiments.json as a table")
    p.add_argument("--adding-model", type=float, default=None, metavar="SECONDS",
                   help="instead of a sweep: train adding-100 (modern, seed 0) for up to SECONDS and save the "
                        "model to book/data/adding_model.npz whether or not it solved the task")
    args = p.parse_args(argv)
    if args.adding_model is not None:
        result = run("adding-100", "modern", 0, max_seconds=args.adding_model, progress=False, keep_model=True)
        checkpoint.save(result.pop("model"), os.path.join(DATA, "adding_model.npz"))
        with open(os.path.join(DATA, "adding_model.json"), "w") as f:
            json.dump(result, f)
        print(f"adding-100 model saved: solved={result['solved']} seq={result['sequences']} "
              f"wrong={result['test_wrong']}/{result['test_total']}")
        return 0
    if args.summary:
        print(summary())
        return 0
    if args.write:
        out = write()
        print(f"experiments.json: {len(out['runs'])} tuning runs, {len(out['evaluation_runs'])} evaluation runs; "
              f"missing {sum(len(v) for v in out['missing'].values())}")
        return 0
    if args.plan is None:
        p.error("name a plan (" + ", ".join(sorted(PLANS)) + "), or give --write or --adding-model")
    plan_runs = expand(PLANS[args.plan])
    for option, given, known in (("--experiments", args.experiments, {r.experiment for r in plan_runs}),
                                 ("--settings", args.settings, {r.setting for r in plan_runs}),
                                 ("--seeds", args.seeds, {r.seed for r in plan_runs})):
        unknown = sorted(set(given or ()) - known)
        if unknown:
            p.error(f"{option}: {unknown} not in the {args.plan} plan (it has {sorted(known)})")
    runs = _select(plan_runs, args.experiments, args.settings, args.seeds)
    if args.experiments:  # in the order given, so the ones that matter most finish first
        runs.sort(key=lambda r: args.experiments.index(r.experiment))
    if not runs:
        p.error("the selection matches no run of the plan")
    if args.dry_run:
        todo = missing(runs, CACHE)
        for r in todo:
            print(f"{r.experiment} {r.setting} seed {r.seed}: {r.max_sequences:,} sequences"
                  + ("" if r.max_seconds is None else f", {r.max_seconds:g} s"))
        print(f"{len(todo)} of {len(runs)} runs to execute")
        return 0
    try:
        sweep(runs, CACHE, n_jobs=args.jobs, scheduler=args.scheduler, lockstep=args.lockstep)
    finally:
        write()  # whatever finished is in the cache, so the JSON shows it even after Ctrl-C
    return 0


if __name__ == "__main__":
    sys.exit(main())
