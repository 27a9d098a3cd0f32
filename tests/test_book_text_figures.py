"""lstm.book.text_figures: chapter 9's figures draw every cached measurement they are given,
one column per corpus, legibly within the page's column, and name what is missing."""
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from lstm.book import text_figures  # noqa: E402
from lstm.book.widgets import MAX_FIGURE_INCHES, MIN_TEXT_PX, smallest_text_px  # noqa: E402

RESULTS = json.loads((Path(__file__).resolve().parents[1] / "book" / "data" / "text_results.json").read_text())
CORPORA = RESULTS["corpora"]
LABELS = {"python_reference": "prose", "python_stdlib": "code"}


def _legible(fig):
    assert fig.get_figwidth() <= MAX_FIGURE_INCHES
    assert smallest_text_px(fig) >= MIN_TEXT_PX


def test_fsm_against_ngrams_draws_both_readouts_per_corpus_with_three_references():
    fig = text_figures.fsm_against_ngrams(CORPORA, LABELS, {"python_reference": 97, "python_stdlib": 98})
    assert [ax.get_title() for ax in fig.axes] == ["prose: the forum's network", "code: the forum's network"]
    for ax, name in zip(fig.axes, LABELS):
        assert len(ax.lines) == 2 + 3
        assert list(ax.lines[1].get_ydata()) == [r["test_bpc"] for r in sorted(
            (r for r in CORPORA[name]["fsm"] if r["loss"] == "softmax"), key=lambda r: r["N"])]
    _legible(fig)
    plt.close(fig)


def test_learning_curves_draw_every_network_against_characters_and_time():
    fig = text_figures.learning_curves(CORPORA, LABELS)
    assert len(fig.axes) == 4
    n_rnn = len(CORPORA["python_reference"]["rnn"])
    # one validation curve per network, the largest LSTM's training curve, one n-gram line
    assert len(fig.axes[0].lines) == n_rnn + 1 + 1
    _legible(fig)
    plt.close(fig)


def test_size_and_context_puts_every_model_on_common_axes():
    fig = text_figures.size_and_context(CORPORA, LABELS, RESULTS["settings"]["contexts"])
    top_left, top_right, bottom_left, _ = fig.axes
    assert [line.get_label() for line in top_left.lines] == [
        "n-gram (stored counts)", "FSM network, squared", "FSM network, softmax", "LSTM", "GRU"]
    assert len(bottom_left.lines) == 4 and top_right.get_title() == "code"
    _legible(fig)
    plt.close(fig)


def test_a_corpus_without_measurements_is_named():
    with pytest.raises(ValueError, match="python_docs"):
        text_figures.learning_curves(CORPORA, {"python_docs": "docs"})
