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
        "n-gram, one discount (top)", "FSM network, squared readout", "FSM network, softmax (bottom: N=1,000)",
        "LSTM (bottom: H=256)", "GRU (top)"]
    assert len(bottom_left.lines) == 4 and top_right.get_title() == "code"
    # one legend for both rows, inside the figure
    legend, = fig.legends
    assert len(legend.get_texts()) == 7
    box = legend.get_window_extent(fig.canvas.get_renderer())
    assert box.x0 >= 0 and box.x1 <= fig.bbox.x1 and box.y0 >= 0
    _legible(fig)
    plt.close(fig)


def test_a_corpus_without_measurements_is_named():
    with pytest.raises(ValueError, match="python_docs"):
        text_figures.learning_curves(CORPORA, {"python_docs": "docs"})


def test_the_fsm_figure_draws_the_n_gram_it_is_given_and_its_legend_fits():
    best = {"python_reference": ("8-gram, modified Kneser-Ney", 1.5), "python_stdlib": ("8-gram, modified Kneser-Ney", 2.3)}
    fig = text_figures.fsm_against_ngrams(CORPORA, LABELS, {"python_reference": 97, "python_stdlib": 98}, best_ngram=best)
    for ax, name in zip(fig.axes, LABELS):
        line = next(l for l in ax.lines if l.get_label() == "8-gram, modified Kneser-Ney")
        assert set(line.get_ydata()) == {best[name][1]}
    renderer = fig.canvas.get_renderer()
    box = fig.legends[0].get_window_extent(renderer)
    assert box.x0 >= 0 and box.x1 <= fig.bbox.x1 and box.y0 >= 0
    plt.close(fig)


def test_the_fsm_figure_by_default_draws_the_n_gram_chosen_on_validation():
    fig = text_figures.fsm_against_ngrams(CORPORA, LABELS, {"python_reference": 97, "python_stdlib": 98})
    g = min(CORPORA["python_reference"]["ngram"], key=lambda r: r["valid_bpc"])
    line = next(l for l in fig.axes[0].lines if l.get_label() == f"{g['order']}-gram, one discount")
    assert set(line.get_ydata()) == {g["test_bpc"]}
    plt.close(fig)


@pytest.mark.parametrize("make", [lambda: text_figures.learning_curves(CORPORA, LABELS),
                                  lambda: text_figures.size_and_context(CORPORA, LABELS, RESULTS["settings"]["contexts"])])
def test_the_figure_legends_below_stay_inside_the_figure(make):
    fig = make()
    renderer = fig.canvas.get_renderer()
    assert len(fig.legends) == 1
    box = fig.legends[0].get_window_extent(renderer)
    assert box.x0 >= 0 and box.x1 <= fig.bbox.x1 and box.y0 >= 0
    plt.close(fig)


@pytest.mark.parametrize("tau", ["0.3", "0.8", "1.3"])
def test_temperature_samples_wrap_inside_the_figure(tau):
    texts = {label: CORPORA[name]["samples_by_temperature"][tau] for name, label in LABELS.items()}
    fig = text_figures.temperature_samples(texts, float(tau))
    renderer = fig.canvas.get_renderer()
    for text in fig.texts:
        box = text.get_window_extent(renderer)
        assert 0 <= box.x0 and box.x1 <= fig.bbox.x1 and box.y0 >= 0
    assert max(len(line) for t in fig.texts[1::2] for line in t.get_text().split("\n")) <= text_figures.SAMPLE_WRAP
    _legible(fig)
    plt.close(fig)


def test_temperature_samples_reject_what_is_not_text():
    with pytest.raises(ValueError, match="texts"):
        text_figures.temperature_samples({"prose": 3}, 1.0)


def test_the_learning_curves_name_several_character_counts():
    fig = text_figures.learning_curves(CORPORA, LABELS)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["0.25M", "0.5M", "1M", "2M"]
    plt.close(fig)


@pytest.mark.parametrize("draw", [
    lambda **kw: text_figures.fsm_against_ngrams(CORPORA, LABELS, {"python_reference": 97, "python_stdlib": 98}, **kw),
    lambda **kw: text_figures.learning_curves(CORPORA, LABELS, **kw),
    lambda **kw: text_figures.size_and_context(CORPORA, LABELS, RESULTS["settings"]["contexts"], **kw)])
def test_each_figure_is_readable_at_1280_and_its_stacked_variant_on_a_phone(draw):
    from lstm.book.plots import MIN_PHONE_TEXT_PX, NARROW_WIDTH, text_sizes
    wide, narrow = draw(), draw(stacked=True)
    assert text_sizes(wide)["1280"] >= MIN_TEXT_PX
    assert narrow.get_figwidth() <= NARROW_WIDTH and text_sizes(narrow)["390"] >= MIN_PHONE_TEXT_PX
    assert len([ax for ax in narrow.axes if ax.lines]) == len([ax for ax in wide.axes if ax.lines])
    plt.close(wide), plt.close(narrow)


def test_size_and_context_draws_the_modified_kneser_ney_counts_when_given():
    corpora = {n: {**c, "ngram_mkn": c["ngram"][:3]} for n, c in CORPORA.items()}
    fig = text_figures.size_and_context(corpora, LABELS, RESULTS["settings"]["contexts"])
    line = fig.axes[0].lines[0]
    assert line.get_label() == "n-gram, modified Kneser-Ney (top)" and len(line.get_xdata()) == 3
    plt.close(fig)


def test_temperature_samples_break_lines_at_spaces_and_keep_indentation():
    lines = text_figures._wrap("    def f(x):\n" + "word " * 30, 20)
    assert lines[0] == "    def f(x):" and all(len(l) <= 20 for l in lines)
    assert all(l.split() and set(l.split()) == {"word"} for l in lines[1:])
