"""Sphinx extension: figures get their alternative text, load lazily, and phones get their variant.

A figure a chapter shows with ``lstm.book.plots.show(fig, alt=...)`` is a PNG that
records, in its text chunks, its alternative text, smallest font size, width, and
whether it is the wide or the narrow (stacked, for phones) variant of a figure
(``lstm.book.plots.image_metadata``). myst-nb writes the PNG to a file and the page
shows it with an <img>, but has no way to take an image's alternative text from the
output. This extension reads the record back when a page is written and

* puts the alternative text on the <img> (an SVG diagram's <title> likewise);
* gives a figure that records none (a figure shown without ``plots.show(fig, alt=...)``)
  the alternative text of its code cell's ``# alt:`` comment: the cell's k-th comment
  goes to its k-th figure (a wide and narrow pair counts as one). The source is read
  from the notebook itself, by the cell's index, so ``remove-input`` cells (whose
  source is not in the page) work too. A figure with neither keeps no alternative
  text, and the site test fails it;
* marks the variants ``lstm-fig-wide`` / ``lstm-fig-narrow``, which _static/book.css
  shows on wide and narrow screens respectively;
* makes every image load lazily, so a page loads only the
  images a reader scrolls to, and only the variant the screen shows (the browser
  does not fetch a lazy image that is not displayed).

The site test (tests/site/check_site.py) reads the same record to check that the
text of each figure is legible at the width it is shown.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

#: The PNG text chunks lstm.book.plots writes (kept in step with plots.META_*).
META_ALT, META_VARIANT = "Description", "lstm-variant"
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def png_text_chunks(data: bytes) -> dict[str, str]:
    """The tEXt chunks of a PNG (keyword -> text); {} for anything else."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return {}
    out, i = {}, 8
    while i + 8 <= len(data):
        length = int.from_bytes(data[i:i + 4], "big")
        kind = data[i + 4:i + 8]
        body = data[i + 8:i + 8 + length]
        if kind == b"tEXt" and b"\0" in body:
            key, _, value = body.partition(b"\0")
            out[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt" and b"\0" in body:
            key, _, rest = body.partition(b"\0")
            # compression flag, method, language tag \0, translated keyword \0, text
            if rest[:1] == b"\0":
                parts = rest[2:].split(b"\0", 2)
                if len(parts) == 3:
                    out[key.decode("latin-1")] = parts[2].decode("utf-8", "replace")
        elif kind == b"IDAT":
            break
        i += 12 + length
    return out


# The parser lives in the package, which also reads an explorable's comment while its cell runs.
from lstm.book.figure_image import alt_comments  # noqa: E402


def _cell_sources(app: Sphinx, docname: str) -> list[str] | None:
    """The source of each cell of the page's notebook, by index (None for a page that is not one)."""
    try:
        path = Path(app.env.doc2path(docname))
    except Exception:  # a bare namespace in tests, or a page Sphinx does not know
        return None
    if path.suffix != ".ipynb" or not path.is_file():
        return None
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    return ["".join(c["source"]) if isinstance(c.get("source"), list) else c.get("source", "") for c in cells]


def _cell_source(cell, sources) -> str:
    index = cell.get("cell_index")
    if sources is not None and isinstance(index, int) and 0 <= index < len(sources):
        return sources[index]
    # not a notebook on disk: the source shown in the page, if any
    return "\n".join(block.astext() for block in cell.findall(nodes.literal_block)
                     if "cell_input" in block.parent.get("classes", []))


def _figures(cell) -> list[list]:
    """The cell's output images grouped into figures: a narrow variant joins the figure before it."""
    groups = []
    for node in cell.findall(nodes.image):
        if "lstm-fig-narrow" in node.get("classes", []) and groups:
            groups[-1].append(node)
        else:
            groups.append([node])
    return groups


def alt_from_comments(app: Sphinx, doctree, docname) -> None:
    sources = None
    for cell in doctree.findall(nodes.container):
        if cell.get("nb_element") != "cell_code":
            continue
        if sources is None:
            sources = _cell_sources(app, docname) or []
        texts = alt_comments(_cell_source(cell, sources or None))
        for text, figure in zip(texts, _figures(cell)):
            for node in figure:
                if not node.get("alt"):
                    node["alt"] = text


def _image_file(app: Sphinx, node) -> Path | None:
    candidates = [node.get("candidates", {}).get("*"), node.get("uri")]
    for c in candidates:
        if not c:
            continue
        for path in (Path(app.srcdir) / c, Path(c)):
            if path.is_file():
                return path
    return None


def describe_images(app: Sphinx, doctree, docname) -> None:
    for node in doctree.findall(nodes.image):
        path = _image_file(app, node)
        if path is None:
            continue
        if path.suffix.lower() == ".png":
            meta = png_text_chunks(path.read_bytes())
            if not node.get("alt") and meta.get(META_ALT):
                node["alt"] = meta[META_ALT]
            variant = meta.get(META_VARIANT)
            if variant in ("wide", "narrow"):
                # no-scaled-link: Sphinx would wrap a sized image in a link to its file, and the
                # link stays on the page when book.css hides the variant the screen does not show,
                # a link with no name (axe: link-name)
                node["classes"] = list(node.get("classes", [])) + [f"lstm-fig-{variant}", "no-scaled-link"]
        elif path.suffix.lower() == ".svg" and not node.get("alt"):
            m = _TITLE.search(path.read_text(encoding="utf-8", errors="replace"))
            if m and m.group(1).strip():
                node["alt"] = " ".join(html.unescape(m.group(1)).split())
        node["loading"] = "lazy"
    # after the recorded alt text, so that a figure's own alt text wins over its cell's comment
    alt_from_comments(app, doctree, docname)


def setup(app: Sphinx):
    app.connect("doctree-resolved", describe_images)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
