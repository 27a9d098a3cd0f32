"""Train a character model on a text file, or sample from a saved one.

    python -m lstm.text train  --corpus book/data/text/python_stdlib.txt --hidden 128 \\
                               --chars 1000000 --out stdlib_lstm.npz
    python -m lstm.text sample --corpus book/data/text/python_stdlib.txt --model stdlib_lstm.npz \\
                               --chars 400 --temperature 0.8 --prime "def "

The vocabulary is rebuilt from the corpus file (its sorted distinct characters), so
`sample` needs the corpus the model was trained on.
"""
import argparse
import sys

import numpy as np

from ..model import SequenceModel
from .charlm import TrainConfig, count_weights, evaluate_bpc, make_char_model, train_char_model
from .corpus import load_corpus
from .sampling import sample


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lstm.text", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train an LSTM or GRU and save it")
    train.add_argument("--corpus", required=True, help="a text file (split 90/5/5 by position)")
    train.add_argument("--cell", choices=["lstm", "gru"], default="lstm")
    train.add_argument("--hidden", type=int, default=128, help="H, the number of cells")
    train.add_argument("--chars", type=int, default=1_000_000, help="training characters to read")
    train.add_argument("--bptt", type=int, default=32, help="truncation length k")
    train.add_argument("--batch", type=int, default=16, help="streams read side by side")
    train.add_argument("--lr", type=float, default=5e-3, help="Adam's first step size (decays to a tenth)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--out", required=True, help="checkpoint file (.npz)")
    samp = sub.add_parser("sample", help="print text drawn from a saved model")
    samp.add_argument("--corpus", required=True, help="the text file the model was trained on")
    samp.add_argument("--model", required=True, help="checkpoint file from `train`")
    samp.add_argument("--chars", type=int, default=400)
    samp.add_argument("--temperature", type=float, default=0.8)
    samp.add_argument("--prime", default="\n")
    samp.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    corpus = load_corpus(args.corpus)
    rng = np.random.default_rng(args.seed)
    if args.command == "train":
        model = make_char_model(corpus.vocab.size, args.hidden, args.cell, rng)
        config = TrainConfig(chars=args.chars, batch_size=args.batch, bptt=args.bptt, lr=args.lr,
                             lr_final=args.lr / 10, eval_every=max(args.chars // 5, 1))
        result = train_char_model(model, corpus.train, corpus.valid, config, rng, progress=True)
        model.save(args.out)
        print(f"{args.cell} H={args.hidden} ({count_weights(model):,} weights): {result.seconds:.0f} s, "
              f"valid {result.best_valid_bpc:.3f} bits/char, test {evaluate_bpc(model, corpus.test):.3f} bits/char; "
              f"saved to {args.out}")
    else:
        model = SequenceModel.load(args.model)
        print(sample(model, corpus.vocab, args.chars, args.temperature, rng, prime=args.prime))
    return 0


if __name__ == "__main__":
    sys.exit(main())
