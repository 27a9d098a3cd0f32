"""The sweep engine: cache keys, resuming, the Dask path, plan validation."""
import json
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import lstm
from lstm.experiments import registry, runner
from lstm.experiments import sweep as sw
from lstm.experiments.plans import PLANS
from lstm.experiments.sweep import (EVALUATION_SEEDS, TUNING_SEEDS, Budget, Entry, Run, config_key, expand, key,
                                    run_config, sweep, write_results)

# Runs of a few training sequences: a second or less each.
TINY = [Entry(["reber"], ["modern"], [0, 1], Budget(sequences=16)),
        Entry(["anbn"], ["modern", "paper"], [100], Budget(sequences=20))]


def _leaves(tree, path=()):
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from _leaves(v, path + (k,))
    elif isinstance(tree, list) and tree:
        for k, v in enumerate(tree):
            yield from _leaves(v, path + (k,))
    else:
        yield path, tree


def _changed(tree, path):
    """A deep copy of `tree` with the leaf at `path` given another value."""
    tree = json.loads(json.dumps(tree))
    node = tree
    for k in path[:-1]:
        node = node[k]
    old = node[path[-1]]
    node[path[-1]] = (not old if isinstance(old, bool) else old + 1 if isinstance(old, (int, float))
                      else old + "x" if isinstance(old, str) else 1)
    return tree


@pytest.mark.parametrize("run", [Run("2a", "modern", 0, 1000), Run("3a", "paper", 100, 5000, 60.0),
                                 Run("anbn", "rnn", 3, 200)])
def test_cache_key_changes_when_any_config_field_changes(run):
    config = run_config(run)
    assert config_key(config) == key(run) == key(Run(**vars(run)))  # stable, and the same for an equal run
    leaves = list(_leaves(config))
    assert len(leaves) > 25  # the experiment's definition and the setting are both in it
    keys = {config_key(_changed(config, path)) for path, _ in leaves}
    assert key(run) not in keys and len(keys) == len(leaves)


def test_cache_key_changes_with_each_run_field_and_the_version():
    base = Run("reber", "modern", 0, 1000)
    others = [replace(base, experiment="2a"), replace(base, setting="paper"), replace(base, seed=1),
              replace(base, max_sequences=1001), replace(base, max_seconds=60.0)]
    keys = {key(r) for r in others} | {key(base, version=lstm.__version__ + ".post1")}
    assert key(base) not in keys and len(keys) == len(others) + 1


def test_changed_setting_changes_only_the_keys_of_the_runs_it_touches(monkeypatch):
    runs = [Run("reber", "modern", 0, 100), Run("reber", "paper", 0, 100), Run("adding-100", "modern", 0, 100)]
    before = [key(r) for r in runs]
    reber = registry.EXPERIMENTS["reber"]
    monkeypatch.setitem(registry.EXPERIMENTS, "reber", replace(reber, modern_setting=replace(reber.modern_setting,
                                                                                             lr=0.02)))
    after = [key(r) for r in runs]
    assert after[0] != before[0] and after[1:] == before[1:]


def test_cache_key_ignores_the_title_and_the_papers_numbers(monkeypatch):
    r = Run("reber", "modern", 0, 100)
    before = key(r)
    exp = registry.EXPERIMENTS["reber"]
    monkeypatch.setitem(registry.EXPERIMENTS, "reber",
                        replace(exp, title="another title", paper=replace(exp.paper, sequences=1.0)))
    assert key(r) == before


def test_sweep_caches_the_runners_result_and_a_second_sweep_runs_nothing(tmp_path):
    runs = expand(TINY)
    assert len(runs) == 4
    assert sweep(runs, tmp_path, progress=False) == runs
    assert sorted(os.listdir(tmp_path)) == sorted(r.filename for r in runs)
    assert sweep(runs, tmp_path, progress=False) == []
    rec = sw.cached(runs[0], tmp_path)
    direct = runner.run("reber", "modern", 0, max_sequences=16, max_seconds=float("inf"), progress=False)
    timing = {"seconds", "train_seconds"}
    assert {k: v for k, v in rec["result"].items() if k not in timing} == \
        json.loads(json.dumps({k: v for k, v in direct.items() if k not in timing}))
    assert rec["key"] == key(runs[0]) and rec["config"] == json.loads(json.dumps(run_config(runs[0])))


def test_interrupted_sweep_resumes_with_only_the_missing_runs(tmp_path, monkeypatch):
    runs = expand(TINY)
    real = sw._execute_job
    calls = []

    def interrupted(job):
        calls.append(job)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(job)

    monkeypatch.setattr(sw, "_execute_job", interrupted)
    with pytest.raises(KeyboardInterrupt):
        sweep(runs, tmp_path, progress=False)
    assert sw.missing(runs, tmp_path) == runs[2:]
    monkeypatch.setattr(sw, "_execute_job", real)
    assert sweep(runs, tmp_path, progress=False) == runs[2:]
    assert sw.missing(runs, tmp_path) == []


def test_changed_budget_reruns_only_the_runs_it_touches(tmp_path):
    sweep(expand(TINY), tmp_path, progress=False)
    changed = [TINY[0], replace(TINY[1], budget=Budget(sequences=24))]
    assert [(r.experiment, r.setting) for r in sweep(expand(changed), tmp_path, progress=False)] == \
        [("anbn", "modern"), ("anbn", "paper")]


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::ResourceWarning",
                            "ignore::pytest.PytestUnraisableExceptionWarning")
def test_sweep_runs_on_a_local_dask_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    runs = expand(TINY)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        done = sweep(runs, tmp_path, scheduler=cluster.scheduler_address, progress=False)  # as --scheduler does
    assert sorted(done, key=runs.index) == runs
    assert sw.missing(runs, tmp_path) == []
    local = tmp_path / "local"
    sweep(runs[:1], local, progress=False)
    timing = {"seconds", "train_seconds"}
    a, b = sw.cached(runs[0], tmp_path)["result"], sw.cached(runs[0], local)["result"]
    assert {k: v for k, v in a.items() if k not in timing} == {k: v for k, v in b.items() if k not in timing}


def test_lockstep_sweep_gives_the_runs_of_a_plain_sweep(tmp_path):
    # one experiment per stopping rule lockstep handles; budgets that reach a check (3a:
    # every 500 sequences; Reber: every 256) so the rule runs with the stacked weights
    plan = [Entry(["adding-30"], ["paper"], [0, 1, 2], Budget(sequences=40)),
            Entry(["3a"], ["paper"], [0, 1], Budget(sequences=600)),
            Entry(["reber"], ["paper"], [0, 1], Budget(sequences=300)),
            Entry(["continual-reber"], ["paper"], [0], Budget(sequences=100))]
    runs = expand(plan)
    assert [[(r.experiment, r.seed) for r in job] for job in sw._lockstep_groups(runs, 2)] == [
        [("adding-30", 0), ("adding-30", 1)], [("3a", 0), ("3a", 1)], [("reber", 0), ("reber", 1)],
        [("continual-reber", 0)], [("adding-30", 2)]]  # the stream: not in lockstep
    sweep(runs, tmp_path / "plain", progress=False)
    assert sorted(sweep(runs, tmp_path / "lockstep", progress=False, lockstep=3), key=runs.index) == runs
    group = {"adding-30": 3, "3a": 2, "reber": 2, "continual-reber": None}
    for r in runs:
        a, b = sw.cached(r, tmp_path / "plain"), sw.cached(r, tmp_path / "lockstep")
        assert a["key"] == b["key"] and b["result"].get("lockstep") == group[r.experiment]
        for field in ("solved", "sequences", "test_wrong", "test_total", "max_sequences", "parameters", "config",
                      "check_wrong", "check_total"):
            assert a["result"].get(field) == b["result"].get(field), (r, field)
        assert b["result"]["test_error"] == pytest.approx(a["result"]["test_error"], rel=1e-9)
        assert np.allclose(a["result"]["curve"], b["result"]["curve"], rtol=1e-9, atol=1e-12)


def test_results_file_marks_seed_sets_and_lists_missing_runs(tmp_path):
    runs = expand(TINY)
    sweep(runs[:3], tmp_path, progress=False)
    out = write_results(tmp_path / "out.json", {"runs": runs[:2], "evaluation_runs": runs[2:]}, tmp_path, "n")
    assert json.loads((tmp_path / "out.json").read_text()) == json.loads(json.dumps(out))
    assert [r["seed_set"] for r in out["runs"]] == ["tuning", "tuning"]
    assert [r["seed_set"] for r in out["evaluation_runs"]] == ["evaluation"]
    assert out["missing"] == {"runs": [], "evaluation_runs": [vars(runs[3])]}
    assert out["version"] == lstm.__version__ and "machine" in out
    assert out["seed_sets"] == {"tuning": list(TUNING_SEEDS), "evaluation": list(EVALUATION_SEEDS)}


def test_tuning_and_evaluation_seeds_are_apart_and_the_plans_use_them():
    assert not set(TUNING_SEEDS) & set(EVALUATION_SEEDS) and len(EVALUATION_SEEDS) >= 10
    assert {r.seed_set for r in expand(PLANS["tuning"])} == {"tuning"}
    evaluation = expand(PLANS["evaluation"])
    assert {r.seed_set for r in evaluation} == {"evaluation"}
    assert all(r.max_seconds is None for r in evaluation)  # budgets in sequences only
    for r in evaluation:  # at least twice the paper's mean sequences
        paper = registry.EXPERIMENTS[r.experiment].paper.sequences
        assert r.max_sequences >= 2 * (paper or 0)


@pytest.mark.parametrize("make, error, match", [
    (lambda: Budget(), ValueError, "exactly one of"),
    (lambda: Budget(sequences=10, paper_multiple=2), ValueError, "exactly one of"),
    (lambda: Budget(sequences=0), ValueError, "positive integer"),
    (lambda: Budget(sequences=True), ValueError, "positive integer"),
    (lambda: Budget(paper_multiple=-1), ValueError, "positive number"),
    (lambda: Budget(sequences=10, seconds=0), ValueError, "seconds"),
    (lambda: expand([Entry(["reber", "nope"], ["modern"], [0], Budget(sequences=1))]), ValueError, "nope"),
    (lambda: expand([Entry(["reber"], "modern", [0], Budget(sequences=1))]), ValueError, "list of names"),
    (lambda: expand([Entry(["reber"], ["adam"], [0], Budget(sequences=1))]), ValueError, "settings"),
    (lambda: expand([Entry(["reber"], ["modern"], [], Budget(sequences=1))]), ValueError, "seeds is empty"),
    (lambda: expand([Entry(["reber"], ["modern"], [-1, 2.5], Budget(sequences=1))]), ValueError, "non-negative"),
    (lambda: expand([Entry(["anbn"], ["modern"], [0], Budget(paper_multiple=2))]), ValueError, "no paper number"),
    (lambda: expand([("reber", "modern", [0], 60)]), TypeError, "must be an Entry"),
    (lambda: expand([Entry(["reber"], ["modern"], [0], 60)]), TypeError, "must be a Budget"),
    (lambda: sweep([("reber", "modern", 0)], "unused"), TypeError, "Run objects"),
    (lambda: sweep([Run("reber", "modern", 0, 1)], "unused", n_jobs=0), ValueError, "n_jobs"),
    (lambda: sweep([Run("reber", "modern", 0, 1)], "unused", lockstep=0), ValueError, "lockstep"),
])
def test_bad_plan_input_raises_a_clear_error(make, error, match):
    with pytest.raises(error, match=match):
        make()


@pytest.mark.parametrize("cell, cec_only, shortcut", [("1997", True, False), ("standard", False, True)])
def test_lockstep_update_equals_one_online_update_per_seed(cell, cec_only, shortcut):
    from lstm.experiments.lockstep import LockstepNets, _stack
    from lstm.experiments.training import build_model, make_optimizer, train_batch
    exp = registry.EXPERIMENTS["adding-30"]
    cfg = replace(exp.paper_setting, cell=cell, cec_only=cec_only, shortcut=shortcut,
                  forget_bias=1.0 if cell == "standard" else None, input_gate_bias=None)
    models = [build_model(cfg, 2, 1, np.random.default_rng(k)) for k in range(3)]
    nets = LockstepNets([build_model(cfg, 2, 1, np.random.default_rng(k)) for k in range(3)], cfg)
    opts = [make_optimizer(cfg, m) for m in models]
    data = np.random.default_rng(7)
    for _ in range(3):  # sequences of different lengths: the stack is right-padded
        batches = [exp.batch(data, 1) for _ in models]
        y = nets.update(*_stack(batches, (2, 1)))
        for k, (m, opt, b) in enumerate(zip(models, opts, batches)):
            _, y_k = train_batch(m, opt, b, cfg)
            assert np.allclose(y[:b.X.shape[0], k:k + 1], y_k, rtol=1e-12, atol=1e-14)
    for k, m in enumerate(models):
        for name in ("weight_ih", "weight_hh", "bias"):
            assert np.allclose(nets.p[name][k], m.recurrent.params[name], rtol=1e-12, atol=1e-14)
        assert np.allclose(nets.p["out_weight"][k], m.readout.params["weight"], rtol=1e-12, atol=1e-14)


def test_lockstep_refuses_what_it_does_not_handle():
    from lstm.experiments.lockstep import LockstepNets, run_lockstep
    from lstm.experiments.training import build_model
    exp = registry.EXPERIMENTS["adding-30"]
    with pytest.raises(ValueError, match="online paper setting"):
        LockstepNets([build_model(exp.modern_setting, 2, 1, np.random.default_rng(0))], exp.modern_setting)
    with pytest.raises(ValueError, match="'stream' and the 'standard' cell"):
        run_lockstep("continual-reber", [0, 1])
    with pytest.raises(ValueError, match="'peephole' cell"):
        run_lockstep("anbn", [0, 1])
    with pytest.raises(ValueError, match="distinct"):
        run_lockstep("adding-30", [1, 1])


def test_command_line_names_what_is_not_in_the_plan():
    import subprocess
    import sys
    script = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts", "run_experiments.py")
    out = subprocess.run([sys.executable, script, "evaluation", "--experiments", "reber", "nope", "--dry-run"],
                         capture_output=True, text=True)
    assert out.returncode == 2 and "--experiments: ['nope'] not in the evaluation plan" in out.stderr


def test_the_cache_holds_every_run_the_chapter_reads_under_its_current_key():
    # a change to an experiment's or setting's fields changes every key; the cached results
    # must then be re-keyed (or rerun), or the next sweep silently reruns everything and
    # rewrites experiments.json without them
    from lstm.experiments.plans import PLANS
    root = Path(__file__).resolve().parent.parent
    cache = root / "book" / "data" / "sweep" / "cache"
    recorded = json.loads((root / "book" / "data" / "experiments.json").read_text())
    assert sw.missing(expand(PLANS["tuning"]), cache) == []
    evaluation = expand(PLANS["evaluation"])
    done = {(r["experiment"], r["setting"], r["seed"]) for r in recorded["evaluation_runs"]}
    assert sw.missing([r for r in evaluation if (r.experiment, r.setting, r.seed) in done], cache) == []
