"""Chapter 6's lag control: the recall sweep of scripts/ch06_fsm_sweep.py at every lag
from 1 to 32, for the control's live range (the static page shows the sweep's six lags).

Each lag is measured exactly as the sweep measures it (ch06_fsm_sweep.recall_at: the same
seeded data, machines, ridge choice and LSTM), so at the sweep's lags 1, 2, 4, 8, 16, 32
the rows equal the ones in book/data/ch06_fsm_sweep.npz; those six are copied from it, and
``--check 4`` measures lag 4 again and stops unless it gets the sweep's rows. Writes
book/data/ch06_recall_lags.json. The lags are independent, so they can be measured in
parts, e.g. in three processes, and merged:
    nice -n 10 python scripts/ch06_recall_lags.py                       # all at once
    nice -n 10 python scripts/ch06_recall_lags.py --lags 3,5,6 --part /tmp/a.json
    python scripts/ch06_recall_lags.py --merge /tmp/a.json /tmp/b.json ...
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
OUT = os.path.join(DATA, "ch06_recall_lags.json")


def _arg(name):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else None


def _without_seconds(row):
    return {k: v for k, v in row.items() if k != "seconds"}


def measure(lags, check, log):
    """{lag: (FSM rows, LSTM row)} for the non-grid ``lags`` and the grid lags in ``check``."""
    saved = json.loads(str(np.load(os.path.join(DATA, "ch06_fsm_sweep.npz"))["results"]))
    out = {}
    for lag in lags:
        if lag in LAGS and lag not in check:
            continue
        fsm_rows, lstm_row = recall_at(lag, log)
        if lag in LAGS:  # measured again: it must equal the sweep's rows
            old = [r for r in saved["recall"] if r["lag"] == lag]
            old_lstm = [_without_seconds(r) for r in saved["recall_lstm"] if r["lag"] == lag]
            if fsm_rows != old or [_without_seconds(lstm_row)] != old_lstm:
                raise SystemExit(f"lag {lag}: measured again, the rows differ from the sweep's")
            log(f"lag {lag}: the same rows as the sweep")
        out[lag] = (fsm_rows, lstm_row)
    return out


def assemble(measured):
    """The file's content: every lag, the sweep's rows at its own lags."""
    saved = json.loads(str(np.load(os.path.join(DATA, "ch06_fsm_sweep.npz"))["results"]))
    rows, lstm_rows = [], []
    for lag in ALL_LAGS:
        if lag in LAGS:
            rows += [r for r in saved["recall"] if r["lag"] == lag]
            lstm_rows += [r for r in saved["recall_lstm"] if r["lag"] == lag]
        elif lag in measured:
            rows += measured[lag][0]
            lstm_rows.append(measured[lag][1])
        else:
            raise SystemExit(f"lag {lag} has not been measured")
    return dict(lags=ALL_LAGS, recall=rows, recall_lstm=lstm_rows)


def main():
    start = time.perf_counter()

    def log(msg):
        print(f"[{time.perf_counter() - start:6.0f} s] {msg}", flush=True)
    if "--merge" in sys.argv:
        measured = {}
        for path in sys.argv[sys.argv.index("--merge") + 1:]:
            with open(path) as f:
                measured.update({int(k): v for k, v in json.load(f).items()})
    else:
        lags = [int(a) for a in _arg("--lags").split(",")] if _arg("--lags") else ALL_LAGS
        check = [int(a) for a in _arg("--check").split(",")] if _arg("--check") else []
        part = _arg("--part")
        measured = {}
        for lag in lags:
            measured.update(measure([lag], check, log))
            if part:  # after every lag, so a stopped run keeps what it measured
                with open(part, "w") as f:
                    json.dump(measured, f)
        if part:
            return
    with open(OUT, "w") as f:
        json.dump(assemble(measured), f, indent=0)
    log("saved " + OUT)


if __name__ == "__main__":
    main()
