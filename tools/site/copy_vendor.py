"""Copy the JavaScript the book site serves itself into a staging folder.

The book's pages must render with no request to any outside host, so the
browser libraries a page needs are served from the site's own files:

* require.js (npm ``requirejs``): the AMD loader the ipywidgets bundle needs;
* ``@jupyter-widgets/html-manager``'s ``embed-amd.js`` and the icon fonts it
  loads from its own folder: it renders the saved widget state (sliders,
  outputs with their figures) on the static page;
* MathJax 3 (npm ``mathjax``): the ``tex-chtml`` component, its CHTML fonts,
  and the TeX extensions, menu and accessibility code it loads on demand;
* our own ``js/widgets-setup.js``, which tells require.js where the widget
  manager's files are and lets the manager typeset labels with MathJax 3.

``npm ci`` (run by the Makefile from the committed package-lock.json) puts
the packages in ``tools/site/node_modules``; this script copies only the files
above into ``<dest>/_vendor``. ``tools/site/site.yml`` lists ``<dest>`` in
``html_extra_path``, so Sphinx copies ``_vendor`` to the root of the HTML
output, where ``nb_ipywidgets_js`` and ``mathjax_path`` in ``_config.yml``
point. The folder is
deliberately not under ``_static``: Jupyter Book adds every .js and .css file
it finds in a static path to every page.

Usage: python tools/site/copy_vendor.py [--node-modules DIR] [--dest DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (npm package, path inside the package, path inside _vendor). Directories
# are copied whole.
FILES = [
    ("requirejs", "require.js", "require.js"),
    ("@jupyter-widgets/html-manager", "dist", "html-manager"),
    ("mathjax", "es5/tex-chtml.js", "mathjax/tex-chtml.js"),
    ("mathjax", "es5/output/chtml/fonts/woff-v2", "mathjax/output/chtml/fonts/woff-v2"),
    ("mathjax", "es5/input/tex/extensions", "mathjax/input/tex/extensions"),
    ("mathjax", "es5/ui", "mathjax/ui"),
    ("mathjax", "es5/a11y", "mathjax/a11y"),
    ("mathjax", "es5/sre", "mathjax/sre"),
]

# html-manager's dist also holds the non-AMD bundle and source maps, which no
# page loads.
SKIP_SUFFIXES = (".map",)
SKIP_NAMES = {"embed.js", "embed.js.LICENSE.txt", "libembed-amd.js"}


def _ignore(directory: str, names: list[str]) -> list[str]:
    return [n for n in names if n in SKIP_NAMES or n.endswith(SKIP_SUFFIXES)]


def installed_version(node_modules: Path, package: str) -> str:
    """Version of ``package`` as installed by npm, from its package.json."""
    meta = node_modules / package / "package.json"
    if not meta.is_file():
        raise FileNotFoundError(
            f"{meta} not found: run `npm ci --prefix {node_modules.parent}` first"
        )
    return json.loads(meta.read_text(encoding="utf-8"))["version"]


def copy_vendor(node_modules: Path, dest: Path) -> dict[str, str]:
    """Copy the site's JavaScript from ``node_modules`` into ``dest/_vendor``.

    Returns {npm package: installed version}. Any previous ``dest/_vendor`` is
    replaced, so the folder never mixes files of two versions.
    """
    versions = {pkg: installed_version(node_modules, pkg) for pkg, _, _ in FILES}
    vendor = dest / "_vendor"
    if vendor.exists():
        shutil.rmtree(vendor)
    for package, source, target in FILES:
        src = node_modules / package / source
        out = vendor / target
        out.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, out, ignore=_ignore)
        else:
            shutil.copy2(src, out)
    # Our own glue between require.js, the widget manager and MathJax 3.
    for script in sorted((HERE / "js").glob("*.js")):
        shutil.copy2(script, vendor / script.name)
    (vendor / "VERSIONS.json").write_text(
        json.dumps(versions, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return versions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node-modules", type=Path, default=HERE / "node_modules")
    parser.add_argument("--dest", type=Path, default=Path("_build/site_extra"))
    args = parser.parse_args(argv)
    versions = copy_vendor(args.node_modules, args.dest)
    for package, version in sorted(versions.items()):
        print(f"{package}@{version} -> {args.dest / '_vendor'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
