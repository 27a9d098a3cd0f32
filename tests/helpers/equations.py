"""The equation numbers the built book prints, for tests that check a message quotes them."""
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def printed_equation_number(label):
    """The number the built book prints for the equation labelled `label`: numbered equations
    ($$ ... $$ (label)) are counted through the chapters in the order of _toc.yml."""
    files = re.findall(r"- file: (book/\d\d_\w+)", (ROOT / "_toc.yml").read_text())
    labels = []
    for name in files:
        for cell in json.loads((ROOT / f"{name}.ipynb").read_text())["cells"]:
            if cell["cell_type"] == "markdown":
                labels += re.findall(r"^\$\$ *\(([\w-]+)\)", "".join(cell["source"]), flags=re.M)
    if label not in labels:
        raise ValueError(f"no numbered equation labelled {label!r} in the chapters of _toc.yml")
    return labels.index(label) + 1
