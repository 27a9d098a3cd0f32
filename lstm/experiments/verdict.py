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


def figure(runs, settings=("modern", "paper"), width=4.8):
    """One row per experiment with a paper number: the paper's mean (black diamond) and, per
    setting, the median (dot), mean (bar) and range (line) of the solved seeds' sequences on a
    log axis; the solved fraction per setting at the right. Returns the figure."""
    from matplotlib.lines import Line2D

    from ..book import plots
    unknown = [s for s in settings if s not in SETTING_STYLE]
    if unknown:
        raise ValueError(f"unknown settings {unknown}; expected some of {sorted(SETTING_STYLE)}")
    names = [n for n, e in EXPERIMENTS.items() if e.paper.sequences]
    fig, ax = plots.figure(width=width, height=0.34 * len(names) + 1.6)
    offsets = np.linspace(0.2, -0.2, len(settings)) if len(settings) > 1 else [0.0]
    for i, name in enumerate(names):
        y = len(names) - 1 - i
        ax.plot(EXPERIMENTS[name].paper.sequences, y, "D", color="k", ms=5, zorder=4)
        solved = []
        for dy, setting in zip(offsets, settings):
            s, color = stats(runs, name, setting), SETTING_STYLE[setting][0]
            solved.append("-" if s is None else f"{s.solved}/{s.seeds}")
            if s is not None and s.solved:
                ax.plot([s.low, s.high], [y + dy] * 2, color=color, lw=1.2, alpha=0.6)
                ax.plot(s.median, y + dy, "o", color=color, ms=5)
                ax.plot(s.mean, y + dy, "|", color=color, ms=9, mew=2)
        ax.text(1.02, y, "  ".join(f"{t:>5}" for t in solved), transform=ax.get_yaxis_transform(), va="center",
                fontsize=9, family="monospace")
    ax.text(1.02, len(names) - 0.4, "solved\n" + "  ".join(f"{SHORT[s]:>5}" for s in settings),
            transform=ax.get_yaxis_transform(), va="bottom", fontsize=9, family="monospace")
    ax.set_yticks(range(len(names)), names[::-1])
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.set_xscale("log")
    ax.set_xlabel("training sequences to solve")
    handles = [Line2D([], [], marker="D", color="k", ls="none", label="paper's mean")]
    for setting in settings:
        color, label = SETTING_STYLE[setting]
        handles += [Line2D([], [], marker="o", color=color, ls="none", label=f"{label}: median"),
                    Line2D([], [], marker="|", color=color, ls="none", mew=2, ms=9, label=f"{label}: mean")]
    handles.append(Line2D([], [], color="0.5", label="range of solved seeds"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.45, -0.08), ncol=2, fontsize=9, frameon=False)
    return fig
