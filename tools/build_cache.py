"""Execute the chapters that need it, in parallel, into the book's execution cache.

The website build (`jupyter-book build`, execute_notebooks: cache) and the
notebook tests (tools/nbval_cached.py) both read each chapter's outputs from
one jupyter-cache folder, _build/.jupyter_cache, so `make test` executes a
chapter once for both, and a chapter is executed again only when it must be.

jupyter-cache matches a chapter by its code cells alone (sources and cell
metadata; markdown cells, outputs and ids are not part of the match), so a
sentence fixed in a markdown cell re-executes nothing. What a chapter computes
also depends on the package it imports (lstm/), the results it reads
(book/data/), the pinned libraries (requirements.txt) and the Python running
it; jupyter-cache cannot see those. Their hash, the *inputs key*, is written
next to the cache, and when it differs from the current one the whole cache is
cleared before anything reads it: a change to lstm/ re-executes every chapter,
and no page can show outputs computed by older code.

    python tools/build_cache.py                  # execute what is stale (2 at a time)
    python tools/build_cache.py --status         # list what is stale; execute nothing
    python tools/build_cache.py --jobs 1 --timeout 120 book/03_memory_cell.ipynb

Prints each chapter's execution time. A chapter that raises (a failing
`claim(...)` included) or a cell that runs longer than --timeout seconds is
reported with its traceback, is not cached, and makes the exit status 1.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / "_build" / ".jupyter_cache"
KEY_FILE = "inputs_key.txt"
# What the chapters' outputs depend on besides their own code cells (paths
# relative to the repository root; folders are hashed file by file).
INPUTS = ("lstm", "book/data", "requirements.txt")
IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}


def chapters(root: Path = ROOT) -> list[Path]:
    """The book's chapters, book/NN_*.ipynb, in reading order."""
    return sorted(p for p in (root / "book").glob("*.ipynb") if not p.name.startswith("_"))


def input_files(root: Path = ROOT, inputs=INPUTS) -> list[Path]:
    """Every file the inputs key covers, sorted by path relative to ``root``."""
    files = []
    for name in inputs:
        path = root / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(p for p in path.rglob("*")
                         if p.is_file() and not IGNORED_PARTS & set(p.relative_to(root).parts)
                         and p.suffix != ".pyc")
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def inputs_key(root: Path = ROOT, inputs=INPUTS) -> str:
    """sha256 of the Python version and every input file's path and bytes."""
    digest = hashlib.sha256()
    digest.update(f"python {sys.version_info[:3]}\n".encode())
    for path in input_files(root, inputs):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def ensure_current(cache_dir: Path, key: str) -> bool:
    """Clear ``cache_dir`` unless it was filled under inputs ``key``; return True if it was cleared.

    A cache without a key file (made by an older build, or by hand) counts as stale.
    """
    key_file = cache_dir / KEY_FILE
    if key_file.is_file() and key_file.read_text(encoding="utf-8").strip() == key:
        return False
    existed = cache_dir.exists()
    shutil.rmtree(cache_dir, ignore_errors=True)
    cache_dir.mkdir(parents=True, exist_ok=True)
    key_file.write_text(key + "\n", encoding="utf-8")
    return existed


def check_current(cache_dir: Path, key: str) -> None:
    """Raise RuntimeError unless ``cache_dir`` holds outputs computed under inputs ``key``."""
    key_file = cache_dir / KEY_FILE
    found = key_file.read_text(encoding="utf-8").strip() if key_file.is_file() else None
    if found != key:
        raise RuntimeError(
            f"{cache_dir}: the cached outputs were computed from other code or data "
            f"(inputs key {found or 'missing'}, now {key}); run `python tools/build_cache.py` first")


def open_cache(cache_dir: Path):
    from jupyter_cache import get_cache

    return get_cache(str(cache_dir))


def is_cached(cache, path: Path, max_seconds: float | None = None) -> bool:
    """True if the cache holds an execution of ``path``'s current code cells.

    With ``max_seconds``, an execution that took longer does not count: the
    book build fails on such a chapter (tools/site/execution_budget.py, a
    stalled cell), so it is executed again rather than kept.
    """
    try:
        record = cache.match_cache_notebook(nbformat.read(path, as_version=4))
    except KeyError:
        return False
    seconds = (record.data or {}).get("execution_seconds")
    return max_seconds is None or seconds is None or seconds <= max_seconds


def stale(cache_dir: Path, notebooks: list[Path], key: str, max_seconds: float | None = None) -> list[Path]:
    """The notebooks that must be executed: all of them if ``key`` changed, else those not cached."""
    ensure_current(cache_dir, key)
    cache = open_cache(cache_dir)
    return [p for p in notebooks if not is_cached(cache, p, max_seconds)]


def _execute(path: str, timeout: int):
    """Worker: execute one notebook from a fresh kernel, in its own folder (as myst-nb does)."""
    from jupyter_cache.executors.utils import single_nb_execution

    nb = nbformat.read(path, as_version=4)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = single_nb_execution(nb, cwd=str(Path(path).parent), timeout=timeout,
                                 allow_errors=False, meta_override=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The kernel is this worker's child: once it has exited, its CPU time is
    # counted here. Unlike the wall time, it hardly grows when other jobs
    # share the machine.
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return path, result.nb, result.time, cpu, result.exc_string


def execute(cache_dir: Path, notebooks: list[Path], timeout: int, jobs: int, log=print) -> list[Path]:
    """Execute ``notebooks`` ``jobs`` at a time and cache those that ran cleanly; return the failures."""
    from jupyter_cache.base import CacheBundleIn

    if jobs < 1:
        raise ValueError(f"jobs: expected at least 1 parallel execution, got {jobs}")
    if timeout < 1:
        raise ValueError(f"timeout: expected a positive number of seconds per cell, got {timeout}")
    cache = open_cache(cache_dir)
    failed = []
    with ProcessPoolExecutor(max_workers=min(jobs, max(len(notebooks), 1))) as pool:
        futures = [pool.submit(_execute, str(p), timeout) for p in notebooks]
        for future in as_completed(futures):
            path, nb, seconds, cpu, error = future.result()
            name = Path(path).name
            if error:
                failed.append(Path(path))
                log(f"FAILED   {name} after {seconds:.1f} s:\n{error}")
                continue
            cache.cache_notebook_bundle(CacheBundleIn(nb, path, data={"execution_seconds": seconds}),
                                        check_validity=False, overwrite=True)
            log(f"executed {name} in {seconds:.1f} s (kernel CPU {cpu:.1f} s)")
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every book/*.ipynb")
    parser.add_argument("--cache", type=Path, default=CACHE_DIR, help="default: _build/.jupyter_cache")
    parser.add_argument("--jobs", type=int, default=2, help="chapters executed at once (default 2)")
    parser.add_argument("--timeout", type=int, default=120, help="seconds one cell may run (default 120)")
    parser.add_argument("--status", action="store_true", help="only list the stale chapters")
    args = parser.parse_args(argv)
    notebooks = [p.resolve() for p in args.notebooks] or chapters()
    missing = [str(p) for p in notebooks if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")

    key = inputs_key()
    if ensure_current(args.cache, key):
        print(f"{args.cache}: lstm/, book/data/ or the lock changed; every chapter will execute again")
    todo = stale(args.cache, notebooks, key, max_seconds=args.timeout)
    print(f"{len(todo)} of {len(notebooks)} chapter(s) to execute"
          + (": " + ", ".join(p.name for p in todo) if todo else " (all cached)"))
    if args.status or not todo:
        return 0
    start = time.perf_counter()
    failed = execute(args.cache, todo, args.timeout, args.jobs)
    print(f"{len(todo) - len(failed)} chapter(s) executed in {time.perf_counter() - start:.1f} s"
          f" ({args.jobs} at a time)")
    if failed:
        print(f"{len(failed)} chapter(s) failed: {', '.join(p.name for p in failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    os.environ.setdefault("JUPYTER_PREFER_ENV_PATH", "1")
    sys.exit(main())
