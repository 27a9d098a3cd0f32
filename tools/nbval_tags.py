"""Move nbval's comment markers (``# NBVAL_CHECK_OUTPUT``) into cell tags, which readers do not see.

nbval reads both: a comment line ``# NBVAL_CHECK_OUTPUT`` in a code cell and
the cell tag ``nbval-check-output`` (nbval 0.11, plugin.py: ``metadata_tags``
are the comment markers lower-cased with ``-`` for ``_``; in ``--nbval-lax``
mode either one makes nbval compare the cell's output). The comment is shown
on the website; the tag is not. This rewrites each notebook in place: every
line that is only such a marker is removed from its cell and the matching tag
added, and nothing else changes (outputs, ids and other tags stay).

Usage: python tools/nbval_tags.py book/*.ipynb     (prints what it moved)
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

MARKER = re.compile(r"^\s*#\s*(NBVAL_(?:CHECK_OUTPUT|IGNORE_OUTPUT|RAISES_EXCEPTION|SKIP))\s*$")


def tag_for(marker: str) -> str:
    """nbval's cell tag for a comment marker: NBVAL_CHECK_OUTPUT -> nbval-check-output."""
    return marker.lower().replace("_", "-")


def move_markers(nb) -> int:
    """Replace marker comment lines by cell tags in notebook ``nb``; returns how many moved."""
    moved = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept, tags = [], list(cell.metadata.get("tags", []))
        for line in cell.source.split("\n"):
            m = MARKER.match(line)
            if m:
                moved += 1
                if tag_for(m.group(1)) not in tags:
                    tags.append(tag_for(m.group(1)))
            else:
                kept.append(line)
        if len(kept) < len(cell.source.split("\n")):
            cell.metadata["tags"] = tags
            cell.source = "\n".join(kept).strip("\n")
    return moved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        moved = move_markers(nb)
        if moved:
            nbformat.write(nb, path)
        print(f"{path}: {moved} marker(s) moved to tags")
    return 0


if __name__ == "__main__":
    sys.exit(main())
