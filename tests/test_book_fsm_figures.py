"""lstm.book.fsm_figures and lstm.book.automata.draw_comparison: chapter 6's figures draw
every measurement they are given, legibly within the page's column, and refuse what
they cannot draw with a message that says why."""
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lstm import automata  # noqa: E402
from lstm.book import fsm_figures  # noqa: E402
from lstm.book.automata import REBER_LAYOUT, draw_comparison  # noqa: E402
from lstm.book.widgets import MAX_FIGURE_INCHES, MIN_TEXT_PX, smallest_text_px  # noqa: E402
from lstm.tasks.reber import REBER, SYMBOL_INDEX, SYMBOLS, prediction_table  # noqa: E402

SWEEP = np.load(Path(__file__).resolve().parents[1] / "book" / "data" / "ch06_fsm_sweep.npz")
RESULTS = json.loads(str(SWEEP["results"]))
RECALL = {(r["output"], r["N"], r["lag"]): r for r in RESULTS["recall"]}
LSTM_RECALL = {r["lag"]: r for r in RESULTS["recall_lstm"]}


def _legible(fig):
    assert fig.get_figwidth() <= MAX_FIGURE_INCHES and smallest_text_px(fig) >= MIN_TEXT_PX


def test_recall_and_memory_draws_every_N_the_LSTM_and_the_fitted_decay():
    lags, frac = SWEEP["memory_lags"], SWEEP["memory_fraction"]
    fit = np.polyfit(lags[4:33], np.log(frac[4:33]), 1)
    fig = fsm_figures.recall_and_memory(RECALL, LSTM_RECALL, lags, frac, fit)
    top, bottom = fig.axes
    labels = [line.get_label() for line in top.lines]
    assert labels[:len(RESULTS["Ns"])] == [f"{N:,} FSMs" for N in RESULTS["Ns"]]
    assert labels[len(RESULTS["Ns"])].startswith("LSTM")
    np.testing.assert_allclose(bottom.lines[1].get_ydata(), np.exp(np.polyval(fit, lags)))
    _legible(fig)
    plt.close(fig)


def test_recall_at_lag_draws_both_outputs_and_refuses_an_unmeasured_lag():
    fig = fsm_figures.recall_at_lag(RECALL, LSTM_RECALL, 8)
    (ax,) = fig.axes
    assert ax.get_title() == "Recall after 8 distractors"
    assert ax.lines[2].get_ydata()[0] == LSTM_RECALL[8]["test"]
    _legible(fig)
    plt.close(fig)
    with pytest.raises(ValueError, match="no measurements at lag 7"):
        fsm_figures.recall_at_lag(RECALL, LSTM_RECALL, 7)


def test_latch_checks_the_pulses_against_the_states():
    pulses = np.zeros((10, 2))
    pulses[2, 0] = pulses[6, 1] = 1.0
    fig = fsm_figures.latch(4.0, pulses, np.linspace(-1, 1, 10), np.linspace(-1, 1, 50))
    assert fig.axes[1].get_ylabel() == "steps (of 50)"
    _legible(fig)
    plt.close(fig)
    with pytest.raises(ValueError, match=r"\(T, 2\)"):
        fsm_figures.latch(4.0, pulses[:, :1], np.zeros(10), np.zeros(5))


def test_draw_comparison_names_each_extracted_state_as_its_partner():
    delta, labels = prediction_table(REBER)
    true_full = automata.Automaton(delta, labels, start=1)
    true_min = automata.minimize(true_full)
    # the same machine with its states renumbered stands in for an extracted one
    order = np.random.default_rng(0).permutation(true_min.n_states)
    inverse = np.argsort(order)
    shuffled = automata.Automaton(np.where(true_min.delta[order] >= 0, inverse[true_min.delta[order]], -1),
                                  true_min.labels[order], start=int(inverse[true_min.start]))
    fig = draw_comparison(true_full, true_min, shuffled, SYMBOLS, final=SYMBOL_INDEX["E"], title="extracted")
    top, bottom = fig.axes
    names = lambda ax: sorted(t.get_text() for t in ax.texts if t.get_text().isdigit())
    assert names(top) == names(bottom) == [str(q) for q in sorted(REBER_LAYOUT)]
    assert bottom.get_title() == "extracted"
    plt.close(fig)
    different = automata.Automaton(np.full_like(true_min.delta, -1), true_min.labels, start=true_min.start)
    with pytest.raises(ValueError, match="does not behave as the true one"):
        draw_comparison(true_full, true_min, different, SYMBOLS, final=SYMBOL_INDEX["E"])


def test_every_lag_of_the_live_lag_control_is_measured_and_equals_the_sweep_at_its_lags():
    # book/data/ch06_recall_lags.json feeds chapter 6's lag control in a live kernel: every
    # lag 1..32, and at the sweep's six lags the same rows, so the live figure there is the static one
    fine = json.loads((Path(__file__).resolve().parents[1] / "book" / "data" / "ch06_recall_lags.json").read_text())
    table = {(r["output"], r["N"], r["lag"]): r for r in fine["recall"]}
    lstm_rows = {r["lag"]: r for r in fine["recall_lstm"]}
    assert fine["lags"] == list(range(1, 33))
    assert {(o, N) for o, N, _ in table} == {(o, N) for o, N, _ in RECALL}
    assert all((o, N, k) in table for o, N, _ in RECALL for k in fine["lags"]) and set(lstm_rows) == set(fine["lags"])
    for key, row in RECALL.items():
        assert table[key] == row
    for k, row in LSTM_RECALL.items():
        assert {n: v for n, v in lstm_rows[k].items() if n != "seconds"} == {n: v for n, v in row.items() if n != "seconds"}
    fig = fsm_figures.recall_at_lag(table, lstm_rows, 7)  # between two grid lags
    assert fig.axes[0].get_title() == "Recall after 7 distractors"
    assert fig.axes[0].lines[0].get_ydata()[-1] == table["random", 10_000, 7]["test"]
    plt.close(fig)
