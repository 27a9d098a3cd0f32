"""The built website works in a real browser with no network, and reads cleanly at 1280 px and 390 px.

Run after the book is built (`make site-test`; it needs _build/html):

    .venv/bin/python -m pytest tests/site/check_site.py

The file name does not match test_*.py on purpose: the default `pytest tests`
run (no built site, no browser) does not collect it; naming it on the command
line does.

The site is served on a loopback port and opened in Debian's Chromium
(`/usr/bin/chromium`, headless) through Playwright, which never downloads a
browser here. Every request to a host other than 127.0.0.1 is blocked and
recorded, so the test proves the pages need no CDN, and nothing leaves the
machine. The launch buttons (Binder, Colab, JupyterLite, Live Code) are links
the test never clicks.

Per page, at 1280 px (test_page_renders_offline): no console error, no
uncaught exception, no failed or HTTP-error request, no request to a
non-loopback host; on pages with math, MathJax typeset it; on pages with saved
widget state, every widget view rendered, with its sliders and figures; and
every control (slider, dropdown, checkbox, toggle buttons, radio buttons,
button) changes its figure when moved, compared by the images' bytes and the
outputs' text before and after, unless it sits in a box that says it needs a
live kernel (lstm.book.widgets.needs_kernel), which must then link to the
chapter in JupyterLite. Screenshots of every chapter go to _build/screenshots/.

Per page and per window width, 1280 px (a laptop) and 390 px (a phone), one
test per class of defect, so a failure names the page, the width and the check
(e.g. test_equations_fit_the_column[390-book/05_bptt.html]) and lists each
element with its size:

- test_no_raw_markup: no Markdown or TeX left in the rendered text: `$$`,
  `\\(`, `\\[`, `\\frac`-like commands outside math and code, table rows
  (`| a | b |`, `|---|`), `**`; in text outputs of cells, table syntax and TeX
  delimiters; and no `NBVAL_` marker in any code cell (use the cell tag
  `nbval-check-output` instead, which nbval reads and readers do not see).
- test_equations_fit_the_column: every display equation is at most as wide as
  the text column (MathJax's box neither scrolls nor sticks out).
- test_code_fits_the_column: no code cell, and no text output, needs sideways
  scrolling (book.css wraps long lines; an overflow means a line that cannot
  wrap). Failing rather than counting: a reader on a phone cannot read a cut
  line at all, and the stylesheet makes zero achievable.
- test_page_does_not_scroll_sideways: nothing makes the whole page wider than
  the window.
- test_no_punctuation_alone_on_a_line: no "." or "," after inline maths wraps
  onto a line of its own (_static/book.js keeps the two together).
- test_images_load_and_are_legible: every visible image loaded (naturalWidth >
  0) and is not squashed (its shown height follows its shown width); at 1280 px, none is shown at less than LEGIBLE_SCALE of
  its 1x size (its size in inches times 96 px, from the PNG's pHYs dpi or the
  SVG's own size), so text drawn at 10 pt shows at 10 px or more.

- test_tables_fit: at 1280 px no table is wider than its room (the text column,
  688 px, or its scrolling box): nothing scrolls or clips; at 390 px a wider
  table scrolls inside a box that a keyboard can reach, with a visible cue
  above it (_static/book.js adds both; lstm.book.tables puts the key column first).
- test_figure_text_is_legible: the smallest text of every figure, as shown, is
  at least 11 CSS px at 1280 px and 9 px at 390 px (MIN_FIGURE_TEXT_PX). A PNG
  drawn by lstm.book.plots.show records its smallest font size and its width
  (lstm.book.plots.image_metadata); a PNG without that record fails. An SVG's
  labels are read from the drawing (font sizes over its viewBox, times its shown
  width); an SVG inline in the page is measured in the DOM.

Per page at 1280 px, from the same page load (the page is scrolled through, so
lazy images load):

- test_no_plumbing_on_the_page: no visible code cell shows table, figure or
  widget building (`show(`, `display(`, `.box`), input validation (calls of
  `validate...(`/`check...(`, `raise ValueError`), size reports (`nbytes`, `widget_bytes`) or `glue(`; no
  output says a widget "adds N MB"; no function's source is listed twice.
- test_images_say_what_they_show: every visible image has alternative text that
  is not its file name (axe accepts the path docutils writes when there is none).
- test_accessibility: axe-core (tools/site/node_modules, pinned in
  package-lock.json, injected from the local file) finds no serious or critical
  violation, with the experimental label-content-name-mismatch rule on.
- test_first_visit_weight (chapters): everything the chapter fetches as a reader
  scrolls through it, with gzip for text files as a static host serves them and
  images and fonts as they are, is at most FIRST_VISIT_BYTES (2.5 MB);
  test_next_chapter_weight: what a chapter fetches beyond the chapter before it
  is at most NEXT_CHAPTER_BYTES (1 MB).

Every page's numbers (smallest figure text at each width, figures without a size record,
tables too wide, images without alternative text, first-visit and next-chapter weight with gzip)
go to _build/site_measurements.json (SITE_MEASUREMENTS), to compare one build with another.
An entry of KNOWN_DEFECTS is a strict expected failure: it fails the run once its check passes.

Without a browser, on the built files: every chapter's heading, <title> and
link in the navigation carry its number, from 0 as the files are
(test_chapter_numbers); every internal link and #anchor resolves, no <script>/<link>/<img> points to another host, every chapter has
a JupyterLite button (its copy installs the lstm wheel first), and Binder,
Colab and Live Code buttons exactly when the site was built with a repository,
and every page weighs at most lstm.book.widgets.PAGE_BUDGET_BYTES (its HTML
with the saved widget state, plus the images it loads; the scripts and styles
all pages share are not counted).
"""
from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import re
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pytest
import yaml

from helpers.browser import chromium_context
from lstm.book.widgets import LEGIBLE_SCALE, PAGE_BUDGET_BYTES

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("SITE_DIR", ROOT / "_build" / "html"))
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "_build" / "screenshots"))
# Folders of the output that hold assets or other apps, not book pages.
NOT_PAGES = {"_static", "_vendor", "_sources", "_images", "lite", "jupyter_execute"}
WIDGET_STATE = 'script[type="application/vnd.jupyter.widget-state+json"]'
WIDGET_VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]'


def book_pages():
    if not (SITE / "index.html").is_file():
        return []
    pages = []
    for path in sorted(SITE.rglob("*.html")):
        rel = path.relative_to(SITE)
        if rel.parts[0] in NOT_PAGES:
            continue
        pages.append(rel.as_posix())
    return pages


PAGES = book_pages()
CHAPTERS = [p for p in PAGES if re.match(r"book/\d\d_", p)]


def test_site_is_built():
    assert (SITE / "index.html").is_file(), f"{SITE} has no index.html: build the book first (make book)"
    assert CHAPTERS, f"no chapter pages (book/NN_*.html) under {SITE}"


# ---------------------------------------------------------------------------
# Internal links, checked on the files (no browser, no network).


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.hrefs = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "a" and key == "src"):
                self.hrefs.append((tag, attrs[key]))


@functools.lru_cache(maxsize=None)
def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("page", PAGES)
def test_internal_links_resolve(page):
    """Every relative href/src points at an existing file, and #fragments at an existing id."""
    broken = []
    for tag, href in _parse(SITE / page).hrefs:
        scheme = urlparse(href).scheme
        if scheme or href.startswith("//"):
            continue  # external (launch buttons, citations' DOIs): not followed here
        target, fragment = urldefrag(urljoin(page, href))
        target = unquote(target.split("?")[0]) or page
        file = SITE / target
        if file.is_dir():
            file = file / "index.html"
        if not file.is_file():
            broken.append(f"<{tag}> {href}: no file {target}")
        elif fragment and file.suffix == ".html" and unquote(fragment) not in _parse(file).ids:
            broken.append(f"<{tag}> {href}: no id {fragment!r} in {target}")
    assert not broken, "broken internal links on " + page + ":\n" + "\n".join(broken)


@pytest.mark.parametrize("page", PAGES)
def test_no_outside_scripts_or_styles(page):
    """No <script src> or <link href> (stylesheet, font, preload) points off the site."""
    outside = [
        href for tag, href in _parse(SITE / page).hrefs
        if tag in ("script", "link", "img") and (urlparse(href).scheme in ("http", "https") or href.startswith("//"))
    ]
    assert not outside, f"{page} loads from outside hosts: {outside}"


# Launchers that open a chapter from the book's public repository; the site
# has them only when it was built with one (make book REPOSITORY=...).
REPOSITORY_LAUNCHERS = {
    "Binder": "https://mybinder.org/v2/gh/",
    "Colab": "https://colab.research.google.com/github/",
}
JUPYTERLITE = "../lite/lab/index.html?path="


def _site_repository() -> str | None:
    """The repository URL the site was built with (from its generated config), or None."""
    config_file = ROOT / "_build" / "site" / "_config.yml"
    if not config_file.is_file():
        return None
    config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    return (config.get("repository") or {}).get("url")


@pytest.mark.parametrize("page", CHAPTERS)
def test_chapter_launch_buttons_lead_somewhere(page):
    """A JupyterLite link to this chapter always; Binder, Colab and Live Code only with a repository.

    Only the links are checked; the test never follows them (they leave the machine,
    except JupyterLite, whose app, copy of the notebook and lstm wheel are checked
    to exist, with the install cell first in the copy).
    """
    html = (SITE / page).read_text(encoding="utf-8")
    notebook = page.replace(".html", ".ipynb")
    hrefs = [href for _, href in _parse(SITE / page).hrefs]
    repository = _site_repository()
    for name, prefix in REPOSITORY_LAUNCHERS.items():
        links = [h for h in hrefs if h.startswith(prefix)]
        if repository:
            owner_name = repository.rstrip("/").split("github.com/")[-1]
            assert any(owner_name in h and h.endswith(notebook) for h in links), \
                f"{page}: no {name} launch link to {notebook} in {repository}"
        else:
            assert not links, f"{page}: {name} button without a repository: {links}"
    assert ("initThebeSBT()" in html) == bool(repository), \
        f"{page}: Live Code (Thebe) button {'missing' if repository else 'present without a repository'}"
    if (SITE / "lite").is_dir():
        assert [h for h in hrefs if h.startswith(JUPYTERLITE) and h.endswith(notebook)], \
            f"{page}: no JupyterLite launch link to {notebook}"
        assert (SITE / "lite" / "lab" / "index.html").is_file()
        copy = SITE / "lite" / "files" / notebook
        assert copy.is_file(), f"JupyterLite has no copy of {notebook}"
        first = json.loads(copy.read_text(encoding="utf-8"))["cells"][0]
        assert "%pip install -q lstm-from-scratch" in "".join(first["source"]), \
            f"JupyterLite's {notebook} does not install the lstm package first"
        assert list((SITE / "lite" / "pypi").glob("lstm_from_scratch-*.whl")), "no lstm wheel in JupyterLite"


def page_weight(page: str) -> tuple[int, dict[str, int]]:
    """Bytes of the page's HTML (saved widget state included) plus every local image it loads."""
    sizes = {page: (SITE / page).stat().st_size}
    for tag, href in _parse(SITE / page).hrefs:
        if tag != "img" or urlparse(href).scheme or href.startswith("//"):
            continue
        file = SITE / unquote(urldefrag(urljoin(page, href))[0])
        if file.is_file():
            sizes[file.relative_to(SITE).as_posix()] = file.stat().st_size
    return sum(sizes.values()), sizes


@pytest.mark.parametrize("page", PAGES)
def test_page_weight_within_budget(page):
    """A page (HTML, widget figures, images) stays under the budget lstm.book.widgets states."""
    total, sizes = page_weight(page)
    biggest = sorted(sizes.items(), key=lambda kv: -kv[1])[:5]
    assert total <= PAGE_BUDGET_BYTES, (
        f"{page} weighs {total / 1e6:.2f} MB, over the {PAGE_BUDGET_BYTES / 1e6:.1f} MB budget; biggest: "
        + ", ".join(f"{n} {b / 1e6:.2f} MB" for n, b in biggest))


# ---------------------------------------------------------------------------
# In the browser.


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def server():
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    with chromium_context(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


class PageLog:
    """Everything that went wrong while a page loaded."""

    def __init__(self):
        self.console_errors, self.page_errors = [], []
        self.failed, self.outside = [], []
        self.requests = []  # every URL the page fetched (routing disables the browser's cache)

    def problems(self):
        return {k: v for k, v in vars(self).items() if v and k != "requests"}


def _is_loopback(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname == "127.0.0.1"


def open_page(context, url: str, viewport: dict | None = None):
    log = PageLog()
    page = context.new_page()
    if viewport:
        page.set_viewport_size(viewport)

    def route(r):
        if _is_loopback(r.request.url):
            log.requests.append(r.request.url)
            r.continue_()
        else:
            log.outside.append(r.request.url)
            r.abort("blockedbyclient")

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and log.console_errors.append(f"{m.text} @ {m.location}"))
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    page.on("requestfailed", lambda r: _is_loopback(r.url) and log.failed.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and log.failed.append(f"{r.url}: HTTP {r.status}"))
    page.on("websocket", lambda ws: log.outside.append(ws.url))
    page.goto(url, wait_until="load", timeout=90_000)
    page.wait_for_load_state("networkidle", timeout=90_000)  # generous: CI machines can be busy
    return page, log


def wait_for_mathjax(page):
    page.wait_for_function(
        "() => window.MathJax && MathJax.startup && MathJax.startup.promise"
        " && MathJax.startup.document && MathJax.startup.document.processed !== undefined",
        timeout=30_000,
    )
    page.evaluate("() => MathJax.startup.promise")


def has_math(page) -> bool:
    return page.locator(".math").count() > 0


def widget_state(page):
    if page.locator(WIDGET_STATE).count() == 0:
        return {}
    return json.loads(page.locator(WIDGET_STATE).first.text_content())["state"]


WIDTHS = (1280, 390)  # a laptop window and a phone (CSS px)
# LEGIBLE_SCALE (lstm.book.widgets, 0.75): at 1280 px, an image shown at less than this fraction of
# its 1x size (inches x 96 px) shrinks 10 pt text under 10 px: illegible next to the book's text.
#: Classes lstm.book.widgets gives its boxes.
EXPLORABLE, NEEDS_KERNEL = ".lstm-explorable", ".lstm-needs-kernel"
#: Every kind of control a reader can move or press.
CONTROLS = (".widget-slider, .widget-dropdown, .widget-checkbox, .widget-toggle-buttons, .widget-radio-box,"
            " .jupyter-widgets.widget-toggle-button, .jupyter-widgets.jupyter-button:not(.widget-toggle-button)")


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_offline(browser_context, server, name):
    page, log = open_page(browser_context, server + name)
    try:
        if has_math(page):
            wait_for_mathjax(page)
            assert page.locator("mjx-container").count() > 0, f"{name}: math not typeset"
            text = page.locator("article").inner_text()
            for raw in ("$$", "\\begin{", "\\[", "\\("):
                assert raw not in text, f"{name}: raw TeX {raw!r} left on the page"

        state = widget_state(page)
        if state:
            check_widgets(page, name, state)
        page.wait_for_load_state("networkidle")
        if name in CHAPTERS:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            stem = Path(name).stem
            page.evaluate("() => window.scrollTo(0, 0)")
            page.screenshot(path=str(SCREENSHOTS / f"{stem}-top.png"))
            page.screenshot(path=str(SCREENSHOTS / f"{stem}.png"), full_page=True)
            if state:
                widget = page.locator(".jupyter-widgets.widget-slider, .widget-slider").first
                if widget.count():
                    widget.scroll_into_view_if_needed()
                    page.screenshot(path=str(SCREENSHOTS / f"{stem}-widget.png"))
        assert not log.problems(), f"{name}: {json.dumps(log.problems(), indent=1)}"
    finally:
        page.close()


def check_widgets(page, name, state):
    """Every saved widget view rendered; sliders and figures are there; every control responds."""
    views = page.locator(WIDGET_VIEW)
    n_views = views.count()
    assert n_views > 0, f"{name}: widget state saved but no widget view on the page"
    # embed-amd renders each view into an element next to its script tag.
    page.wait_for_function(
        f"n => document.querySelectorAll('{WIDGET_VIEW}').length === n && "
        "[...document.querySelectorAll('" + WIDGET_VIEW + "')].every("
        "s => s.previousElementSibling && s.previousElementSibling.querySelector('.jupyter-widgets, .widget-output')"
        " || s.parentElement.querySelector('.jupyter-widgets'))",
        arg=n_views, timeout=30_000,
    )
    errors = page.locator(".jupyter-widgets .widget-error, .jupyter-widgets-error-widget")
    assert errors.count() == 0, f"{name}: {errors.count()} widget views failed: {errors.first.inner_text()[:300]}"
    models = {k: v["model_name"] for k, v in state.items()}
    # Sliders inside a Stack are rendered only when their child is selected.
    n_sliders = sum(m.endswith("SliderModel") for m in models.values())
    if n_sliders:
        assert page.locator(".widget-slider").count() >= 1, f"{name}: no slider rendered"
    n_outputs = sum(m == "OutputModel" for m in models.values())
    outputs = page.locator(".widget-output")
    assert outputs.count() == n_outputs, f"{name}: {outputs.count()} output widgets rendered, {n_outputs} saved"
    for k in range(outputs.count()):
        out = outputs.nth(k)
        assert out.locator("img").count() >= 1 or out.inner_text().strip(), f"{name}: output widget {k} is empty"
    figures = page.locator(".widget-output img, .widget-image")
    if n_outputs or any(m == "ImageModel" for m in models.values()):
        assert figures.count() >= 1, f"{name}: no figure inside the widgets"
        for k in range(figures.count()):
            img = figures.nth(k)
            if not img.is_visible():
                # the phone's variant of an explorable's figure, hidden on a wide screen (or the
                # wide one on a phone): the variant the screen shows is checked instead
                classes = img.get_attribute("class") or ""
                assert "lstm-fig-narrow" in classes or "lstm-fig-wide" in classes, (
                    f"{name}: widget figure {k} is hidden ({classes})")
                continue
            img.scroll_into_view_if_needed()
            loaded = img.evaluate("el => el.complete && el.naturalWidth > 0")
            assert loaded, f"{name}: widget figure {k} did not load"
    n_explorables = sum("lstm-explorable" in v.get("state", {}).get("_dom_classes", []) for v in state.values())
    boxes = page.locator(EXPLORABLE)
    assert boxes.count() == n_explorables, f"{name}: {boxes.count()} explorables rendered, {n_explorables} saved"
    check_kernel_notes(page, name)
    dead = check_controls(page, name)
    if dead:
        pytest.fail(
            f"{name}: {len(dead)} control(s) change nothing on the static page; precompute their figures "
            "(lstm.book.widgets.explorable) or put them in lstm.book.widgets.needs_kernel(...):\n  "
            + "\n  ".join(dead),
            pytrace=False)


def check_kernel_notes(page, name):
    """A box of controls that need a kernel says so and links to the chapter in JupyterLite."""
    notebook = Path(name).with_suffix(".ipynb").as_posix()
    for k, box in enumerate(page.locator(NEEDS_KERNEL).all()):
        assert "needs a live kernel" in box.inner_text().lower(), f"{name}: kernel box {k} has no visible note"
        hrefs = [a.get_attribute("href") for a in box.locator("a.lstm-live-button").all()]
        assert any(h and h.endswith("?path=" + notebook) for h in hrefs), (
            f"{name}: kernel box {k} has no JupyterLite link to {notebook}: {hrefs}")


# A fingerprint of what a control could change: the bytes of each visible image
# (blob URLs differ per image widget even for equal pictures) and the text of
# each output widget, within the control's explorable or else its cell's output.
SNAPSHOT_JS = """
async (control) => {
  const scope = control.closest('.lstm-explorable') || control.closest('.cell_output')
    || control.closest('.output') || control.parentElement;
  const hash = (bytes) => { let h = 2166136261; for (const b of bytes) { h = Math.imul(h ^ b, 16777619) >>> 0; }
                            return h.toString(16) + ':' + bytes.length; };
  const parts = [];
  for (const img of scope.querySelectorAll('img')) {
    if (img.offsetParent === null) continue;
    try { parts.push('img ' + hash(new Uint8Array(await (await fetch(img.src)).arrayBuffer()))); }
    catch (e) { parts.push('img? ' + img.src); }
  }
  for (const out of scope.querySelectorAll('.widget-output')) parts.push('out ' + out.innerText);
  return parts.join('|');
}
"""

LABEL_JS = """
(el) => {
  const clean = (t) => (t || '').replace(/[\\u200b\\s]+/g, ' ').trim();
  const label = el.querySelector('.widget-label, label');
  const text = clean(label && label.innerText) || clean(el.innerText).slice(0, 40);
  const kind = [...el.classList].find(c => c.startsWith('widget-') && c !== 'widget-inline-hbox') || el.tagName;
  return kind + ' ' + JSON.stringify(text.slice(0, 40));
}
"""


def move_control(page, control) -> bool | None:
    """Move, pick another option of, toggle or press the control.

    Returns True if it moved, False if it would not move, None if it has a single option.
    """
    classes = control.get_attribute("class") or ""
    if "widget-slider" in classes:
        handle = control.locator(".noUi-handle").first

        def position():  # aria-valuenow is rounded for some steps; the readout is not
            readout = control.locator(".widget-readout")
            return handle.get_attribute("aria-valuenow"), readout.first.inner_text() if readout.count() else ""

        before = position()
        handle.focus()
        handle.press("ArrowRight")
        if position() == before:  # at the right end
            handle.press("ArrowLeft")
        return position() != before
    if "widget-dropdown" in classes:
        select = control.locator("select")
        n = select.locator("option").count()
        if n < 2:
            return None
        current = select.evaluate("s => s.selectedIndex")
        select.select_option(index=(current + 1) % n)
        return select.evaluate("s => s.selectedIndex") != current
    if "widget-checkbox" in classes:
        box = control.locator("input[type=checkbox]")
        before = box.is_checked()
        box.click()
        return box.is_checked() != before
    if "widget-toggle-buttons" in classes or "widget-radio-box" in classes:
        others = control.locator("button:not(.mod-active), input[type=radio]:not(:checked)")
        if others.count() == 0:
            return None
        others.first.click()
        return True
    control.click()  # a (toggle) button
    return True


def check_controls(page, name):
    """Each control outside a needs-a-kernel box changes its figure or output when moved."""
    dead = []
    controls = [c for c in page.locator(CONTROLS).all()
                if c.is_visible() and not c.evaluate(f"el => !!el.closest('{NEEDS_KERNEL}')")]
    for k, control in enumerate(controls):
        control.scroll_into_view_if_needed()
        label = control.evaluate(LABEL_JS)
        before = control.evaluate(SNAPSHOT_JS)
        moved = move_control(page, control)
        if moved is None:
            continue  # one option only: nothing to choose
        if not moved:
            dead.append(f"control {k} ({label}): does not move (keyboard, click or select)")
            continue
        after = before
        for _ in range(20):  # the figure switches in the browser; give it up to 2 s
            page.wait_for_timeout(100)
            after = control.evaluate(SNAPSHOT_JS)
            if after != before:
                break
        if after == before:
            dead.append(f"control {k} ({label}): figure and output unchanged")
        elif k == 0 and name in CHAPTERS:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            box = control.locator(f"xpath=ancestor::*[contains(@class, '{EXPLORABLE[1:]}')]")
            target = box.first if box.count() else control
            target.screenshot(path=str(SCREENSHOTS / f"{Path(name).stem}-control-moved.png"))
    return dead


# ---------------------------------------------------------------------------
# How the page reads at each width: one report per (page, width), one test per check.

LAYOUT_JS = r"""
async () => {
  const report = {raw: [], equations: [], code: [], sideways: [], images: [], orphans: [], column: 0,
                  tables: [], figtext: [], plumbing: []};
  const article = document.querySelector('article') || document.querySelector('main') || document.body;
  const column = article.getBoundingClientRect();
  report.column = Math.round(column.width);
  // the text column: the article less its padding (688 px at 1280, 358 px at 390)
  const articleStyle = getComputedStyle(article);
  const contentRight = column.right - parseFloat(articleStyle.paddingRight);
  report.content = Math.round(contentRight - column.left - parseFloat(articleStyle.paddingLeft));
  const short = (t) => t.replace(/\s+/g, ' ').trim().slice(0, 90);
  const where = (el) => {
    const sec = el.closest('section[id]');
    return sec ? '#' + sec.id : '';
  };

  // 1. Raw Markdown or TeX in the rendered text (prose: outside code and math).
  const SKIP = 'pre, code, mjx-container, script, style, .jupyter-widgets, .widget-output, .cell_input, '
    + '.cell_output, kbd, samp, .highlight, mjx-assistive-mml, .headerlink, nav, .bd-toc';
  const TEX_PROSE = [/\$\$/, /\\\(/, /\\\)/, /\\\[/, /\\\]/, /\\[A-Za-z]{2,}/, /\\[{}_]/];
  // A table's separator row (|---|---| or, after smartquotes, |—|—|), a row of cells, bold markers.
  const SEPARATOR = /\|\s*:?[-—–]+:?\s*\|\s*:?[-—–]+:?\s*\|/;
  const MD_PROSE = [SEPARATOR, /^\s*\|.*\|.*\|\s*$/m, /\*\*\S/];
  const blocks = new Map();
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || el.closest(SKIP) || !node.textContent.trim()) continue;
    const block = el.closest('p, li, td, th, dt, dd, h1, h2, h3, h4, h5, h6, caption, figcaption, div') || el;
    blocks.set(block, (blocks.get(block) || '') + node.textContent);
  }
  for (const [block, text] of blocks) {
    for (const re of [...TEX_PROSE, ...MD_PROSE]) {
      const m = text.match(re);
      if (m) {
        const i = Math.max(0, m.index - 40);
        report.raw.push(`text ${where(block)}: '${short(m[0]).slice(0, 30)}' in "${short(text.slice(i, i + 120))}"`);
        break;
      }
    }
  }
  // Text outputs of cells: Markdown tables and TeX printed as text.
  const OUT = [SEPARATOR, /^\s*\|[^\n]*\|[^\n]*\|\s*$/m, /\$\$/, /\\\(/, /\\\[/, /\\(frac|begin|sum|odot|mathbf)\b/];
  for (const pre of article.querySelectorAll('.cell_output pre, .cell_output .output.text_markdown, .cell_output p')) {
    const text = pre.innerText || pre.textContent;
    for (const re of OUT) {
      const m = text.match(re);
      if (m) {
        const line = text.slice(Math.max(0, m.index - 20)).split('\n').find(l => l.trim()) || m[0];
        report.raw.push(`cell output ${where(pre)}: '${short(m[0]).slice(0, 30)}' in "${short(line)}"`);
        break;
      }
    }
  }
  for (const code of article.querySelectorAll('.cell_input')) {
    for (const m of code.textContent.matchAll(/#\s*NBVAL_([A-Z_]+)/g)) {
      const tag = 'nbval-' + m[1].toLowerCase().replace(/_/g, '-');
      report.raw.push(`code cell ${where(code)}: "${m[0]}" (use the cell tag ${tag})`);
    }
  }

  // 2. Display equations wider than the column.
  const items = (window.MathJax && MathJax.startup && MathJax.startup.document)
    ? [...MathJax.startup.document.math] : [];
  for (const mjx of article.querySelectorAll('mjx-container[display="true"]')) {
    if (mjx.offsetParent === null) continue;
    const math = mjx.querySelector('mjx-math') || mjx;
    const box = mjx.closest('div.math') || mjx.parentElement;
    const need = Math.ceil(math.getBoundingClientRect().width);
    // The room MathJax has: the column, less the equation number Sphinx puts beside it.
    const have = Math.floor(Math.min(mjx.clientWidth || box.clientWidth || column.width, column.width));
    const right = math.getBoundingClientRect().right;
    if (need > have + 1 || mjx.scrollWidth > mjx.clientWidth + 1 || right > column.right + 1) {
      const eqno = box.querySelector('.eqno');
      const item = items.find(it => it.typesetRoot === mjx);
      const tex = item ? item.math : '';
      report.equations.push(`equation ${eqno ? eqno.innerText.trim().replace(/\s+/g, '') : '(unnumbered)'} `
        + `${where(mjx)}: ${need} px wide in ${have} px of room (column ${Math.round(column.width)} px): `
        + short(tex).slice(0, 70));
    }
  }

  // 3. Code cells and text outputs that need sideways scrolling.
  for (const pre of article.querySelectorAll('.cell_input pre, .cell_output pre, div.highlight pre')) {
    if (pre.offsetParent === null || pre.clientWidth === 0) continue;
    if (pre.scrollWidth > pre.clientWidth + 1) {
      const kind = pre.closest('.cell_output') ? 'output' : 'code';
      const longest = (pre.innerText || '').split('\n').reduce((a, b) => (b.length > a.length ? b : a), '');
      report.code.push(`${kind} ${where(pre)}: ${pre.scrollWidth} px of text in ${pre.clientWidth} px: `
        + `"${short(longest).slice(0, 60)}"`);
    }
  }

  // 4. Anything making the page wider than the window.
  const vw = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > vw + 1) {
    const wide = [...article.querySelectorAll('*')].filter(el => {
      const r = el.getBoundingClientRect();
      const parent = el.parentElement;
      return r.width > 0 && r.right > vw + 1 && !(parent && parent.getBoundingClientRect().right > vw + 1);
    }).slice(0, 5);
    report.sideways.push(`page is ${document.documentElement.scrollWidth} px wide in a ${vw} px window; `
      + 'sticking out: ' + wide.map(el => `<${el.tagName.toLowerCase()} class="${el.className}"> `
        + `to ${Math.round(el.getBoundingClientRect().right)} px`).join(', '));
  }

  // 5. Punctuation after inline maths wrapped onto a line of its own (a sentence ending in a lone ".").
  for (const math of article.querySelectorAll('span.math')) {
    const next = math.nextSibling || (math.parentElement.lastChild === math && math.parentElement.nextSibling);
    if (!next || next.nodeType !== Node.TEXT_NODE || !/^[.,;:!?)]/.test(next.textContent)) continue;
    const mjx = math.querySelector('mjx-container') || math;
    if (mjx.offsetParent === null) continue;
    const range = document.createRange();
    range.setStart(next, 0);
    range.setEnd(next, 1);
    const mark = range.getBoundingClientRect(), box = mjx.getBoundingClientRect();
    if (mark.top >= box.bottom - 2 && mark.left < box.left) {
      report.orphans.push(`${where(math)}: "${next.textContent[0]}" alone at the start of a line after `
        + `"${short(math.textContent).slice(0, 40)}"`);
    }
  }

  // 6. Images: loaded, and not shrunk below legibility (scale measured against the 1x size).
  const dpiOf = async (src) => {
    const bytes = new Uint8Array(await (await fetch(src)).arrayBuffer());
    if (bytes[0] !== 0x89 || bytes[1] !== 0x50) return 96;  // SVG: naturalWidth is its CSS size
    const u32 = (i) => ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
    for (let i = 8; i + 8 <= bytes.length;) {
      const len = u32(i), type = String.fromCharCode(...bytes.slice(i + 4, i + 8));
      if (type === 'pHYs') return bytes[i + 16] === 1 ? u32(i + 8) * 0.0254 : 96;
      if (type === 'IDAT') break;
      i += 12 + len;
    }
    return 96;
  };
  for (const img of article.querySelectorAll('img')) {
    if (img.offsetParent === null) continue;
    const src = img.getAttribute('src') || '';
    const name = (src.startsWith('blob:') ? 'widget figure' : src.startsWith('data:') ? 'figure in an output widget'
      : 'image ' + src.split('/').pop().slice(0, 16) + '...') + ' ' + where(img);
    if (!img.complete || img.naturalWidth === 0) { report.images.push(`${name}: did not load`); continue; }
    let dpi = 96;
    try { dpi = await dpiOf(img.src); } catch (e) { }
    const box = img.getBoundingClientRect(), shown = box.width;
    const oneX = img.naturalWidth * 96 / dpi;
    // shown aspect ratio against the image's own: a fixed height on a shrunk width squashes it
    const aspect = (box.height / box.width) / (img.naturalHeight / img.naturalWidth);
    report.images.push({name, shown: Math.round(shown), oneX: Math.round(oneX), scale: shown / oneX,
                        natural: img.naturalWidth, dpi: Math.round(dpi), aspect});
  }

  // 7. The size of each figure's smallest text as shown. A PNG drawn by lstm.book.plots records
  // its smallest font size (pt) and its width (in) in text chunks; an SVG's labels are read from
  // the drawing (font sizes in its own units, scaled by its shown width over its viewBox width);
  // an SVG drawn inline in the page is measured in the DOM.
  const pngText = (bytes) => {
    const u32 = (i) => ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
    const out = {};
    for (let i = 8; i + 8 <= bytes.length;) {
      const len = u32(i), type = String.fromCharCode(...bytes.slice(i + 4, i + 8));
      if (type === 'tEXt') {
        const body = bytes.slice(i + 8, i + 8 + len), zero = body.indexOf(0);
        out[String.fromCharCode(...body.slice(0, zero))] = new TextDecoder('latin1').decode(body.slice(zero + 1));
      }
      if (type === 'IDAT') break;
      i += 12 + len;
    }
    return out;
  };
  const svgSmallest = (text) => {
    const vb = text.match(/viewBox=["']\s*[-\d.]+[ ,]+[-\d.]+[ ,]+([\d.]+)/);
    const w = text.match(/<svg[^>]*\swidth=["']([\d.]+)(pt|px)?["']/);
    const units = vb ? parseFloat(vb[1]) : (w ? parseFloat(w[1]) : NaN);
    const body = text.replace(/<style[\s\S]*?<\/style>/g, '');
    const sizes = [...body.matchAll(/font-size[=:]\s*["']?([\d.]+)/g), ...body.matchAll(/font:\s*(?:[a-z-]+\s+)*([\d.]+)px/g)]
      .map(m => parseFloat(m[1])).filter(v => v > 0);
    return {units, smallest: sizes.length ? Math.min(...sizes) : Infinity};
  };
  for (const img of article.querySelectorAll('img')) {
    if (img.offsetParent === null || !img.complete || img.naturalWidth === 0) continue;
    const src = img.getAttribute('src') || '';
    const name = (src.startsWith('blob:') ? 'widget figure' : src.startsWith('data:') ? 'inline figure'
      : 'image ' + src.split('/').pop().slice(0, 16) + '...') + ' ' + where(img)
      + (img.alt ? ` ("${short(img.alt).slice(0, 50)}")` : '');
    const shown = img.getBoundingClientRect().width;
    let bytes;
    try { bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer()); } catch (e) { continue; }
    if (bytes[0] === 0x89 && bytes[1] === 0x50) {
      const meta = pngText(bytes);
      const pt = parseFloat(meta['lstm-text-pt']), inches = parseFloat(meta['lstm-width-in']);
      if (meta['lstm-text-pt'] === 'none') continue;  // a figure without text
      if (!(pt > 0 && inches > 0)) {
        report.figtext.push({name, shown: Math.round(shown), px: null});
        continue;
      }
      report.figtext.push({name, shown: Math.round(shown), px: pt * shown / (72 * inches), pt, inches,
                           variant: meta['lstm-variant'] || 'only'});
    } else {
      const text = new TextDecoder('utf-8').decode(bytes);
      if (!/<svg/.test(text)) continue;
      const {units, smallest} = svgSmallest(text);
      if (!isFinite(smallest) || !(units > 0)) continue;
      report.figtext.push({name, shown: Math.round(shown), px: smallest * shown / units, svg: true});
    }
  }
  for (const svg of article.querySelectorAll('svg')) {
    if (svg.closest('mjx-container') || svg.getBoundingClientRect().width === 0) continue;
    let px = Infinity;
    for (const t of svg.querySelectorAll('text, tspan')) {
      if (!t.textContent.trim() || !t.getScreenCTM) continue;
      const m = t.getScreenCTM();
      if (!m) continue;
      px = Math.min(px, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b));
    }
    if (isFinite(px)) report.figtext.push({name: 'inline SVG ' + where(svg), shown: Math.round(svg.getBoundingClientRect().width), px, svg: true});
  }

  // 7b. Alternative text: every visible image says what it shows (not nothing, not its file name).
  report.alts = [];
  for (const img of article.querySelectorAll('img')) {
    if (img.offsetParent === null) continue;
    const alt = (img.getAttribute('alt') || '').trim();
    const src = img.getAttribute('src') || '';
    const file = src.startsWith('data:') || src.startsWith('blob:') ? '' : src.split('/').pop();
    if (!alt || /\.(png|svg|jpe?g|gif|webp)$/i.test(alt) || alt.includes('_images/') || (file && alt.includes(file))) {
      report.alts.push(`${src.startsWith('blob:') ? 'widget figure' : 'image ' + (file || 'inline').slice(0, 16)} `
        + `${where(img)}: alt ${alt ? JSON.stringify(alt.slice(0, 50)) : 'missing'}`);
    }
  }

  // 8. Tables: wider than their room, and whether a scrolling one shows a cue and can be reached by keyboard.
  for (const table of article.querySelectorAll('table')) {
    if (table.offsetParent === null || table.closest('.jupyter-widgets')) continue;
    let box = table.parentElement;
    while (box && box !== article && !/(auto|scroll|hidden)/.test(getComputedStyle(box).overflowX)) box = box.parentElement;
    const r = table.getBoundingClientRect();
    const room = box && box !== article ? box.clientWidth : report.content;
    const scrolls = !!(box && box !== article && box.scrollWidth > box.clientWidth + 1);
    const first = table.querySelector('th, td');
    const cap = table.closest('.lstm-table') && table.closest('.lstm-table').querySelector('.lstm-table-caption');
    const hint = box && box.previousElementSibling && box.previousElementSibling.classList.contains('lstm-scroll-hint')
      && box.previousElementSibling.offsetParent !== null;
    report.tables.push({where: where(table), width: Math.round(r.width), room: Math.round(room),
      sticksOut: r.right > contentRight + 1, scrolls, cue: !!hint,
      focusable: !!(box && box.getAttribute('tabindex') !== null),
      label: short(cap ? cap.textContent : (first ? first.textContent : '')).slice(0, 60)});
  }

  // 9. Plumbing shown to the reader: code that builds tables, figures and widgets, validates
  // input, or reports sizes; and the same function listed twice.
  const visible = (el) => el.offsetParent !== null && !el.closest('details:not([open])');
  const PLUMBING = [
    [/\bshow\(/, 'a show(...) call (tag the cell hide-input)'],
    [/\.box\b/, 'a widget .box (tag the cell hide-input)'],
    [/\bdisplay\(/, 'a display(...) call (tag the cell hide-input)'],
    // lstm/validate.py's helpers; not the exercises' checkers (check_step_forward(...), the
    // reader runs them) nor check_layer_gradients (the gradient check is what the text shows)
    [/\b(validate\.\w+|_check_\w+|check_(dtype|int|positive_int|rng|positive_number|fraction|shape|params)|as_(numeric|float)_array)\s*\(/,
     'input validation (a validate/check call)'],
    [/\braise (ValueError|TypeError)\b/, 'input validation (raise ValueError/TypeError)'],
    [/\b(widget_bytes|nbytes)\b/, 'a size report'],
    [/\bglue\(/, 'a glue(...) call (tag the cell remove-cell)'],
  ];
  const defs = new Map();
  for (const code of article.querySelectorAll('.cell_input, div.cell_output pre, div.highlight')) {
    if (!visible(code) || (code.matches('div.highlight') && code.closest('.cell_input, .cell_output'))) continue;
    const text = code.innerText || '';
    const kind = code.closest('.cell_output') ? 'output' : 'code';
    if (kind === 'code') {
      for (const [re, what] of PLUMBING) {
        const m = text.match(re);
        if (m) {
          const line = text.split('\n').find(l => re.test(l)) || m[0];
          report.plumbing.push(`${kind} ${where(code)}: ${what}: "${short(line).slice(0, 70)}"`);
        }
      }
    }
    for (const m of text.matchAll(/^\s*def (\w+)\(/gm)) {
      defs.set(m[1], (defs.get(m[1]) || 0) + 1);
    }
  }
  for (const [name, n] of defs) if (n > 1) report.plumbing.push(`the source of ${name}() is shown ${n} times`);
  for (const out of article.querySelectorAll('.cell_output')) {
    if (!visible(out)) continue;
    const m = (out.innerText || '').match(/[^\n]*\badds?\b[^\n]*?[\d.,]+\s*[kM]B\b[^\n]*/);
    if (m) report.plumbing.push(`output ${where(out)}: a size report: "${short(m[0]).slice(0, 70)}"`);
  }
  return report;
}
"""


#: Every report of this run, (base url, page, width) -> report (for write_measurements).
_MEASURED: dict = {}


@functools.lru_cache(maxsize=None)
def _layout_report(base_url: str, name: str, width: int) -> dict:
    """What LAYOUT_JS finds on one page at one window width (computed once, shared by the tests),
    with axe-core's findings at 1280 px and every file the page fetched."""
    context = _CONTEXT["context"]
    page, log = open_page(context, base_url + name, viewport={"width": width, "height": 900})
    try:
        if has_math(page):
            wait_for_mathjax(page)
        if widget_state(page):
            page.wait_for_function(
                f"() => [...document.querySelectorAll('{WIDGET_VIEW}')]"
                ".every(s => s.parentElement.querySelector('.jupyter-widgets'))",
                timeout=30_000)
        scroll_through(page)  # images load lazily, as a reader scrolls to them
        page.wait_for_timeout(300)  # widget images and late layout settle
        report = page.evaluate(LAYOUT_JS)
        if width == 1280:
            report["axe"] = run_axe(page)
        report["requests"] = list(log.requests)
        _MEASURED[(base_url, name, width)] = report
        if name in CHAPTERS:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{Path(name).stem}-{width}.png"), full_page=True)
        return report
    finally:
        page.close()


def scroll_through(page):
    """Scroll to the bottom one window at a time (lazy images load), then back to the top."""
    page.evaluate("""async () => {
      for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight * 0.8) {
        window.scrollTo(0, y);
        await new Promise(r => setTimeout(r, 60));
      }
      window.scrollTo(0, 0);
    }""")
    page.wait_for_load_state("networkidle", timeout=90_000)
    page.evaluate("""() => Promise.all([...document.images].filter(i => !i.complete && i.offsetParent !== null)
      .map(i => new Promise(r => { i.addEventListener('load', r); i.addEventListener('error', r); })))""")


# axe-core (npm, pinned in tools/site/package-lock.json; `make book` installs it with the
# site's other packages): injected into the page from the local file, never from a CDN.
AXE = ROOT / "tools" / "site" / "node_modules" / "axe-core" / "axe.min.js"
#: Impacts that fail the test.
AXE_FAILING = ("serious", "critical")
AXE_JS = """
async () => {
  const result = await axe.run(document, {
    resultTypes: ['violations'],
    // experimental in axe 4, and what a reader of a name that differs from its label meets
    rules: {'label-content-name-mismatch': {enabled: true}},
  });
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160), impact: n.impact}))}));
}
"""


def run_axe(page) -> list:
    if not AXE.is_file():
        pytest.fail(f"{AXE} not found: install the site's packages (make book runs npm ci in tools/site)")
    page.wait_for_timeout(300)  # book.js names widgets and figures after they render
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_JS)


_CONTEXT = {}


@pytest.fixture(scope="module")
def layout(browser_context, server):
    _CONTEXT["context"] = browser_context
    yield lambda name, width: _layout_report(server, name, width)
    write_measurements(server)
    _layout_report.cache_clear()


#: Where the per-page measurements of the last run go (JSON), for before/after comparisons.
MEASUREMENTS = Path(os.environ.get("SITE_MEASUREMENTS", ROOT / "_build" / "site_measurements.json"))


def _too_wide(t: dict) -> bool:
    return t["width"] > t["room"] + 1 or t["scrolls"] or t["sticksOut"]


def page_measurements(report: dict, width: int) -> dict:
    """One page at one width, in numbers: smallest figure text (CSS px; figures without a record
    counted apart), tables wider than their room, and at 1280 px the bytes fetched with gzip."""
    sizes = [f["px"] for f in report["figtext"] if f["px"] is not None]
    out = {"smallest_figure_text_px": round(min(sizes), 2) if sizes else None,
           "figures_without_size_record": sum(f["px"] is None for f in report["figtext"]),
           "figures_under_limit": sum(f["px"] is None or f["px"] < MIN_FIGURE_TEXT_PX[width] - 0.05
                                      for f in report["figtext"]),
           "tables_too_wide": sum(_too_wide(t) for t in report["tables"]),
           "images_without_alt": len(report["alts"])}
    if "requests" in report:
        out["first_visit_bytes"] = sum(_local_files(report["requests"]).values())
    return out


def write_measurements(server) -> None:
    """Every page measured in this run (the ones the tests asked for), and each chapter's weight
    after the chapter before it, to MEASUREMENTS."""
    pages: dict = {}
    for (base, name, width), report in _MEASURED.items():
        if base == server:
            pages.setdefault(name, {})[str(width)] = page_measurements(report, width)
    for name in CHAPTERS[1:]:
        before = CHAPTERS[CHAPTERS.index(name) - 1]
        if (server, name, 1280) in _MEASURED and (server, before, 1280) in _MEASURED:
            seen = set(_local_files(_MEASURED[(server, before, 1280)]["requests"]))
            added = _local_files(_MEASURED[(server, name, 1280)]["requests"])
            pages[name]["1280"]["next_chapter_bytes"] = sum(v for k, v in added.items() if k not in seen)
    if pages:
        MEASUREMENTS.parent.mkdir(parents=True, exist_ok=True)
        MEASUREMENTS.write_text(json.dumps(dict(sorted(pages.items())), indent=1) + "\n", encoding="utf-8")


# Defects the built site is known to have, (test, width, page) -> why: each is an expected
# failure, strict: the check still runs, and an entry whose check passes fails the run (XPASS
# strict), so a fixed defect cannot stay listed. The goal is an empty dict, and it is: a figure
# too small for a phone gets its phone variant from lstm.book.plots (issue 27).
KNOWN_DEFECTS: dict = {}


@pytest.fixture(autouse=True)
def _known_defect(request):
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None:
        key = (request.node.originalname, callspec.params.get("width"), callspec.params.get("name"))
        if key in KNOWN_DEFECTS:
            request.applymarker(pytest.mark.xfail(reason=KNOWN_DEFECTS[key], strict=True))


def _fail(problems, page, width, what):
    if problems:
        pytest.fail(f"{page} at {width} px: {len(problems)} {what}:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_raw_markup(layout, name, width):
    _fail(layout(name, width)["raw"], name, width, "raw Markdown/TeX or nbval markers left for the reader")


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_equations_fit_the_column(layout, name, width):
    _fail(layout(name, width)["equations"], name, width, "display equations wider than the text column "
          "(break them over lines: aligned/split/multline)")


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_code_fits_the_column(layout, name, width):
    _fail(layout(name, width)["code"], name, width, "code cells or text outputs that need sideways scrolling")


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_page_does_not_scroll_sideways(layout, name, width):
    _fail(layout(name, width)["sideways"], name, width, "elements wider than the window")


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_punctuation_alone_on_a_line(layout, name, width):
    _fail(layout(name, width)["orphans"], name, width, "punctuation marks wrapped away from the maths before them")


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_images_load_and_are_legible(layout, name, width):
    problems = []
    report = layout(name, width)
    widest = report["column"] / LEGIBLE_SCALE / 96  # inches
    for im in report["images"]:
        if isinstance(im, str):
            problems.append(im)
        elif width == 1280 and im["scale"] < LEGIBLE_SCALE:
            problems.append(f"{im['name']}: shown {im['shown']} px wide, {im['scale']:.2f} of its 1x size "
                            f"({im['oneX']} px = {im['natural']} px at {im['dpi']} dpi), so 10 pt text shows at "
                            f"{10 * 96 / 72 * im['scale']:.1f} px: draw it at most {widest:.1f} in wide")
        elif abs(im["aspect"] - 1) > 0.03:
            problems.append(f"{im['name']}: shown {im['aspect']:.2f} times as tall for its width as it is drawn "
                            f"(squashed: a fixed height on a width shrunk to the column)")
    _fail(problems, name, width, "broken, squashed or illegibly shrunk images")


#: Smallest figure text, CSS px, at each window width (lstm.book.widgets.MIN_TEXT_PX at 1280;
#: lstm.book.plots.MIN_PHONE_TEXT_PX on the phone).
MIN_FIGURE_TEXT_PX = {1280: 11.0, 390: 9.0}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_tables_fit(layout, name, width):
    """At 1280 px no table is wider than its room (it would scroll or clip); at 390 px a table may
    scroll, in a box a keyboard can reach, with a visible cue that there are more columns."""
    problems = []
    for t in layout(name, width)["tables"]:
        what = f"table {t['where']} (\"{t['label']}\"): {t['width']} px wide in {t['room']} px"
        too_wide = t["width"] > t["room"] + 1 or t["scrolls"] or t["sticksOut"]
        if width == 1280 and too_wide:
            problems.append(what + ": scrolls or clips at 1280 px (fewer or shorter columns, units in the "
                            "header, fewer digits: lstm.book.tables)")
        elif too_wide and not (t["scrolls"] and t["cue"] and t["focusable"]):
            problems.append(what + ": " + ", ".join(
                m for m, bad in (("sticks out of the column instead of scrolling in its box", not t["scrolls"]),
                                 ("no visible cue that it scrolls", not t["cue"]),
                                 ("its scrolling box cannot be reached by keyboard", not t["focusable"])) if bad))
    _fail(problems, name, width, "tables that do not fit")


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_figure_text_is_legible(layout, name, width):
    """The smallest text of every figure and diagram, at the width it is shown, is at least
    MIN_FIGURE_TEXT_PX: PNGs by the size lstm.book.plots records in them, SVGs from their labels."""
    limit, problems = MIN_FIGURE_TEXT_PX[width], []
    for f in layout(name, width)["figtext"]:
        if f["px"] is None:
            problems.append(f"{f['name']}: no record of its text size (show it with lstm.book.plots.show, "
                            "or record lstm.book.plots.image_metadata in its PNG)")
        elif f["px"] < limit - 0.05:
            how = (f"{f['pt']:g} pt text in a {f['inches']:g} in wide figure shown {f['shown']} px wide"
                   if "pt" in f else f"shown {f['shown']} px wide")
            problems.append(f"{f['name']}: smallest text {f['px']:.1f} px < {limit:g} px ({how})")
    _fail(problems, name, width, f"figures with text under {limit:g} CSS px")


@pytest.mark.parametrize("name", PAGES)
def test_no_plumbing_on_the_page(layout, name):
    """What the reader sees shows the idea, not the machinery: no table/figure/widget-building
    calls, input validation or size reports in visible code and outputs, no function listed twice."""
    _fail(layout(name, 1280)["plumbing"], name, 1280, "pieces of plumbing shown to the reader")


@pytest.mark.parametrize("name", PAGES)
def test_accessibility(layout, name):
    """axe-core finds no serious or critical violation at 1280 px (images without alternative text,
    controls without a name, names that differ from the visible label, unreachable scrolling boxes,
    contrast below WCAG AA, ...)."""
    problems = []
    for v in layout(name, 1280)["axe"]:
        nodes = [n for n in v["nodes"] if (n["impact"] or v["impact"]) in AXE_FAILING]
        if not nodes:
            continue
        problems.append(f"{v['id']} ({v['impact']}, {len(nodes)}x): {v['help']}; e.g. "
                        + "; ".join(f"{n['target']} {n['html'][:90]}" for n in nodes[:3]))
    _fail(problems, name, 1280, "kinds of serious or critical accessibility violations (axe-core)")


@pytest.mark.parametrize("name", PAGES)
def test_images_say_what_they_show(layout, name):
    """Every visible image has alternative text, and it is not the image's file name (docutils puts the
    path there when a figure has none; lstm.book.plots.show(fig, alt=...) records the real one)."""
    _fail(layout(name, 1280)["alts"], name, 1280, "images without alternative text that says what they show")


# --- Chapter numbers ---------------------------------------------------------------------------

def _chapter_number(page: str) -> int:
    return int(re.match(r"book/(\d\d)_", page).group(1))


@pytest.mark.parametrize("page", CHAPTERS)
def test_chapter_numbers(page):
    """Chapter NN is numbered NN (from 0, as the prose cites it) in its heading, its <title> and
    in the navigation (as the book's first page shows it)."""
    n, html = _chapter_number(page), (SITE / page).read_text(encoding="utf-8")
    problems = []
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html[html.find("<article"):], re.S)  # not the print-only header
    h1_text = re.sub(r"<[^>]+>", "", h1.group(1)).strip() if h1 else ""
    if not re.match(rf"{n}\.\s", h1_text):
        problems.append(f"heading {h1_text[:60]!r} does not start with '{n}. '")
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    if not (title and re.match(rf"\s*{n}\.\s", title.group(1))):
        problems.append(f"<title> {title.group(1).strip()[:60] if title else None!r} does not start with '{n}. '")
    target = Path(page).name
    nav = (SITE / "book" / "intro.html").read_text(encoding="utf-8")  # the first page's navigation
    links = [re.sub(r"<[^>]+>", "", m.group(1)).strip()
             for m in re.finditer(rf'<a[^>]*href="[^"]*{re.escape(target)}"[^>]*>(.*?)</a>', nav, re.S)]
    if not any(re.match(rf"{n}\.\s", link) for link in links):
        problems.append(f"the navigation's link to it reads {links[:2]!r}, without '{n}. '")
    assert not problems, f"{page}: " + "; ".join(problems)


# --- What a reader's browser downloads, compressed as a static host serves it -------------------

#: First visit of a chapter (everything it loads as the reader scrolls through it), gzip.
FIRST_VISIT_BYTES = 2_500_000
#: What the next chapter adds once the first is in the browser's cache, gzip.
NEXT_CHAPTER_BYTES = 1_000_000
#: Served compressed by a static host (nginx, GitHub Pages); images and fonts are already compressed.
COMPRESSIBLE = {".html", ".js", ".css", ".json", ".svg", ".txt", ".map", ".xml", ".ipynb", ".py", ".mjs"}


@functools.lru_cache(maxsize=None)
def transferred_bytes(rel: str) -> int:
    """Bytes a static host sends for one file of the site: gzip (level 6) for text, as is otherwise."""
    file = SITE / rel
    if not file.is_file():
        return 0
    data = file.read_bytes()
    if file.suffix.lower() in COMPRESSIBLE:
        return len(gzip.compress(data, 6))
    return len(data)


def _local_files(requests: list[str]) -> dict[str, int]:
    files = {}
    for url in requests:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https"):
            continue
        rel = unquote(parsed.path).lstrip("/")
        if rel.endswith("/") or not rel:
            rel += "index.html"
        files[rel] = transferred_bytes(rel)
    return files


def _biggest(files: dict[str, int], k: int = 6) -> str:
    return ", ".join(f"{n} {b / 1e6:.2f} MB" for n, b in sorted(files.items(), key=lambda kv: -kv[1])[:k])


@pytest.mark.parametrize("name", CHAPTERS)
def test_first_visit_weight(layout, name):
    """A chapter, read from top to bottom on a first visit, transfers at most FIRST_VISIT_BYTES with gzip."""
    files = _local_files(layout(name, 1280)["requests"])
    total = sum(files.values())
    assert total <= FIRST_VISIT_BYTES, (f"{name}: first visit transfers {total / 1e6:.2f} MB with gzip, over "
                                        f"{FIRST_VISIT_BYTES / 1e6:.1f} MB; biggest: {_biggest(files)}")


@pytest.mark.parametrize("name", CHAPTERS[1:])
def test_next_chapter_weight(layout, name):
    """After the chapter before it, a chapter adds at most NEXT_CHAPTER_BYTES (what it shares is cached)."""
    before = CHAPTERS[CHAPTERS.index(name) - 1]
    seen = set(_local_files(layout(before, 1280)["requests"]))
    files = {k: v for k, v in _local_files(layout(name, 1280)["requests"]).items() if k not in seen}
    total = sum(files.values())
    assert total <= NEXT_CHAPTER_BYTES, (f"{name} after {before}: adds {total / 1e6:.2f} MB with gzip, over "
                                         f"{NEXT_CHAPTER_BYTES / 1e6:.1f} MB; biggest: {_biggest(files)}")
