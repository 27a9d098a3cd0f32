"""Chapter 9: one regularised run of the chapter's H = 256 LSTM, to test the claim that
it is limited by overfitting its training text.

    nice -n 10 python scripts/ch09_weight_decay.py python_reference   # one corpus per process
    nice -n 10 python scripts/ch09_weight_decay.py python_stdlib
    python scripts/ch09_weight_decay.py --merge                       # -> book/data/ch09_weight_decay.json

Everything is as in scripts/ch09_text.py's H = 256 LSTM (B = 16, k = 32, Adam from 5e-3
decaying to 5e-4, clipping at 5, 2.5 million characters, the best of the evaluations
every 250,000 characters on 10,000 validation characters), plus decoupled weight decay
(WeightDecay in lstm/text/charlm.py) at one rate, fixed in advance and not tuned, and a
seed that no other run of the chapter used.
"""
import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

from lstm.text import TrainConfig, evaluate_bpc, load_corpus, make_char_model, train_char_model

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ch09_text import RNN_CONFIG, RNNS  # noqa: E402  the unregularised run's settings

DATA = Path(__file__).resolve().parent.parent / "book" / "data"
WEIGHT_DECAY = 0.1  # per unit of step size: over the run's schedule an unused weight shrinks to about 0.4
SEED = 2026  # not a seed of ch09_text.py (those are H, H + 1) nor of the tuning


def part_path(name):
    return DATA / f"ch09_weight_decay_{name}.json"


def run(name):
    cell, H, chars, lr = RNNS[0]
    assert (cell, H) == ("lstm", 256), RNNS[0]
    corpus = load_corpus(DATA / "text" / f"{name}.txt")
    rng = np.random.default_rng(SEED)
    model = make_char_model(corpus.vocab.size, H, cell, rng)
    config = TrainConfig(chars=chars, lr=lr, lr_final=lr / 10, weight_decay=WEIGHT_DECAY, **RNN_CONFIG)
    cpu0 = time.process_time()
    result = train_char_model(model, corpus.train, corpus.valid, config, rng)
    out = {"corpus": name, "cell": cell, "H": H, "seed": SEED, "config": asdict(config),
           "seconds": result.seconds, "cpu_seconds": time.process_time() - cpu0,
           "history": result.history, "valid_bpc": evaluate_bpc(model, corpus.valid),
           "test_bpc": evaluate_bpc(model, corpus.test)}
    part_path(name).write_text(json.dumps(out, indent=1))
    print(time.strftime("%H:%M:%S"), {k: v for k, v in out.items() if k != "history"}, flush=True)


def merge():
    names = ("python_reference", "python_stdlib")
    out = {"weight_decay": WEIGHT_DECAY, "seed": SEED,
           "corpora": {n: json.loads(part_path(n).read_text()) for n in names}}
    (DATA / "ch09_weight_decay.json").write_text(json.dumps(out, indent=1))
    for n in names:
        part_path(n).unlink()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", choices=("python_reference", "python_stdlib"))
    parser.add_argument("--merge", action="store_true")
    args = parser.parse_args()
    if args.merge:
        merge()
    elif args.corpus:
        run(args.corpus)
    else:
        parser.error("give a corpus or --merge")
