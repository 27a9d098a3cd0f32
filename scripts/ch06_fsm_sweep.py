"""Chapter 6, section 1: the forum's network of N random FSMs against a small LSTM.

Two tasks, the same training data for both models:
  recall  a signal symbol (1 of 4), `lag` distractors (4 symbols), a query; answer the
          signal. 2,000 training, 500 validation, 1,000 test sequences per lag.
  reber   next-symbol prediction on embedded Reber strings; 256 training, 128
          validation, 256 test strings (the 1997 paper's sizes).
The FSM readout is solved in closed form (ridge picked on the validation set), the best
any training of w could reach; one gradient-descent run shows the forum's recipe gets
there. Writes book/data/ch06_fsm_sweep.npz. Takes a few minutes:
    nice -n 10 /work/devenv/bin/python scripts/ch06_fsm_sweep.py
"""
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from ch06_common import DATA, Setting, predictions, recall_batch, train_lstm  # noqa: E402

from lstm.fsm import FSMNetwork, distinguishing_fraction, fit_readout_gd, fit_readout_lstsq, readout_forward  # noqa: E402
from lstm.tasks.recall import first_symbol_recall  # noqa: E402
from lstm.tasks.reber import EMBEDDED_REBER, SYMBOL_INDEX, encode_batch, generate_many, step_correct  # noqa: E402

LAGS = [1, 2, 4, 8, 16, 32]
NS = [10, 100, 1000, 10000]
N_STATES = 4
N_SIG, N_DIS = 4, 4
A_RECALL = N_SIG + N_DIS + 1
M_TRAIN, M_VAL, M_TEST = 2000, 500, 1000
RIDGES = [1e-2, 1.0, 1e2]
# forget-gate bias 3: the cell starts out keeping its state across the distractors
# (with the usual 1.0 the lag-32 run found no signal in 3,000 updates)
LSTM_SETTING = Setting("modern", hidden=8, lr=1e-2, batch_size=32, head="bce", forget_bias=3.0)


def best_ridge_readout(F_tr, Y_tr, F_val, score):
    """The closed-form readout whose validation score is best over RIDGES.

    Each W, b is lstm.fsm.fit_readout_lstsq's, computed with the same operations in the
    same order (so bit for bit the same numbers); with more features than samples the
    M x M product Fc Fc^T, the costly part of its dual form, is computed once for all
    ridges instead of once per ridge.
    """
    F, Y = (np.asarray(a, dtype=np.float64) for a in (F_tr, Y_tr))
    f_mean, y_mean = F.mean(axis=0), Y.mean(axis=0)
    Fc, Yc = F - f_mean, Y - y_mean
    M, D = Fc.shape
    gram = Fc @ Fc.T if D > M and min(RIDGES) > 0 else None
    best = None
    for lam in RIDGES:
        if gram is None:
            W, b = fit_readout_lstsq(F_tr, Y_tr, ridge=lam)
        else:
            W = Fc.T @ np.linalg.solve(gram + lam * np.eye(M), Yc)
            b = y_mean - f_mean @ W
        s = score(readout_forward(F_val, W, b))
        if best is None or s > best[0]:
            best = (s, lam, W, b)
    return best


def recall_sweep(log, lstm_only=False, lags=LAGS):
    """The recall rows (FSM networks) and LSTM rows at every lag of ``lags``."""
    rows, lstm_rows = [], []
    for lag in lags:
        fsm_rows, lstm_row = recall_at(lag, log, lstm_only)
        rows += fsm_rows
        lstm_rows.append(lstm_row)
    return rows, lstm_rows


def recall_at(lag, log, lstm_only=False):
    """One lag of the recall sweep: its data, FSM networks and LSTM depend only on ``lag``
    (each draws from its own seeded generator), so measuring a lag alone gives the same
    numbers as measuring it inside the sweep."""
    rows = []
    rng = np.random.default_rng(100 + lag)
    data = [first_symbol_recall(rng, m, lag, N_SIG, N_DIS) for m in (M_TRAIN, M_VAL, M_TEST)]
    onehots = [np.eye(N_SIG)[y] for _, y in data]
    for output in () if lstm_only else ("random", "one_hot"):
        for N in NS:
            if output == "one_hot" and N > 1000:
                continue
            net = FSMNetwork.random(N, N_STATES, A_RECALL, np.random.default_rng(N), output=output)
            F = [net.features(net.run(x, keep="last")) for x, _ in data]
            acc = lambda out, y: float(np.mean(out.argmax(1) == y))  # noqa: E731
            _, lam, W, b = best_ridge_readout(F[0], onehots[0], F[1], lambda out: acc(out, data[1][1]))
            tr, te = acc(readout_forward(F[0], W, b), data[0][1]), acc(readout_forward(F[2], W, b), data[2][1])
            rows.append(dict(lag=lag, N=N, output=output, ridge=lam, train=tr, test=te))
            log(f"recall lag={lag:2d} N={N:5d} {output:7s} ridge={lam:g} train={tr:.3f} test={te:.3f}")
    # the LSTM, trained on the same 2,000 sequences
    batches = [recall_batch(x, y, A_RECALL, N_SIG) for x, y in data]
    last_acc = lambda model, b, y: float(np.mean(predictions(model, b)[-1].argmax(1) == y))  # noqa: E731
    model, steps, secs, _ = train_lstm(batches[0], lambda m: last_acc(m, batches[1], data[1][1]), LSTM_SETTING,
                                       A_RECALL, N_SIG, np.random.default_rng(7), max_steps=3000)
    te = last_acc(model, batches[2], data[2][1])
    n_params = sum(p.size for layer in model.layers for p in layer.params.values())
    log(f"recall lag={lag:2d} LSTM H=8 ({n_params} weights) test={te:.3f} after {steps} updates, {secs:.0f} s")
    return rows, dict(lag=lag, test=te, steps=steps, seconds=secs, params=n_params)


def memory_fractions(log):
    """Fraction of machines whose state still depends on the signal after `lag` random
    distractors (and the query), averaged over 50 distractor strings."""
    net = FSMNetwork.random(10000, N_STATES, A_RECALL, np.random.default_rng(10000))
    rng = np.random.default_rng(5)
    lags = np.arange(0, 41)
    frac = []
    for lag in lags:
        tails = [np.r_[N_SIG + rng.integers(N_DIS, size=lag), A_RECALL - 1] for _ in range(50)]
        frac.append(np.mean([distinguishing_fraction(net, np.arange(N_SIG), t) for t in tails]))
    log("memory fraction at lags 0, 4, 8, 16, 32: " + ", ".join(f"{frac[k]:.4f}" for k in (0, 4, 8, 16, 32)))
    return lags, np.array(frac)


def gd_run(log):
    """The forum's recipe: w from small random values, gradient descent on the squared
    loss; N = 1000 machines, lag 4."""
    lag, N = 4, 1000
    rng = np.random.default_rng(100 + lag)
    (x_tr, y_tr), _, (x_te, y_te) = [first_symbol_recall(rng, m, lag, N_SIG, N_DIS) for m in (M_TRAIN, M_VAL, M_TEST)]
    net = FSMNetwork.random(N, N_STATES, A_RECALL, np.random.default_rng(N))
    F_tr, F_te = net.features(net.run(x_tr, keep="last")), net.features(net.run(x_te, keep="last"))
    Y = np.eye(N_SIG)[y_tr]
    # the step size that is stable for this quadratic: below 1 / largest curvature
    F1 = np.c_[F_tr, np.ones(len(F_tr))]
    top = np.linalg.eigvalsh(F1.T @ F1 / len(F1))[-1]
    lr = 0.9 / top
    checkpoints, test_acc = [10, 100, 1000, 3000], []
    for steps in checkpoints:  # each run starts again from the same small random w
        W, b, history = fit_readout_gd(F_tr, Y, np.random.default_rng(0), lr=lr, steps=steps, init_scale=0.01)
        test_acc.append(float(np.mean(readout_forward(F_te, W, b).argmax(1) == y_te)))
    full_history = history
    W_star, b_star = fit_readout_lstsq(F_tr, Y)
    exact = float(np.mean(readout_forward(F_te, W_star, b_star).argmax(1) == y_te))
    log(f"GD N={N} lag={lag}: test accuracy after {checkpoints} steps: {test_acc}; least squares {exact:.3f}")
    return np.array(checkpoints), np.array(test_acc), np.array(full_history), exact


def reber_symbols(batch):
    """Integer symbols (T, B) from a one-hot batch (padding read as symbol 0)."""
    return batch.X.argmax(-1)


def reber_scores(out, batch):
    """(fraction of strings with every step right, accuracy at the long-lag step)."""
    ok = step_correct(out, batch.targets.astype(bool))  # (T, B)
    strings = np.all(ok | ~batch.mask, axis=0)
    t_lag = batch.lengths - 2  # input = the inner E; next is the 2nd symbol again
    lag_ok = ok[t_lag, np.arange(len(t_lag))]
    return float(strings.mean()), float(lag_ok.mean())


def reber_sweep(log):
    rng = np.random.default_rng(1997)
    sets = [encode_batch(EMBEDDED_REBER, generate_many(EMBEDDED_REBER, rng, m)) for m in (256, 128, 256)]
    rows = []
    for N in NS:
        net = FSMNetwork.random(N, N_STATES, 7, np.random.default_rng(N))
        feats = [net.features(net.run(reber_symbols(b))) for b in sets]  # (T, B, N)
        flat = [f[b.mask] for f, b in zip(feats, sets)]
        tflat = [b.targets[b.mask] for b in sets]

        def full(W, b_, k):
            out = readout_forward(feats[k], W, b_)
            return reber_scores(out, sets[k])
        _, lam, W, b_ = best_ridge_readout(flat[0], tflat[0], flat[1], lambda out: float(np.mean(
            step_correct(out, tflat[1].astype(bool)))))
        (tr, tr_lag), (te, te_lag) = full(W, b_, 0), full(W, b_, 2)
        rows.append(dict(N=N, ridge=lam, train=tr, test=te, train_lag=tr_lag, test_lag=te_lag))
        log(f"reber N={N:5d} ridge={lam:g} strings right train={tr:.3f} test={te:.3f}; "
            f"long-lag step train={tr_lag:.3f} test={te_lag:.3f}")
    both = lambda m: min(reber_scores(predictions(m, sets[0]), sets[0])[0],  # noqa: E731
                         reber_scores(predictions(m, sets[1]), sets[1])[0])
    model, steps, secs, _ = train_lstm(sets[0], both, Setting("modern", hidden=8, lr=1e-2, batch_size=16,
                                                              head="bce"),
                                       7, 7, np.random.default_rng(3), max_steps=4000)
    te, te_lag = reber_scores(predictions(model, sets[2]), sets[2])
    n_params = sum(p.size for layer in model.layers for p in layer.params.values())
    lstm_row = dict(test=te, test_lag=te_lag, steps=steps, seconds=secs, params=n_params)
    log(f"reber LSTM H=8 ({n_params} weights): strings right test={te:.3f}, long-lag step {te_lag:.3f}, "
        f"{steps} updates, {secs:.0f} s")
    return rows, lstm_row


def main():
    """Everything; with --lstm-only, keep the saved FSM results and retrain only the
    recall LSTMs (a minute instead of a quarter of an hour)."""
    start = time.perf_counter()
    path = os.path.join(DATA, "ch06_fsm_sweep.npz")
    if "--lstm-only" in sys.argv:
        saved = dict(np.load(path))
        results = json.loads(str(saved["results"]))
        _, results["recall_lstm"] = recall_sweep(print, lstm_only=True)
        saved["results"] = json.dumps(results)
        np.savez(path, **saved)
        return

    def log(msg):
        print(f"[{time.perf_counter() - start:6.0f} s] {msg}", flush=True)
    lags, frac = memory_fractions(log)
    gd_steps, gd_acc, gd_hist, gd_exact = gd_run(log)
    reber_rows, reber_lstm = reber_sweep(log)
    recall_rows, recall_lstm = recall_sweep(log)
    os.makedirs(DATA, exist_ok=True)
    np.savez(os.path.join(DATA, "ch06_fsm_sweep.npz"),
             memory_lags=lags, memory_fraction=frac,
             gd_steps=gd_steps, gd_test_acc=gd_acc, gd_loss=gd_hist, gd_exact=gd_exact,
             results=json.dumps(dict(recall=recall_rows, recall_lstm=recall_lstm, reber=reber_rows,
                                     reber_lstm=reber_lstm, lags=LAGS, Ns=NS, n_states=N_STATES,
                                     sizes=[M_TRAIN, M_VAL, M_TEST])))
    log("saved " + os.path.join(DATA, "ch06_fsm_sweep.npz"))


if __name__ == "__main__":
    main()
