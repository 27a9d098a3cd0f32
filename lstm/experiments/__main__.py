"""Command line: python -m lstm.experiments NAME [--seed S] [--setting paper|modern|rnn] [--json]."""
import argparse
import json
import sys

from .registry import EXPERIMENTS, SETTINGS
from .runner import run


def _non_negative_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text!r}")
    return value


def _positive_int(text):
    value = _non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError("expected a positive integer, got 0")
    return value


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def parser():
    p = argparse.ArgumentParser(prog="python -m lstm.experiments",
                                description="Reproduce the experiments of Hochreiter & Schmidhuber (1997).")
    p.add_argument("name", nargs="?", help="experiment name (see --list)")
    p.add_argument("--list", action="store_true", help="list the experiments and exit")
    p.add_argument("--seed", type=_non_negative_int, default=0, help="random seed (default 0)")
    p.add_argument("--setting", choices=SETTINGS, default="modern",
                   help="paper: 1997 cell, online SGD; modern: forget gate, Adam, minibatches; rnn: plain RNN")
    p.add_argument("--max-sequences", type=_positive_int, default=None,
                   help="training budget in sequences (default: 4x the paper's, at least 300,000)")
    p.add_argument("--max-seconds", type=_positive_float, default=600.0, help="wall-clock budget (default 600)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    p.add_argument("--curve", action="store_true", help="keep the learning curve in the JSON output")
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    if args.list:
        width = max(len(n) for n in EXPERIMENTS)
        for name, exp in EXPERIMENTS.items():
            print(f"{name:<{width}}  {exp.title}")
        return 0
    if args.name is None:
        parser().error("an experiment name is required (see --list)")
    if args.name not in EXPERIMENTS:
        parser().error(f"unknown experiment {args.name!r}; choose from: {', '.join(EXPERIMENTS)}")
    result = run(args.name, setting=args.setting, seed=args.seed, max_sequences=args.max_sequences,
                 max_seconds=args.max_seconds, progress=not args.json)
    if not args.curve:
        result.pop("curve")
    if args.json:
        print(json.dumps(result))
    else:
        status = "solved" if result["solved"] else "NOT solved"
        print(f"{args.name} [{args.setting}, seed {args.seed}]: {status} after {result['sequences']:,} sequences, "
              f"{result['test_wrong']} of {result['test_total']} test sequences wrong, {result['seconds']:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
