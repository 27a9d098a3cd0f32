"""Probe the paper setting where it falls short of the paper: what does its recipe need?

    nice -n 10 python scripts/paper_probe.py            # about an hour of one core; writes book/data/paper_probe.json

Each probe changes one thing in an experiment's paper setting (lstm/experiments/registry.py)
and trains the tuning seeds 0-4 in lockstep (lstm/experiments/lockstep.py) up to a budget
in sequences. Only tuning seeds: what a probe finds is then tried on the evaluation seeds
through the sweep (scripts/run_experiments.py), never chosen on them.

- 2a, 2b: our one-cell nets had no input-gate bias. Section 4 of the paper gives a negative
  input-gate bias as the remedy for internal state drift (every symbol of the 100-step
  sequence writes into an open input gate, the cell state grows and tanh saturates).
  Probe: b_i in {none, -1, -3}, 20,000 sequences (4x the paper's mean). None solves it; what the
  cell does instead is the paper's "abuse problem" (see PROBES), so 2a also gets the paper's remedy
  for abuse, a negative output-gate bias, and a smaller learning rate.
- 3c: the paper setting needs far fewer sequences than the paper's 269,650. The paper gives
  3c a learning rate ten times smaller than 3a (0.1 against 1.0). Probe: the learning rate,
  40,000 sequences.
- adding-100: right on 94-99% of the sequences, never on 2,000 in a row. Probe: lr 0.1
  instead of the paper's 0.5, 148,000 sequences (2x the paper's mean).
"""
import json
import os
import sys
from dataclasses import replace

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import numpy as np  # noqa: E402

from lstm.experiments import EXPERIMENTS  # noqa: E402
from lstm.experiments.lockstep import run_lockstep  # noqa: E402
from lstm.experiments.sweep import TUNING_SEEDS  # noqa: E402

OUT = os.path.join(ROOT, "book", "data", "paper_probe.json")

# the one-cell nets of 2a and 2b: no input-gate bias (as registered), then -1 and -3
INPUT_GATE_BIASES = {f"b_i = {b}" if b else "none (as registered)": dict(input_gate_bias=(b,) if b else None)
                     for b in (None, -1.0, -3.0)}

PROBES = [  # (experiment, what changes, {label: changes to the paper setting}, budget in sequences)
    ("2a", "input-gate bias", INPUT_GATE_BIASES, 20_000),
    ("2b", "input-gate bias", INPUT_GATE_BIASES, 20_000),
    # what the cell does instead (a diagnostic run of 2a, seed 0): its input gate opens to 0.99 at every step
    # and its state sinks by about 1 a step to -96, a constant bias for the 101 outputs (the paper's "abuse
    # problem"); tanh(c) saturates and the first symbol cannot be read. The paper's remedies for abuse: a
    # negative output-gate bias; and a smaller step lets the gates learn less abruptly.
    ("2a", "against abuse", {"b_o = -2": dict(output_gate_bias=(-2.0,)), "lr = 0.1": dict(lr=0.1),
                             "b_i = -3, b_o = -2": dict(input_gate_bias=(-3.0,), output_gate_bias=(-2.0,))}, 20_000),
    ("3c", "learning rate", {f"lr = {lr:g}": dict(lr=lr) for lr in (1.0, 0.1, 0.01)}, 40_000),
    # adding: every evaluation seed gets 94-99% of its training sequences right (T = 30 and 100 alike) but
    # never 2,000 in a row; the mean squared error stays at 2-5e-4. Is that the noise of online steps at
    # the paper's lr 0.5? A smaller step, at twice the paper's mean sequences (it is not: 0/5; where the
    # errors lie is in scripts/adding_precision.py):
    ("adding-100", "learning rate", {"lr = 0.1": dict(lr=0.1)}, 148_000),
]


def main():
    done = {}
    if os.path.exists(OUT):
        with open(OUT) as f:
            done = {(r["experiment"], r["label"]): r for r in json.load(f)["probes"]}
    for name, what, variants, budget in PROBES:
        for label, change in variants.items():
            if (name, label) in done:
                continue
            setting = replace(EXPERIMENTS[name].paper_setting, **change)
            runs = run_lockstep(name, TUNING_SEEDS, budget, setting=setting)
            solved = [r["sequences"] for r in runs if r["solved"]]
            done[(name, label)] = {
                "experiment": name, "probe": what, "label": label, "budget": budget, "seeds": list(TUNING_SEEDS),
                "solved": len(solved), "median_sequences": float(np.median(solved)) if solved else None,
                "sequences": [r["sequences"] for r in runs], "solved_each": [r["solved"] for r in runs],
                "test_error": [r["test_error"] for r in runs], "paper_sequences": EXPERIMENTS[name].paper.sequences}
            print(f"{name} {label}: {len(solved)}/{len(runs)} solved, sequences {done[(name, label)]['sequences']}",
                  flush=True)
            with open(OUT, "w") as f:  # after every probe, so an interrupted run keeps what it has
                json.dump({"note": __doc__.strip().splitlines()[0], "probes": list(done.values())}, f, indent=1)


if __name__ == "__main__":
    main()
