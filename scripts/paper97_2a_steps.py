"""Where does the paper's 2a net go wrong: at the final prediction or in the middle?

    nice -n 15 python scripts/paper97_2a_steps.py "early plateau" 0 4000

Trains one tuning seed of 2a with the paper's net (`registry.PAPER_NET_2A`) in one reading of
"memory cell and input gate are added once the error has stopped decreasing", and every 250
sequences scores both of 2a's sequences (x ... x and y ... y) step by step: is the final
prediction right (every output within 0.25 of its target), are the p - 1 predictions before it
right, and the cell state at the end of each. Appends one record per run to
book/data/paper97_2a_steps.json.
"""
import json
import os
import sys
import time
from dataclasses import replace

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import numpy as np  # noqa: E402

from lstm.experiments.net1997 import Net1997  # noqa: E402
from lstm.experiments.registry import PAPER_NET_2A  # noqa: E402
from lstm.tasks import noise_free_batch  # noqa: E402

OUT = os.path.join(ROOT, "book", "data", "paper97_2a_steps.json")
P = 100
READINGS = {
    "from the start": PAPER_NET_2A,
    "plateau": replace(PAPER_NET_2A, grow=(100, 0.01)),
    "early plateau": replace(PAPER_NET_2A, grow=(20, 0.05)),
}


def both_sequences():
    """2a's two sequences (y, a1 .. a99, y) and (x, a1 .. a99, x) as X (T, 2, D), targets (T, 2, D)."""
    rng = np.random.default_rng(0)
    seen = {}
    while len(seen) < 2:
        b = noise_free_batch(rng, 1, P)
        seen[int(np.argmax(b.X[0, 0]))] = b
    bs = [seen[k] for k in sorted(seen)]
    return np.concatenate([b.X for b in bs], axis=1), np.concatenate([b.targets for b in bs], axis=1)


def score(net, X, targets):
    Y = net.forward(X[:, None])[:, 0]  # (T, 2, D)
    step_ok = np.all(np.abs(Y - targets) < 0.25, axis=2)  # (T, 2)
    return step_ok


def main(argv):
    label, seed, total = argv[1], int(argv[2]), int(argv[3])
    spec = READINGS[label]
    net = Net1997(spec, P + 1, P + 1, [seed])
    X, targets = both_sequences()
    rng = np.random.default_rng([seed, 1])
    cpu = time.process_time()
    rows, grown_at = [], None
    for n in range(1, total + 1):
        b = noise_free_batch(rng, 1, P)
        net.train_sequence(b.X, b.targets, b.mask)
        if grown_at is None and net.grown[0]:
            grown_at = n
        if n % 250 == 0:
            ok = score(net, X, targets)
            st = _final_state(net, X)
            row = {"sequences": n, "grown": bool(net.grown[0]), "final_right": ok[-1].tolist(),
                   "middle_right": [float(ok[:-1, k].mean()) for k in range(2)], "final_state": st,
                   "w_cell_to_out_max": float(np.abs(net.params["W_k"][0, :, 1]).max())}
            rows.append(row)
            print(row, flush=True)
    record = {"reading": label, "seed": seed, "sequences": total, "grown_at": grown_at, "spec": dict(vars(spec)),
              "rows": rows, "cpu_seconds": round(time.process_time() - cpu, 1)}
    done = json.load(open(OUT))["runs"] if os.path.exists(OUT) else []
    done = [r for r in done if (r["reading"], r["seed"], r["sequences"]) != (label, seed, total)] + [record]
    with open(OUT, "w") as f:
        json.dump({"note": "2a, the paper's net, one tuning seed per run: final and middle predictions of both "
                           "sequences every 250 sequences (scripts/paper97_2a_steps.py)", "runs": done}, f, indent=1)


def _final_state(net, X):
    """The cell state after the last step of each of the two sequences."""
    s = np.zeros((1, 2, net.BC))
    y_rec = np.zeros((1, 2, net.R))
    for t in range(X.shape[0]):
        st = net._step(X[t][None], y_rec, s)
        s, y_rec = st["s"], net._recurrent(st)
    return [round(float(v), 3) for v in s[0, :, 0]]


if __name__ == "__main__":
    main(sys.argv)
