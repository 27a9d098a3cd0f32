"""The examples in the package's docstrings (the lines after >>>) run, and give what they show."""
import doctest
import importlib
import pkgutil

import pytest

import lstm

MODULES = ["lstm"] + sorted(m.name for m in pkgutil.walk_packages(lstm.__path__, "lstm.")
                           if not m.name.endswith("__main__"))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"


def test_the_package_has_docstring_examples():
    finder = doctest.DocTestFinder()
    examples = sum(len(t.examples) for name in MODULES for t in finder.find(importlib.import_module(name)))
    assert examples >= 20, f"only {examples} docstring examples in lstm/"
