"""Sphinx extension: no page of the book loads a script or stylesheet from another host.

The book must render offline, so every <script src> and <link rel=stylesheet>
a page includes has to be one of the site's own files. This extension

* drops the Google Fonts stylesheet jupyterlite-sphinx adds to every page
  (it only styles that extension's embedding directives, which the book does
  not use; we use jupyterlite-sphinx to build the JupyterLite site);
* removes duplicate copies of the same script (sphinx-thebe registers its
  inline configuration twice in a Jupyter Book build);
* warns about any other script or stylesheet with a URL (http://, https://,
  //host) when a page is written. `make book` builds with -W, so such a page
  fails the build instead of silently needing the network.

Links a reader clicks (launch buttons, citations) are not assets and are
allowed; so is the Thebe bundle, which sphinx-thebe fetches only when the
reader presses "Live Code".
"""
from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

# Decorative assets of extensions whose features the book does not use.
DROPPED = {"https://fonts.googleapis.com/css?family=Vibur"}


def _is_remote(filename: str | None) -> bool:
    return bool(filename) and ("://" in filename or filename.startswith("//"))


def drop_unused_remote_css(app: Sphinx) -> None:
    # The HTML builder copies the registry's list again before writing, so
    # filter both.
    app.registry.css_files[:] = [(f, a) for f, a in app.registry.css_files if f not in DROPPED]
    css_files = getattr(app.builder, "_css_files", None)
    if css_files is not None:
        css_files[:] = [css for css in css_files if css.filename not in DROPPED]


def _asset_key(asset):
    attributes = getattr(asset, "attributes", {})
    return (str(getattr(asset, "filename", asset) or ""), tuple(sorted((k, str(v)) for k, v in attributes.items())))


def check_page_assets(app: Sphinx, pagename, templatename, context, doctree) -> None:
    # sphinx-thebe registers its inline configuration (`const THEBE_JS_URL = ...`)
    # each time the environment is read, and a page that declares the same
    # const twice throws a SyntaxError. Keep one copy of each identical asset.
    for key in ("css_files", "script_files"):
        assets, seen = context.get(key, []), set()
        unique = [a for a in assets if not (_asset_key(a) in seen or seen.add(_asset_key(a)))]
        assets[:] = unique
    for key in ("css_files", "script_files"):
        for asset in context.get(key, []):
            filename = getattr(asset, "filename", asset)
            if filename in DROPPED:
                continue
            if _is_remote(str(filename)):
                logger.warning(
                    "page %s loads %s from another host; serve it from the site "
                    "(see tools/site/) so the book works offline", pagename, filename,
                    location=pagename, type="offline_assets",
                )


def setup(app: Sphinx):
    app.connect("builder-inited", drop_unused_remote_css)
    # Late, after myst-nb and the theme have added their per-page files.
    app.connect("html-page-context", check_page_assets, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
