"""Chapter 10's measurements: LSTM against minLSTM and minGRU, and the mLSTM's capacity.

    nice -n 10 python scripts/ch10_modern.py longlag speed parity anbn capacity

Each part writes its own key of book/data/modern_results.json (the others are kept):

    adding500 the adding problem at T = 500 (chapter 8's LSTM setting for it).
    longlag   the adding problem (T = 100) and 2c (q = p = 100): solved seeds, sequences
              to success, wall time per update; three seeds per model (few, to keep the
              whole script near half an hour of one core), the same budget in sequences
              for every model (150,000 for adding, 50,000 for 2c).
    speed     seconds per training update (batch 16, forward + backward) as T grows.
    parity    running parity, the task a recurrence that cannot read h_{t-1} cannot do.
    anbn      a^n b^n (trained on n = 1..10, as in chapters 6 and 8): how far each model
              generalises.
    capacity  associative recall from a matrix memory (mLSTM) against an element-wise one
              (the LSTM's c_t), as the number of stored pairs grows, for several key sizes.

All three models run inside the same SequenceModel (recurrent layer + linear readout),
trained by the same loop with Adam, gradient clipping at 1 and batches of 16. The LSTM
uses chapter 8's modern setting for each task; minLSTM and minGRU get gate biases that
start them with the same retention a_t ~ 0.993 per step as the LSTM's forget bias of 5
(minLSTM: b_f = 5, b_i = -5, so f' = f / (f + i) ~ 0.993; minGRU: b_z = -5).
"""
import argparse
import json
import platform
import time
from collections import deque
from dataclasses import asdict, dataclass
from typing import Optional
from pathlib import Path

import numpy as np

from lstm import Adam, SequenceModel, mlstm_forward, set_gate, train_step
from lstm.layers import make_layer
from lstm.experiments.training import head_loss, predict
from lstm.tasks import adding_batch, anbn_batch, distractor_batch
from lstm.tasks.parity import parity_batch

OUT = Path(__file__).resolve().parents[1] / "book" / "data" / "modern_results.json"
MODELS = ("LSTM", "minLSTM", "minGRU")


@dataclass
class Config:
    task: str  # "adding", "2c", "parity", "anbn"
    T: int  # sequence length (adding, parity) or q = p (2c); unused for anbn
    head: str  # "mse" (linear output), "softmax" or "bce" (sigmoid outputs)
    hidden: int = 16  # memory cells
    lr: float = 1e-2  # Adam's learning rate
    batch_size: int = 16  # sequences per update
    retention: float = 5.0  # LSTM forget bias; minLSTM b_f = -b_i; minGRU b_z = -this
    lstm_input_bias: Optional[float] = None  # the LSTM's input-gate bias (chapter 8 for T >= 500)
    max_sequences: int = 150_000  # budget in training sequences (the same for every model)
    max_seconds: float = 600.0  # a safety limit in wall-clock seconds (not meant to be reached)


def build(model, cfg, input_size, output_size, rng):
    """One of MODELS in a SequenceModel, its gate biases set for the same retention
    (`lstm.layers.make_layer`'s keep_bias: the LSTM's b_f = r; minLSTM's b_f = r, b_i = -r;
    minGRU's b_z = -r)."""
    names = {"LSTM": "lstm", "minLSTM": "minlstm", "minGRU": "mingru"}
    if model not in names:
        raise ValueError(f"model must be one of {MODELS}, got {model!r}")
    layer = make_layer(names[model], input_size, cfg.hidden, rng=rng, keep_bias=cfg.retention)
    if model == "LSTM" and cfg.lstm_input_bias is not None:
        set_gate(layer, "i", b=cfg.lstm_input_bias)
    return SequenceModel(layer, output_size, rng=rng)


def make_batch(cfg, rng, n):
    if cfg.task == "adding":
        return adding_batch(rng, n, cfg.T)
    if cfg.task == "2c":
        return distractor_batch(rng, n, cfg.T, cfg.T)
    if cfg.task == "parity":
        return parity_batch(rng, n, cfg.T)
    raise ValueError(f"unknown task {cfg.task!r}")


def right(cfg, y, batch):
    """Per sequence: (right (N,), squared error (N,))."""
    if cfg.task in ("adding", "2c"):
        tol = 0.04 if cfg.task == "adding" else 0.2
        diff = np.abs(batch.last(y) - batch.last(batch.targets))
        return np.all(diff < tol, axis=1), (diff ** 2).mean(axis=1)
    ok = np.all((y > 0.5) == (batch.targets > 0.5), axis=-1) | ~batch.mask  # every step right
    sq = (((y - batch.targets) ** 2).mean(axis=-1) * batch.mask).sum(0) / batch.mask.sum(0)
    return np.all(ok, axis=0), sq


def update(model, opt, batch, head):
    """One Adam step on a batch (`lstm.train_step`, gradients clipped at norm 1); returns y."""
    def loss(z, batch):
        value, _, dz = head_loss(z, batch, head)
        return value, dz

    _, z, _ = train_step(model, batch.X, batch, opt, loss, clip=1.0)
    return predict(z, head)


def train(model_name, cfg, seed):
    """Train until the task's rule holds or a budget runs out; a JSON-ready dict.

    adding: the paper's rule (the last 2,000 training sequences right, |error| < 0.04, and
    their mean squared error < 0.01). 2c and parity: once the last 2,000 training
    sequences were right, a fresh check set of 2,000 must be all right (chapter 8 checks
    10,000 for 2c).
    """
    rng_init, rng_data, rng_test = (np.random.default_rng([seed, k]) for k in range(3))
    probe = make_batch(cfg, np.random.default_rng(0), 1)
    model = build(model_name, cfg, probe.X.shape[2], probe.targets.shape[2], rng_init)
    opt = Adam(model.layers, cfg.lr)
    window_right, window_err = deque(maxlen=2000), deque(maxlen=2000)
    seen, updates, solved, next_check = 0, 0, False, 1000
    start = time.perf_counter()
    while seen < cfg.max_sequences and time.perf_counter() - start < cfg.max_seconds:
        batch = make_batch(cfg, rng_data, cfg.batch_size)
        y = update(model, opt, batch, cfg.head)
        ok, err = right(cfg, y, batch)
        window_right.extend(ok)
        window_err.extend(err)
        seen += cfg.batch_size
        updates += 1
        full_and_right = len(window_right) == 2000 and all(window_right)
        if cfg.task == "adding":
            solved = full_and_right and np.mean(window_err) < 0.01
        elif seen >= next_check:
            next_check = seen + 1000
            if full_and_right:
                check = make_batch(cfg, rng_test, 2000)
                z = model.forward(check.X)
                solved = bool(right(cfg, predict(z, cfg.head), check)[0].all())
        if solved:
            break
    seconds = time.perf_counter() - start
    test = make_batch(cfg, rng_test, 512)  # after training: fresh sequences, and every scored step
    z = model.forward(test.X)
    y = predict(z, cfg.head)
    steps_right = np.all((y > 0.5) == (test.targets > 0.5), axis=-1)[test.mask]
    return {"model": model_name, "task": cfg.task, "T": cfg.T, "seed": seed, "solved": bool(solved),
            "sequences": seen, "updates": updates, "seconds": round(seconds, 2),
            "ms_per_update": round(1000 * seconds / max(updates, 1), 3),
            "window_right": float(np.mean(window_right)) if window_right else 0.0,
            "test_right": float(np.mean(right(cfg, y, test)[0])), "test_steps_right": float(np.mean(steps_right)),
            "parameters": int(sum(v.size for layer in model.layers for v in layer.params.values())),
            "config": asdict(cfg)}


def train_all(label, cfg, seeds, describe):
    """Train every model on `cfg` for seeds 0 .. seeds-1, printing one line per run."""
    runs = []
    for model_name in MODELS:
        for seed in range(seeds):
            r = train(model_name, cfg, seed)
            print(f"{label} {model_name} seed {seed}: solved={r['solved']} {r['sequences']} seq, {describe(r)}",
                  flush=True)
            runs.append(r)
    return runs


def timing(r):
    return f"{r['seconds']} s, {r['ms_per_update']} ms/update"


def part_longlag(seeds=3):
    configs = [Config("adding", 100, "mse"), Config("2c", 100, "softmax", lr=3e-3, max_sequences=50_000)]
    return [r for cfg in configs for r in train_all(f"{cfg.task}-{cfg.T}", cfg, seeds, timing)]


def part_adding500(seeds=3):
    """The adding problem at T = 500 with chapter 8's LSTM setting for it (b_f = 8, b_i = -3);
    minLSTM and minGRU with the same retention sigma(8) per step."""
    cfg = Config("adding", 500, "mse", retention=8.0, lstm_input_bias=-3.0)
    return train_all("adding-500", cfg, seeds, timing)


def part_speed(lengths=(100, 300, 1000, 3000, 10000), repeats=3):
    """Milliseconds of CPU time per update (batch 16, H = 16, adding inputs), best of
    `repeats`. CPU time (time.process_time), not wall time: on a shared machine wall time
    also counts the time other processes hold the core."""
    rows = []
    for T in lengths:
        batch = adding_batch(np.random.default_rng(0), 16, T)
        for model_name in MODELS:
            cfg = Config("adding", T, "mse")
            model = build(model_name, cfg, 2, 1, np.random.default_rng(0))
            opt = Adam(model.layers, cfg.lr)
            modes = (True, False) if model_name != "LSTM" else (None,)
            for parallel in modes:
                if parallel is not None:
                    model.recurrent.parallel = parallel
                best = np.inf
                for _ in range(repeats):
                    t0 = time.process_time()
                    update(model, opt, batch, "mse")
                    best = min(best, time.process_time() - t0)
                name = model_name if parallel is None else f"{model_name} ({'scan' if parallel else 'loop'})"
                rows.append({"model": name, "T": T, "ms_per_update": round(1000 * best, 3)})
                print(rows[-1], flush=True)
    return rows


def part_parity(seeds=3):
    cfg = Config("parity", 20, "bce", hidden=16, lr=1e-2, retention=1.0, max_sequences=50_000)
    return train_all("parity", cfg, seeds, lambda r: f"right {r['window_right']:.3f}")


def anbn_right(model, ns):
    """Bool per n: every step's predicted next-symbol set equals the legal one."""
    batch = anbn_batch(ns)
    y = predict(model.forward(batch.X), "bce")
    ok = np.all((y > 0.5) == (batch.targets > 0.5), axis=-1) | ~batch.mask
    return np.all(ok, axis=0)


def part_anbn(seeds=3, train_n=10, test_max=100, max_updates=3000):
    """Chapter 8's a^n b^n setting: 8 cells, Adam 1e-2, batches of 10 strings from n = 1..10."""
    runs = []
    cfg = Config("anbn", 0, "bce", hidden=8, lr=1e-2, batch_size=10, retention=1.0)
    for model_name in MODELS:
        for seed in range(seeds):
            rng_init, rng_data = (np.random.default_rng([seed, k]) for k in range(2))
            model = build(model_name, cfg, 5, 5, rng_init)
            opt = Adam(model.layers, cfg.lr)
            solved_at, start = None, time.perf_counter()
            for k in range(max_updates):
                update(model, opt, anbn_batch(list(rng_data.integers(1, train_n + 1, size=10))), "bce")
                if k % 20 == 19 and anbn_right(model, list(range(1, train_n + 1))).all():
                    solved_at = (k + 1) * 10
                    break
            ok = anbn_right(model, list(range(1, test_max + 1)))
            train_ok = int(ok[:train_n].sum())
            reach = int(np.argmin(ok)) if not ok.all() else test_max  # largest n with all m <= n right
            runs.append({"model": model_name, "seed": seed, "solved": solved_at is not None,
                         "sequences": solved_at if solved_at else (k + 1) * 10, "train_right": train_ok,
                         "generalises_to": reach, "seconds": round(time.perf_counter() - start, 2)})
            print(runs[-1], flush=True)
    return runs


def part_capacity(key_sizes=(8, 16, 32, 64), pairs=(1, 2, 4, 8, 16, 32, 64), trials=50):
    """Associative recall from a memory written P times, without training.

    P random (key, value) pairs, entries +-1, keys and values of size d, are written
    into one memory, then each value is read back with its key; the score is the
    fraction of value signs recovered (0.5 is chance); 50 draws per (d, P).
      mLSTM (the package's mlstm_forward, i = f = o = 1): C = sum_p v_p k_p^T / sqrt(d)^2,
      read C k_j / max(|n . k_j|, 1): v_j plus cross-talk that shrinks as d grows.
      element-wise (an LSTM cell state of size d, written c = sum_p i_p * z_p with the
      input gate set to the key, i_p = k_p, and read with the output gate o = k_j, the
      best binding element-wise gates allow): v_j plus the other P - 1 values at full
      strength, whatever d is.
    """
    rng = np.random.default_rng(0)
    rows = []
    for d in key_sizes:
        for P in pairs:
            K = rng.choice([-1.0, 1.0], size=(trials, P, d))
            V = rng.choice([-1.0, 1.0], size=(trials, P, d))
            read = mlstm_recall(K, V)
            c = (K * V).sum(axis=1, keepdims=True)  # (trials, 1, d) the element-wise memory
            rows.append({"d": d, "pairs": P, "mlstm": sign_score(read, V), "elementwise": sign_score(K * c, V)})
        print(d, [(r["pairs"], round(r["mlstm"], 3), round(r["elementwise"], 3)) for r in rows if r["d"] == d],
              flush=True)
    return rows


def sign_score(read, V):
    """Fraction of entries whose sign matches V's; a read of exactly 0 counts as a coin flip."""
    return float(np.mean((np.sign(read) == V) + 0.5 * (read == 0)))


def mlstm_recall(K, V):
    """Write the pairs into an mLSTM, then read with each key: (trials, P, d).

    The sequence has 2P steps: P writes (q = 0), then P reads (k = v = 0, i ~ 0, q = k_j).
    """
    trials, P, d = K.shape
    k = np.concatenate([K, np.zeros_like(K)], axis=1).transpose(1, 0, 2) / np.sqrt(d)  # (2P, trials, d)
    v = np.concatenate([V, np.zeros_like(V)], axis=1).transpose(1, 0, 2)
    q = np.concatenate([np.zeros_like(K), K], axis=1).transpose(1, 0, 2) / np.sqrt(d)
    i_pre = np.concatenate([np.zeros((P, trials)), np.full((P, trials), -30.0)])  # write, then only read
    states = mlstm_forward(q, k, v, i_pre, np.full((2 * P, trials), 30.0), np.ones_like(q))  # f = sigmoid(30) ~ 1
    return states.h[P:].transpose(1, 0, 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="+", choices=["longlag", "adding500", "speed", "parity", "anbn", "capacity"])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    for part in args.parts:
        t0 = time.perf_counter()
        fn = globals()[f"part_{part}"]
        result = fn(seeds=args.seeds) if part in ("longlag", "adding500", "parity", "anbn") else fn()
        data = json.loads(OUT.read_text()) if OUT.exists() else {}
        data[part] = result
        data.setdefault("seconds", {})[part] = round(time.perf_counter() - t0, 1)
        data["machine"] = {"python": platform.python_version(), "numpy": np.__version__,
                           "machine": platform.machine()}
        OUT.write_text(json.dumps(data, indent=1) + "\n")
        print(f"{part}: {data['seconds'][part]} s -> {OUT}", flush=True)


if __name__ == "__main__":
    main()
