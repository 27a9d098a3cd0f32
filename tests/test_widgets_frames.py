"""An explorable's frames: the record each PNG carries, the phone's variant, log-axis ticks, alt text."""
from __future__ import annotations

import io
import types

import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from lstm.book import figure_image, plots  # noqa: E402
from lstm.book.controls import slider  # noqa: E402
from lstm.book.explorable import explorable, narrow_layout, phone_width  # noqa: E402

ALT = "Two panels: a decay on a log axis, and a line whose slope the slider sets."


def record(data) -> dict:
    return Image.open(io.BytesIO(bytes(data))).info


def two_panels(k):
    fig, (left, right) = plots.figure(2, height=3.0)  # 7.1 in: 8.4 pt subscripts under 9 px on a phone
    left.semilogy(np.arange(10), 10.0 ** (-k * np.arange(10)))
    right.plot(np.arange(10) * k, label="$c_t$")
    right.set_ylabel("$c_t$")
    return fig


def one_panel(k):
    fig, ax = plots.figure(1, width=4.0, height=3.0)
    ax.plot(np.arange(5) * k)
    ax.set_xlabel("step")
    return fig


def test_a_wide_figure_gets_a_stacked_phone_variant_with_its_record():
    parts = explorable(two_panels, slider("k", [1, 2]), alt=ALT)
    leaf = parts.images[(0,)]
    assert isinstance(leaf, ipywidgets.Box)
    wide, narrow = leaf.children
    assert "lstm-fig-wide" in wide._dom_classes and "lstm-fig-narrow" in narrow._dom_classes
    assert narrow.layout.display == "none" and wide.layout.display is None  # a notebook shows the wide one
    w, n = record(wide.value), record(narrow.value)
    assert w["Description"] == n["Description"] == ALT
    assert (w["lstm-variant"], n["lstm-variant"]) == ("wide", "narrow")
    assert float(w["lstm-width-in"]) == pytest.approx(7.1) and float(w["lstm-text-pt"]) == pytest.approx(8.4)
    narrow_in, pt = float(n["lstm-width-in"]), float(n["lstm-text-pt"])
    assert narrow_in <= plots.NARROW_WIDTH
    # on a phone, the narrow variant is shown at most at the column's width: its text at 9 px or more
    shown = min(narrow_in * 96, plots.PHONE_COLUMN_PX)
    assert pt / 72 * shown / narrow_in >= plots.MIN_PHONE_TEXT_PX - 1e-9
    # stacked: the narrow image is taller than wide, the wide one is not
    (ww, wh), (nw, nh) = Image.open(io.BytesIO(bytes(wide.value))).size, Image.open(io.BytesIO(bytes(narrow.value))).size
    assert ww > wh and nh > nw
    # the live figure is the wide one
    parts.box._view_count = 1
    assert bytes(parts.live.image.value) == bytes(wide.value)


def test_a_narrow_figure_is_one_image_with_its_record():
    parts = explorable(one_panel, slider("k", [1, 2]), alt=ALT)
    image = parts.images[(1,)]
    assert isinstance(image, ipywidgets.Image)
    info = record(image.value)
    assert info["lstm-variant"] == "only" and info["Description"] == ALT and float(info["lstm-width-in"]) == 4.0


def test_log_axis_ticks_are_written_at_full_size():
    parts = explorable(two_panels, slider("k", [1, 2]), alt=ALT)
    # the smallest text is the 8.4 pt subscript, not a 6.3 pt exponent of a 10^k tick
    assert float(record(parts.images[(0,)].children[0].value)["lstm-text-pt"]) == pytest.approx(8.4)
    fig, ax = plots.figure(1)
    ax.loglog([0.001, 1e6], [1e-7, 1])
    plots.plain_log_ticks(fig)
    fig.draw_without_rendering()
    labels = [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
    assert labels and not any("$" in t for t in labels)
    assert {"0.001", "1", "10000", "1e6", "1e\N{MINUS SIGN}7"} <= set(labels)
    assert plots._smallest_text_pt(fig) == 9
    plt.close(fig)


def test_plain_log_ticks_keep_signs_and_a_chapters_own_formatter():
    fig, (a, b) = plots.figure(2)
    a.set_yscale("symlog")
    a.plot([-100, 100])
    b.set_yscale("log")
    b.plot([1, 1000])
    b.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, pos: f"{v:.0f} ms"))
    plots.plain_log_ticks(fig)
    fig.draw_without_rendering()
    assert "\N{MINUS SIGN}100" in [t.get_text() for t in a.get_yticklabels()]
    assert all(t.get_text().endswith(" ms") for t in b.get_yticklabels() if t.get_text())
    plt.close(fig)
    with pytest.raises(TypeError, match="matplotlib Figure"):
        plots.plain_log_ticks("a figure")


def test_phone_width_and_narrow_layout():
    fig = two_panels(1)
    width = phone_width(fig)
    assert width is not None and width <= plots.NARROW_WIDTH
    narrow_layout(fig, width)
    assert fig.get_figwidth() == pytest.approx(width)
    lefts = {round(ax.get_position().x0, 3) for ax in fig.axes}
    assert len(lefts) == 1  # the panels stand one under another
    plt.close(fig)
    small = one_panel(1)
    assert phone_width(small) is None  # 9 pt ticks in 4 in: legible on a phone as it is
    plt.close(small)


def test_alt_text_comes_from_the_running_cells_comment(monkeypatch):
    source = "# alt: The line for each slope k, steeper as k grows.\nparts = explorable(draw, slider('k', [1, 2]))\n"
    shell = types.SimpleNamespace(history_manager=types.SimpleNamespace(input_hist_raw=["", source]))
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)
    assert figure_image.running_cell_alt() == "The line for each slope k, steeper as k grows."
    parts = explorable(one_panel, slider("k", [1, 2]))
    assert record(parts.images[(0,)].value)["Description"] == "The line for each slope k, steeper as k grows."
    shell.history_manager.input_hist_raw.append("parts = explorable(draw, slider('k', [1, 2]))")
    assert figure_image.running_cell_alt() is None
    monkeypatch.setattr("IPython.get_ipython", lambda: None)
    assert figure_image.running_cell_alt() is None
    with pytest.raises(ValueError, match="alt must be a sentence"):
        explorable(one_panel, slider("k", [1, 2]), alt="  ")


def test_svg_frames_carry_their_alt_text_as_title_and_png_frames_any_alphabet():
    parts = explorable(one_panel, slider("k", [1, 2]), fmt="svg", alt="Steps & slopes <k>.")
    svg = bytes(parts.images[(0,)].value).decode()
    assert "<title>Steps &amp; slopes &lt;k&gt;.</title>" in svg and svg.index("<title>") < svg.index("<path")
    parts = explorable(one_panel, slider("k", [1, 2]), alt="The line for \N{GREEK CAPITAL LETTER DELTA}k = 1.")
    assert record(parts.images[(0,)].value)["Description"] == "The line for \N{GREEK CAPITAL LETTER DELTA}k = 1."
