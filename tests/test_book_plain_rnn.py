"""Chapter 1's lag panels: one panel per kind of unit, a shared log scale, one legend."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lstm.book.plain_rnn import Y_RANGE, lag_panels  # noqa: E402


def test_one_panel_per_entry_on_a_shared_log_scale_with_one_legend_below():
    lags = np.arange(10)
    fig = lag_panels(lags, {"tanh": {"a": 0.5 ** lags, "b": 2.0 ** lags}, "logistic": {"a": 0.1 ** lags, "b": lags + 1.0}},
                     styles=["-", "--"], reference=1.0)
    left, right = fig.axes
    assert [left.get_title(), right.get_title()] == ["tanh", "logistic"]
    assert left.get_yscale() == right.get_yscale() == "log"
    assert right.get_ylim() == pytest.approx(Y_RANGE)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["a", "b"]
    assert [line.get_linestyle() for line in right.get_lines()[1:]] == ["-", "--"]  # after the reference line


def test_lag_panels_refuses_an_empty_figure():
    with pytest.raises(ValueError, match="mapping from panel titles"):
        lag_panels(np.arange(3), {})
