"""Precompute chapter 1's long-lag experiment and write book/data/ch01_long_lag.npz.

A plain tanh RNN must report, at the last step, the sign of the first input of a
sequence whose other inputs are Gaussian noise (a fixed-length form of Bengio et al.'s
1994 two-sequence problem, the 1997 paper's experiment 3). The distance between the
informative input and the target is the lag. For every lag and seed we train a small
RNN with Adam and record its loss curve, its accuracy on fresh sequences, and how much
of the error injected at the last step reaches the first step at initialisation.

    nice -n 10 python scripts/ch01_long_lag.py      # about two minutes on one core

The experiment itself (`sign_batch`, `train_one` and the settings) is
`lstm.experiments.chapters.ch01_long_lag`, which the chapter imports.
"""
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from lstm.experiments.chapters.ch01_long_lag import BATCH, HIDDEN, LAGS, LR, SEEDS, STEPS, train_one

OUT = Path(__file__).resolve().parent.parent / "book" / "data" / "ch01_long_lag.npz"


def main():
    losses = np.empty((len(SEEDS), len(LAGS), STEPS))
    accuracy = np.empty((len(SEEDS), len(LAGS)))
    share = np.empty((len(SEEDS), len(LAGS)))
    runs = [(s, l) for s in range(len(SEEDS)) for l in range(len(LAGS))]
    for s, l in tqdm(runs, desc="runs"):
        losses[s, l], accuracy[s, l], share[s, l] = train_one(LAGS[l], SEEDS[s])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, lags=np.array(LAGS), seeds=np.array(SEEDS), losses=losses.astype(np.float32),
                        accuracy=accuracy, first_step_share=share, steps=STEPS, batch=BATCH,
                        hidden=HIDDEN, lr=LR)


if __name__ == "__main__":
    main()
