"""Chapter 8's verdict figure: ours against the paper's mean, per experiment and setting.

The numbers come from `lstm.experiments.verdict` (which computes, never draws); this module
only draws them, so the reproduction engine stays free of matplotlib. The figure comes in two
layouts: a wide one for the 688 px column and a narrow one, no wider than the phone's column,
so that its smallest text (9 pt) shows at 12 CSS px on a 390 px phone.
"""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from ..experiments.registry import EXPERIMENTS
from ..experiments.verdict import SETTING_STYLE, SHORT, stats
from . import plots
from .figure_image import CSS_PX_PER_INCH

__all__ = ["figure", "show", "WIDE_WIDTH", "NARROW_WIDTH"]

#: Inches of the wide layout (shown at full size in the 688 px column) and of the narrow one
#: (shown unshrunk in the phone's 358 px column).
WIDE_WIDTH = 5.6
NARROW_WIDTH = plots.PHONE_COLUMN_PX / CSS_PX_PER_INCH - 0.02


def _sequences(x, _pos=None):
    # a tick of the log axis as plain text ("1k", "10k", "1M"): a 10^k label's exponent is
    # 0.7 of the tick size, too small to read
    if x >= 1e6:
        return f"{x / 1e6:g}M"
    return f"{x / 1e3:g}k" if x >= 1e3 else f"{x:g}"


def _check_settings(settings):
    unknown = [s for s in settings if s not in SETTING_STYLE]
    if unknown:
        raise ValueError(f"unknown settings {unknown}; expected some of {sorted(SETTING_STYLE)}")


def figure(runs, settings=("modern", "paper"), width=WIDE_WIDTH):
    """One row per experiment with a paper number: the paper's mean (black diamond) and, per
    setting, the median (dot), mean (bar) and range (line) of the solved seeds' sequences on a
    log axis with plain tick labels; the solved count per setting at the right. ``width``
    (inches) picks the layout: below 4 in the legend takes one column. Returns the figure."""
    _check_settings(settings)
    if not width or width <= 0:
        raise ValueError(f"width must be a positive number of inches, got {width!r}")
    names = [n for n, e in EXPERIMENTS.items() if e.paper.sequences]
    narrow = width < 4
    legend_rows = (2 + 2 * len(settings)) if narrow else -(-(2 + 2 * len(settings)) // 2)
    fig, ax = plots.figure(width=width, height=0.3 * len(names) + 1.0 + 0.19 * legend_rows)
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
        ax.text(1.02, y, " ".join(f"{t:>5}" for t in solved), transform=ax.get_yaxis_transform(), va="center",
                fontsize=9, family="monospace")
    ax.text(1.02, len(names) - 0.4, "solved\n" + " ".join(f"{SHORT[s]:>5}" for s in settings),
            transform=ax.get_yaxis_transform(), va="bottom", fontsize=9, family="monospace")
    ax.set_yticks(range(len(names)), names[::-1])
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(base=10, numticks=10))
    ax.xaxis.set_major_formatter(FuncFormatter(_sequences))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("training sequences to solve", fontsize=10 if narrow else 12)
    handles = [Line2D([], [], marker="D", color="k", ls="none", label="paper's mean")]
    for setting in settings:
        color, label = SETTING_STYLE[setting]
        handles += [Line2D([], [], marker="o", color=color, ls="none", label=f"{label}: median"),
                    Line2D([], [], marker="|", color=color, ls="none", mew=2, ms=9, label=f"{label}: mean")]
    handles.append(Line2D([], [], color="0.5", label="range of solved seeds"))
    fig.legend(handles=handles, loc="lower center", ncol=1 if narrow else 2, fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, (0.05 + 0.19 * legend_rows) / fig.get_figheight(), 1, 1))
    return fig


def show(runs, settings=("modern", "paper"), alt=None):
    """Show the verdict figure (``plots.show``): the wide layout for wide screens and the
    narrow one for phones. Returns the two figures (closed)."""
    _check_settings(settings)
    wide, narrow = figure(runs, settings, WIDE_WIDTH), figure(runs, settings, NARROW_WIDTH)
    plots.show(wide, alt, narrow=narrow, tight=False)
    return wide, narrow
