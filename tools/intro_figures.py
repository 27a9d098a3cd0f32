"""Write the intro's figure of the whole LSTM cell, book/figures/cell.svg.

    python tools/intro_figures.py

The intro is a Markdown page, so it cannot run the diagram code itself; this script draws
the standard cell with the same helper the chapters use (lstm.book.diagrams.cell_diagram)
and saves it where intro.md includes it. Rerun it whenever the diagram helper changes.
"""
from pathlib import Path

from lstm.book.diagrams import cell_diagram

OUT = Path(__file__).resolve().parent.parent / "book" / "figures" / "cell.svg"


def main():
    OUT.parent.mkdir(parents=True, exist_ok=True)
    cell_diagram("standard").save(OUT)
    print(f"wrote {OUT.relative_to(OUT.parent.parent.parent)}")


if __name__ == "__main__":
    main()
