"""Headless Chromium for the browser tests: the site test and the live-notebook test.

Debian's /usr/bin/chromium (or $CHROMIUM), driven by Playwright, with a fresh profile.
Without the background-networking flags Chromium keeps calling hosts that a closed
network refuses, many at a time.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@contextmanager
def chromium_context(profile_dir: Path):
    """A persistent Chromium context in ``profile_dir`` (a fresh --user-data-dir), 1280 x 900 px,
    service workers blocked; skips without Playwright, fails without Chromium."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: apt-get install -y chromium")
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile_dir), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900}, service_workers="block")
        try:
            yield context
        finally:
            context.close()
