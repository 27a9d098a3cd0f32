"""Chapter 10: the long-lag comparison on evaluation seeds.

    nice -n 10 python scripts/ch10_eval_seeds.py adding   # -> book/data/ch10_eval_seeds_adding.json
    nice -n 10 python scripts/ch10_eval_seeds.py 2c       # -> book/data/ch10_eval_seeds_2c.json
    nice -n 10 python scripts/ch10_eval_seeds.py adding 105 110 part2   # seeds 105-109 only, in
                                          # ch10_eval_seeds_adding_part2.json (run beside the first)

scripts/ch10_modern.py trains the LSTM, minLSTM and minGRU on seeds 0-2, which are also the
seeds chapter 8 tuned the LSTM's setting on. This script trains the same three models with
the same settings (ch10_modern.Config, ch10_modern.train) on evaluation seeds 100-109, which
no setting was chosen on, one seed of every model after another, and rewrites its JSON
after every run, so an interrupted run leaves complete seeds behind. The wall-clock safety
limit of ch10_modern is lifted: on a shared machine it would turn slow runs into failures.
"""
import importlib.util
import json
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("ch10_modern", ROOT / "scripts" / "ch10_modern.py")
ch10 = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ch10)

SEEDS = range(100, 110)
CONFIGS = {"adding": ch10.Config("adding", 100, "mse"),
           "2c": ch10.Config("2c", 100, "softmax", lr=3e-3, max_sequences=50_000)}


def main(task, seeds=SEEDS, part=""):
    cfg = replace(CONFIGS[task], max_seconds=float("inf"))
    out_path = ROOT / "book" / "data" / f"ch10_eval_seeds_{task}{'_' + part if part else ''}.json"
    runs = []
    for seed in seeds:
        for model in ch10.MODELS:
            r = ch10.train(model, cfg, seed)
            runs.append(r)
            print(f"{task} {model} seed {seed}: solved={r['solved']} {r['sequences']} seq, {r['seconds']} s", flush=True)
            out_path.write_text(json.dumps({"seeds": list(seeds), "runs": runs}, indent=1) + "\n")


if __name__ == "__main__":
    if len(sys.argv) > 2:
        main(sys.argv[1], range(int(sys.argv[2]), int(sys.argv[3])), sys.argv[4])
    else:
        main(sys.argv[1])
