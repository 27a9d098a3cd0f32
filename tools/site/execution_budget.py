"""Sphinx extension: a chapter whose execution takes longer than one cell may take fails the build.

A stalled execution does not raise: the notebook client finds the cell's
reply when the cell timeout expires and goes on with identical outputs (see
tests/test_notebooks_execute_cleanly.py for the cause the book removed). So
the timeout alone would only cap what a stall costs. Every chapter executes
in well under the per-cell timeout (`make book CELL_TIMEOUT=...`), so a
chapter that takes longer than that has either stalled or grown too slow for
the book; both should fail loudly. This warns (an error under -W) with the
chapter's run time.
"""
from __future__ import annotations

from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)


def check_execution_times(app: Sphinx, env) -> None:
    budget = app.config.nb_execution_timeout
    if not budget or budget <= 0:
        return
    for docname in sorted(env.found_docs):
        data = NbMetadataCollector.get_exec_data(env, docname) or {}
        runtime = data.get("runtime")
        if runtime is not None and runtime > budget:
            logger.warning(
                f"{docname}: executed in {runtime:.0f} s, longer than the {budget} s one cell may take: "
                "a stalled cell (the client found its reply only at the timeout) or a chapter grown "
                "too slow", location=docname)


def setup(app: Sphinx) -> dict:
    app.connect("env-updated", check_execution_times)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
