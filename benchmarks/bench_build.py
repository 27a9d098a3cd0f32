"""How long a writer waits: `make book` and `make test` on a fresh clone, package caches cold and warm.

    python3 benchmarks/bench_build.py                       # the full table (about 20-40 min)
    python3 benchmarks/bench_build.py --caches warm         # only with warm package caches
    python3 benchmarks/bench_build.py --work /tmp/bb --keep # keep the clones and logs
    python3 benchmarks/bench_build.py --book-target venv --test-target venv   # a quick dry run

For each package-cache state (cold first, then warm), in a fresh `git clone` of this
repository (its committed HEAD; uncommitted edits are not part of a clone):

    book (fresh clone)   `make book`: creates .venv from the lock, executes every chapter
                         into the execution cache, builds the site
    book (one md edit)   one sentence added to a markdown cell of one chapter, then
                         `make book` again: nothing should execute
    test                 `make test` right after: unit tests, live-notebook test, nbval
                         on the cached executions, the build with -W

Package caches: uv's (UV_CACHE_DIR), pip's (PIP_CACHE_DIR, which installs uv itself) and
npm's (npm_config_cache, the site's JavaScript) all point into the work folder, so the
user's own caches are neither read nor changed. "cold" starts from empty caches; "warm"
reuses the ones the cold round filled (as a second clone on the same machine would).
With --caches warm alone, a first untimed `make venv` in a scratch clone warms them.

Wall time and CPU time (user + system of make and everything it started, from
/usr/bin/time) per step, the exit status, and the load average (1 min) before each
step: on a shared machine the wall time depends on the other jobs, the CPU time much less.
Each step's output goes to WORK/logs/<cache>-<step>.log. Exit status 1 if any step failed.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The chapter and cell the "one markdown edit" step edits: a prose cell, so the
# execution cache must not execute anything again.
EDIT_CHAPTER = "book/03_memory_cell.ipynb"


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", default=str(ROOT), help="repository to clone (default: this one)")
    ap.add_argument("--work", help="folder for clones, caches and logs (default: a new temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (default: remove it)")
    ap.add_argument("--caches", choices=["cold", "warm", "both"], default="both")
    ap.add_argument("--python", default="python3", help="the Python make creates .venv from (PYTHON=...)")
    ap.add_argument("--book-target", default="book", help="make target of the two book steps (default book)")
    ap.add_argument("--test-target", default="test", help="make target of the test step (default test)")
    ap.add_argument("--make-args", default="", help="extra arguments for every make, e.g. 'CELL_TIMEOUT=600'")
    ap.add_argument("--json", metavar="OUT", help="also write the rows to this JSON file")
    return ap.parse_args(argv)


def cache_env(caches: Path) -> dict:
    """The environment that sends every package cache into ``caches``."""
    env = dict(os.environ)
    env.update(UV_CACHE_DIR=str(caches / "uv"), PIP_CACHE_DIR=str(caches / "pip"),
               npm_config_cache=str(caches / "npm"))
    return env


def clone(source: str, dest: Path) -> None:
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", source, str(dest)], check=True)


def timed(cmd: list[str], cwd: Path, env: dict, log: Path) -> dict:
    """Run ``cmd`` under /usr/bin/time; its wall and CPU seconds, exit status and load before."""
    load = os.getloadavg()[0]
    times = log.with_suffix(".time")
    start = time.perf_counter()
    with open(log, "w") as out:
        proc = subprocess.run(["/usr/bin/time", "-o", str(times), "-f", "%e %U %S", *cmd],
                              cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    wall = time.perf_counter() - start
    fields = times.read_text().split()[-3:] if times.is_file() else []
    cpu = float(fields[1]) + float(fields[2]) if len(fields) == 3 else float("nan")
    return {"wall_s": wall, "cpu_s": cpu, "exit": proc.returncode, "load_before": load, "log": str(log)}


def edit_markdown(clone_dir: Path) -> str:
    """Add one sentence to the first markdown cell of EDIT_CHAPTER (the raw JSON, so that
    no library rewrites the rest of the file); returns the cell's new last line."""
    path = clone_dir / EDIT_CHAPTER
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    source = cell["source"] if isinstance(cell["source"], list) else [cell["source"]]
    sentence = f" A sentence added at {time.strftime('%H:%M:%S')} to time a rebuild."
    source[-1] = source[-1].rstrip("\n") + sentence
    cell["source"] = source
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return source[-1]


def round_of(state: str, args, work: Path, make: list[str]) -> list[dict]:
    caches = work / "caches"
    if state == "cold":
        shutil.rmtree(caches, ignore_errors=True)
    caches.mkdir(parents=True, exist_ok=True)
    env = cache_env(caches)
    repo = work / f"clone-{state}"
    shutil.rmtree(repo, ignore_errors=True)
    clone(args.source, repo)
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    rows = []
    steps = [("book (fresh clone)", [*make, args.book_target]),
             ("book (one md edit)", [*make, args.book_target]),
             ("test", [*make, args.test_target])]
    for n, (step, cmd) in enumerate(steps):
        if n == 1:
            edit_markdown(repo)
        slug = f"{state}-{step.split()[0]}-{n}"
        row = {"caches": state, "step": step, "command": " ".join(cmd), **timed(cmd, repo, env, logs / f"{slug}.log")}
        rows.append(row)
        print(f"  {state:>5}  {step:<20} {row['wall_s']:>8.1f} {row['cpu_s']:>8.1f} {row['exit']:>5} "
              f"{row['load_before']:>6.1f}", flush=True)
    return rows


def main(argv=None) -> int:
    args = parse_args(argv)
    if shutil.which("git") is None or not Path("/usr/bin/time").is_file():
        sys.exit("bench_build.py needs git and /usr/bin/time (Debian: apt-get install time)")
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="bench_build_"))
    work.mkdir(parents=True, exist_ok=True)
    make = ["make", f"PYTHON={args.python}", *args.make_args.split()]
    states = ["cold", "warm"] if args.caches == "both" else [args.caches]
    print(f"work folder {work}; {os.cpu_count()} CPUs; cloning {args.source}")
    if states == ["warm"]:  # fill the caches once, untimed, from a scratch clone
        scratch = work / "clone-warmup"
        clone(args.source, scratch)
        subprocess.run([*make, "venv"], cwd=scratch, env=cache_env(work / "caches"), check=True,
                       stdout=subprocess.DEVNULL)
        shutil.rmtree(scratch)
    print(f"  {'cache':>5}  {'step':<20} {'wall s':>8} {'CPU s':>8} {'exit':>5} {'load':>6}")
    rows = []
    for state in states:
        rows += round_of(state, args, work, make)
    print("\n| package caches | step | wall s | CPU s | exit | load before |\n|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['caches']} | {r['step']} | {r['wall_s']:.0f} | {r['cpu_s']:.0f} | {r['exit']} | "
              f"{r['load_before']:.1f} |")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1) + "\n")
    failed = any(r["exit"] for r in rows)
    if not (args.keep or args.work or failed):  # a failure keeps its logs
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"clones, caches and logs kept in {work}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
