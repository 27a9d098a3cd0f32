"""How fast the paper's own nets (setting paper97) train here: CPU seconds per lockstep step of
ten seeds, per experiment, and the CPU-hours ten evaluation seeds would take at their budget if
none were solved early. Writes book/data/paper97_speed.json, which chapter 8's table of runs not
made reads.

    nice -n 10 python scripts/paper97_speed.py        # about a minute of one core
"""
import json
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import numpy as np  # noqa: E402

from lstm.experiments import EXPERIMENTS  # noqa: E402
from lstm.experiments.net1997 import Net1997  # noqa: E402
from lstm.experiments.plans import PLANS  # noqa: E402
from lstm.experiments.stopping import stopping_rule  # noqa: E402
from lstm.experiments.runner1997 import _stack  # noqa: E402
from lstm.experiments.sweep import EVALUATION_SEEDS, expand  # noqa: E402
from lstm.experiments.training import Setting  # noqa: E402

OUT = os.path.join(ROOT, "book", "data", "paper97_speed.json")
STEPS = 20  # lockstep steps timed per experiment (fewer for the slowest)


def main():
    budgets = {r.experiment: r.max_sequences for r in expand(PLANS["evaluation"]) if r.setting == "paper97"}
    out = {}
    for name, budget in budgets.items():
        exp = EXPERIMENTS[name]
        seeds = list(EVALUATION_SEEDS)
        net = Net1997(exp.paper_net, exp.input_size, exp.output_size, seeds)
        rule_setting = Setting("paper97", head="sigmoid_sse", batch_size=1)
        rules = [stopping_rule(exp, rule_setting, np.random.default_rng([s, 1]), np.random.default_rng([s, 2]))
                 for s in seeds]
        steps = STEPS if exp.input_size * max(exp.output_size, 8) < 20_000 and budget < 1_000_000 else 5
        start = time.process_time()
        for _ in range(steps):
            net.train_sequence(*_stack([r.draw(1) for r in rules], (exp.input_size, exp.output_size)))
        per_step = (time.process_time() - start) / steps
        out[name] = {"cpu_seconds_per_step": per_step, "seeds": len(seeds), "budget": budget,
                     "cpu_hours_if_none_solved": per_step * budget / 3600}
        print(f"{name}: {per_step * 1000:.1f} ms per step of {len(seeds)} seeds; "
              f"{out[name]['cpu_hours_if_none_solved']:.1f} CPU-hours at {budget:,} sequences", flush=True)
    with open(OUT, "w") as f:
        json.dump({"note": "CPU time of one lockstep step (one sequence for each of ten seeds), "
                           "measured with time.process_time on this machine", "experiments": out}, f, indent=1)


if __name__ == "__main__":
    main()
