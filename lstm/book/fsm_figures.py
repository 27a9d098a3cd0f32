"""Chapter 6's figures: the FSM network against an LSTM on recall, and the latch.

The recall measurements come from scripts/ch06_fsm_sweep.py (book/data/ch06_fsm_sweep.npz):
``recall`` maps (output, N, lag) to a row with the "test" accuracy, output being
"random" (a random number per state, the forum's model) or "one_hot" (the state's
one-hot code); ``lstm_recall`` maps lag to the LSTM's row ("test", "params").

    fig = recall_and_memory(recall, lstm_recall, memory_lags, memory_fraction, fit)
    fig = recall_at_lag(recall, lstm_recall, lag=8)
    fig = latch(w, pulses, c_pulses, c_stream)
"""
from __future__ import annotations

import numpy as np

from . import plots
from .style import GATE_COLORS, SERIES_COLORS

__all__ = ["recall_and_memory", "recall_at_lag", "latch", "CHANCE"]

#: Chance level of the recall task (4 signals).
CHANCE = 0.25
_N_COLORS = [SERIES_COLORS[k] for k in (0, 2, 3, 5)]  # one per N; the LSTM is SERIES_COLORS[1]


def _sizes_and_lags(recall):
    Ns = sorted({N for output, N, _ in recall if output == "random"})
    lags = sorted({lag for output, _, lag in recall if output == "random"})
    if not Ns:
        raise ValueError("recall has no rows with random outputs, (\"random\", N, lag) -> row")
    return Ns, lags


def recall_and_memory(recall, lstm_recall, memory_lags, memory_fraction, fit):
    """Top: test accuracy against the lag, one curve per N (random outputs) and the LSTM.
    Bottom: the fraction of machines whose state at the query still depends on the
    signal, against the lag (memory_lags, memory_fraction: (L,)), with the line
    ``fit`` = (slope, intercept) of log(fraction) against the lag."""
    Ns, lags = _sizes_and_lags(recall)
    fig, (top, bottom) = plots.figure(1, 2, width=7.5, height=7.6)
    accuracy = {f"{N:,} FSMs": [recall["random", N, k]["test"] for k in lags] for N in Ns}
    accuracy[f"LSTM, {lstm_recall[lags[0]]['params']} weights"] = [lstm_recall[k]["test"] for k in lags]
    plots.curves(top, lags, accuracy, colors=_N_COLORS[:len(Ns)] + [SERIES_COLORS[1]],
                 styles=["-o"] * len(Ns) + ["-s"], xscale="log", ylabel="test accuracy",
                 xlabel="lag (distractors between signal and query)", title="Recall: the FSM network against an LSTM")
    plots.reference(top, CHANCE, "chance", style=":")
    top.set(xticks=lags, xticklabels=lags, ylim=(0, 1.4), yticks=np.linspace(0, 1, 6))  # room for the legend
    top.legend(ncol=3, loc="upper center")
    fitted = np.exp(np.polyval(fit, memory_lags))
    plots.curves(bottom, memory_lags, {"measured, 10,000 machines": memory_fraction,
                                       f"fit: {np.exp(fit[1]):.2f} x {np.exp(fit[0]):.3f}^lag": fitted},
                 colors=[SERIES_COLORS[0], "gray"], styles=["-", "--"], yscale="log", ylabel="fraction of machines",
                 xlabel="lag (distractors; the query is read after them)",
                 title="Machines whose state at the query\nstill depends on the signal")
    fig.tight_layout()
    return fig


def recall_at_lag(recall, lstm_recall, lag):
    """Test accuracy at one lag against the number of machines N, for random and one-hot
    outputs, with the LSTM's accuracy and chance as lines."""
    Ns, lags = _sizes_and_lags(recall)
    if lag not in lags:
        raise ValueError(f"no measurements at lag {lag!r}; the lags are {lags}")
    fig, ax = plots.figure(width=7, height=4.4)
    for output, style, label, color in (("random", "-o", "random output per state", SERIES_COLORS[0]),
                                        ("one_hot", "--^", "one-hot of the state (N x 4 features)", SERIES_COLORS[2])):
        xs = [N for N in Ns if (output, N, lag) in recall]
        ax.plot(xs, [recall[output, N, lag]["test"] for N in xs], style, color=color, label=f"FSMs, {label}")
    ax.axhline(lstm_recall[lag]["test"], color=SERIES_COLORS[1], label=f"LSTM, {lstm_recall[lag]['params']} weights")
    plots.reference(ax, CHANCE, "chance", style=":")
    ax.set(xscale="log", xlabel="number of machines N", ylabel="test accuracy", ylim=(0, 1.05),
           title=f"Recall after {lag} distractor{'s' if lag != 1 else ''}")
    plots.legend_below(fig, ax, ncol=2)  # below the axes: inside, it covers the curves at some lags
    return fig


def latch(w, pulses, c_pulses, c_stream):
    """Top: the cell state c_pulses (T,) of a latch with weight scale w over the pulse
    train ``pulses`` (T, 2), set pulses up and reset pulses down. Bottom: the histogram
    of c_stream, the cell state over a long random pulse stream."""
    pulses = np.asarray(pulses)
    if pulses.ndim != 2 or pulses.shape[1] != 2 or len(pulses) != len(c_pulses):
        raise ValueError(f"pulses must be (T, 2) with T = len(c_pulses) = {len(c_pulses)}, got {pulses.shape}")
    fig, (top, bottom) = plots.figure(1, 2, width=7, height=5.6)
    t = np.arange(len(pulses))
    top.vlines(t[pulses[:, 0] > 0], 0, 1.1, color=SERIES_COLORS[2], label="set pulse")
    top.vlines(t[pulses[:, 1] > 0], -1.1, 0, color=SERIES_COLORS[7], label="reset pulse")
    plots.gates(top, t, {"$c_t$ (cell state)": c_pulses}, xlabel="time step t", ylabel="$c_t$",
                ylim=(-1.2, 1.2), title=f"Latch with w = {w:g}")
    bottom.hist(c_stream, bins=np.linspace(-1, 1, 81), color=GATE_COLORS["c"])
    bottom.set(xlabel="cell state $c_t$", ylabel=f"steps (of {len(c_stream):,})", yscale="log",
               title="Values the cell state takes on a random pulse stream")
    fig.tight_layout()
    return fig
