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
