"""Our runs against the paper's numbers: per experiment and setting, how many seeds were
solved and how many training sequences they took (median, mean, range), next to the
paper's mean; as numbers and as one figure.

    rows = summary(runs)                  # one Stats per (experiment, setting) with runs
    fig = figure(runs)                    # the chapter's verdict figure

`runs` are result dicts of `runner.run` (e.g. experiments.json's "evaluation_runs").
Sequence statistics are over the solved seeds only; `solved` says how many those are.
"""
from typing import NamedTuple, Optional

import numpy as np

from .registry import EXPERIMENTS

SETTING_STYLE = {"modern": ("C0", "modern"), "paper": ("C1", "paper setting"),
                 "paper97": ("C2", "paper's net"), "rnn": ("0.5", "plain RNN")}
SHORT = {"modern": "mod.", "paper": "paper", "paper97": "net", "rnn": "RNN"}  # column heads of the solved counts


class Stats(NamedTuple):
    experiment: str
    setting: str
    seeds: int  # runs made
    solved: int  # of them, solved within their budget
    median: Optional[float]  # sequences to solve, over the solved seeds
    mean: Optional[float]
    low: Optional[float]
    high: Optional[float]
    paper: Optional[float]  # the paper's mean sequences to success
    budget: int  # training sequences each run was allowed


def stats(runs, name, setting):
    """Stats of the runs of experiment `name` in `setting`, or None where there are none."""
    if name not in EXPERIMENTS:
        raise ValueError(f"unknown experiment {name!r}")
    rs = [r for r in runs if r["experiment"] == name and r["setting"] == setting]
    if not rs:
        return None
    ok = np.array([r["sequences"] for r in rs if r["solved"]], dtype=float)
    pick = (lambda f: float(f(ok))) if ok.size else (lambda f: None)
    return Stats(name, setting, len(rs), int(ok.size), pick(np.median), pick(np.mean), pick(np.min), pick(np.max),
                 EXPERIMENTS[name].paper.sequences, int(max(r["max_sequences"] for r in rs)))


def summary(runs, settings=("modern", "paper", "paper97", "rnn")):
    """Stats for every experiment (registry order) and setting that has runs."""
    out = []
    for name in EXPERIMENTS:
        for setting in settings:
            s = stats(runs, name, setting)
            if s is not None:
                out.append(s)
    return out
