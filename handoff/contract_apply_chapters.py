"""Apply the chapter edits of handoff/contract.md to book/*.ipynb (cell sources only).

Run from the repository root: python handoff/contract_apply_chapters.py
Each edit replaces one exact piece of a cell's source; an edit whose old text is not
found exactly once stops the script with a message, before anything is written.
The chapters then need executing again (07, 09, 10; the others only if edited).
"""
import json
import sys
from pathlib import Path

EDITS = [
    # chapter 7: every layer draws its own random initial state for the gradient check
    ("book/07_lstm_family.ipynb",
     '    h0, c0 = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))\n'
     '    state = h0 if name == "gru" else (h0, c0)\n'
     '    errors = lstm.check_layer_gradients(layer, X, state, rng=rng)\n',
     '    errors = lstm.check_layer_gradients(layer, X, rng=rng)  # from a random initial state of the layer\n'),
    # chapter 9: the training loop is now the package's trainer; show the chunks and the step
    ("book/09_character_text.ipynb",
     'src = inspect.getsource(lstm.text.charlm.train_char_model)\n'
     'display(Code(src[src.index("    while seen < chars"):src.index("    bar.close()")], language="python"))',
     'display(Code(inspect.getsource(lstm.text.charlm.stream_chunks) + "\\n\\n" + inspect.getsource(lstm.train_step),\n'
     '             language="python"))'),
    ("book/09_character_text.ipynb",
     'and the best version is kept. The loop, from `lstm/text/charlm.py`:',
     'and the best version is kept. The chunks come from `stream_chunks` in\n'
     '`lstm/text/charlm.py`, and each is one call of `lstm.train_step`, the training step\n'
     'every model in this book uses; the package\'s trainer (`lstm/trainer.py`) runs it, and\n'
     'between two updates decays the step size, scores the validation text and keeps the best\n'
     'parameters:'),
    # chapter 10: `parallel` is an attribute of the layer; forward takes (X, state)
    ("book/10_modern_recurrences.ipynb",
     '        Y, hT = layer.forward(X, h0, parallel=parallel)\n',
     '        layer.parallel = parallel  # the scan (True) or the loop (False)\n'
     '        Y, hT = layer.forward(X, h0)\n'),
    ("book/10_modern_recurrences.ipynb",
     'Y, _ = layer.forward(ones, h0=rng.normal(size=(1, 3)) * 3)',
     'Y, _ = layer.forward(ones, rng.normal(size=(1, 3)) * 3)  # from a random h_0'),
    ("book/10_modern_recurrences.ipynb",
     'other layers: `forward(X, h0=None, parallel=True)` returns `(Y, hT)`, and `backward`\n'
     'fills `grads`.',
     'other layers: `forward(X, state=None)` returns `(Y, hT)` (the attribute `parallel`\n'
     'picks the scan or the loop), and `backward` fills `grads`.'),
    ("book/10_modern_recurrences.ipynb",
     'layer.params["bias"][:2] = 800.0  # input-gate pre-activations near 800: exp(800) is inf in float64\n'
     'Y = layer.forward(np.random.default_rng(1).normal(size=(4, 1, 1)))\n',
     'layer.params["bias"][layer.gate_rows["i"]] = 800.0  # input-gate pre-activations near 800: exp(800) is inf\n'
     'Y, _ = layer.forward(np.random.default_rng(1).normal(size=(4, 1, 1)))\n'),
    # chapters 3, 4, 5: a layer's gate rows, the one way every layer says where its gates are
    ("book/03_memory_cell.ipynb",
     'o_rows = lstm.cells.gate_slices(trained.kind, 2)["o"]',
     'o_rows = trained.gate_rows["o"]'),
    ("book/04_gates.ipynb",
     'rows_1997 = lstm.cells.gate_slices(cell_1997.kind, H)',
     'rows_1997 = cell_1997.gate_rows'),
    ("book/05_bptt.ipynb",
     'row = gate_slices(net.kind, H)["f"].start + 0  # forget gate of cell 0',
     'row = net.gate_rows["f"].start + 0  # forget gate of cell 0'),
    ("book/05_bptt.ipynb",
     'from lstm.book.widgets import explorable, slider\nfrom lstm.cells import gate_slices\n',
     'from lstm.book.widgets import explorable, slider\n'),
    # chapters 1, 2, 3, 7: the chapters' own experiments moved to lstm.experiments.chapters
    ("book/01_plain_rnn_problems.ipynb",
     'from lstm.experiments import ch01_long_lag  #',
     'from lstm.experiments.chapters import ch01_long_lag  #'),
    ("book/02_naive_constant_error.ipynb",
     'from lstm.experiments.error_flow import (error_flow, naive_cec_model,\n'
     '                                         naive_cec_train_step, self_connected_unit)',
     'from lstm.experiments.chapters.ch02_error_flow import (error_flow, naive_cec_model, naive_cec_train_step,\n'
     '                                                       self_connected_unit)'),
    ("book/02_naive_constant_error.ipynb",
     '`lstm/experiments/error_flow.py`',
     '`lstm/experiments/chapters/ch02_error_flow.py`'),
    ("book/03_memory_cell.ipynb",
     'from lstm.experiments import value_recall as exp',
     'from lstm.experiments.chapters import ch03_value_recall as exp'),
    ("book/03_memory_cell.ipynb",
     '`lstm.experiments.value_recall`',
     '`lstm.experiments.chapters.ch03_value_recall`'),
    ("book/07_lstm_family.ipynb",
     'from lstm.experiments.family import FAMILY, make_recurrent',
     'from lstm.experiments.chapters.ch07_family import FAMILY, make_recurrent'),
    ("book/07_lstm_family.ipynb",
     '`lstm.experiments.family.make_recurrent`',
     '`lstm.experiments.chapters.ch07_family.make_recurrent`'),
]


def main():
    only = sys.argv[1:]  # chapter numbers, e.g. 01 03; default: every chapter
    books = {}
    for path, old, new in EDITS:
        if only and not any(path.startswith(f"book/{n}_") for n in only):
            continue
        nb = books.setdefault(path, json.loads(Path(path).read_text()))
        hits = [c for c in nb["cells"] if old in "".join(c["source"])]
        count = sum("".join(c["source"]).count(old) for c in hits)
        if count != 1:
            sys.exit(f"{path}: expected the old text once, found it {count} times:\n{old}")
        cell = hits[0]
        src = "".join(cell["source"]).replace(old, new)
        cell["source"] = src.splitlines(keepends=True)
    for path, nb in books.items():
        Path(path).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        print("edited", path)


if __name__ == "__main__":
    main()
