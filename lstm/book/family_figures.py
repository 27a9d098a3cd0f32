"""Chapter 7's figures of the family's ablation on the adding problem (book/data/ablation.json,
written by scripts/ablation.py): ``result`` is that file's content, with its "config",
"variants" (the members, vanilla first) and "runs" (one per member and seed, each with
its learning "curve" and "solved_at_sequences", None if the budget ran out).

    fig = ablation(result)                      # median learning curves; sequences to solve
    fig = member_against_vanilla(result, "cifg")  # every seed's curve, one member and vanilla
"""
from __future__ import annotations

import numpy as np

from . import plots
from .style import SERIES_COLORS

__all__ = ["ablation", "member_against_vanilla", "NO_GATE"]

#: Members without one of the gates (drawn dashed).
NO_GATE = ("nig", "nog", "niaf", "noaf")
# Ten members need ten colours: the book's eight series colours and two more.
_COLORS = SERIES_COLORS + ["0.55", "#882255"]


def _runs(result, member):
    runs = [r for r in result["runs"] if r["variant"] == member]
    if not runs:
        raise ValueError(f"no runs of {member!r} in the result; its members are {result['variants']}")
    return runs


def _median_curve(result, member, n_evals):
    """Median test MSE over the seeds at every evaluation; a solved run stops early and
    keeps its last error to the end of the budget."""
    curves = [np.array(r["curve"]["test_mse"]) for r in _runs(result, member)]
    return np.median([np.concatenate([c, np.full(n_evals - len(c), c[-1])]) for c in curves], axis=0)


def ablation(result, greff_names=None):
    """Top: every member's median learning curve (test MSE, log scale) against the training
    sequences, with the error of predicting the mean. Bottom: per member and seed, the
    sequences it took to solve the task (dots; a bar at the median of the solved seeds)
    or a cross past the budget if it did not. greff_names: member -> the name used by
    Greff et al., shown next to each member."""
    cfg, members = result["config"], result["variants"]
    colors = dict(zip(members, _COLORS))
    n_evals = cfg["max_updates"] // cfg["eval_every"] + 1
    seqs = np.arange(n_evals) * cfg["eval_every"] * cfg["batch"]
    limit = cfg["max_updates"] * cfg["batch"]
    fig, (top, bottom) = plots.figure(1, 2, width=7.5, height=10)
    plots.curves(top, seqs, {m: _median_curve(result, m, n_evals) for m in members}, colors=colors.values(),
                 styles=["--" if m in NO_GATE else "-" for m in members], yscale="log",
                 xlabel="training sequences", ylabel="test MSE (512 sequences)",
                 title="Median learning curve over 5 seeds\n(a solved run stops and keeps its last error)")
    plots.reference(top, 1 / 24, "predicting the mean", style=":")  # var((X1 + X2) / 4) for X ~ U(-1, 1)
    top.legend(ncol=3, loc="lower left")
    for y, member in enumerate(members):
        runs = _runs(result, member)
        solved = [r["solved_at_sequences"] for r in runs if r["solved_at_sequences"] is not None]
        jitter = np.linspace(-0.15, 0.15, len(runs))
        bottom.scatter(solved, y + jitter[:len(solved)], color=colors[member], s=30, zorder=3)
        if len(solved) < len(runs):
            bottom.scatter([limit * 1.05] * (len(runs) - len(solved)), y + jitter[len(solved):], marker="x",
                           color=colors[member], s=40)
        if solved:
            bottom.plot([np.median(solved)] * 2, [y - 0.3, y + 0.3], color="k", lw=2)
    plots.reference(bottom, limit, vertical=True, style=":")
    names = greff_names or {}
    bottom.set(yticks=range(len(members)), xlim=(0, limit * 1.12),
               yticklabels=[f"{m} / {names.get(m, m.upper()).split()[0]}" for m in members],
               xlabel="training sequences until solved\n(x: not solved within the budget)",
               title="Sequences to solve, per seed (bar: median of the solved)")
    bottom.invert_yaxis()
    fig.tight_layout()
    return fig


def member_against_vanilla(result, member, greff_names=None):
    """The share of test sequences right during training, every seed of ``member`` against
    every seed of vanilla (grey), with the threshold that counts as solved."""
    cfg = result["config"]
    vanilla = result["variants"][0]
    names = greff_names or {}
    fig, ax = plots.figure(width=7, height=4)
    for name, color in [(vanilla, "0.65"), (member, SERIES_COLORS[1])]:
        for k, r in enumerate(_runs(result, name)):
            ax.plot(np.array(r["curve"]["updates"]) * cfg["batch"], r["curve"]["test_right"], color=color,
                    lw=1.5, label=f"{name} ({names.get(name, name.upper())})" if k == 0 else None)
    plots.reference(ax, cfg["solved_fraction"], style=":")
    ax.set(ylim=(0, 1), xlabel="training sequences", ylabel="test sequences right\n(|error| < 0.04)",
           title=f"{member} against vanilla, {len(_runs(result, member))} seeds each")
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig
