"""The package's layers: imports go one way, and the core needs only numpy and tqdm.

    lstm (core: cells, layers, training)  ->  lstm.tasks  ->  lstm.experiments  ->  lstm.book

A module may import from its own layer and the layers to its left, never to its right,
and no chain of imports may come back to where it started (an import cycle). Imports
are read from the source with `ast`, those inside functions included, so a cycle or a
dependency hidden in a function body is found too. Importing a submodule also imports
its parent package; that implicit step is not an edge here (it cannot form a cycle
that Python does not already resolve).
"""
import ast
import functools
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("", "tasks", "experiments", "book")  # subpackages of lstm, left to right; "" is the core
CORE_THIRD_PARTY = {"numpy", "tqdm"}
# Optional imports the core may make inside a function that raises a clear ImportError
# without them: reading a file written by torch.save needs torch; running a sweep needs
# its engine (the `sweep` extra).
OPTIONAL = {("lstm.checkpoint", "torch"), ("lstm.experiments.sweep", "joblib"),
            ("lstm.experiments.sweep", "distributed")}


def modules(root, package):
    """Module name -> path for every .py file of `package` under `root`."""
    found = {}
    for path in sorted((Path(root) / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name, path, known):
    """Every module that `name` (at `path`) imports, anywhere in its source, as absolute
    names; submodules of the package are resolved against `known` (a set of names)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            for alias in node.names:  # `from . import fused` imports the module lstm.fused
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
    return found


def import_graph(root, package):
    """Module -> the set of the package's modules it imports, and module -> every import."""
    paths = modules(root, package)
    every = {name: imports(name, path, set(paths)) for name, path in paths.items()}
    inside = {name: {m for m in targets if m in paths} for name, targets in every.items()}
    return inside, every


def find_cycle(graph):
    """One import cycle as a list [a, b, ..., a], or None."""
    state = {}  # name -> "open" while on the current path, "done" after

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt):] + [node, nxt] if nxt in path else [node, nxt]
            if nxt not in state:
                cycle = visit(nxt, path + [node])
                if cycle:
                    return cycle
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state:
            cycle = visit(start, [])
            if cycle:
                return cycle
    return None


def layer_of(name, package):
    """Index in LAYERS of the layer that module `name` belongs to."""
    parts = name.split(".")
    sub = parts[1] if len(parts) > 1 and parts[1] in LAYERS else ""
    return LAYERS.index(sub)


def outside_dependencies(every, package):
    """(module, import) pairs of core modules (all but lstm.book) that import anything
    but the standard library, numpy, tqdm and the package itself."""
    bad = []
    for name, targets in every.items():
        if layer_of(name, package) == LAYERS.index("book"):
            continue
        for target in targets:
            top = target.split(".")[0]
            if top == package or top in sys.stdlib_module_names or top in CORE_THIRD_PARTY:
                continue
            if (name, top) not in OPTIONAL:
                bad.append((name, target))
    return sorted(bad)


def wrong_way(inside, package):
    """(module, import) pairs where a module imports from a layer to its right."""
    return sorted((name, target) for name, targets in inside.items() for target in targets
                  if layer_of(target, package) > layer_of(name, package))


@functools.lru_cache(maxsize=None)
def package_graph():
    """import_graph of this repository's lstm/, parsed once per test process (every
    module's source through ast: the four checks below read the same graph)."""
    return import_graph(ROOT, "lstm")


def test_the_package_has_no_import_cycle():
    inside, _ = package_graph()
    assert find_cycle(inside) is None, f"import cycle: {' -> '.join(find_cycle(inside))}"


def test_core_modules_import_only_the_standard_library_numpy_and_tqdm():
    _, every = package_graph()
    assert outside_dependencies(every, "lstm") == []


def test_imports_go_from_the_core_to_tasks_to_experiments_to_the_book_helpers():
    inside, _ = package_graph()
    assert wrong_way(inside, "lstm") == []


def test_no_core_module_imports_the_book_helpers():
    _, every = package_graph()
    users = [name for name, targets in every.items() if layer_of(name, "lstm") < LAYERS.index("book")
             and any(t == "lstm.book" or t.startswith("lstm.book.") for t in targets)]
    assert users == []


# The checks themselves, on small made-up packages --------------------------------

def _write(root, files):
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_a_cycle_through_an_import_inside_a_function_is_found(tmp_path):
    _write(tmp_path, {"lstm/__init__.py": "",
                      "lstm/a.py": "def f():\n    from .b import g\n    return g\n",
                      "lstm/b.py": "from . import c\n",
                      "lstm/c.py": "from lstm.a import f\n",
                      "lstm/d.py": "from .a import f\n"})
    inside, _ = import_graph(tmp_path, "lstm")
    cycle = find_cycle(inside)
    assert cycle is not None and cycle[0] == cycle[-1]
    assert set(cycle) == {"lstm.a", "lstm.b", "lstm.c"}


def test_a_package_without_a_cycle_passes(tmp_path):
    _write(tmp_path, {"lstm/__init__.py": "from .a import f\nfrom .b import g\n",
                      "lstm/a.py": "import numpy as np\n",
                      "lstm/b.py": "from .a import np\n"})
    inside, _ = import_graph(tmp_path, "lstm")
    assert find_cycle(inside) is None


def test_a_core_module_that_needs_matplotlib_or_the_book_helpers_is_found(tmp_path):
    _write(tmp_path, {"lstm/__init__.py": "",
                      "lstm/draw.py": "def f():\n    from matplotlib.patches import Circle\n",
                      "lstm/tasks/__init__.py": "from ..book import style\n",
                      "lstm/book/__init__.py": "import matplotlib\n",
                      "lstm/book/style.py": "import ipywidgets\nfrom lstm import draw\n"})
    inside, every = import_graph(tmp_path, "lstm")
    assert outside_dependencies(every, "lstm") == [("lstm.draw", "matplotlib.patches")]
    assert wrong_way(inside, "lstm") == [("lstm.tasks", "lstm.book.style")]


@pytest.mark.parametrize("module, source, expected", [
    ("pkg.m", "from . import b", {"pkg.b"}),
    ("pkg.m", "from . import VALUE", {"pkg"}),
    ("pkg.m", "from .b import x", {"pkg.b"}),
    ("pkg.m", "def f():\n    import os.path", {"os.path"}),
    ("pkg.sub.m", "from ..b import x", {"pkg.b"}),
    ("pkg.sub", "from .m import y", {"pkg.sub.m"}),
])
def test_relative_imports_are_resolved_to_module_names(tmp_path, module, source, expected):
    files = {"pkg/__init__.py": "", "pkg/b.py": "", "pkg/m.py": "", "pkg/sub/__init__.py": "", "pkg/sub/m.py": ""}
    rel = "pkg/sub/__init__.py" if module == "pkg.sub" else module.replace(".", "/") + ".py"
    files[rel] = source
    _write(tmp_path, files)
    paths = modules(tmp_path, "pkg")
    assert imports(module, paths[module], set(paths)) == expected


def test_every_core_module_imports_without_the_book_extra_or_torch():
    # A fresh interpreter in which matplotlib, ipywidgets, IPython and torch cannot be imported.
    code = (
        "import sys, pkgutil, importlib\n"
        "for name in ('matplotlib', 'ipywidgets', 'IPython', 'torch'):\n"
        "    sys.modules[name] = None\n"
        "import lstm\n"
        "names = [m.name for m in pkgutil.walk_packages(lstm.__path__, 'lstm.') if not m.name.startswith('lstm.book')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "print(len(names))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    core = [n for n in modules(ROOT, "lstm") if n != "lstm" and not n.startswith("lstm.book")]
    assert int(out.stdout.strip()) == len(core)
