"""The book's sweeps, declared: which experiments, settings, seeds and budgets.

TUNING      the runs chapter 8 was written from: seeds 0-4 (TUNING_SEEDS), the seeds the
            modern settings were chosen on, with the wall-clock budgets they had (seconds
            per run on a shared 2-core machine, so a run near its limit depends on the
            load). Budgets in sequences: 4x the paper's mean, at least 300,000 (100,000 for
            three of the first runs).
EVALUATION  every experiment in every setting on seeds 100-109 (EVALUATION_SEEDS), no
            clock: a run stops when it is solved or has seen its budget of training
            sequences, 2x the paper's mean sequences to success and at least 300,000.

    from lstm.experiments.plans import PLANS
    from lstm.experiments.sweep import expand, sweep
    sweep(expand(PLANS["evaluation"]), "book/data/sweep/cache", n_jobs=2)
"""
from .registry import EXPERIMENTS
from .sweep import EVALUATION_SEEDS, TUNING_SEEDS, Budget, Entry

_DEFAULT = dict(paper_multiple=4, at_least=300_000)  # the runner's default budget


def _tuning(names, setting, seconds, seeds=TUNING_SEEDS, **budget):
    return Entry(tuple(names.split()), (setting,), tuple(seeds), Budget(seconds=seconds, **(budget or _DEFAULT)))


TUNING = [
    _tuning("reber", "modern", 60, sequences=100_000),
    _tuning("anbn anbncn", "modern", 30, sequences=100_000),
    _tuning("3a 3b 3c", "modern", 60),
    _tuning("continual-reber", "modern", 90),
    _tuning("continual-reber-1997", "modern", 60),
    _tuning("2a 2b 2c-100 6b adding-100", "modern", 120),
    _tuning("2c-50", "modern", 90),
    _tuning("6a", "modern", 150),
    _tuning("2c-500", "modern", 300),
    _tuning("adding-500 adding-1000 2c-1000 multiplication", "modern", 600),
    _tuning("anbn anbncn reber 3a 2a 2b continual-reber", "paper", 90),
    _tuning("3c", "paper", 60),
    _tuning("6a", "paper", 300),
    _tuning("adding-100 2c-50 3b 2c-100", "paper", 300, seeds=[0]),
    _tuning("multiplication 6b adding-500 2c-500 adding-1000 2c-1000", "paper", 60, seeds=[0]),
    _tuning("3a 6a adding-100 2a 2c-50", "rnn", 30),
]

# The plain-RNN baseline runs where the long lag is the point.
_LONG_LAG = tuple(name for name, exp in EXPERIMENTS.items() if exp.long_lag)
_EVAL_BUDGET = Budget(paper_multiple=2, at_least=300_000)

# The paper's own net (setting "paper97", lstm/experiments/net1997.py) where it is written out.
_PAPER_NET = tuple(name for name, exp in EXPERIMENTS.items() if exp.paper_net is not None)

EVALUATION = [
    Entry(tuple(EXPERIMENTS), ("modern", "paper"), EVALUATION_SEEDS, _EVAL_BUDGET),
    Entry(_LONG_LAG, ("rnn",), EVALUATION_SEEDS, _EVAL_BUDGET),
    Entry(_PAPER_NET, ("paper97",), EVALUATION_SEEDS, _EVAL_BUDGET),
]

PLANS = {"tuning": TUNING, "evaluation": EVALUATION}
