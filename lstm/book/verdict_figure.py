"""Chapter 8's verdict figure: ours against the paper's mean, per experiment and setting.

The numbers come from `lstm.experiments.verdict` (which computes, never draws); this module
only draws them, so the reproduction engine stays free of matplotlib.
"""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from ..experiments.registry import EXPERIMENTS
from ..experiments.verdict import SETTING_STYLE, SHORT, stats
from . import plots

__all__ = ["figure"]


def figure(runs, settings=("modern", "paper"), width=4.8):
    """One row per experiment with a paper number: the paper's mean (black diamond) and, per
    setting, the median (dot), mean (bar) and range (line) of the solved seeds' sequences on a
    log axis; the solved fraction per setting at the right. Returns the figure."""
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
