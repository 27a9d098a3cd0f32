"""Every matplotlib figure a chapter displays carries the record the site test reads."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from lstm.book import plots  # noqa: E402
from lstm.book.widgets import CSS_PX_PER_INCH  # noqa: E402

IPython = pytest.importorskip("IPython")


def _chunks(data):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "tools" / "site" / "figure_images.py"
    spec = importlib.util.spec_from_file_location("figure_images_for_plots", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.png_text_chunks(data)


@pytest.fixture
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    yield shell
    shell.display_formatter.formatters["image/png"].pop(plots.Figure, None)


def test_a_displayed_figure_is_a_2x_png_with_the_text_size_and_width(shell):
    assert plots.install_png_formatter(shell)
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1, 2], [1, 3, 2])
    ax.set_xlabel("step $t$")
    ax.set_ylabel("$c_t$", fontsize=14)
    expected_px = plots.text_sizes(fig)["1280"]  # 4 in: shown at its own size, not shrunk
    data, _ = shell.display_formatter.format(fig)
    png, size = data["image/png"], _["image/png"]
    meta = _chunks(png)
    # the smallest text: the subscript of $c_t$ (0.7 x 14 pt) or a tick label, as text_sizes finds
    assert float(meta[plots.META_TEXT_PT]) / 72 * CSS_PX_PER_INCH == pytest.approx(expected_px, rel=1e-6)
    assert plots.META_ALT not in meta  # the alt text comes from the cell's comment, not invented here
    width_px, height_px = plots._png_size(png)
    assert float(meta[plots.META_WIDTH_IN]) == pytest.approx(width_px / plots.SHOW_DPI, rel=1e-3)
    assert size["width"] == round(width_px / 2) and size["height"] == round(height_px / 2)  # 2x resolution
    assert "image/svg+xml" not in data  # one image per figure
    assert not plt.fignum_exists(fig.number)  # shown once: the inline backend will not show it again


def test_the_formatter_survives_set_matplotlib_formats_through_use_style(shell, monkeypatch):
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)
    plots.use_style()  # calls set_matplotlib_formats("retina"), which replaces the formatter
    png = shell.display_formatter.formatters["image/png"]
    assert png.lookup_by_type(plots.Figure) is plots.figure_png


def test_an_empty_figure_shows_nothing():
    assert plots.figure_png(plt.figure()) is None
    with pytest.raises(TypeError, match="matplotlib Figure"):
        plots.figure_png("not a figure")


def test_the_record_is_read_back_with_a_figure_without_text():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1])
    ax.set_axis_off()
    png, _ = plots.figure_png(fig)
    assert _chunks(png)[plots.META_TEXT_PT] == "none"
