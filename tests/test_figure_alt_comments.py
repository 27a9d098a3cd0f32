"""The site's build gives a figure the alternative text of its cell's `# alt:` comment."""
from __future__ import annotations

import importlib.util
import re
import types
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import nbformat  # noqa: E402
import pytest  # noqa: E402
from docutils import nodes  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("figure_images_alt", ROOT / "tools" / "site" / "figure_images.py")
figure_images = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(figure_images)


def test_alt_comments_in_order_and_wrapped_until_a_sentence_ends():
    source = ("# alt: Top: the gates over 40 steps; bottom: the cell\n"
              "# state, flat between the write and the read.\n"
              "# an ordinary comment after the sentence\n"
              "fig = draw()\n"
              "#alt: A second figure (its own line).\n"
              "x = 1  # alt: not at the start of a line\n")
    assert figure_images.alt_comments(source) == [
        "Top: the gates over 40 steps; bottom: the cell state, flat between the write and the read.",
        "A second figure (its own line).",
    ]
    assert figure_images.alt_comments("fig\n# alt:\n") == []
    with pytest.raises(TypeError, match="source"):
        figure_images.alt_comments(None)


def _cell(index, *images):
    cell = nodes.container(nb_element="cell_code", cell_index=index, classes=["cell"])
    out = nodes.container(nb_element="cell_code_output", classes=["cell_output"])
    out += list(images)
    cell += out
    return cell


def _png(tmp_path, name, alt=None, variant="only"):
    from lstm.book import plots

    fig, ax = plots.figure()
    ax.plot([0, 1])
    path = tmp_path / name
    path.write_bytes(plots.png_bytes(fig, alt, variant) if alt or variant != "only" else plots.figure_png(fig)[0])
    return nodes.image(uri=name, candidates={"*": name})


def test_cells_give_their_figures_the_alt_comments(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A page"),
        # a remove-input cell: its source is not in the page, only in the notebook
        nbformat.v4.new_code_cell("# alt: The loss falls below 0.1\n# by step 40.\nfig",
                                  metadata={"tags": ["remove-input"]}),
        nbformat.v4.new_code_cell("# alt: Left figure.\n# alt: Right figure.\nshow_two()"),
        nbformat.v4.new_code_cell("# alt: Its own alt wins.\nplots.show(fig, alt='Recorded.')"),
        nbformat.v4.new_code_cell("fig  # no comment: no alt text"),
        nbformat.v4.new_code_cell("# alt: Both variants.\nplots.panels(draw, 2)"),
    ]
    notebook = tmp_path / "page.ipynb"
    nbformat.write(nb, notebook)
    images = {name: _png(tmp_path, f"{name}.png") for name in ("loss", "left", "right", "bare")}
    images["own"] = _png(tmp_path, "own.png", alt="Recorded.")
    images["wide"] = _png(tmp_path, "wide.png", variant="wide")
    images["narrow"] = _png(tmp_path, "narrow.png", variant="narrow")
    doc = nodes.section()
    doc += [_cell(1, images["loss"]), _cell(2, images["left"], images["right"]), _cell(3, images["own"]),
            _cell(4, images["bare"]), _cell(5, images["wide"], images["narrow"])]
    env = types.SimpleNamespace(doc2path=lambda docname: str(tmp_path / f"{docname}.ipynb"))
    figure_images.describe_images(types.SimpleNamespace(srcdir=str(tmp_path), env=env), doc, "page")
    assert images["loss"]["alt"] == "The loss falls below 0.1 by step 40."
    assert (images["left"]["alt"], images["right"]["alt"]) == ("Left figure.", "Right figure.")
    assert images["own"]["alt"] == "Recorded."
    assert not images["bare"].get("alt")  # nothing invents alt text: the site test fails this figure
    assert images["wide"]["alt"] == images["narrow"]["alt"] == "Both variants."


def test_without_the_notebook_the_source_shown_in_the_page_is_used(tmp_path):
    image = _png(tmp_path, "f.png")
    cell = _cell(0, image)
    source = nodes.container(classes=["cell_input"])
    source += nodes.literal_block("# alt: A curve.\nfig", "# alt: A curve.\nfig")
    cell.insert(0, source)
    doc = nodes.section()
    doc += cell
    figure_images.describe_images(types.SimpleNamespace(srcdir=str(tmp_path)), doc, "page")
    assert image["alt"] == "A curve."


def test_a_myst_nb_build_puts_the_comment_on_the_img(tmp_path):
    """A real Sphinx + myst-nb build of a two-cell notebook (its outputs stored, not executed)."""
    pytest.importorskip("myst_nb")
    import base64

    from sphinx.application import Sphinx

    from lstm.book import plots

    fig, ax = plots.figure()
    ax.plot([0, 1, 4])
    png, size = plots.figure_png(fig)
    output = nbformat.v4.new_output("display_data", data={"image/png": base64.b64encode(png).decode(),
                                                          "text/plain": "<Figure>"},
                                    metadata={"image/png": size})
    src = tmp_path / "src"
    src.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Page"),
                nbformat.v4.new_code_cell("# alt: A curve rising from 0 to 4\n# over three steps.\nfig",
                                          metadata={"tags": ["remove-input"]}, outputs=[output]),
                nbformat.v4.new_code_cell("fig", outputs=[output])]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, src / "index.ipynb")
    (src / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT / 'tools' / 'site')!r})\n"
        "extensions = ['myst_nb', 'figure_images']\n"
        "nb_execution_mode = 'off'\n", encoding="utf-8")
    app = Sphinx(str(src), str(src), str(tmp_path / "html"), str(tmp_path / "doctrees"), "html",
                 status=None, warning=None, freshenv=True)
    app.build()
    page = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    imgs = re.findall(r"<img\b[^>]*>", page)
    alts = [(re.search(r'alt="([^"]*)"', tag) or [None, ""])[1] for tag in imgs]
    assert len(imgs) == 2
    # the remove-input cell's comment is on its figure; the second cell has none, so no description
    assert alts[0] == "A curve rising from 0 to 4 over three steps."
    assert "curve" not in alts[1].lower()
