"""Chapter 6's note on the forget-gate bias: the recall LSTM of scripts/ch06_fsm_sweep.py at
lag 32, trained once with the forget-gate bias the sweep uses (3) and once with the usual
+1, otherwise identical (same data, seed, 3,000 updates at most). Writes
book/data/ch06_forget_bias.json. About a minute:
    nice -n 10 python scripts/ch06_forget_bias.py
"""
import dataclasses
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from ch06_common import DATA, predictions, recall_batch, train_lstm  # noqa: E402
from ch06_fsm_sweep import A_RECALL, LSTM_SETTING, M_TEST, M_TRAIN, M_VAL, N_DIS, N_SIG  # noqa: E402

from lstm.tasks.recall import first_symbol_recall  # noqa: E402

LAG = 32
MAX_STEPS = 3000


def main():
    rows = []
    for bias in (3.0, 1.0):
        rng = np.random.default_rng(100 + LAG)  # the sweep's data for this lag
        data = [first_symbol_recall(rng, m, LAG, N_SIG, N_DIS) for m in (M_TRAIN, M_VAL, M_TEST)]
        batches = [recall_batch(x, y, A_RECALL, N_SIG) for x, y in data]
        last_acc = lambda model, b, y: float(np.mean(predictions(model, b)[-1].argmax(1) == y))  # noqa: E731
        setting = dataclasses.replace(LSTM_SETTING, forget_bias=bias)
        model, steps, secs, history = train_lstm(batches[0], lambda m: last_acc(m, batches[1], data[1][1]), setting,
                                                 A_RECALL, N_SIG, np.random.default_rng(7), max_steps=MAX_STEPS)
        test = last_acc(model, batches[2], data[2][1])
        rows.append(dict(forget_bias=bias, lag=LAG, steps=steps, test=test, best_validation=max(s for _, s in history),
                         seconds=secs))
        print(rows[-1], flush=True)
    with open(os.path.join(DATA, "ch06_forget_bias.json"), "w") as f:
        json.dump(dict(max_steps=MAX_STEPS, rows=rows), f, indent=1)


if __name__ == "__main__":
    main()
