"""A sweep: many runs of `runner.run`, declared as a plan, cached, and run in parallel.

    plan = [Entry(("reber", "adding-100"), ("modern",), EVALUATION_SEEDS, Budget(paper_multiple=2))]
    runs = expand(plan)                        # one Run per experiment x setting x seed
    sweep(runs, "book/data/sweep/cache", n_jobs=2)                  # local processes
    sweep(runs, "book/data/sweep/cache", scheduler="tcp://host:8786")  # a Dask cluster

Each run's result is stored as one JSON file whose name ends in a key hashed from the
run's full configuration: the experiment's definition (task, scoring, stopping rule),
the resolved setting (cell, optimizer, learning rate, biases, ...), the seed, the budget
and the package version (`lstm.__version__`). A sweep skips every run whose file
exists, so it resumes after an interruption, and a changed setting gets new keys only
for the runs it touches. What the key cannot see is a change of code under the same
version: bump `lstm.__version__` when a change alters results.

The engine is joblib: local processes by default (`n_jobs`), or, with `scheduler` set,
joblib's Dask backend on a `distributed` cluster. Results come back to this process,
which writes the cache, so workers need no shared disk (only the `lstm` package).
joblib and distributed are imported only when a sweep runs: `import lstm` stays numpy
and tqdm.

Seeds: the settings of `registry.MODERN` were chosen on TUNING_SEEDS; results are
reported on EVALUATION_SEEDS, which no choice was made on.
"""
import hashlib
import json
import math
import os
import time
from dataclasses import asdict, dataclass, fields
from typing import Optional, Sequence

from tqdm.auto import tqdm

from .lockstep import lockstep_capable, run_lockstep
from .registry import EXPERIMENTS, SETTINGS
from .runner import machine_info, run
from .runner1997 import CRITERIA as NET1997_CRITERIA, run_net1997

TUNING_SEEDS = tuple(range(0, 5))  # every choice in registry.MODERN was made on these
EVALUATION_SEEDS = tuple(range(100, 110))  # results are reported on these; nothing was tuned on them


def seed_set(seed):
    """'tuning', 'evaluation' or 'other' (a seed in neither list)."""
    if seed in TUNING_SEEDS:
        return "tuning"
    if seed in EVALUATION_SEEDS:
        return "evaluation"
    return "other"


def _is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


@dataclass(frozen=True)
class Budget:
    """A run's training budget, in training sequences (the paper's unit).

    sequences       a fixed number of sequences, or
    paper_multiple  that many times the paper's mean sequences to success,
                    at least `at_least` (and `at_least` alone where the paper has no number);
    seconds         an optional wall-clock limit as well (None: none; results then do not
                    depend on the machine's load).
    """
    sequences: Optional[int] = None
    paper_multiple: Optional[float] = None
    at_least: int = 0
    seconds: Optional[float] = None

    def __post_init__(self):
        if (self.sequences is None) == (self.paper_multiple is None):
            raise ValueError(f"a Budget needs exactly one of sequences= or paper_multiple=, got {self}")
        if self.sequences is not None and not (_is_int(self.sequences) and self.sequences > 0):
            raise ValueError(f"Budget.sequences must be a positive integer, got {self.sequences!r}")
        if self.paper_multiple is not None and not (
                isinstance(self.paper_multiple, (int, float)) and not isinstance(self.paper_multiple, bool)
                and self.paper_multiple > 0):
            raise ValueError(f"Budget.paper_multiple must be a positive number, got {self.paper_multiple!r}")
        if not (_is_int(self.at_least) and self.at_least >= 0):
            raise ValueError(f"Budget.at_least must be a non-negative integer, got {self.at_least!r}")
        if self.seconds is not None and not (
                isinstance(self.seconds, (int, float)) and not isinstance(self.seconds, bool) and self.seconds > 0):
            raise ValueError(f"Budget.seconds must be a positive number or None, got {self.seconds!r}")

    def sequences_for(self, exp):
        """The budget in sequences for experiment `exp` (a registry.Experiment)."""
        if self.sequences is not None:
            return self.sequences
        paper = exp.paper.sequences
        if paper is None and self.at_least == 0:
            raise ValueError(f"{exp.name} has no paper number to multiply: give the Budget at_least= or sequences=")
        return max(self.at_least, math.ceil(self.paper_multiple * (paper or 0)))


@dataclass(frozen=True)
class Entry:
    """One line of a plan: every experiment x setting x seed, with one budget."""
    experiments: Sequence[str]
    settings: Sequence[str]
    seeds: Sequence[int]
    budget: Budget


@dataclass(frozen=True)
class Run:
    """One run: what `runner.run` is called with."""
    experiment: str
    setting: str
    seed: int
    max_sequences: int
    max_seconds: Optional[float] = None  # None: no wall-clock limit

    @property
    def seed_set(self):
        return seed_set(self.seed)

    @property
    def filename(self):
        return f"{self.experiment}-{self.setting}-s{self.seed}-{key(self)}.json"


def _names(value, known, what):
    if isinstance(value, str):
        raise ValueError(f"{what} must be a list of names, got the string {value!r} (write [{value!r}])")
    names = list(value)
    if not names:
        raise ValueError(f"{what} is empty")
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"unknown {what} {unknown}; expected names from {sorted(known)}")
    return names


def expand(plan):
    """The runs of a plan (a list of Entry), in plan order, each once."""
    if isinstance(plan, Entry):
        plan = [plan]
    runs = {}
    for k, entry in enumerate(plan):
        if not isinstance(entry, Entry):
            raise TypeError(f"plan[{k}] must be an Entry, got {type(entry).__name__}")
        if not isinstance(entry.budget, Budget):
            raise TypeError(f"plan[{k}].budget must be a Budget, got {type(entry.budget).__name__}")
        experiments = _names(entry.experiments, EXPERIMENTS, f"plan[{k}] experiments")
        settings = _names(entry.settings, SETTINGS, f"plan[{k}] settings")
        seeds = list(entry.seeds)
        if not seeds:
            raise ValueError(f"plan[{k}] seeds is empty")
        bad = [s for s in seeds if not (_is_int(s) and s >= 0)]
        if bad:
            raise ValueError(f"plan[{k}] seeds must be non-negative integers, got {bad}")
        for name in experiments:
            max_sequences = entry.budget.sequences_for(EXPERIMENTS[name])
            for setting in settings:
                for seed in seeds:
                    seconds = None if entry.budget.seconds is None else float(entry.budget.seconds)
                    r = Run(name, setting, int(seed), int(max_sequences), seconds)
                    runs.setdefault((name, setting, r.seed), r)
    return list(runs.values())


def _experiment_definition(exp):
    """Everything about an experiment that a run depends on: not its title, the paper's
    numbers, whether the plans run the RNN baseline on it, or its settings (each run's own
    setting is keyed separately); the task generator is code, covered by the package version."""
    skip = {"title", "paper", "batch", "paper_setting", "modern_setting", "paper_net", "long_lag"}
    return {f.name: getattr(exp, f.name) for f in fields(exp) if f.name not in skip}


def run_config(r, version=None):
    """The full configuration of run `r`: what its cache key is hashed from."""
    if version is None:
        from .. import __version__ as version
    exp = EXPERIMENTS[r.experiment]
    return {
        "experiment": _experiment_definition(exp), "setting": asdict(exp.setting(r.setting)),
        "seed": r.seed, "max_sequences": r.max_sequences, "max_seconds": r.max_seconds, "version": version,
    }


def config_key(config):
    """16 hex digits of the SHA-256 of a configuration's canonical JSON."""
    text = json.dumps(config, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def key(r, version=None):
    return config_key(run_config(r, version))


def _load():
    """The 1-minute load average, or None where the system has none (Windows)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def _record(r, result, load_before):
    """The cache record of run `r`: the runner's result, the configuration it was keyed on,
    the machine and its load average before and after (wall times on a shared machine
    depend on it)."""
    return {"key": key(r), "run": asdict(r), "seed_set": r.seed_set, "config": run_config(r),
            "machine": machine_info(), "load_average": [load_before, _load()],
            "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "result": result}


def execute(r):
    """Run `r` (in a worker) and return its cache record."""
    load_before = _load()
    result = run(r.experiment, r.setting, r.seed, max_sequences=r.max_sequences,
                 max_seconds=math.inf if r.max_seconds is None else r.max_seconds, progress=False)
    return _record(r, result, load_before)


def cached(r, cache_dir):
    """The cached record of run `r`, or None."""
    path = os.path.join(cache_dir, r.filename)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def store(record, r, cache_dir):
    """Write one record atomically (a half-written file never looks like a finished run)."""
    os.makedirs(cache_dir, exist_ok=True)
    path = os.path.join(cache_dir, r.filename)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w") as f:
        json.dump(record, f)
    os.replace(tmp, path)


def missing(runs, cache_dir):
    """The runs that have no cached result yet."""
    return [r for r in runs if not os.path.exists(os.path.join(cache_dir, r.filename))]


def _lockstep_groups(todo, size):
    """Jobs: lists of runs executed together. Online paper-setting runs of one experiment
    and budget whose rule and cell lockstep.py handles, and no clock, go in groups of up to `size`
    (trained in lockstep, see lockstep.py), and so do the paper97 runs (runner1997); every other
    run is a job of its own."""
    groups, jobs = {}, []
    for r in todo:
        if size > 1 and r.max_seconds is None and (
                (r.setting == "paper" and lockstep_capable(EXPERIMENTS[r.experiment]))
                or (r.setting == "paper97" and EXPERIMENTS[r.experiment].criterion in NET1997_CRITERIA)):
            group = groups.setdefault((r.experiment, r.setting, r.max_sequences), [])
            if len(group) == size - 1:
                jobs.append(group + [r])
                del groups[(r.experiment, r.setting, r.max_sequences)]
            else:
                group.append(r)
        else:
            jobs.append([r])
    return jobs + list(groups.values())


def _execute_job(job):
    """[(run, record)] for a job of `_lockstep_groups`."""
    if len(job) == 1:
        return [(job[0], execute(job[0]))]
    load_before = _load()
    train = run_net1997 if job[0].setting == "paper97" else run_lockstep
    results = train(job[0].experiment, [r.seed for r in job], job[0].max_sequences)
    return [(r, _record(r, result, load_before)) for r, result in zip(job, results)]


def sweep(runs, cache_dir, n_jobs=1, scheduler=None, progress=True, lockstep=1):
    """Execute every run of `runs` not yet in `cache_dir`; returns the runs executed.

    n_jobs: worker processes (joblib, local); -1 for one per core.
    scheduler: None for local processes, or a Dask scheduler address
        ("tcp://host:8786") or `distributed.Client` to run on that cluster instead.
    lockstep: train up to this many seeds of an online paper-setting run together
        (every experiment but the continual stream and a^n b^n's peephole cell), as one batched computation (several times
        more sequences per second; the same runs up to rounding, see lockstep.py);
        their results arrive together when the group ends.
    A progress bar counts runs; each result is cached as soon as it arrives, so an
    interrupted sweep loses only the runs in flight.
    """
    runs = list(runs)
    bad = [r for r in runs if not isinstance(r, Run)]
    if bad:
        raise TypeError(f"runs must be Run objects (see expand), got {type(bad[0]).__name__}")
    if not (_is_int(n_jobs) and (n_jobs >= 1 or n_jobs == -1)):
        raise ValueError(f"n_jobs must be a positive integer or -1, got {n_jobs!r}")
    if not (_is_int(lockstep) and lockstep >= 1):
        raise ValueError(f"lockstep must be a positive integer (1: off), got {lockstep!r}")
    todo = missing(runs, cache_dir)
    bar = tqdm(total=len(runs), initial=len(runs) - len(todo), disable=not progress, unit="run", desc="sweep")
    if not todo:
        bar.close()
        return []

    # The engines are the `sweep` extra, imported only when a sweep has work to do.
    try:
        import joblib
    except ImportError:
        raise ImportError('running a sweep needs joblib: pip install "lstm-from-scratch[sweep]"') from None
    client = None
    if scheduler is None:
        config = joblib.parallel_config(backend="loky", n_jobs=n_jobs)
    else:
        try:
            from distributed import Client
        except ImportError:
            raise ImportError('a Dask scheduler needs distributed: pip install "lstm-from-scratch[sweep]"') from None
        client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
        config = joblib.parallel_config(backend="dask", n_jobs=n_jobs)
    done = []
    try:
        with config:
            jobs = _lockstep_groups(todo, lockstep)
            results = joblib.Parallel(return_as="generator_unordered")(joblib.delayed(_execute_job)(j) for j in jobs)
            for pairs in results:
                for r, record in pairs:
                    store(record, r, cache_dir)
                    done.append(r)
                    bar.set_postfix_str(f"{r.experiment} {r.setting} s{r.seed}: "
                                        f"{'solved' if record['result']['solved'] else 'not solved'}")
                    bar.update(1)
    finally:
        bar.close()
        if client is not None and client is not scheduler:
            client.close()
    return done


def records(runs, cache_dir):
    """(records of the cached runs, in plan order, each the runner's result plus
    seed_set, key and version; the runs not cached yet)."""
    found, absent = [], []
    for r in runs:
        rec = cached(r, cache_dir)
        if rec is None:
            absent.append(r)
            continue
        out = dict(rec["result"])
        out.update(seed_set=rec["seed_set"], key=rec["key"], version=rec["config"]["version"],
                   max_seconds=r.max_seconds)
        if "machine" in rec:
            out["machine"] = rec["machine"]
        found.append(out)
    return found, absent


def write_results(path, sections, cache_dir, note=""):
    """Write `path` (JSON) from the cache: for each section name, the records of its runs.

    sections: {"runs": [Run, ...], "evaluation_runs": [...], ...}. Also written: the
    machine writing the file, the package version, the seed sets, and per section the
    runs the cache does not hold yet ("missing").
    """
    from .. import __version__
    out = {"machine": machine_info(), "version": __version__, "note": note,
           "seed_sets": {"tuning": list(TUNING_SEEDS), "evaluation": list(EVALUATION_SEEDS)}, "missing": {}}
    for name, runs in sections.items():
        out[name], absent = records(runs, cache_dir)
        out["missing"][name] = [asdict(r) for r in absent]
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w") as f:
        json.dump(out, f, indent=1)
    os.replace(tmp, path)
    return out
