"""The live side of an explorable: with a front end on the kernel, any value of the live range is drawn."""
import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lstm.book.controls import LIVE_CLASS, checkbox, dropdown, slider  # noqa: E402
from lstm.book.explorable import LIVE_ERROR_CLASS, NAME_CONTROLS_JS, explorable, precomputed_slider  # noqa: E402


def line_at(slope, dashed=False):
    fig, ax = plt.subplots(figsize=(2.0, 1.5))
    x = np.linspace(0, 1, 5)
    ax.plot(x, slope * x, "--" if dashed else "-")
    ax.set(ylim=(-2, 2))
    ax.set_title(f"slope {slope:g}", fontsize=10)
    ax.tick_params(labelsize=10)
    return fig


def shown(parts):
    """What the front end reports when it first shows the box."""
    parts.box._view_count = 1


def test_nothing_goes_live_until_a_front_end_shows_the_box():
    parts = explorable(line_at, slider("slope", [0.0, 1.0], live=(-2, 2, 0.1)))
    assert parts.box._view_count == 0  # the browser is asked to count its views
    assert not parts.live.active and parts.box.children[1] is parts.figure  # the static stack, as built
    shown(parts)
    assert parts.live.active
    assert parts.figure not in parts.box.children  # the stack is gone: it cannot disagree with the live image
    row, image, status, names = parts.box.children
    assert image is parts.live.image and status.value == ""
    # the front end names the slider's handle after its label (ipywidgets leaves it nameless)
    (script,) = names.outputs
    assert script["data"]["application/javascript"] == NAME_CONTROLS_JS
    assert "aria-label" in NAME_CONTROLS_JS and "[role=slider]" in NAME_CONTROLS_JS
    (control,) = row.children
    assert isinstance(control, ipywidgets.FloatSlider) and LIVE_CLASS in control._dom_classes
    assert (control.min, control.max, control.step, control.value) == (-2, 2, 0.1, 0.0)
    assert control.description == "slope" and control.tooltip == "slope"


def test_live_image_starts_as_the_static_figure_and_redraws_between_grid_points():
    parts = explorable(line_at, slider("slope", [0.0, 1.0], value=1.0, live=(-2, 2, 0.1)),
                       checkbox("dashed", value=True))
    shown(parts)
    image = parts.live.image
    assert bytes(image.value) == bytes(parts.images[(1, 1)].value)  # same figure at the grid point
    parts.live.controls["slope"].value = 0.3  # off the grid
    assert parts.live.redraws == 1 and parts.live.values() == {"slope": 0.3, "dashed": True}
    off_grid = bytes(image.value)
    assert off_grid not in {bytes(i.value) for i in parts.images.values()}
    parts.live.controls["dashed"].index = 0
    assert bytes(image.value) != off_grid
    parts.live.controls["slope"].value = 0.0  # back on the grid: the static figure again
    assert bytes(image.value) == bytes(parts.images[(0, 0)].value)


def test_a_control_without_a_live_range_offers_its_grid_live():
    parts = explorable(lambda kind: line_at({"flat": 0.0, "steep": 1.5}[kind]),
                       dropdown("kind", ["flat", "steep"], description="shape"))
    shown(parts)
    control = parts.live.controls["kind"]
    assert isinstance(control, ipywidgets.Dropdown) and control._options_labels == ("flat", "steep")
    control.value = "steep"
    assert bytes(parts.live.image.value) == bytes(parts.images[(1,)].value)


def test_whole_number_ranges_give_an_int_slider_and_int_values():
    seen = []

    def draw(t):
        seen.append(t)
        return line_at(t / 10)

    parts = explorable(draw, slider("t", [1, 5, 9], live=(1, 9, 1)))
    shown(parts)
    control = parts.live.controls["t"]
    assert isinstance(control, ipywidgets.IntSlider)
    control.value = 4
    assert seen[-1] == 4 and type(seen[-1]) is int


def test_a_value_draw_cannot_draw_hides_the_figure_and_says_why():
    def draw(slope):
        if slope > 1.5:
            raise ValueError("too steep for this axis")
        return line_at(slope)

    parts = explorable(draw, slider("slope", [0.0, 1.0], live=(0, 2, 0.5)))
    shown(parts)
    parts.live.controls["slope"].value = 2.0
    assert parts.live.image.layout.display == "none"  # not the figure of another value
    assert LIVE_ERROR_CLASS in parts.live.status.value and "too steep" in parts.live.status.value
    parts.live.controls["slope"].value = 0.5
    assert parts.live.image.layout.display is None and parts.live.status.value == ""


def test_the_live_figure_starts_where_the_static_controls_were():
    parts = explorable(line_at, slider("slope", [0.0, 1.0, 2.0], live=(0, 2, 0.25)))
    parts.controls["slope"].index = 2
    shown(parts)
    assert parts.live.controls["slope"].value == 2.0
    assert bytes(parts.live.image.value) == bytes(parts.images[(2,)].value)


def test_precomputed_slider_goes_live_too():
    parts = precomputed_slider(line_at, [0.0, 1.0], live=(0, 1, 0.05), description="slope")
    shown(parts)
    parts.live.controls["value"].value = 0.35
    assert parts.live.redraws == 1 and parts.live.values() == {"value": 0.35}


@pytest.mark.parametrize("live, error, match", [
    ((0, 1), TypeError, r"\(low, high, step\)"),
    ((0, 1, "a"), TypeError, r"\(low, high, step\)"),
    ((1, 0, 0.1), ValueError, "low < high"),
    ((0, 1, 0), ValueError, "step > 0"),
    ((0, 1, 2), ValueError, "wider than the range"),
    ((0, 0.5, 0.1), ValueError, "live range"),  # 1.0 is outside
    ((0, 1, 0.3), ValueError, "live range"),  # 1.0 is not 0 + k * 0.3
])
def test_bad_live_ranges_are_refused(live, error, match):
    with pytest.raises(error, match=match):
        slider("slope", [0.0, 1.0], live=live)


def test_live_readout_writes_the_steps_digits():
    parts = explorable(line_at, slider("slope", [0.0, 1.0], live=(-1, 1, 0.25)))
    shown(parts)
    assert parts.live.controls["slope"].readout_format == ".2f"


def test_executing_a_notebook_stores_the_static_grid(tmp_path):
    # What the book build and nbval do: a kernel without a front end. No view is ever
    # reported, so the stored widget state is the precomputed stack, as the static page needs.
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    code = ("import matplotlib; matplotlib.use('Agg')\n"
            "import matplotlib.pyplot as plt\n"
            "from lstm.book.widgets import explorable, slider\n"
            "def draw(b):\n"
            "    fig, ax = plt.subplots(figsize=(2, 1.5)); ax.plot([0, 1], [0, b]); ax.set_title(f'b {b:g}', fontsize=10)\n"
            "    return fig\n"
            "parts = explorable(draw, slider('b', [0.0, 1.0], live=(-2, 2, 0.5)))\n"
            "print(parts.live.active)\n"
            "parts.box")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=True).execute()
    outputs = nb.cells[0].outputs
    assert [o.get("text") for o in outputs if o.output_type == "stream"] == ["False\n"]
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    names = [m["model_name"] for m in state.values()]
    assert names.count("StackModel") == 1 and names.count("ImageModel") == 2 and "LinkModel" in names
    assert "FloatSliderModel" not in names  # no live control was made
    boxes = [m["state"] for m in state.values() if "lstm-explorable" in m["state"].get("_dom_classes", [])]
    assert len(boxes) == 1 and boxes[0]["_view_count"] == 0
