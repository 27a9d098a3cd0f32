"""lstm.book.family_figures: chapter 7's ablation figures draw every member and seed of the
stored result, legibly within the page's column, and name a member that is not there."""
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lstm.book import family_figures  # noqa: E402
from lstm.book.widgets import MAX_FIGURE_INCHES, MIN_TEXT_PX, smallest_text_px  # noqa: E402
from lstm.cells import GREFF_NAMES  # noqa: E402

RESULT = json.loads((Path(__file__).resolve().parents[1] / "book" / "data" / "ablation.json").read_text())


def test_ablation_draws_a_median_curve_and_a_row_of_seeds_per_member():
    fig = family_figures.ablation(RESULT, GREFF_NAMES)
    top, bottom = fig.axes
    members = RESULT["variants"]
    curves = [line for line in top.lines if line.get_label() in members]
    assert [line.get_label() for line in curves] == members
    assert [line.get_linestyle() for line in curves] == [
        "--" if m in family_figures.NO_GATE else "-" for m in members]
    # one marker per run, solved (dots) or not (crosses), over all members
    points = sum(len(c.get_offsets()) for c in bottom.collections)
    assert points == len(RESULT["runs"])
    assert [t.get_text() for t in bottom.get_yticklabels()][0] == "peephole / V"
    assert fig.get_figwidth() <= MAX_FIGURE_INCHES and smallest_text_px(fig) >= MIN_TEXT_PX
    plt.close(fig)


def test_median_curve_keeps_a_solved_runs_last_error():
    cfg = RESULT["config"]
    n_evals = cfg["max_updates"] // cfg["eval_every"] + 1
    curve = family_figures._median_curve(RESULT, "cifg", n_evals)
    assert curve.shape == (n_evals,) and np.all(np.isfinite(curve))


def test_member_against_vanilla_draws_every_seed_of_both():
    fig = family_figures.member_against_vanilla(RESULT, "cifg", GREFF_NAMES)
    (ax,) = fig.axes
    seeds = len([r for r in RESULT["runs"] if r["variant"] == "cifg"])
    assert len([line for line in ax.lines if len(line.get_xdata()) > 2]) == 2 * seeds
    assert ax.get_title() == f"cifg against vanilla, {seeds} seeds each"
    assert smallest_text_px(fig) >= MIN_TEXT_PX
    plt.close(fig)


def test_a_member_without_runs_is_named():
    with pytest.raises(ValueError, match="'lru'"):
        family_figures.member_against_vanilla(RESULT, "lru")
