"""Chapter 9's figures of its cached measurements (book/data/text_results.json).

Each function takes ``corpora``, the measurements per corpus as the JSON stores them
(``results["corpora"]``), and ``labels``, a mapping corpus name -> the short label of a
panel ("prose", "code"); it returns a figure with one column of panels per corpus:

    fig = fsm_against_ngrams(corpora, labels, vocab_sizes)   # test bpc against N machines
    fig = learning_curves(corpora, labels)                   # validation bpc while training
    fig = size_and_context(corpora, labels, contexts)        # bpc against size and context
    fig = temperature_samples(texts, tau)                    # sampled text, one panel per corpus

The three plots take ``stacked=True`` for the phone variant: the same panels one under
another, ``plots.NARROW_WIDTH`` wide, so that 9 pt text stays at 9 CSS px or more in a
358 px column (show both with ``plots.show(wide, narrow=stacked)``).

Nothing is computed here but the order of the points; the chapter prints the numbers.
"""
from __future__ import annotations

import textwrap
from collections.abc import Mapping

import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter, NullFormatter
import numpy as np

from . import plots
from .style import GATE_COLORS, SERIES_COLORS

__all__ = ["fsm_against_ngrams", "learning_curves", "size_and_context", "temperature_samples"]

WIDTH = 7.5  # inches: 9 pt tick labels stay at 11 px or more in the 688 px column
STACKED_ROW = 3.3  # inches: the height of one panel of the stacked (phone) variant


def _compact(x, _pos=None):
    """A tick label without maths: 10, 1k, 250k, 1M (matplotlib's log axes write $10^{k}$,
    whose exponent is too small to read)."""
    for unit, name in ((1e6, "M"), (1e3, "k")):
        if abs(x) >= unit:
            return f"{x / unit:g}{name}"
    return f"{x:g}"


def _plain_log(ax, axis="x"):
    """Label a log axis's decades as plain numbers, without minor tick labels."""
    a = getattr(ax, f"{axis}axis")
    a.set_major_formatter(FuncFormatter(_compact))
    a.set_minor_formatter(NullFormatter())
    return ax


def _grid(ncols, nrows, stacked, sharey):
    """(fig, axes[row, col]): side by side, or the same panels one under another
    (row by row) at the phone's width."""
    if not stacked:
        fig, axes = plots.figure(ncols, nrows, width=WIDTH, sharey=sharey)
        return fig, np.asarray(axes).reshape(nrows, ncols)
    fig, axes = plots.figure(1, nrows * ncols, width=plots.NARROW_WIDTH, height=STACKED_ROW * nrows * ncols + 0.5)
    return fig, np.asarray(axes).reshape(nrows, ncols)


def _columns(corpora, labels):
    if not isinstance(labels, Mapping) or not labels:
        raise ValueError(f"labels must map corpus names to panel labels, got {labels!r}")
    missing = [name for name in labels if name not in corpora]
    if missing:
        raise ValueError(f"no measurements for corpora {missing}; have {sorted(corpora)}")
    return list(labels.items())


def fsm_against_ngrams(corpora, labels, vocab_sizes, best_ngram=None, stacked=False):
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
    fig, axes = _grid(len(columns), 1, stacked, sharey=True)
    axes = axes[0]
    for ax, (name, label) in zip(axes, columns):
        fsm = {(r["N"], r["loss"]): r["test_bpc"] for r in corpora[name]["fsm"]}
        Ns = sorted({N for N, _ in fsm})
        plots.curves(ax, Ns, {f"FSM network, {loss} readout": [fsm[N, loss] for N in Ns]
                              for loss in ("squared", "softmax")}, legend=False, marker="o", xscale="log",
                     xlabel="number of machines N", title=f"{label}: the forum's network")
        _plain_log(ax)
        grams = corpora[name]["ngram"]
        plots.reference(ax, grams[0]["test_bpc"], "1-gram (letter frequencies)", style=":")
        gram_label, gram_bpc = best_ngram[name]
        if len({best_ngram[n][0] for n, _ in columns}) > 1:  # one legend serves every panel
            gram_label = "best n-gram (order chosen on validation)"
        plots.reference(ax, gram_bpc, gram_label)
        plots.reference(ax, np.log2(vocab_sizes[name]), "uniform, log\u2082 V", style="-")
    for ax in axes if stacked else axes[:1]:
        ax.set_ylabel("test bits per character")
    if stacked:
        lo, hi = zip(*(ax.get_ylim() for ax in axes))
        for ax in axes:
            ax.set_ylim(min(lo), max(hi))
    # two columns: the labels are long, and three did not fit the figure's width
    return plots.legend_below(fig, axes[0], ncol=1 if stacked else 2)


CHAR_TICKS = (250_000, 500_000, 1_000_000, 2_000_000)  # characters read, on a log axis


def learning_curves(corpora, labels, stacked=False):
    """Validation bits per character of each recurrent network while it trains, against
    the characters read (top row) and the wall time (bottom row); the largest LSTM's
    score on its training text dotted, the one-discount n-gram's (order chosen on
    validation) on the same validation text dashed."""
    columns = _columns(corpora, labels)
    fig, axes = _grid(len(columns), 2, stacked, sharey="row")
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
            plots.reference(ax, grams[n_best], f"{n_best}-gram, one discount, validation")
            ax.set(xscale="log", xlabel=xlabel, title=label, ylim=(1.2, 4.0),
                   ylabel="bits per character" if col == 0 or stacked else "")
            ax.minorticks_off()  # the characters span one decade: minor tick labels would collide
            _plain_log(ax)
            if xkey == "chars":  # one decade has a single power of ten: name a few round counts instead
                read = [p["chars"] for r in corpora[name]["rnn"] for p in r["history"]]
                ticks = [t for t in CHAR_TICKS if 0.95 * min(read) <= t <= 1.05 * max(read)]
                ax.set_xticks(ticks, [f"{t / 1e6:g}M" for t in ticks])
    # two columns: with three, the longest entries ran past the figure's edges
    return plots.legend_below(fig, axes[0, 0], ncol=1 if stacked else 2)


def _points(rows, x):
    return [r[x] for r in rows], [r["test_bpc"] for r in rows]


def _context_points(curve):  # a {L: bpc} curve without L = 0, which a log axis cannot show
    return tuple(zip(*sorted((int(L), v) for L, v in curve.items() if int(L) > 0)))


def size_and_context(corpora, labels, contexts, stacked=False):
    """Test bits per character against the model's size (counts for the n-grams, trained
    weights for the networks; top row) and against the context L it may read (bottom
    row, at the positions ``contexts``). The size row's n-grams are the modified
    Kneser-Ney ones (``corpora[name]["ngram_mkn"]`` if given, else the one-discount
    ``"ngram"``); the context row's are the one-discount ones, the only ones stored there."""
    columns = _columns(corpora, labels)
    fig, axes = _grid(len(columns), 2, stacked, sharey="row")
    for col, (name, label) in enumerate(columns):
        fsm_rows, rnn_rows, ctx = corpora[name]["fsm"], corpora[name]["rnn"], corpora[name]["context"]
        mkn = "ngram_mkn" in corpora[name]
        # one legend serves both rows: a family keeps its colour and marker, and a label says
        # which member the context row shows
        by_size = [(f"n-gram, {'modified Kneser-Ney' if mkn else 'one discount'} (top)",
                    _points(corpora[name]["ngram_mkn" if mkn else "ngram"], "counts"), "-s", "gray")]
        by_size += [("FSM network, squared readout", _points([r for r in fsm_rows if r["loss"] == "squared"], "weights"),
                     "-o", SERIES_COLORS[0]),
                    ("FSM network, softmax (bottom: N=1,000)",
                     _points([r for r in fsm_rows if r["loss"] == "softmax"], "weights"), "-o", SERIES_COLORS[1]),
                    ("LSTM (bottom: H=256)", _points([r for r in rnn_rows if r["cell"] == "lstm"], "weights"), "-^",
                     GATE_COLORS["c"]),
                    ("GRU (top)", _points([r for r in rnn_rows if r["cell"] == "gru"], "weights"), "v", SERIES_COLORS[5])]
        by_context = [("n-gram, one discount (bottom)", _context_points(ctx["ngram"]), "--D", "gray"),
                      ("FSM network, softmax (bottom: N=1,000)", _context_points(ctx["fsm1000"]), "-o", SERIES_COLORS[1]),
                      ("FSM network N=10,000, softmax (bottom)", _context_points(ctx["fsm10000"]), "-o", SERIES_COLORS[2]),
                      ("LSTM (bottom: H=256)", _context_points(ctx["lstm256"]), "-^", GATE_COLORS["c"])]
        for ax, series, xlabel, ylabel in (
                (axes[0, col], by_size, "trained numbers", "test bits per character"),
                (axes[1, col], by_context, "context L (characters)", "test bpc (1,000 positions)")):
            for series_label, (x, y), style, color in series:
                ax.plot(x, y, style, color=color, label=series_label, ms=5)
            ax.set(xscale="log", xlabel=xlabel, ylabel=ylabel if col == 0 or stacked else "", title=label)
            _plain_log(ax)
        axes[1, col].set(xticks=contexts, xticklabels=[str(L) for L in contexts])  # every L = 1 point shows
    # one legend below the figure for both rows (inside a panel it covered curves)
    entries = {}
    for ax in (axes[0, 0], axes[1, 0]):
        for handle, entry in zip(*ax.get_legend_handles_labels()):
            entries.setdefault(entry, handle)
    ncol = 1 if stacked else 2
    fig.legend(list(entries.values()), list(entries), loc="lower center", ncol=ncol, fontsize=11,
               columnspacing=1.0, handlelength=1.6)
    rows = -(-len(entries) // ncol)
    fig.tight_layout(rect=(0, min((0.15 + 0.25 * rows) / fig.get_size_inches()[1], 0.5), 1, 1))
    return fig


SAMPLE_WIDTH = 7.1  # inches: the whole 688 px column at 1280 px
SAMPLE_PT = 13  # the sample's font: 13 pt in a 7.1 in figure is 9.1 CSS px in a 358 px phone column
SAMPLE_WRAP = 62  # characters per line of a sample panel (13 pt monospace: 62 fill the width)
SAMPLE_LINES = 10  # lines shown per panel


def _wrap(text, wrap):
    """The lines of ``text`` as a terminal shows them at ``wrap`` columns, but broken at
    spaces (a word longer than a line is cut); a line's leading indentation is kept."""
    lines = []
    for line in text.split("\n"):
        lines += textwrap.wrap(line, wrap, break_on_hyphens=False) or [""]
    return lines


def temperature_samples(texts, tau, width=SAMPLE_WIDTH, wrap=SAMPLE_WRAP, max_lines=SAMPLE_LINES,
                        fontsize=SAMPLE_PT):
    """The samples ``texts`` (panel label -> sampled text) drawn at temperature ``tau``,
    one panel per text, stacked, in a monospaced font.

    Lines longer than ``wrap`` characters wrap at a space, so every line stays inside the
    figure and no word is cut (unless it is longer than a line); a panel shows its first
    ``max_lines`` lines. The figure's height does not depend on the text, so it does not
    jump when tau changes. The defaults fill the 1280 px column and keep the text at
    9 CSS px or more on a phone, where the same image is shrunk to the column."""
    if not isinstance(texts, Mapping) or not texts or not all(isinstance(t, str) for t in texts.values()):
        raise ValueError(f"texts must map panel labels to sampled text, got {texts!r}")
    wrap = plots._positive_int("wrap", wrap)
    max_lines = plots._positive_int("max_lines", max_lines)
    line_in = fontsize * 1.25 / 72  # one line of text, in inches
    panel_in = 0.45 + max_lines * line_in  # title and lines
    fig = plt.figure(figsize=(width, len(texts) * panel_in + 0.1))
    for k, (label, text) in enumerate(texts.items()):
        top = 1 - k * panel_in / fig.get_figheight()
        lines = _wrap(text, wrap)
        fig.text(0.01, top - 0.05 / fig.get_figheight(), f"{label}, temperature {tau:g}", va="top",
                 fontsize=fontsize, weight="bold")
        fig.text(0.01, top - 0.4 / fig.get_figheight(), "\n".join(lines[:max_lines]), va="top", family="monospace",
                 fontsize=fontsize, linespacing=1.25)
    return fig
