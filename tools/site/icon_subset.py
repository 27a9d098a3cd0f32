"""Sphinx extension: the theme's icon script keeps only the icons the site uses.

pydata-sphinx-theme draws its icons (menu, search, download, full screen, light and
dark mode, ...) with Font Awesome's SVG script, _static/scripts/fontawesome.js:
1.5 MB (540 kB with gzip) on every page's first visit, almost all of it the
definitions of some 2,000 icons the book never shows. After the build this extension
rewrites the copy in the output so that each of its three icon packs (brands,
regular, solid) defines only the icons named somewhere in the built pages or in the
site's own scripts and stylesheets (a class ``fa-NAME``, or one of an icon's
aliases); the library part of the script is left as it is, so every icon the pages
use is drawn exactly as before. The icon packs are the objects ``var p={...}``
that the script registers with ``d("fab", p)``, ``d("far", p)`` and ``d("fas", p)``.

The theme's stylesheet also draws a few icons (admonitions, previous/next arrows,
external links) with Font Awesome's web fonts, 156 kB for the solid one, which no
host can compress further. Each font is cut down to the glyphs the site's
stylesheets name (private-use characters, written as themselves or as ``\\f0c9``
escapes), saved as WOFF next to the original, and the theme's @font-face rule
points at the subset.
"""
from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

SCRIPT = Path("_static") / "scripts" / "fontawesome.js"
_PACK = re.compile(r"var p=\{")
_KEY = re.compile(r'(?:"([^"]+)"|([A-Za-z0-9_$]+)):\[')
_USED = re.compile(r"\bfa-([a-z0-9]+(?:-[a-z0-9]+)*)")


def _value_end(text: str, i: int) -> int:
    """Index just past the array that starts at text[i] == '['."""
    depth, in_string = 0, False
    while i < len(text):
        ch = text[i]
        if in_string:
            if ch == "\\":
                i += 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unterminated icon definition in the icon script")


def pack_entries(body: str) -> list[tuple[str, list[str], str]]:
    """(name, aliases, source text) of each icon in a pack's object body ``name:[...],...``."""
    entries, i = [], 0
    while i < len(body):
        m = _KEY.match(body, i)
        if not m:
            raise ValueError(f"unexpected text in the icon script at {body[i:i + 40]!r}")
        name = m.group(1) or m.group(2)
        end = _value_end(body, m.end() - 1)
        value = body[m.end() - 1:end]
        aliases_m = re.match(r"\[\d+,\d+,\[([^\]]*)\]", value)
        aliases = re.findall(r'"([^"]+)"', aliases_m.group(1)) if aliases_m else []
        entries.append((name, aliases, body[i:end]))
        i = end + 1 if end < len(body) and body[end] == "," else end
    return entries


def subset_script(script: str, used: set[str]) -> tuple[str, int, int]:
    """The script with every pack reduced to the icons in ``used``; (script, kept, total)."""
    out, pos, kept, total = [], 0, 0, 0
    for m in _PACK.finditer(script):
        start = m.end()
        end = script.find("]};", start) + 1  # the pack's closing brace
        if end <= 0:
            raise ValueError("icon pack without its end (']};') in the icon script")
        entries = pack_entries(script[start:end])
        keep = [src for name, aliases, src in entries if name in used or used.intersection(aliases)]
        total += len(entries)
        kept += len(keep)
        out.append(script[pos:start])
        out.append(",".join(keep))
        pos = end
    out.append(script[pos:])
    text = "".join(out)
    return re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", text), kept, total


def used_icons(outdir: Path) -> set[str]:
    """Every ``fa-NAME`` in the built pages and in the theme's and the book's scripts: the
    icons a page can show. Not the stylesheets (the theme's names every icon, for the web
    font), the icon script itself, the widget manager's and JupyterLite's own copies."""
    used = set()
    files = list(outdir.glob("**/*.html")) + list((outdir / "_static").rglob("*.js"))
    for path in files:
        rel = path.relative_to(outdir).parts
        if path.name == SCRIPT.name or rel[0] in ("lite", "_vendor") or "vendor" in rel:
            continue
        used.update(_USED.findall(path.read_text(encoding="utf-8", errors="replace")))
    return used


STYLES = Path("_static") / "styles" / "pydata-sphinx-theme.css"
_FONT_FACE = re.compile(r'src:url\((?P<dir>[^)]*/)(?P<name>fa-[a-z]+-\d+)\.woff2\) format\("woff2"\),'
                        r'url\([^)]*\.ttf\) format\("truetype"\)')
_PRIVATE = re.compile("[\ue000-\uf8ff]")
_ESCAPE = re.compile(r"\\(f[0-9a-fA-F]{3}|e[0-9a-fA-F]{3})\b")


_CLASS_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:{1,2}(?:before|after),?)+)\{content:"([^"]*)"\}')


def _points(text: str) -> set[int]:
    return {ord(ch) for ch in _PRIVATE.findall(text)} | {int(h, 16) for h in _ESCAPE.findall(text)}


def css_glyphs(outdir: Path, used: set[str]) -> set[int]:
    """Code points of the icon glyphs the site's stylesheets draw: every private-use character
    outside Font Awesome's own class rules (``.fa-bars:before{content:"..."}``), plus the
    glyphs of the class rules of the icons in ``used``."""
    points = set()
    for path in (outdir / "_static").rglob("*.css"):
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in _CLASS_RULE.finditer(text):
            names = set(re.findall(r"\.fa-([a-z0-9-]+):", m.group(1)))
            if names & used:
                points |= _points(m.group(2))
        points |= _points(_CLASS_RULE.sub("", text))
    return points


def subset_webfonts(outdir: Path, used: set[str]) -> list[str]:
    """Subset every Font Awesome web font the theme's stylesheet loads; returns what was done."""
    from fontTools import subset

    css_file = outdir / STYLES
    if not css_file.is_file():
        return []
    css, points, done = css_file.read_text(encoding="utf-8"), css_glyphs(outdir, used), []
    if not points:
        return []

    def replace(m):
        font_dir = (css_file.parent / m.group("dir")).resolve()
        ttf = font_dir / f"{m.group('name')}.ttf"
        if not ttf.is_file():
            return m.group(0)
        out = font_dir / f"{m.group('name')}.subset.woff"
        options = subset.Options()
        options.flavor = "woff"
        options.layout_features = ["*"]
        font = subset.load_font(str(ttf), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(points))
        subsetter.subset(font)
        subset.save_font(font, str(out), options)
        done.append(f"{ttf.name} {ttf.stat().st_size} -> {out.name} {out.stat().st_size} bytes")
        return f'src:url({m.group("dir")}{out.name}) format("woff")'

    css_file.write_text(_FONT_FACE.sub(replace, css), encoding="utf-8")
    return done


def subset_icons(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / SCRIPT
    if not target.is_file():
        return
    script = target.read_text(encoding="utf-8")
    if not _PACK.search(script):
        logger.warning("icon_subset: %s has no icon packs (var p={...}); the theme changed, see "
                       "tools/site/icon_subset.py", SCRIPT, type="icon_subset")
        return
    used = used_icons(Path(app.outdir))
    text, kept, total = subset_script(script, used)
    target.write_text(text, encoding="utf-8")
    logger.info("icon_subset: kept %d of %d icons (%d -> %d bytes)", kept, total, len(script), len(text))
    for line in subset_webfonts(Path(app.outdir), used):
        logger.info("icon_subset: %s", line)


def setup(app: Sphinx):
    app.connect("build-finished", subset_icons)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
