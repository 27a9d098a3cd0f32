"""Chapter 9: the H = 256 LSTM mixed with the modified Kneser-Ney n-gram.

    nice -n 10 python scripts/ch09_mixture_mkn.py   # -> book/data/ch09_mixture_mkn.json

p = lambda p_LSTM + (1 - lambda) p_MKN per character, with the n-gram's order chosen on
validation in book/data/ch09_mkn.json and lambda chosen on the validation text (grid of
0.05), then scored on the test text, every character after the first, as chapter 9 does.
"""
import json
from pathlib import Path

import numpy as np

import lstm
from lstm.text import load_corpus
from lstm.text.charlm import char_probabilities
from lstm.text.ngram import ModifiedKneserNey

DATA = Path(__file__).resolve().parent.parent / "book" / "data"
LAMBDAS = [round(x, 2) for x in np.arange(0.0, 1.001, 0.05)]


def main():
    mkn = json.loads((DATA / "ch09_mkn.json").read_text())["corpora"]
    out = {"lambdas": LAMBDAS, "corpora": {}}
    for name in ("python_reference", "python_stdlib"):
        corpus = load_corpus(DATA / "text" / f"{name}.txt")
        order = mkn[name]["best_order_on_valid"]["mkn"]
        gram = ModifiedKneserNey(order, corpus.vocab.size).fit(corpus.train)
        model = lstm.SequenceModel.load(DATA / f"ch09_{name}_lstm256.npz")
        scores = {}
        for part in ("valid", "test"):
            ids = getattr(corpus, part)
            p_lstm = char_probabilities(model, ids)  # characters 1 .. T-1
            p_gram = gram.probabilities(ids)[1:]
            scores[part] = [float(-np.mean(np.log2(lam * p_lstm + (1 - lam) * p_gram))) for lam in LAMBDAS]
        k = int(np.argmin(scores["valid"]))
        out["corpora"][name] = {"order": order, "lambda": LAMBDAS[k], "valid_bpc": scores["valid"][k],
                                "test_bpc": scores["test"][k], "test_by_lambda": scores["test"],
                                "mkn_test_bpc": scores["test"][0], "lstm_test_bpc": scores["test"][-1]}
        print(name, out["corpora"][name]["lambda"], out["corpora"][name]["test_bpc"], flush=True)
    (DATA / "ch09_mixture_mkn.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
