"""Ablation of the LSTM family on the adding problem, in the spirit of Greff et al. 2017.

    nice -n 10 python scripts/ablation.py            # writes book/data/ablation.json

Every variant of `lstm.cells` (Greff's vanilla = our "peephole", NP = our "standard",
NIG, NFG, NOG, NIAF, NOAF, CIFG, FGR) and the GRU learn experiment 4 of Hochreiter &
Schmidhuber 1997 (the adding problem, `lstm.tasks.adding`, the paper's version) with
minimal length T = 50, from 5 seeds each, with one shared protocol:

  * H = 16 cells, a linear readout, mean squared error at each sequence's last step;
  * Adam, learning rate 5e-3, minibatches of 128 sequences, gradient norm clipped at 1;
  * the keep gate starts open: forget-gate bias +3 (Gers et al. 2000; Jozefowicz et al.
    2015 use +1), which for CIFG means an input-gate bias of -3 (f = 1 - i) and for the
    GRU an update-gate bias of +3 (z keeps h); cells without a keep gate (NFG) keep
    everything anyway;
  * every 25 updates, 512 fixed test sequences are scored; a run has solved the task
    when at least 90% of them are within the paper's tolerance |error| < 0.04, and
    stops there or after 400 updates (51,200 sequences).

Seeds s = 0..4 fix the weights (rng s) and the training stream (rng 1000 + s), the
same stream for every variant. Runs go in 2 worker processes; about 15-25 CPU minutes.
"""
import argparse
import json
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np

from lstm import GRU, LSTM, Adam, FGRLSTM, SequenceModel, clip_grad_norm, mse_loss
from lstm.cells import GREFF_NAMES, gate_slices, get_cell_kind
from lstm.tasks.adding import TOLERANCE, adding_batch

VARIANTS = ["peephole", "standard", "nig", "nfg", "nog", "niaf", "noaf", "cifg", "fgr", "gru"]
CONFIG = dict(T=50, hidden=16, batch=128, lr=5e-3, clip=1.0, keep_bias=3.0, max_updates=400,
              eval_every=25, test_size=512, solved_fraction=0.9, seeds=5)
OUT = Path(__file__).resolve().parents[1] / "book" / "data" / "ablation.json"


def make_layer(variant, rng, cfg=CONFIG):
    """The recurrent layer of `variant` with its keep gate starting open."""
    H, b = cfg["hidden"], cfg["keep_bias"]
    if variant == "gru":
        layer = GRU(2, H, rng=rng)
        layer.params["bias"][H:2 * H] = b  # update gate z: z = 1 keeps h
        return layer
    kind = get_cell_kind(variant)
    layer = (FGRLSTM if kind.gate_recurrence else LSTM)(2, H, cell=variant, rng=rng)
    s = gate_slices(kind, H)
    if kind.has_forget_gate:
        layer.params["bias"][s["f"]] = b
    elif kind.coupled:
        layer.params["bias"][s["i"]] = -b  # f = 1 - i starts near 1
    return layer


def last_step_loss(outputs, batch):
    """MSE at each sequence's last real step, and its gradient w.r.t. all outputs."""
    rows, cols = batch.lengths - 1, np.arange(len(batch.lengths))
    value, d_last = mse_loss(outputs[rows, cols], batch.targets[rows, cols])
    dOut = np.zeros_like(outputs)
    dOut[rows, cols] = d_last
    return value, dOut


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
        batch = adding_batch(stream, cfg["batch"], cfg["T"])
        _, dOut = last_step_loss(model.forward(batch.X), batch)
        model.backward(dOut)
        clip_grad_norm(model.layers, cfg["clip"])
        opt.step()
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
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--variants", nargs="*", default=VARIANTS)
    args = parser.parse_args()
    jobs = [(v, s) for s in range(args.seeds) for v in args.variants]
    start = time.time()
    with Pool(args.workers) as pool:
        runs = pool.starmap(run, jobs, chunksize=1)
    cfg = dict(CONFIG, seeds=args.seeds)
    result = {"task": "adding problem (Hochreiter & Schmidhuber 1997, experiment 4), lstm.tasks.adding",
              "config": cfg, "variants": args.variants, "table": summarise(runs, cfg), "runs": runs,
              "wall_seconds": time.time() - start,
              "cpu_seconds": sum(r["cpu_seconds"] for r in runs)}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=1))
    for row in result["table"]:
        print(f"{row['variant']:>9} {row['solved']}/{row['seeds']} solved, median sequences "
              f"{row['median_sequences_to_solve']}, median final test mse {row['median_final_test_mse']:.2e}")
    print(f"wrote {OUT} ({result['cpu_seconds']:.0f} CPU s, {result['wall_seconds']:.0f} s wall)")


if __name__ == "__main__":
    main()
