"""Chapter 9: the n-gram baseline with modified Kneser-Ney (three discounts), order 1-8.

    nice -n 10 python scripts/ch09_mkn.py        # -> book/data/ch09_mkn.json

For each corpus, fits interpolated Kneser-Ney with one discount per order (the chapter's
first baseline) and with Chen & Goodman's three discounts, for n = 1..8, and scores the
validation and test texts (every character after the first, as the chapter does). The
order is chosen on validation; the test score of the chosen order is the one to report.
"""
import json
import time
from pathlib import Path

import numpy as np

from lstm.text import load_corpus
from lstm.text.ngram import KneserNey, ModifiedKneserNey

DATA = Path(__file__).resolve().parent.parent / "book" / "data"
CORPORA = ("python_reference", "python_stdlib")
ORDERS = range(1, 9)


def bpc(model, ids):
    return float(-np.mean(np.log2(model.probabilities(ids)[1:])))


def main():
    out = {"orders": list(ORDERS), "corpora": {}}
    for name in CORPORA:
        corpus = load_corpus(DATA / "text" / f"{name}.txt")
        rows = []
        for n in ORDERS:
            t0 = time.process_time()
            row = {"order": n}
            for label, cls in (("kn", KneserNey), ("mkn", ModifiedKneserNey)):
                model = cls(order=n, vocab_size=corpus.vocab.size).fit(corpus.train)
                row[label] = {"valid_bpc": bpc(model, corpus.valid), "test_bpc": bpc(model, corpus.test),
                              "counts": model.n_counts}
                if label == "mkn":
                    row[label]["discounts"] = [list(model.discounts[k]) for k in sorted(model.discounts)]
            row["cpu_seconds"] = time.process_time() - t0
            rows.append(row)
            print(f"{name} n={n}: KN valid {row['kn']['valid_bpc']:.3f} test {row['kn']['test_bpc']:.3f} | "
                  f"MKN valid {row['mkn']['valid_bpc']:.3f} test {row['mkn']['test_bpc']:.3f} "
                  f"({row['cpu_seconds']:.0f} s)", flush=True)
        best = {label: min(rows, key=lambda r: r[label]["valid_bpc"])["order"] for label in ("kn", "mkn")}
        out["corpora"][name] = {"rows": rows, "best_order_on_valid": best}
    (DATA / "ch09_mkn.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
