"""Sphinx extension: a JupyterLite launch button on every chapter, with or without a repository.

sphinx-book-theme adds launch buttons only when the book names a public
repository (Binder, Colab and Thebe need one). JupyterLite does not: it runs
from this site's own `lite/` folder. When the website is built without a
repository (`make book` without REPOSITORY=...), this adds the JupyterLite
button alone, so no button leads to a repository that does not exist and the
one that can work is still there. With a repository the theme's own launch
menu, which includes JupyterLite, is left as it is.
"""
from __future__ import annotations

from sphinx.application import Sphinx


def add_jupyterlite_button(app: Sphinx, pagename, templatename, context, doctree) -> None:
    buttons = context.get("header_buttons")
    lite_url = app.config.html_theme_options.get("launch_buttons", {}).get("jupyterlite_url", "")
    if buttons is None or not lite_url or context.get("page_source_suffix") != ".ipynb":
        return
    if any(button.get("label") == "launch-buttons" for button in buttons):
        return  # the theme made the launch menu (a repository is configured)
    buttons.append({
        "type": "group",
        "tooltip": "Launch interactive content",
        "icon": "fas fa-rocket",
        "label": "launch-buttons",
        "buttons": [{
            "type": "link",
            "text": "JupyterLite",
            "tooltip": "Run this chapter in your browser (JupyterLite)",
            "icon": "_static/images/logo_jupyterlite.svg",
            "url": f"{lite_url.rstrip('/')}?path={pagename}.ipynb",
        }],
    })


def setup(app: Sphinx) -> dict:
    # After the theme's add_launch_buttons (priority 501), before rendering.
    app.connect("html-page-context", add_jupyterlite_button, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
