"""Regenerate the two text corpora of chapter 9 under book/data/text/.

    python scripts/make_text_corpora.py

(a) python_reference.txt: the English prose of the Python Language Reference and
    Library topics that ship with CPython as `pydoc_data.topics` (the text behind
    `help("if")`), every topic in sorted order.
(b) python_stdlib.txt: the source code of a fixed list of pure-Python standard library
    modules, concatenated in that order with a comment line naming each file.

Both are cleaned to plain ASCII (accents removed by Unicode decomposition, other
non-ASCII characters dropped, tabs as four spaces, no trailing spaces) so the
vocabulary is small and the same on every platform. Both are Python Software
Foundation texts under the PSF License Agreement. The committed copies were made
with CPython 3.11.7; another Python gives slightly different text, which is why the
book reads the committed files and never regenerates them at build time.
"""
import os
import sys
import sysconfig
import unicodedata
from pathlib import Path

import pydoc_data.topics

OUT = Path(__file__).resolve().parent.parent / "book" / "data" / "text"

STDLIB_MODULES = [
    "textwrap.py", "string.py", "shlex.py", "bisect.py", "heapq.py", "functools.py",
    "collections/__init__.py", "json/decoder.py", "json/encoder.py", "fractions.py",
    "csv.py", "pprint.py", "tokenize.py", "random.py", "dataclasses.py",
    "configparser.py", "difflib.py",
]


def to_ascii(text):
    """Plain ASCII: decompose accents away, drop what is left outside ASCII,
    tabs as 4 spaces, no trailing spaces, one final newline."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    lines = [line.replace("\t", "    ").rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines).strip("\n") + "\n"
    return "".join(c for c in text if c == "\n" or 32 <= ord(c) < 127)


def reference_text():
    topics = pydoc_data.topics.topics
    return to_ascii("\n\n".join(topics[k] for k in sorted(topics)))


def stdlib_text():
    root = Path(sysconfig.get_paths()["stdlib"])
    parts = [f"# ---- Lib/{name} ----\n" + (root / name).read_text(encoding="utf-8") for name in STDLIB_MODULES]
    return to_ascii("\n".join(parts))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in (("python_reference.txt", reference_text()), ("python_stdlib.txt", stdlib_text())):
        (OUT / name).write_text(text, encoding="ascii", newline="\n")
        print(f"{name}: {len(text):,} characters, {len(set(text))} distinct "
              f"(Python {sys.version.split()[0]}, {os.path.basename(sysconfig.get_paths()['stdlib'])})")


if __name__ == "__main__":
    main()
