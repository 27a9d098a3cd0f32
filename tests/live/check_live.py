"""The live path: chapters run in JupyterLab with the project's kernel, and every live control redraws.

The static site has its own test (tests/site/check_site.py) and nbval checks the
outputs; this one is what a reader of ``make lab`` does. It starts a Jupyter
server on 127.0.0.1 (a random token, no browser) with .venv's kernel, on copies
of the chapters (JupyterLab autosaves; the repository's notebooks stay as they
are), opens each chapter of ``LIVE_CHAPTERS`` in JupyterLab in headless Chromium
(/usr/bin/chromium through Playwright, every host but 127.0.0.1 blocked), runs
all cells, and then, for every explorable (lstm.book.explorable):

* it must go live: once shown, its box holds live controls (class
  ``lstm-live-control``) instead of the precomputed grid;
* each live control is moved (a slider by the keyboard, to a value off the
  static grid when it has a live range; a dropdown or toggle to another choice)
  and the figure's image data must change within ``REDRAW_SECONDS``, which only
  the kernel's observer can do (the stack of precomputed figures is gone);
* every live control has an accessible name that contains its visible label: a
  slider's handle (a <div role="slider"> ipywidgets does not label), a dropdown's
  <select>, a text field (lstm.book.explorable.NAME_CONTROLS_JS gives them);
* no cell shows an error, and no explorable says it could not draw.

The static grid of each slider is read from the chapter's saved widget state
(the notebook as the book build stored it), by the slider's label.

Run: .venv/bin/python -m pytest -p no:cacheprovider tests/live/check_live.py
(LIVE_CHAPTERS="00_lstm_step_by_hand.ipynb 03_memory_cell.ipynb" by default).
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from helpers.browser import chromium_context

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
CHAPTERS = os.environ.get("LIVE_CHAPTERS", "00_lstm_step_by_hand.ipynb 03_memory_cell.ipynb").split()
#: How long a chapter may take to run all its cells, and a figure to be redrawn (a loaded 2-core machine).
RUN_SECONDS = 240
REDRAW_SECONDS = 30
# JupyterLab settings for the test: render every cell (no windowing, so every
# output is in the page), and fetch no news (nothing leaves 127.0.0.1).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"checkForUpdates": False,
                                                                        "fetchNews": "false"},
}

SNAPSHOT_JS = """
async (box) => {
  const hash = (bytes) => { let h = 2166136261; for (const b of bytes) { h = Math.imul(h ^ b, 16777619) >>> 0; }
                            return h.toString(16) + ':' + bytes.length; };
  const parts = [];
  for (const img of box.querySelectorAll('img')) {
    if (img.offsetParent === null) continue;
    try { parts.push(hash(new Uint8Array(await (await fetch(img.src)).arrayBuffer()))); }
    catch (e) { parts.push('? ' + img.src); }
  }
  return parts.join('|');
}
"""


# The accessible name of each focusable part of a control (aria-label, aria-labelledby, a
# <label for>, a button's text, a title), for every part whose name is empty or leaves out the
# control's visible label.
UNNAMED_JS = """
(control) => {
  const label = ((control.querySelector('.widget-label') || {}).textContent || '').trim();
  const bad = [];
  for (const el of control.querySelectorAll('[role=slider], select, input, button')) {
    if (el.offsetParent === null) continue;
    const by = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
      .map(id => ((document.getElementById(id) || {}).textContent || '')).join(' ');
    const labels = el.id ? [...document.querySelectorAll('label')].filter(l => l.htmlFor === el.id)
      .map(l => l.textContent).join(' ') : '';
    const name = (el.getAttribute('aria-label') || by || labels
      || (el.tagName === 'BUTTON' ? el.textContent : '') || el.getAttribute('title') || '').trim();
    const needs = el.tagName === 'BUTTON' ? '' : label;  // a toggle button is named by its own text
    if (!name || !name.includes(needs)) bad.push(`<${el.tagName.toLowerCase()} role=${el.getAttribute('role')}> `
      + `named ${JSON.stringify(name)}, label ${JSON.stringify(label)}`);
  }
  return bad;
}
"""


def unnamed_parts(page, control) -> list[str]:
    """UNNAMED_JS on a control, given a few seconds (the names are set once the control renders)."""
    bad, waited = control.evaluate(UNNAMED_JS), time.monotonic()
    while bad and time.monotonic() - waited < 5:
        page.wait_for_timeout(200)
        bad = control.evaluate(UNNAMED_JS)
    return bad


def static_grids(chapter: Path) -> dict[str, set[str]]:
    """Label of each precomputed slider -> its grid readouts, from the saved widget state."""
    nb = json.loads(chapter.read_text())
    state = nb["metadata"].get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    grids: dict[str, set[str]] = {}
    for model in state.get("state", {}).values():
        if model.get("model_name") == "SelectionSliderModel":
            s = model["state"]
            grids.setdefault(s.get("description", ""), set()).update(s.get("_options_labels", []))
    return grids


def on_grid(readout: str, grid: set[str]) -> bool:
    """Whether a readout is one of the grid's (as numbers: the live readout writes "−3.9", a true minus)."""
    def number(text):
        try:
            return round(float(text.strip().replace("\u2212", "-")), 9)
        except ValueError:
            return text.strip()
    return number(readout) in {number(g) for g in grid}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work = tmp_path_factory.mktemp("live")
    root = work / "book"
    root.mkdir()
    for item in BOOK.iterdir():  # the chapters copied (autosave), the rest linked
        if item.suffix == ".ipynb":
            if item.name in CHAPTERS:
                shutil.copy(item, root / item.name)
        else:
            (root / item.name).symlink_to(item)
    settings = work / "settings"
    for name, values in LAB_SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(values))
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           "--LabApp.expose_app_in_browser=True", f"--LabServerApp.user_settings_dir={settings}",
           f"--LabServerApp.workspaces_dir={work / 'workspaces'}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")  # in a container; as make lab does
    env = dict(os.environ, JUPYTER_PREFER_ENV_PATH="1", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    log_path = work / "jupyter.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the Jupyter server stopped (exit {proc.returncode}):\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the Jupyter server did not answer in 90 s:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        yield url, token, log_path
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    with chromium_context(tmp_path_factory.mktemp("chromium-profile")) as ctx:
        ctx.route("**/*", lambda r: r.continue_() if urlparse(r.request.url).hostname in ("127.0.0.1", None)
                  else r.abort("blockedbyclient"))
        yield ctx


def run_all_cells(page, url, token, chapter):
    page.goto(f"{url}/lab/tree/{chapter}?token={token}&reset", wait_until="load", timeout=90_000)
    page.wait_for_function(
        "(name) => { const w = window.jupyterapp && jupyterapp.shell.currentWidget;"
        " const s = w && w.sessionContext && w.sessionContext.session;"
        " return w && w.context.path.endsWith(name) && s && s.kernel && s.kernel.status === 'idle'; }",
        arg=chapter, timeout=90_000)
    started = time.monotonic()
    # Resolves when every cell has run (false if one failed); polled so a stall fails in RUN_SECONDS.
    page.evaluate("() => { window.__runAll = jupyterapp.commands.execute('notebook:run-all-cells')"
                  ".then(ok => (window.__ranAll = ok === false ? 'failed' : 'ok'),"
                  " e => (window.__ranAll = 'error: ' + e)); }")
    page.wait_for_function("() => window.__ranAll !== undefined", timeout=RUN_SECONDS * 1000, polling=500)
    return page.evaluate("() => window.__ranAll"), time.monotonic() - started


def cell_errors(page) -> list[str]:
    errors = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]')
    return [errors.nth(k).inner_text()[:500] for k in range(errors.count())]


def move(control, grid: set[str]) -> str:
    """Move a live control; a slider goes off its static grid if it can. Returns what it shows after."""
    classes = control.get_attribute("class") or ""
    if "widget-slider" in classes:
        handle = control.locator(".noUi-handle").first
        readout = control.locator(".widget-readout").first

        def value():
            return readout.inner_text().strip() if readout.count() else handle.get_attribute("aria-valuenow")

        start = value()
        handle.focus()
        for key in ("ArrowRight", "ArrowLeft"):  # a step at a time until off the grid, each way
            for _ in range(8):
                before = value()
                handle.press(key)
                if value() == before:  # the end of the range
                    break
                if not on_grid(value(), grid):
                    return value()
        if value() == start:  # a slider over its grid only: any other position
            handle.press("ArrowRight")
            if value() == start:
                handle.press("ArrowLeft")
        return value()
    if "widget-dropdown" in classes:
        select = control.locator("select")
        n = select.locator("option").count()
        select.select_option(index=(select.evaluate("s => s.selectedIndex") + 1) % n)
        return select.evaluate("s => s.value")
    if "widget-toggle-buttons" in classes:
        other = control.locator("button:not(.mod-active)").first
        other.click()
        return other.inner_text()
    raise AssertionError(f"a live control of an unexpected kind: {classes}")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_live_control_redraws_its_figure(server, context, chapter):
    url, token, log_path = server
    grids = static_grids(BOOK / chapter)
    page = context.new_page()
    try:
        outcome, seconds = run_all_cells(page, url, token, chapter)
        print(f"{chapter}: ran all cells in {seconds:.0f} s")
        errors = cell_errors(page)
        assert outcome == "ok" and not errors, f"{chapter}: run all cells: {outcome}; errors: {errors}"
        boxes = page.locator(".lstm-explorable")
        assert boxes.count() > 0, f"{chapter}: no explorable on the page"
        problems, moved = [], []
        for b in range(boxes.count()):
            box = boxes.nth(b)
            box.scroll_into_view_if_needed()
            live = box.locator(".lstm-live-control")
            try:  # the kernel swaps the grid for live controls when the box is first shown
                live.first.wait_for(state="visible", timeout=REDRAW_SECONDS * 1000)
            except Exception:
                problems.append(f"explorable {b}: never went live (no .lstm-live-control)")
                continue
            for k in range(live.count()):
                control = live.nth(k)
                label = control.locator(".widget-label").first.inner_text().strip()
                if not label:  # the visible label is the control's accessible name
                    problems.append(f"explorable {b}, control {k}: no visible label")
                for part in unnamed_parts(page, control):
                    problems.append(f"explorable {b}, control {label!r}: no accessible name with its label: {part}")
                before = box.evaluate(SNAPSHOT_JS)
                shows = move(control, grids.get(label, set()))
                after, waited = before, time.monotonic()
                while after == before and time.monotonic() - waited < REDRAW_SECONDS:
                    page.wait_for_timeout(200)
                    after = box.evaluate(SNAPSHOT_JS)
                off_grid = "" if label not in grids else (" (on the grid)" if on_grid(shows, grids[label])
                                                          else " (off the grid)")
                moved.append(f"explorable {b}, {label!r} -> {shows}{off_grid}")
                if after == before:
                    problems.append(f"explorable {b}, control {label!r} moved to {shows}: "
                                    f"figure not redrawn in {REDRAW_SECONDS} s")
                error = box.locator(".lstm-live-error")
                if error.count():
                    problems.append(f"explorable {b}, control {label!r}: {error.first.inner_text()}")
        print("\n".join(moved))
        errors = cell_errors(page)
        assert not problems and not errors, "\n".join(problems + errors)
    finally:
        page.close()
