"""Chapter 6's lag control: the recall sweep of scripts/ch06_fsm_sweep.py at every lag
from 1 to 32, for the control's live range (the static page shows the sweep's six lags).

Each lag is measured exactly as the sweep measures it (ch06_fsm_sweep.recall_at: the same
seeded data, machines, ridge choice and LSTM), so at the sweep's lags 1, 2, 4, 8, 16, 32
the rows equal the ones in book/data/ch06_fsm_sweep.npz; the script checks that for
``--check LAG`` lags and otherwise copies those six rows. Writes
book/data/ch06_recall_lags.json. Takes about ten minutes:
    nice -n 10 python scripts/ch06_recall_lags.py [--check 4]
"""
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from ch06_common import DATA  # noqa: E402
from ch06_fsm_sweep import LAGS, recall_at  # noqa: E402

ALL_LAGS = list(range(1, 33))


def main():
    start = time.perf_counter()

    def log(msg):
        print(f"[{time.perf_counter() - start:6.0f} s] {msg}", flush=True)
    saved = json.loads(str(np.load(os.path.join(DATA, "ch06_fsm_sweep.npz"))["results"]))
    check = [int(a) for a in sys.argv[sys.argv.index("--check") + 1:]] if "--check" in sys.argv else []
    rows, lstm_rows = [], []
    for lag in ALL_LAGS:
        if lag in LAGS and lag not in check:
            rows += [r for r in saved["recall"] if r["lag"] == lag]
            lstm_rows += [r for r in saved["recall_lstm"] if r["lag"] == lag]
            continue
        fsm_rows, lstm_row = recall_at(lag, log)
        if lag in LAGS:  # measured again: it must equal the sweep's rows
            keep = lambda r: {k: v for k, v in r.items() if k != "seconds"}  # noqa: E731
            old = [r for r in saved["recall"] if r["lag"] == lag]
            old_lstm = [keep(r) for r in saved["recall_lstm"] if r["lag"] == lag]
            if fsm_rows != old or [keep(lstm_row)] != old_lstm:
                raise SystemExit(f"lag {lag}: measured again, the rows differ from the sweep's")
            log(f"lag {lag}: the same rows as the sweep")
        rows += fsm_rows
        lstm_rows.append(lstm_row)
    out = dict(lags=ALL_LAGS, recall=rows, recall_lstm=lstm_rows)
    with open(os.path.join(DATA, "ch06_recall_lags.json"), "w") as f:
        json.dump(out, f, indent=0)
    log("saved " + os.path.join(DATA, "ch06_recall_lags.json"))


if __name__ == "__main__":
    main()
