"""lstm.book.widgets: explorables whose figures are drawn in advance and switched in the browser."""
import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lstm.book.widgets import (  # noqa: E402
    COLUMN_PX, CONTROL_CLASS, CSS_CLASS, FIGURE_CLASS, KERNEL_CLASS, MAX_FIGURE_INCHES, MAX_WIDGET_BYTES, Control,
    checkbox,
    dropdown, explorable, figure_image, figure_png, live_notebook_url, needs_kernel, precomputed_slider,
    slider, smallest_text_px, widget_bytes,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def line_at(slope, offset=0.0, dashed=False, width=2.0, fontsize=10):
    fig, ax = plt.subplots(figsize=(width, 1.5))
    x = np.linspace(0, 1, 5)
    ax.plot(x, slope * x + offset, "--" if dashed else "-")
    ax.set(ylim=(-2, 2))
    ax.set_title(f"slope {slope:g}", fontsize=fontsize)
    ax.tick_params(labelsize=fontsize)
    return fig


def png_of(image):
    return bytes(image.value)


# --- one slider (the first chapters' precomputed_slider) -------------------


def test_every_position_gets_its_own_png_in_slider_order():
    calls = []

    def draw(v):
        calls.append(v)
        return line_at(v)

    parts = precomputed_slider(draw, [-1.0, 0.0, 1.0], value=0.0, description="slope")
    assert calls == [-1.0, 0.0, 1.0]
    pngs = [png_of(child) for child in parts.stack.children]
    assert all(p.startswith(PNG_MAGIC) for p in pngs)
    assert len(set(pngs)) == 3  # three different drawings, not one repeated
    assert [value for _, value in parts.slider.options] == [-1.0, 0.0, 1.0]


def test_initial_value_selects_matching_slider_index_and_figure():
    parts = precomputed_slider(line_at, np.array([0.5, 1.0, 1.5]), value=1.5)
    assert parts.slider.index == 2
    assert parts.slider.value == 1.5
    assert parts.stack.selected_index == 2


def test_first_position_is_default():
    parts = precomputed_slider(line_at, [2.0, 3.0])
    assert parts.slider.index == 0 and parts.stack.selected_index == 0


def test_precomputed_slider_passes_floats_like_before():
    seen = []
    precomputed_slider(lambda v: (seen.append(v), line_at(v))[1], [1, 2])
    assert seen == [1.0, 2.0] and all(type(v) is float for v in seen)


def test_slider_index_is_jslinked_to_stack_selection():
    # The link must run in the browser (jslink), not through the kernel (link),
    # or the static page would not respond.
    parts = precomputed_slider(line_at, [0.0, 1.0])
    assert parts.link._model_name == "LinkModel"
    assert parts.link.source == (parts.slider, "index")
    assert parts.link.target == (parts.stack, "selected_index")
    assert parts.box.children[1] is parts.stack
    assert parts.slider in parts.box.children[0].children
    assert CSS_CLASS in parts.box._dom_classes  # what the site test looks for
    assert CONTROL_CLASS in parts.slider._dom_classes


def test_readout_labels_use_the_format():
    parts = precomputed_slider(line_at, [0.25, 0.5], readout_format="{:.2f}")
    assert [label for label, _ in parts.slider.options] == ["0.25", "0.50"]


def test_precomputed_figures_are_closed():
    before = len(plt.get_fignums())
    precomputed_slider(line_at, [0.0, 1.0, 2.0])
    explorable(line_at, slider("slope", [0.0, 1.0]), checkbox("dashed"))
    assert len(plt.get_fignums()) == before


def test_figure_png_closes_the_figure():
    fig = line_at(1.0)
    data = figure_png(fig)
    assert data.startswith(PNG_MAGIC)
    assert fig.number not in plt.get_fignums()


def test_png_is_drawn_at_twice_the_screen_resolution():
    # 2 in wide at 160 dpi: 320 pixels, shown at most 192 CSS px wide (2 x 96).
    parts = explorable(line_at, slider("slope", [0.0, 1.0]))
    data = png_of(parts.images[(0,)])
    width = int.from_bytes(data[16:20], "big")  # IHDR width
    assert width == 320
    assert parts.images[(0,)].layout.max_width == "192px"
    assert FIGURE_CLASS in parts.images[(0,)]._dom_classes


def test_svg_figures_are_vector_and_reproducible():
    parts = explorable(line_at, slider("slope", [0.0, 1.0]), fmt="svg")
    image = parts.images[(1,)]
    assert image.format == "svg+xml"
    assert png_of(image).lstrip().startswith(b"<?xml") and b"<svg" in png_of(image)
    again = explorable(line_at, slider("slope", [0.0, 1.0]), fmt="svg")
    assert png_of(again.images[(1,)]) == png_of(image)  # no timestamp in the file


# --- each control kind ------------------------------------------------------


def test_dropdown_passes_option_values_and_shows_labels():
    seen = []

    def draw(kind):
        seen.append(kind)
        return line_at({"flat": 0.0, "steep": 1.5}[kind])

    parts = explorable(draw, dropdown("kind", ["flat", "steep"], value="steep", description="shape"))
    w = parts.controls["kind"]
    assert isinstance(w, ipywidgets.Dropdown)
    assert seen == ["flat", "steep"]
    assert w.index == 1 and parts.figure.selected_index == 1
    assert w.description == "shape"
    assert parts.links[0].source == (w, "index")


def test_dropdown_accepts_label_value_pairs_and_dicts():
    a = dropdown("slope", [("none", 0.0), ("one", 1.0)], value=1.0)
    b = dropdown("slope", {"none": 0.0, "one": 1.0}, value=1.0)
    assert a == b
    assert a.labels == ("none", "one") and a.values == (0.0, 1.0) and a.index == 1


def test_checkbox_is_an_indexable_two_button_toggle():
    # A Checkbox's bool value cannot index the browser's Stack; the toggle's index can.
    seen = []

    def draw(dashed):
        seen.append(dashed)
        return line_at(1.0, dashed=dashed)

    parts = explorable(draw, checkbox("dashed", value=True, labels=("solid", "dashed")))
    w = parts.controls["dashed"]
    assert isinstance(w, ipywidgets.ToggleButtons)
    assert seen == [False, True]
    assert w.index == 1 and w.value is True and parts.figure.selected_index == 1
    assert [label for label, _ in w.options] == ["solid", "dashed"]


def test_slider_keeps_integers_for_draw():
    c = slider("delay", [5, 10, 20], value=10)
    assert c.values == (5, 10, 20) and all(type(v) is int for v in c.values) and c.index == 1
    assert c.labels == ("5", "10", "20")


# --- several controls -------------------------------------------------------


def test_two_controls_nest_stacks_and_link_each_level():
    calls = []

    def draw(slope, dashed):
        calls.append((slope, dashed))
        return line_at(slope, dashed=dashed)

    parts = explorable(draw, slider("slope", [-1.0, 0.0, 1.0], value=0.0), checkbox("dashed", value=True))
    # every grid point once, the last control fastest
    assert calls == [(s, d) for s in (-1.0, 0.0, 1.0) for d in (False, True)]
    outer = parts.figure
    assert len(outer.children) == 3 and outer.selected_index == 1
    inner = outer.children
    assert all(isinstance(s, ipywidgets.Stack) and len(s.children) == 2 for s in inner)
    assert all(s.selected_index == 1 for s in inner)
    for (i, j), image in parts.images.items():
        assert inner[i].children[j] is image
    # slider -> the outer stack; toggle -> every inner stack
    s, d = parts.controls["slope"], parts.controls["dashed"]
    assert [(l.source, l.target) for l in parts.links] == (
        [((s, "index"), (outer, "selected_index"))] + [((d, "index"), (st, "selected_index")) for st in inner]
    )
    assert all(l._model_name == "LinkModel" for l in parts.links)
    assert len({png_of(im) for im in parts.images.values()}) == 6


def test_three_controls_link_every_stack_of_each_depth():
    def draw(slope, offset, dashed):
        return line_at(slope, offset, dashed)

    parts = explorable(draw, slider("slope", [0.0, 1.0]), dropdown("offset", [("0", 0.0), ("1", 1.0), ("-1", -1.0)]),
                       checkbox("dashed"))
    assert len(parts.images) == 2 * 3 * 2
    # 1 link to the outer stack, 2 to the middle ones, 2 * 3 to the inner ones
    assert len(parts.links) == 1 + 2 + 6
    middle = parts.figure.children[1]
    assert middle.children[2].children[1] is parts.images[(1, 2, 1)]


def test_identical_figures_share_one_image():
    # dashed only matters when the slope is non-zero... here it never differs at slope 0
    def draw(slope, dashed):
        return line_at(slope, dashed=dashed and slope != 0.0)

    parts = explorable(draw, slider("slope", [0.0, 1.0]), checkbox("dashed"))
    assert parts.images[(0, 0)] is parts.images[(0, 1)]
    assert parts.images[(1, 0)] is not parts.images[(1, 1)]


def test_a_control_that_changes_no_figure_is_an_error():
    with pytest.raises(ValueError, match="control 'dashed' changes no figure"):
        explorable(lambda slope, dashed: line_at(slope), slider("slope", [0.0, 1.0]), checkbox("dashed"))


# --- bad input ----------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"values": []}, ValueError, "at least one"),
        ({"values": [1.0, 1.0]}, ValueError, "distinct"),
        ({"values": [0.0, float("nan")]}, ValueError, r"values\[1\] must be finite"),
        ({"values": "abc"}, TypeError, "sequence of numbers"),
        ({"values": [0.0, "1"]}, TypeError, r"values\[1\]"),
        ({"values": [0.0, 1.0], "value": 0.5}, ValueError, "value must be one of"),
        ({"values": [0.0, 1.0], "value": True}, TypeError, "value must be one of"),
        ({"values": [0.1, 0.12], "readout_format": "{:.1f}"}, ValueError, "equal readouts"),
        ({"values": [0.0], "readout_format": "{:q}"}, ValueError, "readout_format"),
        ({"values": [0.0], "description": 3}, TypeError, "description"),
        ({"values": [0.0], "dpi": 0}, ValueError, "dpi"),
    ],
)
def test_bad_slider_arguments_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        precomputed_slider(line_at, **kwargs)


@pytest.mark.parametrize(
    "make, error, match",
    [
        (lambda: slider("2x", [0.0]), ValueError, "Python identifier"),
        (lambda: dropdown("f", []), ValueError, "at least one option"),
        (lambda: dropdown("f", "tanh"), TypeError, "options must be"),
        (lambda: dropdown("f", ["a", ("b",)]), TypeError, r"options\[1\]"),
        (lambda: dropdown("f", ["a", "a"]), ValueError, "distinct"),
        (lambda: dropdown("f", ["a", "b"], value="c"), ValueError, "value must be one of"),
        (lambda: checkbox("p", value=1), TypeError, "True or False"),
        (lambda: checkbox("p", labels=("x", "x")), ValueError, "two different"),
        (lambda: explorable(line_at), ValueError, "at least one control"),
        (lambda: explorable(line_at, "slope"), TypeError, r"controls\[0\]"),
        (lambda: explorable(line_at, slider("slope", [0.0]), slider("slope", [1.0])), ValueError, "distinct"),
        (lambda: explorable(line_at, slider("slope", [0.0]), fmt="jpg"), ValueError, "fmt"),
        (lambda: explorable(line_at, slider("slope", [0.0]), max_bytes=0), ValueError, "max_bytes"),
        (lambda: explorable(lambda slope: None, slider("slope", [0.0])), TypeError,
         r"draw\(slope=0.0\) must return a matplotlib Figure"),
        (lambda: precomputed_slider("not callable", [0.0]), TypeError, "draw must be a callable"),
        (lambda: figure_png(np.zeros((2, 2))), TypeError, "fig must be a matplotlib Figure"),
        (lambda: figure_image(plt.figure(), fmt="gif"), ValueError, "fmt"),
        (lambda: widget_bytes("box"), TypeError, "ipywidgets Widget"),
        (lambda: needs_kernel(notebook="05_bptt.ipynb", reason=" "), ValueError, "reason"),
        (lambda: needs_kernel("x", notebook="05_bptt.ipynb", reason="trains"), TypeError, r"children\[0\]"),
        (lambda: live_notebook_url("../05_bptt.ipynb"), ValueError, "file name"),
    ],
)
def test_bad_arguments_are_named(make, error, match):
    with pytest.raises(error, match=match):
        make()
    plt.close("all")


def test_text_too_small_for_the_column_is_an_error():
    # 9 in wide is shrunk to 688 / 864 of its size: 8 pt text would be 8.5 px.
    with pytest.raises(ValueError, match=r"smallest text would be 8\.5 px high in a 688 px column"):
        explorable(lambda slope: line_at(slope, width=9.0, fontsize=8), slider("slope", [0.0, 1.0]))
    assert not plt.get_fignums()  # the offending figure is closed too
    # the same figure 7 in wide is not shrunk: 8.5 pt is 11.3 px
    explorable(lambda slope: line_at(slope, width=7.0, fontsize=8.5), slider("slope", [0.0, 1.0]))


def test_figure_wider_than_legible_in_the_column_is_an_error():
    # 688 px / 0.75 / 96 px per inch = 9.55 in: wider would be shown below 0.75 of its size
    assert MAX_FIGURE_INCHES == pytest.approx(9.5556, abs=1e-3)
    with pytest.raises(ValueError, match=r"the figure is 11 in wide; at most 9.56 in fits a 688 px column"):
        explorable(lambda slope: line_at(slope, width=11.0, fontsize=14), slider("slope", [0.0, 1.0]))
    assert not plt.get_fignums()
    explorable(lambda slope: line_at(slope, width=9.5, fontsize=11), slider("slope", [0.0, 1.0]))


def test_smallest_text_px_follows_the_shrink_to_the_column():
    fig = line_at(1.0, width=COLUMN_PX / 96 * 2, fontsize=12)  # twice the column: shown at half size
    assert smallest_text_px(fig) == pytest.approx(12 / 72 * 96 / 2)
    plt.close(fig)
    fig = plt.figure()
    assert smallest_text_px(fig) == float("inf")
    plt.close(fig)


# --- size report ----------------------------------------------------------------


def test_nbytes_counts_every_image_as_base64():
    parts = explorable(line_at, slider("slope", [0.0, 1.0, 2.0]))
    images = sum(len(png_of(im)) for im in set(parts.images.values()))
    assert parts.nbytes >= 4 / 3 * images
    assert parts.nbytes < 4 / 3 * images + 20_000  # plus a few kB of model state
    assert widget_bytes(parts.box) <= parts.nbytes  # the links are counted too
    bigger = explorable(line_at, slider("slope", [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]))
    assert bigger.nbytes > parts.nbytes


def test_over_budget_is_an_error_naming_the_size():
    with pytest.raises(ValueError, match=r"would add 0\.\d\d MB to the page \(4 figures, 4 distinct\), over max_bytes"):
        explorable(line_at, slider("slope", [0.0, 1.0, 2.0, 3.0]), max_bytes=10_000)
    assert MAX_WIDGET_BYTES == 1_500_000


# --- controls that need Python ------------------------------------------------


def test_needs_kernel_box_says_so_and_links_the_live_notebook():
    button = ipywidgets.Button(description="train")
    box = needs_kernel(button, notebook="08_reproducing_1997.ipynb", reason="train a network for each setting")
    assert KERNEL_CLASS in box._dom_classes
    note, child = box.children
    assert child is button
    assert "Needs a live kernel" in note.value and "train a network for each setting" in note.value
    assert 'href="../lite/lab/index.html?path=book/08_reproducing_1997.ipynb"' in note.value
    assert live_notebook_url("05_bptt.ipynb") == "../lite/lab/index.html?path=book/05_bptt.ipynb"


def test_control_specs_are_plain_values():
    c = slider("b", [1.0, 2.0], value=2.0, description="bias b_f", readout_format="{:+.1f}")
    assert c == Control("b", "slider", ("+1.0", "+2.0"), (1.0, 2.0), 1, "bias b_f")


def test_precomputed_slider_is_lenient_about_size_for_the_old_chapters():
    # The first chapters' 11-inch figures with 8 pt legends still build with it.
    parts = precomputed_slider(lambda v: line_at(v, width=11.0, fontsize=8), [0.0, 1.0])
    assert len(parts.stack.children) == 2


def test_widget_bytes_counts_a_shared_widget_once():
    parts = explorable(line_at, slider("slope", [0.0, 1.0]))
    assert widget_bytes(parts.box, parts.box) == widget_bytes(parts.box)
    assert widget_bytes(parts.box, parts.figure) == widget_bytes(parts.box)


def test_svg_drawings_are_kept_as_vector_images():
    class Drawing:  # anything with _repr_svg_, as lstm.book.diagrams returns
        def __init__(self, v):
            self.v = v

        def _repr_svg_(self):
            return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>{self.v:g}</text></svg>'

    parts = precomputed_slider(Drawing, [1.0, 2.0])
    assert [c.format for c in parts.stack.children] == ["svg+xml", "svg+xml"]
    assert [bytes(c.value).decode() for c in parts.stack.children] == [Drawing(1.0)._repr_svg_(),
                                                                       Drawing(2.0)._repr_svg_()]


def test_a_drawing_sized_100_percent_gets_a_width_in_px_so_an_img_does_not_fall_back_to_300px():
    class Drawing:
        def __init__(self, v):
            self.v = v

        def _repr_svg_(self):
            return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="100%">'
                    f'<rect width="100%" height="100%"/><text>{self.v:g}</text></svg>')

    parts = precomputed_slider(Drawing, [1.0, 2.0])
    svg = bytes(parts.stack.children[0].value).decode()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="672">')
    assert '<rect width="100%" height="100%"/>' in svg  # only the root's width changes
