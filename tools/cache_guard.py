"""Sphinx extension: a direct `jupyter-book build` never shows outputs of older code.

`make book` and `make test` run tools/build_cache.py before the build, which clears
the execution cache (_build/.jupyter_cache) when lstm/, book/data/ or the lock
changed since the chapters were executed (their hash, the *inputs key*, is kept
next to the cache). A `jupyter-book build .` typed by hand skips that step, and
myst-nb's cache matches a chapter by its code cells alone: after an edit to lstm/
it would serve the old outputs. This extension does the same check inside the
build itself:

- when the build starts (after myst-nb has worked out where its cache is), a
  cache filled under another inputs key is cleared, exactly as build_cache.py
  clears it; myst-nb then executes every chapter again (execute_notebooks:
  cache runs what the cache lacks), so the pages show what the current code
  computes;
- Sphinx keeps each page it has read (_build/.doctrees) and reads again only the
  pages whose source changed; an lstm/ edit changes no source, so when the cache
  was cleared every page is read again too.

Enabled in _config.yml:  sphinx: local_extensions: {cache_guard: tools}
"""
from __future__ import annotations

from pathlib import Path

from sphinx.util import logging

import build_cache  # tools/, on sys.path as the folder of this local extension

LOGGER = logging.getLogger(__name__)


def _guard(app) -> None:
    """On builder-inited, after myst-nb's own handler (it sets the cache path)."""
    config = getattr(app.env, "mystnb_config", None)
    if config is None or config.execution_mode != "cache":
        return  # no cache is read (execute_notebooks: force, off, auto)
    cache_dir = Path(config.execution_cache_path)
    key = build_cache.inputs_key(Path(app.srcdir))
    app.env.cache_guard_cleared = build_cache.ensure_current(cache_dir, key)
    if app.env.cache_guard_cleared:
        LOGGER.info(f"cache_guard: {cache_dir} held outputs of other code or data (lstm/, book/data/ "
                    f"or the lock changed); cleared it, every chapter executes again")


def _reread_all(app, env, added, changed, removed):
    """On env-get-outdated: every page when the cache was cleared (their doctrees hold old outputs)."""
    if getattr(env, "cache_guard_cleared", False):
        return sorted(set(env.found_docs) - set(added) - set(changed))
    return []


def setup(app):
    # myst-nb sets env.mystnb_config on builder-inited at the default priority (500).
    app.connect("builder-inited", _guard, priority=900)
    app.connect("env-get-outdated", _reread_all)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
