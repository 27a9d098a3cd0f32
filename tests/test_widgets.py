"""lstm.book.widgets: a slider whose figures are drawn in advance and switched in the browser."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lstm.book.widgets import figure_png, precomputed_slider, svg_image  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def line_at(slope):
    fig, ax = plt.subplots(figsize=(2, 1.5))
    x = np.linspace(0, 1, 5)
    ax.plot(x, slope * x)
    ax.set(xlabel="x", ylabel="y", title=f"slope {slope:g}", ylim=(-2, 2))
    return fig


def test_every_position_gets_its_own_png_in_slider_order():
    calls = []

    def draw(v):
        calls.append(v)
        return line_at(v)

    parts = precomputed_slider(draw, [-1.0, 0.0, 1.0], value=0.0, description="slope")
    assert calls == [-1.0, 0.0, 1.0]
    pngs = [bytes(child.value) for child in parts.stack.children]
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


def test_slider_index_is_jslinked_to_stack_selection():
    # The link must run in the browser (jslink), not through the kernel (link),
    # or the static page would not respond.
    parts = precomputed_slider(line_at, [0.0, 1.0])
    assert parts.link._model_name == "LinkModel"
    assert parts.link.source == (parts.slider, "index")
    assert parts.link.target == (parts.stack, "selected_index")
    assert parts.box.children == (parts.slider, parts.stack)
    assert "lstm-precomputed-slider" in parts.box._dom_classes  # what the site test looks for


def test_readout_labels_use_the_format():
    parts = precomputed_slider(line_at, [0.25, 0.5], readout_format="{:.2f}")
    assert [label for label, _ in parts.slider.options] == ["0.25", "0.50"]


def test_precomputed_figures_are_closed():
    before = len(plt.get_fignums())
    precomputed_slider(line_at, [0.0, 1.0, 2.0])
    assert len(plt.get_fignums()) == before


def test_figure_png_closes_the_figure():
    fig = line_at(1.0)
    data = figure_png(fig)
    assert data.startswith(PNG_MAGIC)
    assert fig.number not in plt.get_fignums()


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
def test_bad_arguments_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        precomputed_slider(line_at, **kwargs)


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
    with pytest.raises(TypeError, match="svg must be the text of an SVG drawing"):
        svg_image(b"<svg/>")


def test_draw_must_return_a_figure_or_a_drawing():
    with pytest.raises(TypeError, match=r"draw\(0.0\) must return a matplotlib Figure or an SVG drawing"):
        precomputed_slider(lambda v: None, [0.0])
    with pytest.raises(TypeError, match="draw must be a callable"):
        precomputed_slider("not callable", [0.0])


def test_figure_png_rejects_non_figures():
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        figure_png(np.zeros((2, 2)))
