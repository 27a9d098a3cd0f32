"""Chapter 9: the scoring temperature of the H = 256 LSTMs, chosen on validation.

    nice -n 10 python scripts/ch09_temperature.py   # -> book/data/ch09_temperature.json

Runs each corpus's saved H = 256 LSTM over its whole validation and test texts (each read
as one stream, as the chapter scores them), divides the logits by tau and scores bits per
character for tau on a grid. The tau chosen on validation is then applied to the test text.
"""
import json
from pathlib import Path

import numpy as np

import lstm
from lstm.losses import log_softmax
from lstm.text import load_corpus
from lstm.text.charlm import next_char_logits

DATA = Path(__file__).resolve().parent.parent / "book" / "data"
CORPORA = ("python_reference", "python_stdlib")
TAUS = [round(t, 2) for t in np.arange(0.6, 1.61, 0.05)]


def bpc_by_tau(model, ids):
    logits, _ = next_char_logits(model, ids[:-1])
    logits = logits.astype(np.float64)
    rows = np.arange(len(ids) - 1)
    return [float(-log_softmax(logits / tau)[rows, ids[1:]].mean() / np.log(2)) for tau in TAUS]


def main():
    out = {"taus": TAUS, "corpora": {}}
    for name in CORPORA:
        corpus = load_corpus(DATA / "text" / f"{name}.txt")
        model = lstm.SequenceModel.load(DATA / f"ch09_{name}_lstm256.npz")
        valid, test = bpc_by_tau(model, corpus.valid), bpc_by_tau(model, corpus.test)
        first5000 = bpc_by_tau(model, corpus.test[:5000])
        k = int(np.argmin(valid))
        out["corpora"][name] = {"valid_bpc": valid, "test_bpc": test, "test_first5000_bpc": first5000,
                                "tau_valid": TAUS[k], "test_at_tau_valid": test[k],
                                "test_at_1": test[TAUS.index(1.0)], "tau_best_on_test": TAUS[int(np.argmin(test))]}
        print(name, out["corpora"][name]["tau_valid"], test[k], test[TAUS.index(1.0)], flush=True)
    (DATA / "ch09_temperature.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
