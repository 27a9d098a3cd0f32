"""lstm.experiments.verdict: the statistics behind chapter 8's verdict figure."""
import matplotlib
import pytest

from lstm.book import verdict_figure
from lstm.experiments import verdict

matplotlib.use("Agg")


def _run(name, setting, seed, solved, sequences, budget=300_000):
    return {"experiment": name, "setting": setting, "seed": seed, "solved": solved, "sequences": sequences,
            "max_sequences": budget}


RUNS = [_run("2a", "modern", 100, True, 1000), _run("2a", "modern", 101, True, 3000),
        _run("2a", "modern", 102, False, 300_000), _run("2a", "paper", 100, False, 300_000)]


def test_stats_are_over_the_solved_seeds_only():
    s = verdict.stats(RUNS, "2a", "modern")
    assert (s.seeds, s.solved, s.mean, s.median, s.low, s.high) == (3, 2, 2000.0, 2000.0, 1000.0, 3000.0)
    assert s.paper == 5040 and s.budget == 300_000
    p = verdict.stats(RUNS, "2a", "paper")
    assert p.solved == 0 and p.mean is None and p.median is None
    assert verdict.stats(RUNS, "3a", "modern") is None


def test_summary_lists_each_experiment_and_setting_with_runs():
    assert [(s.experiment, s.setting) for s in verdict.summary(RUNS)] == [("2a", "modern"), ("2a", "paper")]


def test_figure_draws_and_refuses_unknown_settings():
    fig = verdict_figure.figure(RUNS)
    assert fig.axes[0].get_xscale() == "log"
    with pytest.raises(ValueError, match="unknown settings"):
        verdict_figure.figure(RUNS, settings=("modern", "adam"))
    with pytest.raises(ValueError, match="unknown experiment"):
        verdict.stats(RUNS, "2z", "modern")


def test_both_layouts_are_readable_where_they_are_shown():
    from lstm.book import plots

    wide = verdict_figure.figure(RUNS, width=verdict_figure.WIDE_WIDTH)
    narrow = verdict_figure.figure(RUNS, width=verdict_figure.NARROW_WIDTH)
    assert plots.text_sizes(wide)["1280"] >= 11
    assert plots.text_sizes(narrow)["390"] >= 9 and plots.text_sizes(narrow)["1280"] >= 11
    # the log axis is labelled in plain text (a 10^k label's exponent would be 6.3 pt)
    wide.draw_without_rendering()
    labels = [t.get_text() for t in wide.axes[0].get_xticklabels() if t.get_text()]
    assert "10k" in labels and not any("^" in t for t in labels)
    with pytest.raises(ValueError, match="width"):
        verdict_figure.figure(RUNS, width=0)
