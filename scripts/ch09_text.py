"""Chapter 9: train every character model on both corpora and cache the results.

    nice -n 10 python scripts/ch09_text.py python_reference    # one corpus per process
    nice -n 10 python scripts/ch09_text.py python_stdlib
    python scripts/ch09_text.py python_stdlib --stages rnn     # rerun one stage, keep the rest
    python scripts/ch09_text.py --merge                        # -> book/data/text_results.json

For each corpus (book/data/text/<name>.txt, split 90/5/5 by position):
  n-grams with interpolated Kneser-Ney, n = 1..6;
  the forum's network of N random 4-state FSMs, N = 10, 100, 1000, 10^4, with the
      squared-error readout trained by gradient descent and with a softmax readout;
  LSTMs with H = 64, 128, 256 and a GRU with H = 128, truncated BPTT (k = 32, B = 16),
      Adam, clipping at 5; learning curves; samples of the H = 256 LSTM during training;
  bits per character with the context cut to L characters, for the LSTM and the FSMs;
  (in --merge) the n-grams' context curve and a mixture of the H = 256 LSTM and the 6-gram.
Writes book/data/text_results_<name>.json per corpus (merged by --merge) and the
H = 256 LSTM as book/data/ch09_<name>_lstm256.npz.
"""
import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

from lstm.fsm import FSMNetwork
from lstm import SequenceModel
from lstm.text import (KneserNey, TrainConfig, bits_per_char, bpc_with_context, char_probabilities, evaluate_bpc,
                       load_corpus, make_char_model, sample, train_char_model)
from lstm.text.charlm import count_weights
from lstm.text.fsm_readout import fsm_bpc_with_context, train_fsm_readout

DATA = Path(__file__).resolve().parent.parent / "book" / "data"
ORDERS = (1, 2, 3, 4, 5, 6)
FSM_N = (10, 100, 1000, 10_000)
FSM_STATES = 4
FSM_EPOCHS = {10: 3, 100: 3, 1000: 2, 10_000: 1}
FSM_TRAIN_CHARS = {10_000: 150_000}  # N = 10^4: one pass over the first 150k characters (time)
# (cell, H, training characters, Adam's initial step size), the largest first: it is the
# one the chapter looks inside. B = 16 streams, k = 32 steps: 512 characters per update.
# On this budget of characters, more (smaller) updates with a larger step learn faster:
# at H = 128 after 400k characters of the prose, B = 32, k = 64, lr = 2e-3 reached 4.07
# bits/char, B = 16, k = 32, lr = 5e-3 2.87, and lr = 1e-2 2.59. H = 256 takes the
# smaller of the two steps, to be safe. The step size decays geometrically to a tenth.
RNNS = [("lstm", 256, 2_500_000, 5e-3), ("lstm", 128, 2_000_000, 1e-2), ("gru", 128, 1_500_000, 1e-2),
        ("lstm", 64, 1_500_000, 1e-2)]
RNN_CONFIG = dict(batch_size=16, bptt=32, eval_every=250_000, eval_chars=10_000)
CONTEXTS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
N_POSITIONS = 1000  # test positions scored for the context curves
TEMPERATURES = (0.3, 0.5, 0.8, 1.0, 1.3)


def log(*args):
    print(time.strftime("%H:%M:%S"), *args, flush=True)


def context_positions(corpus):
    """The test positions every context curve scores (the same for every model)."""
    return np.random.default_rng(7).choice(np.arange(max(CONTEXTS), len(corpus.test)), N_POSITIONS, replace=False)


def ngram_context(corpus, positions):
    """n-gram bits per character at the context curves' positions (context n - 1), and
    on the validation characters the networks' learning curves are scored on."""
    context, curve = {}, {}
    n_valid = RNN_CONFIG["eval_chars"]
    for n in ORDERS:
        kn = KneserNey(n, corpus.vocab.size).fit(corpus.train)
        context[str(n - 1)] = float(-np.mean(np.log2(kn.probabilities(corpus.test)[positions])))
        curve[str(n)] = float(-np.mean(np.log2(kn.probabilities(corpus.valid[:n_valid])[1:])))
    return context, curve


def part_path(name):
    return DATA / f"text_results_{name}.json"


def save(name, out):
    part_path(name).write_text(json.dumps(out, indent=1))


def run_ngrams(corpus, out):
    V = corpus.vocab.size
    out["ngram"] = []
    for n in ORDERS:
        t0 = time.perf_counter()
        kn = KneserNey(n, V).fit(corpus.train)
        fit = time.perf_counter() - t0
        # scored like the networks: every test character after the first
        out["ngram"].append({"order": n, "valid_bpc": float(-np.mean(np.log2(kn.probabilities(corpus.valid)[1:]))),
                             "test_bpc": float(-np.mean(np.log2(kn.probabilities(corpus.test)[1:]))),
                             "counts": kn.n_counts, "seconds": fit})
        log(corpus.name, "ngram", out["ngram"][-1])


def run_fsms(corpus, out):
    V, positions = corpus.vocab.size, context_positions(corpus)
    out["fsm"] = []
    for N in FSM_N:
        net = FSMNetwork.random(N, FSM_STATES, V, np.random.default_rng(100 + N))
        train = corpus.train[:FSM_TRAIN_CHARS.get(N, len(corpus.train))]
        for loss in ("squared", "softmax"):
            r = train_fsm_readout(net, train, corpus.valid, corpus.test, loss, np.random.default_rng(N),
                                  epochs=FSM_EPOCHS[N], chunk=16)
            row = {"N": N, "loss": loss, "valid_bpc": r.valid_bpc, "test_bpc": r.test_bpc, "eps": r.eps,
                   "weights": r.weights, "seconds": r.seconds, "train_loss": r.train_loss,
                   "train_chars": len(train), "epochs": FSM_EPOCHS[N]}
            out["fsm"].append(row)
            log(corpus.name, "fsm", row)
            if loss == "softmax" and N in (1000, 10_000):
                t0 = time.perf_counter()
                out["context"][f"fsm{N}"] = {str(L): fsm_bpc_with_context(net, r, corpus.test, positions, L)
                                             for L in CONTEXTS}
                log(corpus.name, "fsm context", N, out["context"][f"fsm{N}"], time.perf_counter() - t0)


def run_rnns(corpus, out):
    name, V, positions = corpus.name, corpus.vocab.size, context_positions(corpus)
    out["rnn"] = []
    samples = []
    for cell, H, chars, lr in RNNS:
        rng = np.random.default_rng(H + (1 if cell == "gru" else 0))
        model = make_char_model(V, H, cell, rng)
        config = TrainConfig(chars=chars, lr=lr, lr_final=lr / 10, **RNN_CONFIG)

        def callback(m, row, keep=(cell == "lstm" and H == 256)):
            if keep:
                samples.append({"chars": row["chars"], "valid_bpc": row["valid_bpc"],
                                "text": sample(m, corpus.vocab, 300, 0.8, np.random.default_rng(0))})

        result = train_char_model(model, corpus.train, corpus.valid, config, rng, callback=callback)
        row = {"cell": cell, "H": H, "weights": count_weights(model), "train_chars": chars,
               "seconds": result.seconds, "valid_bpc": evaluate_bpc(model, corpus.valid),
               "test_bpc": evaluate_bpc(model, corpus.test), "history": result.history,
               "config": asdict(config)}
        out["rnn"].append(row)
        log(name, "rnn", {k: v for k, v in row.items() if k != "history"})
        if cell == "lstm" and H == 256:
            model.save(DATA / f"ch09_{name}_lstm256.npz")
            out["samples_during_training"] = samples
            out["samples_by_temperature"] = {str(T): sample(model, corpus.vocab, 400, T, np.random.default_rng(1))
                                             for T in TEMPERATURES}
            t0 = time.perf_counter()
            out["context"]["lstm256"] = {str(L): bpc_with_context(model, corpus.test, positions, L) for L in CONTEXTS}
            log(name, "lstm context", out["context"]["lstm256"], time.perf_counter() - t0)
        save(name, out)  # after every model, so a long run can be inspected (and is not lost)


STAGES = {"ngram": run_ngrams, "fsm": run_fsms, "rnn": run_rnns}


def run(name, stages):
    """Run the given stages on one corpus, keeping the other stages' results of an
    earlier run from the corpus's part file."""
    corpus = load_corpus(DATA / "text" / f"{name}.txt")
    path = part_path(name)
    out = json.loads(path.read_text()) if path.exists() else {"context": {}}
    out.update({"chars": {"train": len(corpus.train), "valid": len(corpus.valid), "test": len(corpus.test)},
                "vocab_size": corpus.vocab.size})
    out.setdefault("stage_seconds", {})
    for stage in stages:
        started = time.perf_counter()
        STAGES[stage](corpus, out)
        out["stage_seconds"][stage] = time.perf_counter() - started
        save(name, out)
        log(name, stage, "done in", out["stage_seconds"][stage])


def mixture(corpus):
    """p = lam p_LSTM + (1 - lam) p_6gram, lam chosen on the validation text: if the
    mixture beats both, each model knows something the other does not."""
    model = SequenceModel.load(DATA / f"ch09_{corpus.name}_lstm256.npz")
    kn = KneserNey(6, corpus.vocab.size).fit(corpus.train)
    p = {split: (char_probabilities(model, ids), kn.probabilities(ids)[1:])
         for split, ids in (("valid", corpus.valid), ("test", corpus.test))}
    grid = np.round(np.arange(0.0, 1.0001, 0.05), 2)
    valid = [bits_per_char(lam * p["valid"][0] + (1 - lam) * p["valid"][1]) for lam in grid]
    lam = float(grid[int(np.argmin(valid))])
    return {"lambda": lam, "valid_bpc": float(min(valid)),
            "test_bpc": bits_per_char(lam * p["test"][0] + (1 - lam) * p["test"][1])}


def merge():
    merged = {"corpora": {}, "settings": {"orders": ORDERS, "fsm_n": FSM_N, "fsm_states": FSM_STATES,
                                         "fsm_epochs": {str(k): v for k, v in FSM_EPOCHS.items()},
                                         "fsm_train_chars": {str(k): v for k, v in FSM_TRAIN_CHARS.items()},
                                         "rnns": RNNS, "rnn_config": RNN_CONFIG, "contexts": CONTEXTS, "n_positions": N_POSITIONS,
                                         "temperatures": TEMPERATURES}}
    for name in ("python_reference", "python_stdlib"):
        merged["corpora"][name] = part = json.loads(part_path(name).read_text())
        # the n-grams' context curve: their scores at the networks' positions (seconds)
        corpus = load_corpus(DATA / "text" / f"{name}.txt")
        part["context"]["ngram"], part["ngram_curve_valid"] = ngram_context(corpus, context_positions(corpus))
        part["mixture"] = mixture(corpus)
    (DATA / "text_results.json").write_text(json.dumps(merged, indent=1))
    for name in merged["corpora"]:
        part_path(name).unlink()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", choices=["python_reference", "python_stdlib"])
    parser.add_argument("--stages", nargs="+", choices=list(STAGES), default=list(STAGES),
                        help="which stages to (re)run; the others' results are kept from an earlier run")
    parser.add_argument("--merge", action="store_true")
    args = parser.parse_args()
    if args.merge:
        merge()
    elif args.corpus:
        run(args.corpus, args.stages)
    else:
        parser.error("give a corpus or --merge")
        sys.exit(2)
