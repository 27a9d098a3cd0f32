"""lstm.book.plots: the book's figure helpers draw what they are given, in the book's
colours and sizes, and refuse what they cannot draw with a clear message."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from lstm.book import plots  # noqa: E402
from lstm.book.style import GATE_COLORS, SERIES_COLORS  # noqa: E402
from lstm.book.widgets import MAX_FIGURE_INCHES  # noqa: E402


def test_figure_sizes_follow_the_panels_and_never_exceed_the_column():
    fig, axes = plots.figure(2)
    assert axes.shape == (2,)
    assert fig.get_size_inches()[0] == pytest.approx(2 * plots.PANEL_WIDTH + 0.3)
    fig, axes = plots.figure(4, 2)
    assert axes.shape == (2, 4) and fig.get_size_inches()[0] == pytest.approx(MAX_FIGURE_INCHES)
    with pytest.raises(ValueError, match="at most"):
        plots.figure(width=MAX_FIGURE_INCHES + 1)
    with pytest.raises(ValueError, match="positive integer"):
        plots.figure(0)


def test_curves_draws_each_series_with_its_label_and_colour():
    fig, ax = plots.figure()
    x = np.arange(5)
    lines = plots.curves(ax, x, {"a": x ** 2, "b": -x}, ylabel="y", yscale="linear")
    assert [line.get_label() for line in lines] == ["a", "b"]
    assert [to_hex(line.get_color()) for line in lines] == [c.lower() for c in SERIES_COLORS[:2]]
    np.testing.assert_array_equal(lines[0].get_ydata(), x ** 2)
    assert ax.get_ylabel() == "y" and ax.get_legend() is not None


def test_curves_takes_columns_of_a_matrix_and_checks_lengths():
    fig, ax = plots.figure()
    lines = plots.curves(ax, None, np.ones((4, 3)))
    assert len(lines) == 3 and ax.get_legend() is None  # unlabelled: no legend
    with pytest.raises(ValueError, match="3 points but its x has 4"):
        plots.curves(ax, np.arange(4), {"a": np.ones(3)})
    with pytest.raises(ValueError, match="at least one series"):
        plots.curves(ax, None, {})


def test_gates_use_the_book_colour_of_each_gate():
    fig, ax = plots.figure()
    lines = plots.gates(ax, None, {"f forget gate": np.ones(3), "$c_t$": np.zeros(3)})
    assert [to_hex(line.get_color()) for line in lines] == [GATE_COLORS["f"].lower(), GATE_COLORS["c"].lower()]
    with pytest.raises(ValueError, match="must start with one of"):
        plots.gates(ax, None, {"z": np.ones(3)})


def test_legend_below_needs_labelled_lines():
    fig, ax = plots.figure()
    with pytest.raises(ValueError, match="no labelled lines"):
        plots.legend_below(fig, ax)
    plots.curves(ax, None, {"a": np.ones(3)}, legend=False)
    plots.reference(ax, 0.5, "chance")
    plots.legend_below(fig, ax)
    assert len(fig.legends) == 1 and [t.get_text() for t in fig.legends[0].get_texts()] == ["a", "chance"]


def test_a_series_can_bring_its_own_x():
    fig, ax = plots.figure()
    lines = plots.curves(ax, None, {"measured": (np.array([1, 2, 4]), np.ones(3)), "theory": np.zeros(5)})
    np.testing.assert_array_equal(lines[0].get_xdata(), [1, 2, 4])
    np.testing.assert_array_equal(lines[1].get_xdata(), np.arange(5))
    with pytest.raises(ValueError, match="3 points but its x has 2"):
        plots.curves(ax, None, {"a": (np.arange(2), np.ones(3))})


def _png_text(data):
    from PIL import Image
    import io
    return Image.open(io.BytesIO(data)).text


def test_png_records_alt_text_size_and_width():
    fig, ax = plots.figure(2)
    plots.curves(ax[0], None, {"a": np.arange(4.0)})
    meta = _png_text(plots.png_bytes(fig, "Two panels: a rising line.", "wide"))
    assert meta[plots.META_ALT] == "Two panels: a rising line."
    assert float(meta[plots.META_TEXT_PT]) == pytest.approx(9)  # tick and legend labels
    assert float(meta[plots.META_WIDTH_IN]) == pytest.approx(fig.get_figwidth())
    assert meta[plots.META_VARIANT] == "wide"
    with pytest.raises(ValueError, match="alt must be a sentence"):
        plots.image_metadata(fig, "  ")
    with pytest.raises(ValueError, match="variant"):
        plots.image_metadata(fig, "x", "tall")


def test_text_sizes_follow_the_width_the_site_shows():
    wide, _ = plots.figure(2)
    narrow, _ = plots.figure(1, 1, width=plots.NARROW_WIDTH)
    assert plots.text_sizes(wide)["1280"] >= 11 and plots.text_sizes(wide)["390"] < plots.MIN_PHONE_TEXT_PX
    assert plots.text_sizes(narrow)["390"] >= plots.MIN_PHONE_TEXT_PX
    with pytest.raises(TypeError, match="matplotlib Figure"):
        plots.text_sizes("fig")


def test_integer_ticks_only_whole_numbers():
    fig, ax = plots.figure()
    ax.plot([0, 1, 2, 3], [0.0, 1.0, 0.5, 2.0])
    ax.set_xlim(0, 3)
    plots.integer_ticks(ax, "x")
    fig.draw_without_rendering()
    assert all(float(t).is_integer() for t in ax.get_xticks())
    with pytest.raises(ValueError, match="axis must be"):
        plots.integer_ticks(ax, "z")


def test_show_displays_png_with_record_and_phone_variant(monkeypatch):
    shown = []
    import IPython
    import IPython.display
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))

    def draw(fig, axes):
        for ax in axes:
            plots.curves(ax, None, {"a": np.arange(3.0)})

    wide, narrow = plots.panels(draw, 2, alt="Two curves.")
    assert len(shown) == 2
    variants = [_png_text(img.data)[plots.META_VARIANT] for img in shown]
    assert variants == ["wide", "narrow"]
    assert shown[0].width == round(wide.get_figwidth() * 96) and narrow.get_figwidth() == plots.NARROW_WIDTH
    assert plots.text_sizes(narrow)["390"] >= plots.MIN_PHONE_TEXT_PX
    with pytest.raises(ValueError, match="positive integer"):
        plots.panels(draw, 0)
