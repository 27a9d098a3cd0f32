"""lstm.book.modern: chapter 10's scan diagram shows a schedule that really computes every
prefix, in the number of rounds the chapter states, and is legible on the page."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lstm.book.modern import draw_scan_rounds, scan_rounds  # noqa: E402
from lstm.book.widgets import MAX_FIGURE_INCHES, MIN_TEXT_PX, smallest_text_px  # noqa: E402


@pytest.mark.parametrize("T", [2, 3, 5, 8, 16, 21])
def test_the_rounds_combine_every_prefix(T):
    # each position holds the span of steps it has combined: (first, last); an edge
    # p -> o applies p's span before o's, so the two must be adjacent
    span = {t: (t, t) for t in range(T)}
    edges = scan_rounds(T)
    for p, o, _, _ in sorted(edges, key=lambda e: e[2]):
        assert span[p][1] + 1 == span[o][0], f"edge {p} -> {o} joins spans {span[p]} and {span[o]}"
        span[o] = (span[p][0], span[o][1])
    assert all(span[t] == (0, t) for t in range(T))
    assert len(edges) < 2 * T  # O(T) work in all
    assert max(r for _, _, r, _ in edges) <= 2 * int(np.ceil(np.log2(T))) - 1


def test_scan_rounds_refuses_a_length_below_two():
    for bad in (1, 0, True, 2.5):
        with pytest.raises(ValueError, match="at least 2"):
            scan_rounds(bad)


def test_the_diagram_has_two_panels_and_fits_the_column_legibly():
    fig = draw_scan_rounds(16)
    assert len(fig.axes) == 2
    assert fig.axes[1].get_title() == "parallel scan: 7 rounds"
    assert fig.get_figwidth() <= MAX_FIGURE_INCHES
    assert smallest_text_px(fig) >= MIN_TEXT_PX
    plt.close(fig)
