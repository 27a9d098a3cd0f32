"""Chapter 0's bar figure shows each part of a step with its value, in its gate's colour."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

import lstm  # noqa: E402
from lstm.book import plots  # noqa: E402
from lstm.book.step_by_hand import step_bars, value_bars  # noqa: E402
from lstm.book.style import GATE_COLORS  # noqa: E402


def test_each_bar_is_labelled_with_its_value_small_values_with_more_digits():
    fig, ax = plots.figure()
    bars = value_bars(ax, {"a": 0.5, "b": -0.004, "c": 2e-6, "d": 0.0}, ["k"] * 4)
    assert [b.get_height() for b in bars] == [0.5, -0.004, 2e-6, 0.0]
    assert [t.get_text() for t in ax.texts] == ["+0.500", "-0.0040", "+2e-06", "+0.000"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c", "d"]


def test_value_bars_refuses_what_it_cannot_draw():
    fig, ax = plots.figure()
    with pytest.raises(ValueError, match="non-empty mapping"):
        value_bars(ax, {}, [])
    with pytest.raises(ValueError, match="2 bars need as many colors, got 1"):
        value_bars(ax, {"a": 1.0, "b": 2.0}, ["k"])


def test_step_bars_shows_the_two_terms_that_sum_to_the_new_cell_state():
    rng = np.random.default_rng(0)
    params = {"weight_ih": rng.normal(size=(8, 3)), "weight_hh": rng.normal(size=(8, 2)), "bias": rng.normal(size=8)}
    x, h0, c0 = rng.normal(size=(1, 3)), rng.normal(size=(1, 2)), rng.normal(size=(1, 2))
    h1, c1, cache = lstm.step_forward(x, h0, c0, params)
    fig, ax = plots.figure()
    bars = step_bars(ax, 1, c0, h1, c1, cache.cell)
    c_prev, kept, written, c, h = (b.get_height() for b in bars)
    assert (c_prev, c, h) == (c0[0, 1], c1[0, 1], h1[0, 1])
    assert kept == pytest.approx(cache.cell.f[0, 1] * c0[0, 1]) and kept + written == pytest.approx(c)
    assert to_hex(bars[1].get_facecolor()) == GATE_COLORS["f"].lower()
    with pytest.raises(ValueError, match="unit must be in 0 .. 1"):
        step_bars(ax, 2, c0, h1, c1, cache.cell)
