"""Chapter 6, section 3: a small LSTM trained on the (plain) Reber grammar, whose
automaton the chapter extracts. Trains until every next-symbol prediction is right on
256 training and 256 test strings, then saves the model to book/data/ch06_reber_lstm.npz.
    nice -n 10 /work/devenv/bin/python scripts/ch06_reber_lstm.py
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from ch06_common import DATA, Setting, predictions, train_lstm  # noqa: E402

from lstm.tasks.reber import REBER, encode_batch, generate_many, strings_correct  # noqa: E402

HIDDEN = 4


def main():
    rng = np.random.default_rng(1967)
    train, test = (encode_batch(REBER, generate_many(REBER, rng, 256)) for _ in range(2))
    right = lambda m, b: float(np.mean(strings_correct(predictions(m, b), b.targets, b.mask)))  # noqa: E731
    setting = Setting("modern", hidden=HIDDEN, lr=2e-2, batch_size=16, head="bce")
    model, steps, secs, history = train_lstm(train, lambda m: min(right(m, train), right(m, test)), setting, 7, 7,
                                             np.random.default_rng(0), max_steps=5000, check_every=25)
    print(f"H={HIDDEN}: train {right(model, train):.3f}, test {right(model, test):.3f} after {steps} updates "
          f"({secs:.0f} s)")
    os.makedirs(DATA, exist_ok=True)
    model.save(os.path.join(DATA, "ch06_reber_lstm.npz"))
    with open(os.path.join(DATA, "ch06_reber_lstm.json"), "w") as fh:
        json.dump(dict(hidden=HIDDEN, steps=steps, seconds=round(secs, 1), train=right(model, train),
                       test=right(model, test), history=history), fh, indent=1)


if __name__ == "__main__":
    main()
