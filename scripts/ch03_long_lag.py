"""Precompute chapter 3's long-lag experiment: the naive carousel against the 1997 cell.

The task, the models and one training run are in lstm.experiments.chapters.ch03_value_recall; this
script runs every model for every seed and writes

- book/data/ch03_long_lag.npz: loss curves (model, seed, step), test MSEs and the
  experiment's settings;
- book/data/ch03_long_lag_<model>.npz: each model's trained seed 0, a checkpoint written
  by `SequenceModel.save` (read it back with `SequenceModel.load`), so the chapter can
  look inside a trained cell without training it again.

Run from the repository root:  nice -n 10 python scripts/ch03_long_lag.py   (about 2 min)
"""
import time
from pathlib import Path

import numpy as np

from lstm.experiments.chapters.ch03_value_recall import B_IN, BATCH, H, LR, MODELS, SEEDS, STEPS, T, TEST_SIZE, run

DATA = Path(__file__).resolve().parent.parent / "book" / "data"
OUT = DATA / "ch03_long_lag.npz"


def main():
    losses = np.zeros((len(MODELS), SEEDS, STEPS))
    test_mse = np.zeros((len(MODELS), SEEDS))
    DATA.mkdir(parents=True, exist_ok=True)
    for a, name in enumerate(MODELS):
        for s in range(SEEDS):
            start = time.time()
            losses[a, s], test_mse[a, s], model = run(name, s)
            if s == 0:
                model.save(DATA / f"ch03_long_lag_{name}.npz")
            print(f"{name:10s} seed {s}: test MSE {test_mse[a, s]:.5f}  ({time.time() - start:.1f} s)")
    np.savez_compressed(OUT, models=np.array(MODELS), losses=losses.astype(np.float32), test_mse=test_mse,
                        T=T, H=H, batch=BATCH, steps=STEPS, lr=LR, b_in=B_IN, test_size=TEST_SIZE)
    print(f"wrote {OUT} and the seed-0 models")


if __name__ == "__main__":
    main()
