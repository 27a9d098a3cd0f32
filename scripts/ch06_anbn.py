"""Chapter 6, section 4: an LSTM that counts. Trains a 2-cell LSTM on a^n b^n for
n = 1..10 (Gers & Schmidhuber 2001, with Adam) for 3,000 updates, five seeds, and measures for each the
largest n such that every string S a^m b^m T with m <= n is predicted right.
Saves the best seed's model to book/data/ch06_anbn_lstm.npz and every seed's result
to book/data/ch06_anbn.json.
    nice -n 10 /work/devenv/bin/python scripts/ch06_anbn.py
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from ch06_common import DATA, Setting, predictions, train_lstm  # noqa: E402

from lstm.tasks.anbn import ALPHABET, anbn_batch  # noqa: E402

HIDDEN, TRAIN_N, TEST_MAX, SEEDS, STEPS = 2, 10, 300, 5, 3000


def correct(model, ns):
    """Boolean per n: every step's predicted set (output > 0.5) equals the legal set."""
    batch = anbn_batch(ns)
    y = predictions(model, batch)
    ok = np.all((y > 0.5) == batch.targets.astype(bool), axis=-1) | ~batch.mask
    return np.all(ok, axis=0)


def largest_n(model):
    ok = correct(model, list(range(1, TEST_MAX + 1)))
    return int(np.argmin(ok)) if not ok.all() else TEST_MAX  # ok[k] is n = k + 1


def main():
    train = anbn_batch(list(range(1, TRAIN_N + 1)))
    setting = Setting("modern", hidden=HIDDEN, lr=1e-2, batch_size=TRAIN_N, head="bce", clip=1.0)
    results, best = [], None
    for seed in range(SEEDS):
        # a fixed budget, no early stop: training on past the first perfect batch sharpens the count
        model, steps, secs, _ = train_lstm(train, lambda m: float(correct(m, list(range(1, TRAIN_N + 1))).all()),
                                           setting, len(ALPHABET), len(ALPHABET), np.random.default_rng(seed),
                                           max_steps=STEPS, check_every=500, target=2.0)
        n = largest_n(model)
        results.append(dict(seed=seed, steps=steps, seconds=round(secs, 1), largest_n=n,
                            learned=bool(correct(model, list(range(1, TRAIN_N + 1))).all())))
        print(results[-1], flush=True)
        if best is None or n > best[0]:
            best = (n, seed, model)
    os.makedirs(DATA, exist_ok=True)
    best[2].save(os.path.join(DATA, "ch06_anbn_lstm.npz"))
    with open(os.path.join(DATA, "ch06_anbn.json"), "w") as fh:
        json.dump(dict(hidden=HIDDEN, steps=STEPS, train_n=TRAIN_N, test_max=TEST_MAX, best_seed=best[1], seeds=results), fh,
                  indent=1)


if __name__ == "__main__":
    main()
