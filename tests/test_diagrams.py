"""lstm.book.diagrams: each drawing shows exactly what its cell computes, as valid SVG."""
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from lstm import CELL_KINDS
from lstm.book.diagrams import Diagram, cell_diagram
from lstm.book.style import GATE_COLORS

SVG = "{http://www.w3.org/2000/svg}"


def parse(diagram):
    assert isinstance(diagram, Diagram)
    return ET.fromstring(diagram.svg)  # raises if the SVG is not well-formed XML


def tagged(root, cls, tag=None):
    """Elements whose class attribute holds `cls` (optionally only <tag>)."""
    return [el for el in root.iter() if cls in (el.get("class") or "").split()
            and (tag is None or el.tag == SVG + tag)]


def attr_set(elements, name):
    return {el.get(name) for el in elements}


@pytest.mark.parametrize("name", sorted(CELL_KINDS))
def test_cell_drawing_has_exactly_the_cells_gates_and_their_activations(name):
    kind = CELL_KINDS[name]
    root = parse(cell_diagram(name))
    gates = tagged(root, "gate", "g")
    assert sorted(attr_set(gates, "data-gate")) == sorted(kind.gates)
    assert len(gates) == len(kind.gates)  # one box each, no duplicates
    activations = {g.get("data-gate"): g.get("data-activation") for g in gates}
    expected = {g: (kind.input_activation if g == "g" else "sigmoid") for g in kind.gates}
    assert activations == expected
    output_tanh = [g for g in tagged(root, "activation", "g") if g.get("data-of") == "c"]
    assert len(output_tanh) == (1 if kind.output_activation == "tanh" else 0)


@pytest.mark.parametrize("name", sorted(CELL_KINDS))
def test_cell_drawing_has_a_peephole_wire_exactly_for_each_peephole_vector(name):
    kind = CELL_KINDS[name]
    peepholes = tagged(parse(cell_diagram(name)), "peephole", "path")
    drawn = sorted(p.get("data-gate") for p in peepholes)
    assert drawn == sorted(n[-1] for n in kind.peephole_names)  # weight_ci -> "i"


@pytest.mark.parametrize("name", sorted(CELL_KINDS))
def test_only_cifg_draws_the_coupled_forget_gate_and_only_fgr_the_gate_recurrence(name):
    kind = CELL_KINDS[name]
    root = parse(cell_diagram(name))
    coupled = tagged(root, "coupled", "g")
    if kind.coupled:
        assert [(c.get("data-gate"), c.get("data-from")) for c in coupled] == [("f", "i")]
        assert "1−" in "".join(coupled[0].itertext())
    else:
        assert coupled == []
    recurrence = sorted(p.get("data-gate") for p in tagged(root, "gate-recurrence", "path"))
    assert recurrence == (["f", "i", "o"] if kind.gate_recurrence else [])


@pytest.mark.parametrize("name", sorted(CELL_KINDS))
def test_forget_multiplication_exists_only_where_something_is_forgotten(name):
    kind = CELL_KINDS[name]
    ops = [el.get("data-op") for el in tagged(parse(cell_diagram(name)), "op")]
    assert ("forget" in ops) == (kind.has_forget_gate or kind.coupled)
    assert ("write" in ops) == ("i" in kind.gates)
    assert ("read" in ops) == ("o" in kind.gates)
    assert ops.count("add") == 1  # the carousel's one sum


def test_gru_drawing_has_its_own_gates_and_no_cell_state():
    root = parse(cell_diagram("gru"))
    assert root.get("data-kind") == "gru"
    gates = {g.get("data-gate"): g.get("data-activation") for g in tagged(root, "gate", "g")}
    assert gates == {"r": "sigmoid", "z": "sigmoid", "n": "tanh"}
    assert tagged(root, "peephole") == []
    text = "".join(root.itertext())
    assert "c" not in text.replace("tanh", "")  # only h is carried
    assert [c.get("data-from") for c in tagged(root, "coupled", "g")] == ["z"]  # (1 - z) n


def test_a_cellkind_object_draws_like_its_name():
    assert cell_diagram(CELL_KINDS["cifg"]).svg == cell_diagram("cifg").svg


def test_svg_scales_to_its_container_and_has_a_title(tmp_path):
    d = cell_diagram("standard")
    root = parse(d)
    assert root.get("width") == "100%"
    x0, y0, w, h = map(float, root.get("viewBox").split())
    assert (x0, y0) == (0, 0) and w > 0 and h > 0
    assert root.find(SVG + "title").text == d.title
    assert d._repr_svg_() == d.svg
    path = d.save(tmp_path / "cell.svg")
    assert path.read_text(encoding="utf-8") == d.svg


def test_labels_set_subscripts_as_smaller_lowered_spans():
    root = parse(cell_diagram("standard"))
    labels = ["".join(t.itertext()) for t in root.iter(SVG + "text")]
    assert "ct−1" in labels and "ht−1" in labels and "xt" in labels  # c_{t-1}: c, then t−1
    sub = next(t for t in root.iter(SVG + "text") if "".join(t.itertext()) == "ct−1")
    spans = list(sub)
    assert [s.text for s in spans] == ["c", "t−1"]
    assert float(spans[1].get("dy")) > 0 and float(spans[1].get("font-size")) < float(sub.get("font-size"))


def test_unknown_cell_names_and_wrong_types_are_refused():
    with pytest.raises(ValueError, match="unknown cell kind 'lstm'.*'gru'"):
        cell_diagram("lstm")
    with pytest.raises(TypeError, match="cell name"):
        cell_diagram(4)


# --- the live diagram: the numbers drawn are the layer's own cache values -------------------

from lstm import FGRLSTM, GRU, LSTM  # noqa: E402
from lstm.book.diagrams import live_cell_diagram, live_cell_slider, trace_lstm  # noqa: E402
from lstm.book.widgets import CSS_CLASS  # noqa: E402

LIVE_KINDS = ["standard", "1997", "peephole", "cifg", "nig", "nog", "noaf", "fgr"]


def run_layer(name, T=4, N=2, D=3, H=3, seed=0):
    rng = np.random.default_rng(seed)
    layer = (FGRLSTM if name == "fgr" else LSTM)(D, H, cell=name, rng=rng)
    X = rng.normal(size=(T, N, D))
    state = (rng.normal(size=(N, H)), rng.normal(size=(N, H))) + (None,) * (len(layer.state_names) - 2)
    return layer, X, state


def drawn_values(diagram):
    """name -> (the text written, the exact value in data-value) of every number on a drawing."""
    out = {}
    for el in tagged(parse(diagram), "value", "text"):
        assert el.get("data-name") not in out, "a value is drawn twice"
        out[el.get("data-name")] = ("".join(el.itertext()), float(el.get("data-value")))
    return out


@pytest.mark.parametrize("name", LIVE_KINDS)
def test_live_diagram_numbers_equal_the_step_cache_of_the_layer(name):
    layer, X, state = run_layer(name)
    n, unit = 1, 2
    trace = trace_lstm(layer, X, state, sequence=n)
    cells = layer._cache.cells  # the caches backward uses, from the forward call trace_lstm made
    Y, _ = layer.forward(X, state)  # same parameters and input: same outputs
    kind = CELL_KINDS[name]
    for t in range(1, X.shape[0] + 1):
        cache = cells[t - 1]
        expected = {g: getattr(cache, g)[n, unit] for g in ("i", "f", "g", "o") if getattr(cache, g) is not None}
        expected.update(c_prev=cache.c_prev[n, unit], c=cache.c[n, unit], h=Y[t - 1, n, unit],
                        h_prev=(state[0] if t == 1 else Y[t - 2])[n, unit])
        drawn = drawn_values(live_cell_diagram(trace, t, unit=unit))
        assert set(drawn) == set(expected)
        for key, value in expected.items():
            text, exact = drawn[key]
            assert exact == value, (name, t, key)  # the cache's number itself, not a recomputation
            assert text.replace("\u2212", "-") == f"{value:.3f}"  # typeset with a real minus sign
        gates_drawn = set(drawn) - {"c_prev", "c", "h_prev", "h"}
        assert gates_drawn == set(kind.gates) | ({"f"} if kind.coupled else set())


def test_gate_value_sets_the_width_of_its_wire():
    layer, X, state = run_layer("standard", T=1, N=1, H=1)
    p = layer.params
    p["bias"][:] = [8.0, -8.0, 0.5, 0.0]  # i open, f closed
    for k in ("weight_ih", "weight_hh"):
        p[k][:] = 0.0
    root = parse(live_cell_diagram(trace_lstm(layer, X, state), 1))
    widths = {g.get("data-gate"): max(float(p.get("stroke-width")) for p in g.iter(SVG + "path")
                                      if p.get("stroke") == GATE_COLORS[g.get("data-gate")])
              for g in tagged(root, "gate", "g")}
    assert widths["i"] > 6.5 > 1.5 > widths["f"]


def test_trace_of_one_sequence_without_batch_axis_matches_the_batched_run():
    layer, X, state = run_layer("peephole", N=1)
    batched = trace_lstm(layer, X, state)
    single = trace_lstm(layer, X[:, 0], (state[0][0], state[1][0]))
    for a, b in [(batched.h, single.h), (batched.c, single.c), (batched.x, single.x)]:
        np.testing.assert_array_equal(a, b)
    assert batched.h.shape == (X.shape[0] + 1, 3) and batched.gates["f"].shape == (X.shape[0], 3)


def test_live_slider_holds_one_svg_per_step_linked_in_the_browser():
    layer, X, state = run_layer("standard")
    trace = trace_lstm(layer, X, state)
    parts = live_cell_slider(trace, unit=1, value=2)
    assert [v for _, v in parts.slider.options] == [1.0, 2.0, 3.0, 4.0]
    assert parts.slider.index == 1 and parts.stack.selected_index == 1
    for t, child in enumerate(parts.stack.children, start=1):
        assert child.format == "svg+xml"
        # the same drawing, with a width in px (an <img> shows width="100%" 300 px wide)
        drawing = live_cell_diagram(trace, t, unit=1).svg.replace('width="100%"', 'width="672"', 1)
        assert bytes(child.value).decode("utf-8") == drawing
    assert parts.link._model_name == "LinkModel"  # jslink: works without a kernel
    assert CSS_CLASS in parts.box._dom_classes  # the class the site test moves


def test_live_diagram_refuses_bad_steps_units_and_layers():
    layer, X, state = run_layer("standard")
    trace = trace_lstm(layer, X, state)
    with pytest.raises(ValueError, match=r"t must be a step 1 \.\. 4"):
        live_cell_diagram(trace, 0)
    with pytest.raises(ValueError, match=r"t must be a step 1 \.\. 4"):
        live_cell_diagram(trace, 5)
    with pytest.raises(TypeError, match="t must be an integer"):
        live_cell_diagram(trace, 1.5)
    with pytest.raises(ValueError, match=r"unit must be in 0 \.\. 2"):
        live_cell_diagram(trace, 1, unit=3)
    with pytest.raises(TypeError, match="CellTrace"):
        live_cell_diagram({"i": 1}, 1)
    with pytest.raises(ValueError, match=r"sequence must be in 0 \.\. 1"):
        trace_lstm(layer, X, state, sequence=2)
    with pytest.raises(ValueError, match=r"X must have shape \(T, N, D\) or \(T, D\)"):
        trace_lstm(layer, X[0, 0])
    with pytest.raises(TypeError, match="GRU has no cell state"):
        trace_lstm(GRU(3, 2, rng=np.random.default_rng(0)), X)
    with pytest.raises(ValueError, match=r"t must be a step"):
        live_cell_slider(trace, steps=[1, 9])


# --- unrolled network and backward graph -----------------------------------------------------

from lstm.book.diagrams import backward_diagram, carousel_diagram, unrolled_diagram  # noqa: E402


@pytest.mark.parametrize("kind, states", [("rnn", ["h"]), ("lstm", ["c", "h"])])
@pytest.mark.parametrize("steps", [1, 3, 5])
def test_unrolled_network_has_one_cell_per_step_chained_by_its_states(kind, steps, states):
    root = parse(unrolled_diagram(kind, steps=steps))
    assert [int(g.get("data-t")) for g in tagged(root, "step", "g")] == list(range(1, steps + 1))
    for s in states:
        links = [(p.get("data-from"), p.get("data-to")) for p in tagged(root, "recurrent", "path")
                 if p.get("data-state") == s]
        # the loop of the folded cell, then h_0 -> step 1 -> ... -> step T -> on
        assert links == [("t", "t+1")] + [(str(k), str(k + 1)) for k in range(steps + 1)]
    drawn_states = {p.get("data-state") for p in tagged(root, "recurrent", "path")}
    assert drawn_states == set(states)
    inputs = [p.get("data-t") for p in tagged(root, "input", "path")]
    assert inputs == ["t"] + [str(k) for k in range(1, steps + 1)]


def test_backward_graph_has_the_two_paths_into_dc_prev():
    root = parse(backward_diagram())
    paths = {g.get("data-path"): g for g in tagged(root, "grad-path", "g")}
    assert set(paths) == {"carousel", "recurrent"}
    assert {g.get("data-to") for g in paths.values()} == {"dc_prev"}
    assert paths["carousel"].get("data-through") == "f" and paths["recurrent"].get("data-through") == "W_hh"
    # both end at the dc_{t-1} node: the last arrow of each path has its tip on that node's circle
    node = tagged(root, "node", "g")[0]
    circle = node.find(SVG + "circle")
    cx, cy, r = (float(circle.get(k)) for k in ("cx", "cy", "r"))
    for name, g in paths.items():
        tip = g.findall(SVG + "polygon")[-1].get("points").split()[0]
        x, y = map(float, tip.split(","))
        assert abs(np.hypot(x - cx, y - cy) - r) < 1.0, name
    assert "W" in "".join(paths["recurrent"].itertext())


@pytest.mark.parametrize("steps", [1, 3, 6])
def test_carousel_passes_value_forward_and_error_back_with_factor_one_at_every_step(steps):
    root = parse(carousel_diagram(steps))
    assert [int(g.get("data-t")) for g in tagged(root, "step", "g")] == list(range(1, steps + 1))
    forward = [(p.get("data-from"), p.get("data-to"), p.get("data-weight")) for p in tagged(root, "recurrent", "path")]
    back = [(p.get("data-from"), p.get("data-to"), p.get("data-factor")) for p in tagged(root, "error", "path")]
    assert forward == [(str(k), str(k + 1), "1.0") for k in range(steps + 1)]
    assert back == [(str(k + 1), str(k), "1.0") for k in range(steps + 1)]
    for p in tagged(root, "error", "path"):  # drawn right to left: the error goes back in time
        (x0, _), (x1, _) = [tuple(map(float, pt.strip("ML ").split())) for pt in p.get("d").split(" L")]
        assert x1 < x0


def test_unrolled_and_backward_refuse_bad_input():
    with pytest.raises(ValueError, match="kind must be 'rnn' or 'lstm'"):
        unrolled_diagram("gru")
    for steps in (0, 9, 2.0, True):
        with pytest.raises(ValueError, match=r"steps must be an integer 1 \.\. 8"):
            unrolled_diagram("rnn", steps=steps)
        with pytest.raises(ValueError, match=r"steps must be an integer 1 \.\. 8"):
            carousel_diagram(steps)


def test_every_diagram_uses_the_books_gate_colours_only():
    palette = {c.lower() for c in GATE_COLORS.values()}
    neutral = {"#ffffff", "#555555", "#444444", "#222222", "#333333", "#111111", "#8a8a8a", "#9a9a9a", "#cccccc",
               "#f2f2f2", "#f4f4f4", "#666666", "none"}
    drawings = [cell_diagram(n) for n in [*CELL_KINDS, "gru"]]
    drawings += [unrolled_diagram("lstm"), carousel_diagram(), backward_diagram()]
    for d in drawings:
        colours = {el.get(k).lower() for el in parse(d).iter() for k in ("fill", "stroke") if el.get(k)}
        assert colours <= palette | neutral, (d.title, colours - palette - neutral)


# --- several diagrams side by side ------------------------------------------------------------

import base64  # noqa: E402
import re  # noqa: E402

from lstm.book.diagrams import side_by_side  # noqa: E402


def test_side_by_side_embeds_each_svg_as_an_image_with_its_caption():
    drawings = [cell_diagram("standard"), cell_diagram("gru")]
    html = side_by_side(drawings, captions=["LSTM", "GRU <3>"])._repr_html_()
    sources = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert [base64.b64decode(s).decode("utf-8") for s in sources] == [d.svg for d in drawings]
    assert "<figcaption" in html and "GRU &lt;3&gt;" in html  # captions are escaped
    assert "repeat(auto-fill, minmax(min(440px, 100%), 1fr))" in html  # as many columns as fit, one on a phone


def test_side_by_side_refuses_bad_input():
    with pytest.raises(TypeError, match="non-empty sequence of Diagram"):
        side_by_side([])
    with pytest.raises(TypeError, match="non-empty sequence of Diagram"):
        side_by_side(["<svg/>"])
    with pytest.raises(ValueError, match=r"captions must be 1 strings \(one per diagram\)"):
        side_by_side([cell_diagram("standard")], captions=["a", "b"])
    with pytest.raises(ValueError, match="min_width"):
        side_by_side([cell_diagram("standard")], min_width=10)


def _smallest_label_px(diagram, shown_px):
    svg = diagram.svg
    units = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))
    shown = min(shown_px, diagram.max_width)
    return min(float(x) for x in re.findall(r'font-size="([\d.]+)"', svg)) * shown / units


@pytest.mark.parametrize("make", [
    lambda: cell_diagram("standard"), lambda: cell_diagram("gru"), lambda: cell_diagram("peephole"),
    lambda: unrolled_diagram("lstm", steps=3), lambda: unrolled_diagram("rnn", steps=3),
    lambda: carousel_diagram(steps=3), lambda: backward_diagram(),
])
def test_labels_are_legible_in_the_column_and_on_a_phone(make):
    """Every label, subscripts included, is at least 11 CSS px in the 688 px column at 1280 px and
    9 px in the 358 px column of a 390 px phone (the site test measures the same on the pages)."""
    d = make()
    assert _smallest_label_px(d, 688) >= 11
    assert _smallest_label_px(d, 358) >= 9


def test_side_by_side_default_keeps_cell_labels_legible_at_1280():
    # one 688 px column holds one drawing per row at min_width 440: each is shown at its max width
    assert 2 * 440 + 16 > 688
    assert _smallest_label_px(cell_diagram("gru"), 688) >= 11


@pytest.mark.parametrize("steps", [1, 3, 5])
def test_unrolled_rnn_labels_each_recurrent_arrow_and_sends_the_error_back_right_to_left(steps):
    root = parse(unrolled_diagram("rnn", steps=steps))
    weights = [(t.get("data-from"), t.get("data-to")) for t in tagged(root, "weight", "text")]
    assert weights == [(str(k), str(k + 1)) for k in range(1, steps)]  # W_hh between every two steps
    assert all("W" in "".join(t.itertext()) for t in tagged(root, "weight", "text"))
    errors = tagged(root, "error", "path")
    assert [(p.get("data-from"), p.get("data-to")) for p in errors] == [(str(k + 1), str(k)) for k in range(steps)]
    for p in errors:  # drawn right to left: the error goes back in time
        (x0, _), (x1, _) = [tuple(map(float, pt.strip("ML ").split())) for pt in p.get("d").split(" L")]
        assert x1 < x0
    assert not tagged(parse(unrolled_diagram("lstm", steps=steps)), "error", "path")


def test_cell_and_unrolled_diagrams_keep_every_label_at_10_5_px_or_more_on_a_phone():
    # labels were 26 units for names, 20.8 for subscripts: 10.5 CSS px or more in the 358 px column
    for d in (cell_diagram("standard"), unrolled_diagram("rnn", steps=3)):
        assert _smallest_label_px(d, 358) >= 10.5, d.title
