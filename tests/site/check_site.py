"""The built website works in a real browser with no network.

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

Per page it asserts: no console error, no uncaught exception, no failed or
HTTP-error request, no request to a non-loopback host; on pages with math,
MathJax typeset it (mjx-container elements, no raw TeX delimiters left); on
pages with saved widget state, every widget view rendered, with its sliders
and the figure (an img) inside each output; and a precomputed slider
(lstm.book.widgets) switches its image when moved. Screenshots of every chapter
(first screen, first widget, whole page) go to _build/screenshots/.

Without a browser, on the built files: every internal link and #anchor
resolves, no <script>/<link>/<img> points to another host, and every chapter
has a JupyterLite button (its copy installs the lstm wheel first), and Binder,
Colab and Live Code buttons exactly when the site was built with a repository.
"""
from __future__ import annotations

import functools
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

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("SITE_DIR", ROOT / "_build" / "html"))
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "_build" / "screenshots"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
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
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: apt-get install -y chromium")
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),  # a fresh --user-data-dir
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900}, service_workers="block",
        )
        yield context
        context.close()


class PageLog:
    """Everything that went wrong while a page loaded."""

    def __init__(self):
        self.console_errors, self.page_errors = [], []
        self.failed, self.outside = [], []

    def problems(self):
        return {k: v for k, v in vars(self).items() if v}


def _is_loopback(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname == "127.0.0.1"


def open_page(context, url: str):
    log = PageLog()
    page = context.new_page()

    def route(r):
        if _is_loopback(r.request.url):
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
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
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
                widget.scroll_into_view_if_needed()
                page.screenshot(path=str(SCREENSHOTS / f"{stem}-widget.png"))
        assert not log.problems(), f"{name}: {json.dumps(log.problems(), indent=1)}"
    finally:
        page.close()


def check_widgets(page, name, state):
    """Every saved widget view rendered; sliders and figures are there."""
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
    models = {k: v["model_name"] for k, v in state.items()}
    n_sliders = sum(m.endswith("SliderModel") for m in models.values())
    if n_sliders:
        assert page.locator(".widget-slider").count() >= 1, f"{name}: no slider rendered"
        assert page.locator(".widget-slider").count() == n_sliders, (
            f"{name}: {page.locator('.widget-slider').count()} sliders rendered, {n_sliders} in the saved state"
        )
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
            img.scroll_into_view_if_needed()
            loaded = img.evaluate("el => el.complete && el.naturalWidth > 0")
            assert loaded, f"{name}: widget figure {k} did not load"
    n_precomputed = sum(
        "lstm-precomputed-slider" in v.get("state", {}).get("_dom_classes", []) for v in state.values()
    )
    boxes = page.locator(".lstm-precomputed-slider")
    assert boxes.count() == n_precomputed, f"{name}: {boxes.count()} precomputed sliders rendered, {n_precomputed} saved"
    for box in boxes.all():
        check_precomputed_slider(page, name, box)


def check_precomputed_slider(page, name, box):
    """Moving a precomputed slider (lstm.book.widgets) shows another figure, without a kernel."""
    box.scroll_into_view_if_needed()
    image = box.locator("img.widget-image, img")
    readout = box.locator(".widget-readout")
    before_src, before_label = image.first.get_attribute("src"), readout.first.inner_text()
    handle = box.locator(".noUi-handle").first
    handle.focus()
    handle.press("ArrowRight")
    handle.press("ArrowRight")
    page.wait_for_function(
        "([el, src]) => { const im = el.querySelector('img'); return im && im.getAttribute('src') !== src; }",
        arg=[box.element_handle(), before_src], timeout=10_000,
    )
    after_src, after_label = image.first.get_attribute("src"), readout.first.inner_text()
    assert after_label != before_label, f"{name}: slider readout did not change"
    assert after_src != before_src, f"{name}: moving the slider did not change the figure"
    assert image.first.evaluate("el => el.complete && el.naturalWidth > 0")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    box.screenshot(path=str(SCREENSHOTS / f"{Path(name).stem}-precomputed-moved.png"))
