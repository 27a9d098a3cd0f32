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
    shell.display_formatter.ipython_display_formatter.pop(plots.Figure, None)


def _shown(shell, fig, monkeypatch):
    """The PNGs and their sizes that displaying ``fig`` in ``shell`` publishes."""
    import base64

    shown = []

    def display(image):
        data, size = image._repr_png_()  # base64 text, as the kernel sends it
        shown.append((base64.b64decode(data), size))

    monkeypatch.setattr("IPython.display.display", display)
    data, _ = shell.display_formatter.format(fig)
    assert data == {}  # the display hook showed the figure itself
    return shown


def test_a_displayed_figure_is_a_2x_png_with_the_text_size_and_width(shell, monkeypatch):
    assert plots.install_png_formatter(shell)
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1, 2], [1, 3, 2])
    ax.set_xlabel("step $t$")
    ax.set_ylabel("$c_t$", fontsize=14)
    expected_px = plots.text_sizes(fig)["1280"]  # 4 in: shown at its own size, not shrunk
    [(png, size)] = _shown(shell, fig, monkeypatch)  # 4 in: legible on a phone as it is, one image
    meta = _chunks(png)
    # the smallest text: the subscript of $c_t$ (0.7 x 14 pt) or a tick label, as text_sizes finds
    assert float(meta[plots.META_TEXT_PT]) / 72 * CSS_PX_PER_INCH == pytest.approx(expected_px, rel=1e-6)
    assert plots.META_ALT not in meta  # the alt text comes from the cell's comment, not invented here
    width_px, height_px = plots._png_size(png)
    assert float(meta[plots.META_WIDTH_IN]) == pytest.approx(width_px / plots.SHOW_DPI, rel=1e-3)
    assert size["width"] == round(width_px / 2) and size["height"] == round(height_px / 2)  # 2x resolution
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


def test_a_figure_too_wide_for_a_phone_gets_a_phone_variant(shell, monkeypatch):
    assert plots.install_png_formatter(shell)
    fig, axes = plt.subplots(1, 2, figsize=(7.1, 3.4))
    for ax in axes:
        ax.plot([0, 1, 2], [1, 3, 2], label="$c_t$")
        ax.set_xlabel("step $t$")
        ax.legend()
    fig.tight_layout()
    (wide, _), (narrow, size) = _shown(shell, fig, monkeypatch)
    wide_meta, narrow_meta = _chunks(wide), _chunks(narrow)
    assert (wide_meta[plots.META_VARIANT], narrow_meta[plots.META_VARIANT]) == ("wide", "narrow")
    pt, width_in = float(narrow_meta[plots.META_TEXT_PT]), float(narrow_meta[plots.META_WIDTH_IN])
    assert pt == pytest.approx(8.4)  # the fonts keep their size: the figure is narrower instead
    # the tight box of the stacked variant is narrow enough for 8.4 pt to show at 9 px in the phone's column
    phone_px = pt / 72 * CSS_PX_PER_INCH * min(1, plots.PHONE_COLUMN_PX / (width_in * CSS_PX_PER_INCH))
    assert phone_px >= plots.MIN_PHONE_TEXT_PX
    assert size["height"] > size["width"]  # two panels one under the other
    assert not plt.fignum_exists(fig.number)


def test_the_png_formatter_alone_gives_one_image(shell):
    assert plots.install_png_formatter(shell)
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.plot([0, 1])
    png, _ = shell.display_formatter.formatters["image/png"](fig)
    assert _chunks(png)[plots.META_VARIANT] == "only"


def test_narrow_layout_stacks_a_grid_of_panels_row_by_row():
    fig, axes = plt.subplots(2, 2, figsize=(7.1, 6), sharey="row")
    for k, ax in enumerate(axes.flat):
        ax.set_title(f"panel {k}")
    plots.narrow_layout(fig, 4.6)
    boxes = [ax.get_position() for ax in axes.flat]
    assert len({round(b.x0, 3) for b in boxes}) == 1  # one column
    assert [b.y0 for b in boxes] == sorted((b.y0 for b in boxes), reverse=True)  # panel 0 on top, row by row
    assert fig.get_figwidth() == pytest.approx(4.6)
    assert all(ax.yaxis.get_tick_params()["labelleft"] for ax in axes.flat)  # each stacked panel shows its numbers
    plt.close(fig)
