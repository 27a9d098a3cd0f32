"""Write the book's page of checked claims from the chapters' own checks.

Every sentence a chapter rests on a measurement is checked by a call
``claim("the sentence", holds, measured)`` (lstm.book.claims) in a hidden cell.
This script reads those calls from the notebooks' code cells (it does not run
them) and writes book/checked_claims.md, one list per chapter, so the list is
generated, never kept by hand. tests/test_claims.py fails when the page is out
of date with the notebooks.

    python tools/list_claims.py            # write the page
    python tools/list_claims.py --check    # exit 1 if the page is out of date
"""
from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
PAGE = BOOK / "checked_claims.md"

HEADER = """# Checked claims

Every sentence of this book that rests on a measurement is checked when the book
is built: a hidden cell right after the computation tests the measurement, and if
it no longer supports the sentence, the build stops and names the sentence. This
page lists those sentences, chapter by chapter. It is generated from the checks
themselves (`tools/list_claims.py`), so it cannot list a check that does not exist.
"""


def chapter_claims(path: Path) -> list[str]:
    """The sentences of every ``claim(...)`` call in the notebook's code cells, in order."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    sentences = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        try:
            tree = ast.parse(source)
        except SyntaxError:  # a cell with IPython magics: no claims in it
            continue
        sentences += _claims_in(tree, in_loop=False)
    return sentences


def _claims_in(node: ast.AST, in_loop: bool) -> list[str]:
    """The sentences of the claim calls under ``node``, in source order; ``in_loop``: inside a loop."""
    if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "claim"
            and node.args):
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return [" ".join(first.value.split())]
        if isinstance(first, ast.JoinedStr):
            return [_fstring_sentence(first, in_loop)]
        return []
    loop = in_loop or isinstance(node, (ast.For, ast.While, ast.comprehension))
    return [s for child in ast.iter_child_nodes(node) for s in _claims_in(child, loop)]


def _fstring_sentence(node: ast.JoinedStr, in_loop: bool) -> str:
    """An f-string claim as the reader can read it: its text, each computed part shown as "…",
    and a note saying the part is filled in when the chapter runs (for every case of a loop)."""
    text = "".join(part.value if isinstance(part, ast.Constant) else "…" for part in node.values)
    text = " ".join(text.split())
    if "…" not in text:
        return text
    return text + (" (checked for each case of a loop; … stands for what each case fills in)" if in_loop
                   else " (… stands for the measured value)")


def chapter_title(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


def render() -> str:
    parts = [HEADER]
    for path in sorted(BOOK.glob("[0-9][0-9]_*.ipynb")):
        sentences = chapter_claims(path)
        parts.append(f"\n## {chapter_title(path)}\n\n{{doc}}`{path.stem}`: {len(sentences)} checked claims.\n")
        parts.extend(f"\n1. {s}" for s in sentences)
        parts.append("\n")
    return "".join(parts).rstrip() + "\n"


def counts() -> dict[str, int]:
    """Chapter file stem -> number of checked claims."""
    return {p.stem: len(chapter_claims(p)) for p in sorted(BOOK.glob("[0-9][0-9]_*.ipynb"))}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the page is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if not PAGE.exists() or PAGE.read_text(encoding="utf-8") != text:
            print(f"{PAGE.relative_to(ROOT)} is out of date: run python tools/list_claims.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    for stem, n in counts().items():
        print(f"{stem}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
