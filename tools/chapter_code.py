"""How much of each chapter's code is plotting and setup, and how much is the model.

    python tools/chapter_code.py            # a table, one row per chapter

A code line (not blank, not a comment) counts as plotting when it draws: it names a
figure or axes (plt, fig, ax, axes, twin), the book's figure helpers (plots.), or
matplotlib's vocabulary (legend, tight_layout, set_xlabel ...). It counts as setup
when it imports, configures IPython or numpy printing. Everything else is model code:
what the reader is meant to read. tests/test_chapter_code.py holds every chapter to
at most MAX_SHARE plotting and setup.
"""
import json
import re
import sys
from pathlib import Path

MAX_SHARE = 1 / 6
PLOTTING = re.compile(r"\b(plt|fig|figs|ax|axes|ax\d|axs|twin|plots|cmap|colors?)\b\s*[.\[=,)]|"
                      r"\b(legend|tight_layout|set_(x|y)(label|lim|ticks|scale)|subplots|savefig|colorbar|"
                      r"imshow|axhline|axvline|annotate|suptitle|set_title)\b")
SETUP = re.compile(r"^\s*(import |from \S+ import |%|np\.set_printoptions|warnings\.)")


def code_lines(notebook):
    """The non-blank, non-comment lines of every code cell of a notebook file."""
    cells = json.loads(Path(notebook).read_text())["cells"]
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        for line in "".join(cell["source"]).splitlines():
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                yield line


def shares(notebook):
    """(code lines, plotting lines, setup lines) of a chapter."""
    lines = list(code_lines(notebook))
    setup = sum(1 for line in lines if SETUP.match(line))
    plotting = sum(1 for line in lines if not SETUP.match(line) and PLOTTING.search(line))
    return len(lines), plotting, setup


def main(book="book"):
    print(f"{'chapter':32} {'code':>5} {'plot':>5} {'setup':>5} {'share':>6}")
    for path in sorted(Path(book).glob("[0-9]*.ipynb")):
        total, plotting, setup = shares(path)
        print(f"{path.stem:32} {total:5d} {plotting:5d} {setup:5d} {(plotting + setup) / max(total, 1):6.1%}")


if __name__ == "__main__":
    main(*sys.argv[1:])
