"""Chapter 9's figures of its cached measurements (book/data/text_results.json).

Each function takes ``corpora``, the measurements per corpus as the JSON stores them
(``results["corpora"]``), and ``labels``, a mapping corpus name -> the short label of a
panel ("prose", "code"); it returns a figure with one column of panels per corpus:

    fig = fsm_against_ngrams(corpora, labels, vocab_sizes)   # test bpc against N machines
    fig = learning_curves(corpora, labels)                   # validation bpc while training
    fig = size_and_context(corpora, labels, contexts)        # bpc against size and context
    fig = temperature_samples(texts, tau)                    # sampled text, one panel per corpus

Nothing is computed here but the order of the points; the chapter prints the numbers.
"""
from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np

from . import plots
from .style import GATE_COLORS, SERIES_COLORS

__all__ = ["fsm_against_ngrams", "learning_curves", "size_and_context", "temperature_samples"]

WIDTH = 7.5  # inches: 9 pt tick labels stay at 11 px or more in the 688 px column


def _columns(corpora, labels):
    if not isinstance(labels, Mapping) or not labels:
        raise ValueError(f"labels must map corpus names to panel labels, got {labels!r}")
    missing = [name for name in labels if name not in corpora]
    if missing:
        raise ValueError(f"no measurements for corpora {missing}; have {sorted(corpora)}")
    return list(labels.items())


def fsm_against_ngrams(corpora, labels, vocab_sizes, best_ngram=None):
    """Test bits per character of the FSM network (squared and softmax readout) against
    its number of machines N, with the 1-gram, the best n-gram and the uniform model
    (log2 V, from ``vocab_sizes``: corpus name -> V) as reference lines.

    best_ngram: corpus name -> (label, test bpc) of the n-gram line, e.g. the modified
    Kneser-Ney model whose order was chosen on validation; by default the one-discount
    n-gram of ``corpora[name]["ngram"]`` with the best validation score."""
    columns = _columns(corpora, labels)
    if best_ngram is None:
        best_ngram = {}
        for name, _ in columns:
            g = min(corpora[name]["ngram"], key=lambda r: r["valid_bpc"])  # chosen on validation, not test
            best_ngram[name] = (f"{g['order']}-gram, one discount", g["test_bpc"])
    elif not isinstance(best_ngram, Mapping) or any(name not in best_ngram for name, _ in columns):
        raise ValueError(f"best_ngram must map every corpus of labels to (label, test bpc), got {best_ngram!r}")
    fig, axes = plots.figure(len(columns), width=WIDTH, sharey=True)
    for ax, (name, label) in zip(np.atleast_1d(axes), columns):
        fsm = {(r["N"], r["loss"]): r["test_bpc"] for r in corpora[name]["fsm"]}
        Ns = sorted({N for N, _ in fsm})
        plots.curves(ax, Ns, {f"FSM network, {loss} readout": [fsm[N, loss] for N in Ns]
                              for loss in ("squared", "softmax")}, legend=False, marker="o", xscale="log",
                     xlabel="number of machines N", title=f"{label}: the forum's network")
        grams = corpora[name]["ngram"]
        plots.reference(ax, grams[0]["test_bpc"], "1-gram (letter frequencies)", style=":")
        gram_label, gram_bpc = best_ngram[name]
        if len({best_ngram[n][0] for n, _ in columns}) > 1:  # one legend serves every panel
            gram_label = "best n-gram (order chosen on validation)"
        plots.reference(ax, gram_bpc, gram_label)
        plots.reference(ax, np.log2(vocab_sizes[name]), "uniform, $\\log_2 V$", style="-")
    np.atleast_1d(axes)[0].set_ylabel("test bits per character")
    # two columns: the labels are long, and three did not fit the figure's width
    return plots.legend_below(fig, np.atleast_1d(axes)[0], ncol=2)


CHAR_TICKS = (250_000, 500_000, 1_000_000, 2_000_000)  # characters read, on a log axis


def learning_curves(corpora, labels):
    """Validation bits per character of each recurrent network while it trains, against
    the characters read (top row) and the wall time (bottom row); the largest LSTM's
    score on its training text dotted, the best n-gram's on the same validation text dashed."""
    columns = _columns(corpora, labels)
    fig, axes = plots.figure(len(columns), 2, width=WIDTH, sharey="row")
    axes = axes.reshape(2, len(columns))
    for col, (name, label) in enumerate(columns):
        grams = corpora[name]["ngram_curve_valid"]
        n_best = min(grams, key=grams.get)
        for ax, xkey, xlabel in ((axes[0, col], "chars", "training characters read"),
                                 (axes[1, col], "seconds", "training wall time (s)")):
            for k, r in enumerate(corpora[name]["rnn"]):
                history = r["history"]
                curve = {f"{r['cell'].upper()} H={r['H']}, validation": [p["valid_bpc"] for p in history]}
                if (r["cell"], r["H"]) == ("lstm", 256):
                    curve["LSTM H=256, training text"] = [p["train_bpc"] for p in history]
                plots.curves(ax, [p[xkey] for p in history], curve, colors=[SERIES_COLORS[k]] * 2,
                             styles=["-o", ":"], ms=3, legend=False)
            plots.reference(ax, grams[n_best], f"{n_best}-gram, validation")
            ax.set(xscale="log", xlabel=xlabel, title=label, ylim=(1.2, 4.0),
                   ylabel="bits per character" if col == 0 else "")
            ax.minorticks_off()  # the characters span one decade: minor tick labels would collide
            if xkey == "chars":  # one decade has a single power of ten: name a few round counts instead
                read = [p["chars"] for r in corpora[name]["rnn"] for p in r["history"]]
                ticks = [t for t in CHAR_TICKS if 0.95 * min(read) <= t <= 1.05 * max(read)]
                ax.set_xticks(ticks, [f"{t / 1e6:g}M" for t in ticks])
    # two columns: with three, the longest entries ran past the figure's edges
    return plots.legend_below(fig, axes[0, 0], ncol=2)


def _points(rows, x):
    return [r[x] for r in rows], [r["test_bpc"] for r in rows]


def _context_points(curve):  # a {L: bpc} curve without L = 0, which a log axis cannot show
    return tuple(zip(*sorted((int(L), v) for L, v in curve.items() if int(L) > 0)))


def size_and_context(corpora, labels, contexts):
    """Test bits per character against the model's size (counts for the n-grams, trained
    weights for the networks; top row) and against the context L it may read (bottom
    row, at the positions ``contexts``)."""
    columns = _columns(corpora, labels)
    fig, axes = plots.figure(len(columns), 2, width=WIDTH, sharey="row")
    axes = axes.reshape(2, len(columns))
    for col, (name, label) in enumerate(columns):
        fsm_rows, rnn_rows, ctx = corpora[name]["fsm"], corpora[name]["rnn"], corpora[name]["context"]
        by_size = [("n-gram (stored counts)", _points(corpora[name]["ngram"], "counts"), "-s", "gray")]
        by_size += [(f"FSM network, {loss}", _points([r for r in fsm_rows if r["loss"] == loss], "weights"),
                     "-o", SERIES_COLORS[k]) for k, loss in enumerate(("squared", "softmax"))]
        by_size += [("LSTM", _points([r for r in rnn_rows if r["cell"] == "lstm"], "weights"), "-^",
                     GATE_COLORS["c"]),
                    ("GRU", _points([r for r in rnn_rows if r["cell"] == "gru"], "weights"), "v", SERIES_COLORS[5])]
        by_context = [("n-gram (context n - 1)", _context_points(ctx["ngram"]), "-s", "gray"),
                      ("FSM network N=1,000 (softmax)", _context_points(ctx["fsm1000"]), "-o", SERIES_COLORS[1]),
                      ("FSM network N=10,000 (softmax)", _context_points(ctx["fsm10000"]), "-o", SERIES_COLORS[2]),
                      ("LSTM H=256", _context_points(ctx["lstm256"]), "-o", GATE_COLORS["c"])]
        for ax, series, xlabel, ylabel in (
                (axes[0, col], by_size, "trained numbers", "test bits per character"),
                (axes[1, col], by_context, "context L (characters)", "test bpc (1,000 positions)")):
            for series_label, (x, y), style, color in series:
                ax.plot(x, y, style, color=color, label=series_label)
            ax.set(xscale="log", xlabel=xlabel, ylabel=ylabel if col == 0 else "")
        axes[0, col].set_title(label)
        axes[1, col].set(ylim=(None, 5.0), xticks=contexts, xticklabels=[str(L) for L in contexts])
    axes[0, 0].legend(loc="lower left")
    # the context row's legend goes below the figure: inside a panel it covered the short contexts' curves
    return plots.legend_below(fig, axes[1, 0], ncol=2)


SAMPLE_WRAP = 64  # characters per line of a sample panel
SAMPLE_LINES = 12  # lines shown per panel


def temperature_samples(texts, tau, width=5.6, wrap=SAMPLE_WRAP, max_lines=SAMPLE_LINES):
    """The samples ``texts`` (panel label -> sampled text) drawn at temperature ``tau``,
    one panel per text, stacked, in a monospaced font.

    Lines longer than ``wrap`` characters wrap, as a terminal would show them, so every
    line stays inside the figure; a panel shows its first ``max_lines`` lines. The
    figure's height does not depend on the text, so it does not jump when tau changes."""
    if not isinstance(texts, Mapping) or not texts or not all(isinstance(t, str) for t in texts.values()):
        raise ValueError(f"texts must map panel labels to sampled text, got {texts!r}")
    wrap = plots._positive_int("wrap", wrap)
    max_lines = plots._positive_int("max_lines", max_lines)
    line_in = 9 * 1.25 / 72  # one line of 9 pt text, in inches
    panel_in = 0.35 + max_lines * line_in  # title and lines
    fig = plt.figure(figsize=(width, len(texts) * panel_in + 0.1))
    for k, (label, text) in enumerate(texts.items()):
        top = 1 - k * panel_in / fig.get_figheight()
        lines = [line[i:i + wrap] for line in text.split("\n") for i in range(0, max(len(line), 1), wrap)]
        fig.text(0.01, top - 0.05 / fig.get_figheight(), f"{label}, temperature {tau:g}", va="top", fontsize=10,
                 weight="bold")
        fig.text(0.01, top - 0.3 / fig.get_figheight(), "\n".join(lines[:max_lines]), va="top", family="monospace",
                 fontsize=9, linespacing=1.25)
    return fig
