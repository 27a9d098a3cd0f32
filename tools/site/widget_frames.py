"""Sphinx extension: the explorables' precomputed figures become image files, fetched only when shown.

An explorable (lstm.book.explorable) stores every figure of its grid in the chapter's saved
widget state, base64 inside the page: a chapter with a few explorables carried 1-2 MB
of pictures that do not compress, whether or not a reader ever moved a slider. After the
pages are written, this extension moves the picture of every image widget of every page
into a file of its own, ``_images/frames/<hash>.<png|svg>``, and leaves in the state the
file's address instead (ipywidgets' ``format="url"``, whose view sets the <img>'s src to
that address). A Stack renders only its selected child, so a page now fetches the figures
it shows, and the one a control selects when the reader moves it. Equal figures share one
file (the name is a hash of the bytes), so a figure a page repeats is fetched once.

The recorded text chunks stay in the file (alternative text, font size, width: see
lstm.book.plots.image_metadata), so _static/book.js and the site test read them as before.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from pathlib import Path

from sphinx.application import Sphinx

#: Where the figures go, inside the HTML output.
FRAMES_DIR = Path("_images") / "frames"
_STATE = re.compile(r'(<script type="application/vnd\.jupyter\.widget-state\+json">)(.*?)(</script>)', re.S)
_SKIP = {"_static", "_vendor", "_sources", "_images", "lite", "jupyter_execute"}
_EXTENSIONS = {"png": ".png", "svg+xml": ".svg", "jpeg": ".jpg", "gif": ".gif", "webp": ".webp"}


def move_frames(state: dict, page: Path, outdir: Path) -> int:
    """Write every base64 image of a saved widget ``state`` (the dict of the page's
    widget-state script) to ``outdir/FRAMES_DIR`` and refer to it by its address relative to
    ``page``, in place. Returns how many images were moved."""
    models = state.get("state")
    if not isinstance(models, dict):
        raise ValueError(f"{page}: the widget state has no 'state' mapping of models")
    moved = 0
    for model in models.values():
        fmt = model.get("state", {}).get("format")
        if model.get("model_name") != "ImageModel" or fmt not in _EXTENSIONS:
            continue
        for buffer in model.get("buffers", []):
            if buffer.get("path") != ["value"] or buffer.get("encoding") != "base64":
                continue
            data = base64.b64decode(buffer["data"])
            name = hashlib.sha256(data).hexdigest()[:20] + _EXTENSIONS[fmt]
            target = outdir / FRAMES_DIR / name
            if not target.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            url = Path(os.path.relpath(target, page.parent)).as_posix()
            buffer["data"] = base64.b64encode(url.encode("utf-8")).decode("ascii")
            model["state"]["format"] = "url"
            moved += 1
    return moved


def rewrite_page(page: Path, outdir: Path) -> int:
    """Move the figures of one written HTML page's widget state to files; returns how many."""
    html = page.read_text(encoding="utf-8")
    total = 0

    def replace(match):
        nonlocal total
        state = json.loads(match.group(2))
        total += move_frames(state, page, outdir)
        # "</" escaped, so no string in the state can close the <script>
        text = json.dumps(state, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")
        return match.group(1) + text + match.group(3)

    new = _STATE.sub(replace, html)
    if total:
        page.write_text(new, encoding="utf-8")
    return total


def frames_to_files(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in sorted(outdir.rglob("*.html")):
        if page.relative_to(outdir).parts[0] in _SKIP:
            continue
        rewrite_page(page, outdir)


def setup(app: Sphinx):
    app.connect("build-finished", frames_to_files)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
