"""Checkers for the exercises where the reader writes the code.

Each chapter's checker runs the reader's function and the package's reference on
the same random inputs and compares what they return, name by name. A wrong
result is named by its slip: every checker has a catalogue of the slips learners
make (`lstm.book.exercises.catalogue`), computes what each slip (and each pair of
slips) would give, and names the one that gives exactly the reader's numbers,
with the line of the chapter's equation it breaks. Missing or extra results,
wrong dtypes and wrong shapes get their own messages. Only a result no slip
explains falls back to `diagnose`: a flipped sign, a transpose, a missing or
extra factor, or how far off it is. The checkers need numpy and the core
package only, so they run in JupyterLite too.

    from lstm.book.exercises.step import check_step_forward
    report = check_step_forward(my_step)
    print(report)            # one line per result, the slip found, then a verdict
    assert report.ok

The chapters' checkers: `step` (0, one LSTM step), `rnn_flow` (1, the error flow of a
plain RNN; 2, the naive unit and its factor), `cell1997` (3, the 1997 cell's backward
step), `peephole` (4, the peephole cell's step), `bptt` (5, one backward step and the
whole backward pass through time), `fsm_readout` (6, the machines and their readout),
`gru` (7, the GRU's backward step), `adding` (8, the adding problem and its criterion),
`bpc` (9, bits per character), `scan` (10, the composition of two recurrence steps).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["Report", "compare", "diagnose"]

#: Relative error below which a result counts as right (float64 throughout).
TOLERANCE = 1e-7


def _relative_error(got: np.ndarray, want: np.ndarray) -> float:
    scale = max(np.max(np.abs(want)), np.max(np.abs(got)), 1e-12)
    return float(np.max(np.abs(got - want)) / scale)


def _close(got: np.ndarray, want: np.ndarray) -> bool:
    return got.shape == want.shape and _relative_error(got, want) < TOLERANCE


def diagnose(name: str, got, want, factors: dict[str, np.ndarray] | None = None) -> str | None:
    """None if ``got`` equals ``want``; otherwise one sentence on how it differs.

    ``factors`` maps a name (as the text writes it, e.g. "f" or "o * tanh'(c)")
    to an array: if ``got`` is ``want`` times or divided by one of them, the
    sentence names it. A factor that does not broadcast to ``want`` is skipped,
    so one set of factors can serve every result of a checker.
    """
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return f"{name} is not an array of numbers (got {type(got).__name__})"
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        if got.shape == want.shape[::-1] and got.ndim == 2 and _close(got.T, want):
            return f"{name} is transposed: expected shape {want.shape}, got {got.shape}"
        return f"{name} has shape {got.shape}, expected {want.shape}"
    if not np.all(np.isfinite(got)):
        return f"{name} contains NaN or inf"
    if _close(got, want):
        return None
    if _close(-got, want):
        return f"{name} has the wrong sign"
    if not np.any(want) and np.any(got):
        return f"{name} should be zero everywhere"
    if not np.any(got) and np.any(want):
        return f"{name} is zero, but it should not be"
    for label, factor in (factors or {}).items():
        try:
            factor = np.broadcast_to(np.asarray(factor, dtype=np.float64), want.shape)
        except ValueError:
            continue  # a factor of another shape (a gate against a weight gradient) cannot explain it
        if _close(got, want * factor):
            return f"{name} has an extra factor {label}"
        if np.all(factor != 0) and _close(got * factor, want):
            return f"{name} is missing a factor {label}"
    return f"{name} is off (largest relative error {_relative_error(got, want):.2g})"


@dataclass
class Report:
    """The verdict on each named result; ``ok`` when every one is right.

    problems: result name -> None (right) or one sentence that says what is wrong,
    with the result (or "your function") as its subject: "dc_prev has the wrong sign".
    slips: the keys of the catalogue's slips that explain the wrong results (see
    `lstm.book.exercises.catalogue`); notes: lines printed after the results (the slip
    found and the line of the equation it breaks); verdict: replaces the last line.
    Printed, each line names its result once; a result wrong in the same named way as
    an earlier one points back to it. A result that is only "off" never does: two
    results off by different amounts are not the same mistake.
    """

    problems: dict[str, str | None] = field(default_factory=dict)
    slips: tuple = ()
    notes: list = field(default_factory=list)
    verdict: str | None = None

    @property
    def ok(self) -> bool:
        return all(problem is None for problem in self.problems.values())

    def __str__(self) -> str:
        lines, first_with = [], {}  # what is wrong (the sentence without its subject) -> first result
        for name, problem in self.problems.items():
            if problem is None:
                lines.append(f"  right: {name}")
                continue
            what = problem[len(name) + 1:] if problem.startswith(name + " ") else None
            if what is not None and (what.startswith("is off") or "slip named below" in what):
                what = None  # only named mistakes can be the same mistake
            if what is not None and what in first_with:
                problem = f"{name} has the same mistake as {first_with[what]}"
            elif what is not None:
                first_with[what] = name
            lines.append(f"  {'TO DO' if 'not written yet' in problem else 'WRONG'}: {problem}")
        marks = [line.split(":")[0].strip() for line in lines]
        if self.ok:
            verdict = "All right: your function matches the package on random inputs."
        elif "WRONG" in marks:
            verdict = "Not yet: see the lines marked WRONG."
        else:
            verdict = "Not yet: see the lines marked TO DO."
        verdict = self.verdict or verdict
        return "\n".join(lines + list(self.notes) + [verdict])

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))


def compare(results: dict, reference: dict, factors: dict[str, np.ndarray] | None = None) -> Report:
    """Compare the reader's ``results`` with the ``reference``, name by name.

    Every name of ``reference`` must be in ``results``; a missing one is
    reported, not raised, so the reader sees every problem at once.
    """
    if not isinstance(results, dict) or not isinstance(reference, dict):
        raise TypeError("compare: expected two dicts mapping result names to arrays")
    problems = {}
    for name, want in reference.items():
        if name not in results:
            problems[name] = f"{name} is missing from what your function returned"
        else:
            problems[name] = diagnose(name, results[name], want, factors)
    return Report(problems)
