"""lstm.book.diagrams: each drawing shows exactly what its cell computes, as valid SVG."""
import xml.etree.ElementTree as ET

import pytest

from lstm import CELL_KINDS
from lstm.book.diagrams import Diagram, cell_diagram

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
