"""Insert the coding exercises of handoff/exercises/NN.json into the chapters' notebooks.

    python tools/apply_exercise_cells.py                       # every NN.json into book/NN_*.ipynb
    python tools/apply_exercise_cells.py --book /tmp/copy 05   # chapter 5 only, into copies

A file holds one block or a list of blocks:

    {"after_heading": "## Exercises",
     "cells": [{"cell_type": "markdown" | "code", "source": "...", "tags": [...]}, ...],
     "replace_cells_containing": ["..."],      # optional: existing cells holding one of these are removed
     "truncate_cells_at": ["..."]}             # optional: existing cells lose the text from this marker on

The cells go at the end of the heading's section: before the next markdown cell with a
heading of the same or a higher level, or at the end of the notebook. In markdown, {next}
becomes one more than the highest exercise number ("**3.**" or "3." at the start of a line)
in that section. Each inserted cell carries metadata "exercise_cell": "<chapter>-<block>-<k>",
so running the tool again first removes the cells it inserted before and inserts them anew:
the result does not change (idempotent), and a changed JSON file replaces the old cells.
Cells it inserted are never matched by replace_cells_containing or truncate_cells_at.
Code cells are inserted without outputs; execute the notebook afterwards.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
KEY = "exercise_cell"


def _heading_level(line: str) -> int | None:
    m = re.match(r"^(#{1,6})\s", line)
    return len(m.group(1)) if m else None


def _ours(cell) -> bool:
    return KEY in cell.get("metadata", {})


def _section_end(cells, heading: str) -> tuple[int, int]:
    """(index of the cell holding ``heading``, index where its section ends)."""
    level = _heading_level(heading)
    if level is None:
        raise ValueError(f"after_heading must be a markdown heading line such as '## Exercises', got {heading!r}")
    for k, cell in enumerate(cells):
        if cell.cell_type != "markdown" or _ours(cell):
            continue
        lines = cell.source.splitlines()
        if heading.strip() not in (line.strip() for line in lines):
            continue
        for j in range(k + 1, len(cells)):
            if cells[j].cell_type != "markdown" or _ours(cells[j]):
                continue
            levels = [_heading_level(line) for line in cells[j].source.splitlines()]
            if any(lv is not None and lv <= level for lv in levels):
                return k, j
        return k, len(cells)
    raise ValueError(f"no markdown cell has the heading line {heading!r}")


def _next_number(cells, start: int, end: int) -> int:
    numbers = [0]
    for cell in cells[start:end]:
        if cell.cell_type == "markdown" and not _ours(cell):
            for bold, plain in re.findall(r"^(?:\*\*(\d+)\.|(\d+)\.\s)", cell.source, re.M):
                numbers.append(int(bold or plain))
    return max(numbers) + 1


def _new_cell(spec: dict, tag: str, number: int):
    kind = spec.get("cell_type")
    source = spec.get("source")
    if kind not in ("markdown", "code") or not isinstance(source, str):
        raise ValueError(f"a cell needs cell_type 'markdown' or 'code' and a string source, got {spec!r}")
    meta = {KEY: tag}
    if spec.get("tags"):
        meta["tags"] = list(spec["tags"])
    if kind == "markdown":
        cell = nbformat.v4.new_markdown_cell(source.replace("{next}", str(number)), metadata=meta)
    else:
        cell = nbformat.v4.new_code_cell(source, metadata=meta)
    cell["id"] = f"exercise-{tag}"  # the same id on every run, so re-running changes nothing
    return cell


def apply_blocks(nb, blocks, chapter: str):
    """Apply the blocks of one chapter to the notebook ``nb`` (changed in place); returns a summary."""
    if isinstance(blocks, dict):
        blocks = [blocks]
    cells = [c for c in nb.cells if not (_ours(c) and c.metadata[KEY].startswith(f"{chapter}-"))]
    removed = len(nb.cells) - len(cells)
    notes = []
    for b, block in enumerate(blocks):
        unknown = set(block) - {"after_heading", "cells", "replace_cells_containing", "truncate_cells_at"}
        if unknown:
            raise ValueError(f"chapter {chapter}, block {b}: unknown keys {sorted(unknown)}")
        for marker in block.get("truncate_cells_at", []):
            for cell in cells:
                if not _ours(cell) and marker in cell.source:
                    cell.source = cell.source[:cell.source.index(marker)].rstrip() + "\n"
                    notes.append(f"cut a cell at {marker[:40]!r}")
        keep = []
        for cell in cells:
            hit = [s for s in block.get("replace_cells_containing", []) if s in cell.source]
            if hit and not _ours(cell):
                notes.append(f"removed a {cell.cell_type} cell holding {hit[0][:40]!r}")
            else:
                keep.append(cell)
        cells = keep
        start, end = _section_end(cells, block["after_heading"])
        number = _next_number(cells, start, end)
        new = [_new_cell(spec, f"{chapter}-{b}-{k}", number) for k, spec in enumerate(block["cells"])]
        cells[end:end] = new
        notes.append(f"inserted {len(new)} cells at the end of {block['after_heading']!r}")
    nb.cells = cells
    return f"{removed} old inserted cells replaced; " + "; ".join(notes)


def notebook_for(book: Path, chapter: str) -> Path:
    found = sorted(book.glob(f"{chapter}_*.ipynb"))
    if len(found) != 1:
        raise FileNotFoundError(f"expected one notebook {chapter}_*.ipynb in {book}, found {len(found)}")
    return found[0]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", help="two-digit chapter numbers (default: every NN.json)")
    parser.add_argument("--book", type=Path, default=ROOT / "book", help="folder of the notebooks")
    parser.add_argument("--cells", type=Path, default=ROOT / "handoff" / "exercises", help="folder of NN.json")
    args = parser.parse_args(argv)
    chapters = args.chapters or sorted(p.stem for p in args.cells.glob("[0-9][0-9].json"))
    for chapter in chapters:
        blocks = json.loads((args.cells / f"{chapter}.json").read_text())
        path = notebook_for(args.book, chapter)
        nb = nbformat.read(path, as_version=4)
        summary = apply_blocks(nb, blocks, chapter)
        nbformat.write(nb, path)
        print(f"{path.name}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
