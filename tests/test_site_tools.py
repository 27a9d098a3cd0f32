"""The website's build tools: launch buttons only where they lead somewhere, and JupyterLite's copy."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE_TOOLS = ROOT / "tools" / "site"


def _load(name):
    spec = importlib.util.spec_from_file_location(name, SITE_TOOLS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


site_config = _load("site_config")
lite_contents = _load("lite_contents")
lite_launch = _load("lite_launch")


def _config(tmp_path, **kwargs):
    return site_config.site_config(ROOT / "_config.yml", SITE_TOOLS / "site.yml",
                                   tmp_path / "_config.yml", ROOT, **kwargs)


def test_without_repository_the_site_has_no_repository_buttons(tmp_path):
    config = _config(tmp_path)
    assert "repository" not in config
    launch = config["launch_buttons"]
    assert not {"binderhub_url", "colab_url", "thebe"} & set(launch)
    assert launch["jupyterlite_url"] == "../lite/lab/index.html"


def test_a_repository_adds_binder_colab_and_live_code(tmp_path):
    config = _config(tmp_path, repository="https://github.com/someone/lstm-book", branch="dev")
    assert config["repository"] == {"url": "https://github.com/someone/lstm-book", "branch": "dev",
                                    "path_to_book": ""}
    assert config["launch_buttons"]["thebe"] is True
    assert config["launch_buttons"]["binderhub_url"].startswith("https://")
    assert config["html"]["use_repository_button"] is True


@pytest.mark.parametrize("url", ["github.com/a/b", "https://gitlab.com/a/b", "https://github.com/only-owner",
                                 "https://github.com/a/b/tree/main"])
def test_a_repository_that_is_not_a_github_url_is_refused(tmp_path, url):
    with pytest.raises(ValueError, match="expected https://github.com/OWNER/NAME"):
        _config(tmp_path, repository=url)


def test_without_jupyterlite_no_lite_button(tmp_path):
    config = _config(tmp_path, jupyterlite=False)
    assert "jupyterlite_url" not in config["launch_buttons"]
    assert "jupyterlite_sphinx" not in config["sphinx"]["extra_extensions"]


def _notebook(path, sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)


def test_lite_copy_installs_the_package_first_and_leaves_the_book_alone(tmp_path):
    src = tmp_path / "book"
    src.mkdir()
    _notebook(src / "00_a.ipynb", ["import lstm", "print(1)"])
    (src / "data").mkdir()
    (src / "data" / "x.json").write_text("{}")
    dest = tmp_path / "staged" / "book"
    notebooks = lite_contents.stage(src, dest)
    assert [p.name for p in notebooks] == ["00_a.ipynb"]
    cells = nbformat.read(dest / "00_a.ipynb", as_version=4).cells
    assert "%pip install -q lstm-from-scratch" in cells[0].source
    assert [c.source for c in cells[1:]] == ["import lstm", "print(1)"]
    assert (dest / "data" / "x.json").is_file()
    assert len(nbformat.read(src / "00_a.ipynb", as_version=4).cells) == 2  # the book is untouched
    lite_contents.stage(src, dest)  # staging again does not add a second install cell
    assert len(nbformat.read(dest / "00_a.ipynb", as_version=4).cells) == 3


def test_lite_copy_needs_a_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="expected a folder of chapters"):
        lite_contents.stage(tmp_path / "missing", tmp_path / "out")


class _App:
    def __init__(self, lite_url):
        self.config = type("C", (), {"html_theme_options": {"launch_buttons": {"jupyterlite_url": lite_url}}})


def test_jupyterlite_button_is_added_to_a_chapter_without_repository_menu():
    context = {"header_buttons": [], "page_source_suffix": ".ipynb"}
    lite_launch.add_jupyterlite_button(_App("../lite/lab/index.html"), "book/00_x", "page.html", context, None)
    (group,) = context["header_buttons"]
    (button,) = group["buttons"]
    assert button["url"] == "../lite/lab/index.html?path=book/00_x.ipynb"


def test_jupyterlite_button_leaves_the_themes_menu_and_plain_pages_alone():
    theme_menu = {"label": "launch-buttons", "buttons": ["theme's own"]}
    context = {"header_buttons": [theme_menu], "page_source_suffix": ".ipynb"}
    lite_launch.add_jupyterlite_button(_App("../lite/lab/index.html"), "book/00_x", "page.html", context, None)
    assert context["header_buttons"] == [theme_menu]
    markdown_page = {"header_buttons": [], "page_source_suffix": ".md"}
    lite_launch.add_jupyterlite_button(_App("../lite/lab/index.html"), "book/intro", "page.html", markdown_page, None)
    assert markdown_page["header_buttons"] == []


def test_cell_timeout_reaches_the_execution_settings(tmp_path):
    assert _config(tmp_path, cell_timeout=45)["execute"]["timeout"] == 45
    with pytest.raises(ValueError, match="positive number of seconds"):
        _config(tmp_path, cell_timeout=0)


execution_budget = _load("execution_budget")


class _Env:
    def __init__(self, runtimes):
        self.found_docs = set(runtimes)
        self.nb_metadata = {doc: {"exec_data": {"runtime": t}} for doc, t in runtimes.items()}


class _TimedApp:
    def __init__(self, timeout):
        self.config = type("C", (), {"nb_execution_timeout": timeout})


def test_a_chapter_slower_than_one_cell_may_be_is_reported(monkeypatch):
    warnings = []
    monkeypatch.setattr(execution_budget.logger, "warning", lambda message, **kw: warnings.append(message))
    execution_budget.check_execution_times(_TimedApp(120), _Env({"book/00": 30.0, "book/03": 140.2, "intro": None}))
    assert len(warnings) == 1
    assert warnings[0].startswith("book/03: executed in 140 s, longer than the 120 s one cell may take")


icon_subset = _load("icon_subset")
figure_images = _load("figure_images")
chapter_numbers = _load("chapter_numbers")

# The shape of pydata-sphinx-theme's fontawesome.js: a library, then packs registered with d(...).
FAKE_ICONS = (
    '(function(){var p={monero:[496,512,[],"f3d0","M1 2"],github:[496,512,[],"f09b","M3 4"]};'
    '!function(){}(function(){d("fab",p)})}(),function(){var p={bars:[448,512,["navicon"],"f0c9","M5 6"],'
    '"circle-half-stroke":[512,512,[9680,"adjust"],"f042","M7 8"],0:[320,512,[],"30",["M9","M10"]]};'
    '!function(){}(function(){d("fas",p)})}();\n//# sourceMappingURL=fontawesome.js.map\n'
)


def test_icon_subset_keeps_only_used_icons_and_the_library():
    out, kept, total = icon_subset.subset_script(FAKE_ICONS, {"github", "navicon", "circle-half-stroke"})
    assert (kept, total) == (3, 5)
    assert 'github:[496,512,[],"f09b","M3 4"]' in out and "monero" not in out
    assert 'bars:[448,512,["navicon"],"f0c9","M5 6"]' in out  # kept through its alias
    assert '"circle-half-stroke":[512,512,[9680,"adjust"],"f042","M7 8"]' in out and '"M9"' not in out
    assert 'd("fab",p)' in out and 'd("fas",p)' in out and "sourceMappingURL" not in out
    assert out.count("var p={") == 2


def test_icon_subset_refuses_text_it_does_not_understand():
    with pytest.raises(ValueError, match="unexpected text"):
        icon_subset.pack_entries('bars:[1,2,[],"f","M"],??')


def test_png_text_chunks_read_what_plots_records():
    import matplotlib
    matplotlib.use("Agg")
    from lstm.book import plots
    fig, ax = plots.figure()
    meta = figure_images.png_text_chunks(plots.png_bytes(fig, "A line.", "narrow"))
    assert meta["Description"] == "A line." and meta["lstm-variant"] == "narrow"
    assert figure_images.META_ALT == plots.META_ALT and figure_images.META_VARIANT == plots.META_VARIANT
    assert figure_images.png_text_chunks(b"<svg/>") == {}


def test_chapter_numbers_start_at_zero():
    assert chapter_numbers._shift((1,)) == (0,) and chapter_numbers._shift((6, 2)) == (5, 2)


def test_css_glyphs_skip_the_class_map_but_keep_used_and_theme_icons(tmp_path):
    styles = tmp_path / "_static" / "styles"
    styles.mkdir(parents=True)
    (styles / "theme.css").write_text(
        '.fa-bars:before{content:"\\f0c9"}.fa-moon:before,.fa-night:before{content:"\\f186"}'
        ':root{--pst-icon-info:"\\f05a"}', encoding="utf-8")
    assert icon_subset.css_glyphs(tmp_path, {"moon"}) == {0xF186, 0xF05A}


def test_figure_images_put_the_recorded_alt_and_variant_on_the_image(tmp_path):
    import types

    import matplotlib
    matplotlib.use("Agg")
    from docutils import nodes

    from lstm.book import plots
    fig, ax = plots.figure()
    (tmp_path / "fig.png").write_bytes(plots.png_bytes(fig, "A rising line.", "narrow"))
    (tmp_path / "d.svg").write_text('<svg><title>One step &amp; its gates</title></svg>', encoding="utf-8")
    doc = nodes.section()
    png, svg = nodes.image(uri="fig.png", candidates={"*": "fig.png"}), nodes.image(uri="d.svg", candidates={"*": "d.svg"})
    doc += [png, svg]
    figure_images.describe_images(types.SimpleNamespace(srcdir=str(tmp_path)), doc, "page")
    assert png["alt"] == "A rising line." and "lstm-fig-narrow" in png["classes"] and png["loading"] == "lazy"
    assert svg["alt"] == "One step & its gates"


# --- widget_frames: the explorables' figures as files ----------------------------------------

def _state_with_images(*payloads, fmt="png"):
    import base64
    models = {f"m{k}": {"model_name": "ImageModel", "model_module": "@jupyter-widgets/controls",
                        "state": {"format": fmt, "_dom_classes": ["lstm-figure"]},
                        "buffers": [{"path": ["value"], "encoding": "base64",
                                     "data": base64.b64encode(p).decode()}]}
              for k, p in enumerate(payloads)}
    models["slider"] = {"model_name": "SelectionSliderModel", "state": {"description": "k"}}
    return {"version_major": 2, "version_minor": 0, "state": models}


def test_widget_frames_move_images_to_shared_files_and_leave_their_address(tmp_path):
    import base64
    frames = _load("widget_frames")
    page = tmp_path / "book" / "ch.html"
    page.parent.mkdir()
    png_a, png_b = b"\x89PNG\r\n\x1a\nA", b"\x89PNG\r\n\x1a\nB"
    state = _state_with_images(png_a, png_b, png_a)
    assert frames.move_frames(state, page, tmp_path) == 3
    files = sorted((tmp_path / frames.FRAMES_DIR).iterdir())
    assert len(files) == 2 and {f.read_bytes() for f in files} == {png_a, png_b}  # equal figures share a file
    for k in range(3):
        model = state["state"][f"m{k}"]
        url = base64.b64decode(model["buffers"][0]["data"]).decode()
        assert model["state"]["format"] == "url" and url.startswith("../_images/frames/") and url.endswith(".png")
        assert (page.parent / url).resolve().read_bytes() == (png_a, png_b, png_a)[k]
    assert state["state"]["slider"] == {"model_name": "SelectionSliderModel", "state": {"description": "k"}}
    svg = _state_with_images(b"<svg></svg>", fmt="svg+xml")
    frames.move_frames(svg, page, tmp_path)
    assert base64.b64decode(svg["state"]["m0"]["buffers"][0]["data"]).decode().endswith(".svg")
    with pytest.raises(ValueError, match="no 'state' mapping"):
        frames.move_frames({"version_major": 2}, page, tmp_path)


def test_widget_frames_rewrite_a_page_and_keep_the_script_closed(tmp_path):
    import json
    frames = _load("widget_frames")
    page = tmp_path / "p.html"
    state = _state_with_images(b"\x89PNG\r\n\x1a\nA")
    state["state"]["html"] = {"model_name": "HTMLModel", "state": {"value": "<b>x</b></script>"}}
    page.write_text('<html><script type="application/vnd.jupyter.widget-state+json">'
                    + json.dumps(state).replace("</", "<\\/") + "</script><p>after</p></html>", encoding="utf-8")
    assert frames.rewrite_page(page, tmp_path) == 1
    html = page.read_text(encoding="utf-8")
    body = html.split('widget-state+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(body)["state"]["html"]["state"]["value"] == "<b>x</b></script>"  # escaped as <\/
    assert html.endswith("</script><p>after</p></html>")
    assert frames.rewrite_page(page, tmp_path) == 0  # nothing left to move: the page is left as it is
