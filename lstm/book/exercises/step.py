"""Checker for chapter 0's exercise: the reader writes one LSTM step forward.

The reader's function takes the step's inputs and the stacked parameters,

    def lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias):
        # x (N, D), h_prev and c_prev (N, H), weight_ih (4H, D), weight_hh (4H, H), bias (4H,)
        ...
        return {"i": i, "f": f, "g": g, "o": o, "c": c, "h": h}   # each (N, H)

and may also return just ``(h, c)``. `check_step_forward` runs it and
`lstm.step_forward` (the package's step) on the same random inputs and says,
per result, whether it is right and, if not, the likely mistake in words: a
gate squashed by the wrong function, a gate read from another gate's rows,
the candidate multiplied by the output gate instead of the input gate, the
forget gate left out, h without its output gate, and so on. When a result is
wrong only because a result it depends on is wrong (c from a wrong g), the
report says so, so the reader fixes the first mistake first.

Needs numpy and the core package only, so it runs in JupyterLite.
"""
from __future__ import annotations

import numbers

import numpy as np

from lstm.activations import sigmoid, tanh
from lstm.cells import step_forward

from . import Report, _close, compare

__all__ = ["check_step_forward", "GATE_ORDER"]

#: Order of the four blocks of rows in weight_ih, weight_hh and bias (PyTorch's).
GATE_ORDER = ("i", "f", "g", "o")
RESULTS = ("i", "f", "g", "o", "c", "h")
#: What c and h are computed from (besides c_prev): a wrong c may only inherit a wrong gate.
DEPENDS_ON = {"c": ("i", "f", "g"), "h": ("o", "c")}


def _inputs(rng: np.random.Generator, N: int = 3, D: int = 4, H: int = 5) -> dict:
    """Random inputs whose pre-activations stay in the gates' sensitive range (|a| of order 1),
    so that sigmoid and tanh, or one gate and another, give clearly different numbers."""
    return {
        "x": rng.normal(size=(N, D)),
        "h_prev": rng.uniform(-1, 1, size=(N, H)),
        "c_prev": rng.uniform(-2, 2, size=(N, H)),
        "weight_ih": rng.normal(scale=0.6, size=(4 * H, D)),
        "weight_hh": rng.normal(scale=0.6, size=(4 * H, H)),
        "bias": rng.normal(scale=0.5, size=4 * H),
    }


def _reference(inputs: dict) -> tuple[dict, np.ndarray]:
    """The package's step: {"i", "f", "g", "o", "c", "h"} and the pre-activations a (N, 4H)."""
    params = {k: inputs[k] for k in ("weight_ih", "weight_hh", "bias")}
    h, c, cache = step_forward(inputs["x"], inputs["h_prev"], inputs["c_prev"], params)
    cell = cache.cell
    a = inputs["x"] @ params["weight_ih"].T + inputs["h_prev"] @ params["weight_hh"].T + params["bias"]
    return {"i": cell.i, "f": cell.f, "g": cell.g, "o": cell.o, "c": c, "h": h}, a


def _blocks(a: np.ndarray) -> dict:
    """The four pre-activation blocks a^i, a^f, a^g, a^o, each (N, H)."""
    H = a.shape[1] // 4
    return {name: a[:, k * H:(k + 1) * H] for k, name in enumerate(GATE_ORDER)}


def _gate_mistakes(name: str, a: dict) -> list[tuple[np.ndarray, str]]:
    """Likely wrong versions of gate `name` and the sentence that names each."""
    right = "tanh" if name == "g" else "the sigmoid"
    wrong_fn, wrong_name = (sigmoid, "sigmoid") if name == "g" else (tanh, "tanh")
    fn = tanh if name == "g" else sigmoid
    mistakes = [(wrong_fn(a[name]), f"{name} is {wrong_name}(a^{name}), but {name} takes {right}"
                 + (" (it is the candidate, in (-1, 1))" if name == "g" else " (a gate, in (0, 1))"))]
    for other in GATE_ORDER:
        if other != name:
            mistakes.append((fn(a[other]), f"{name} is computed from the rows of {other}: the blocks of "
                                           f"weight_ih, weight_hh and bias are stacked in the order i, f, g, o"))
    mistakes.append((a[name], f"{name} is the pre-activation a^{name} itself: apply {right} to it"))
    return mistakes


def _state_mistakes(want: dict, c_prev: np.ndarray) -> dict[str, list[tuple[np.ndarray, str]]]:
    """Likely wrong versions of c and h, written with the right gates."""
    i, f, g, o, c = (want[k] for k in ("i", "f", "g", "o", "c"))
    return {
        "c": [
            (f * c_prev + o * g, "c multiplies the candidate g by the output gate o; the input gate i "
                                 "decides what is written: c = f * c_prev + i * g"),
            (i * g, "c leaves out the old content: add f * c_prev (the forget gate's share of c_prev)"),
            (c_prev + i * g, "c adds c_prev without the forget gate: c = f * c_prev + i * g"),
            (f * c_prev + g, "c adds the candidate g without the input gate: c = f * c_prev + i * g"),
            (f * c_prev + i * tanh(g), "c squashes the candidate twice: g is already tanh(a^g)"),
        ],
        "h": [
            (tanh(c), "h is tanh(c) without the output gate: h = o * tanh(c)"),
            (o * c, "h is o * c: squash c first, h = o * tanh(c)"),
            (o * tanh(c_prev), "h reads the old cell state c_prev; it reads the new one, h = o * tanh(c)"),
            (tanh(o * c), "h is tanh(o * c): the output gate multiplies after the tanh, h = o * tanh(c)"),
        ],
    }


def _as_results(returned) -> dict:
    if isinstance(returned, dict):
        return returned
    if isinstance(returned, (tuple, list)) and len(returned) == 2:
        return {"h": returned[0], "c": returned[1]}
    raise TypeError("your function should return a dict {'i', 'f', 'g', 'o', 'c', 'h'} "
                    f"or a pair (h, c); it returned {type(returned).__name__}")


def _matches(got, candidate: np.ndarray) -> bool:
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return _close(got, candidate)


def check_step_forward(step, seed: int = 0) -> Report:
    """Run the reader's ``step(x, h_prev, c_prev, weight_ih, weight_hh, bias)`` and the package's
    `lstm.step_forward` on the same random inputs, and say which results are wrong and how.

    step: the reader's function; it returns {"i", "f", "g", "o", "c", "h"} (each (N, H)) or
        (h, c). seed: the random inputs (N = 3 sequences, D = 4 inputs, H = 5 units).
    Returns a Report (print it; ``report.ok`` is True when every result is right).
    """
    if not callable(step):
        raise TypeError(f"check_step_forward needs your step function, got {type(step).__name__}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an integer, got {seed!r}")
    inputs = _inputs(np.random.default_rng(seed))
    full, a = _reference(inputs)
    try:
        results = _as_results(step(**{k: v.copy() for k, v in inputs.items()}))
    except Exception as err:  # the reader's code: report it instead of a traceback in the checker
        return Report({"your function": f"your function raised {type(err).__name__}: {err}"})
    # A reader who returns only (h, c) is checked on those two.
    want = {k: full[k] for k in (("c", "h") if set(results) <= {"h", "c"} else RESULTS)}
    report = compare(results, want, factors={"o": full["o"]})
    blocks = _blocks(a)
    mistakes = {name: _gate_mistakes(name, blocks) for name in GATE_ORDER}
    mistakes.update(_state_mistakes(full, inputs["c_prev"]))
    problems = dict(report.problems)
    causes: dict[str, list[str]] = {}  # a result that is wrong only through others -> the root mistakes
    for name, problem in report.problems.items():  # in the order i, f, g, o, c, h
        if problem is None or name not in results:
            continue
        for candidate, sentence in mistakes.get(name, []):
            if _matches(results[name], candidate):
                problems[name] = sentence
                break
        else:
            problems[name] = _follows_from_earlier(name, results, inputs["c_prev"], problems, causes) or problem
    return Report(problems)


def _follows_from_earlier(name: str, results: dict, c_prev: np.ndarray, problems: dict,
                          causes: dict) -> str | None:
    """If `name` is right given the reader's own (wrong) earlier results, say so and name the
    first mistake to fix (the wrong gate behind a wrong c, say). Records it in ``causes``."""
    try:
        r = {k: np.asarray(results[k], dtype=np.float64) for k in results}
    except (TypeError, ValueError):
        return None
    inputs = DEPENDS_ON.get(name, ())
    if not all(k in r for k in inputs):
        return None
    wrong_before = [k for k in inputs if problems.get(k) is not None]
    if not wrong_before:
        return None
    try:
        own = r["f"] * c_prev + r["i"] * r["g"] if name == "c" else r["o"] * tanh(r["c"])
    except ValueError:  # shapes that do not broadcast
        return None
    if not _close(r[name], own):
        return None
    causes[name] = [root for k in wrong_before for root in causes.get(k, [k])]
    return (f"{name} follows correctly from your {' and '.join(wrong_before)}, which "
            f"{'is' if len(wrong_before) == 1 else 'are'} wrong: fix {causes[name][0]} first")
