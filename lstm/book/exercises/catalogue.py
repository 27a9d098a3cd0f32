"""Name the slip behind a wrong answer, from a catalogue of the slips learners make.

A chapter's checker describes its exercise with three things:

- ``reference(inputs)``: the right results (name -> array), computed by the package;
- ``CATALOGUE``: key -> `Slip`, each slip a learner really makes, with the line of
  the chapter's equation it breaks;
- ``with_slips(inputs, keys)``: the results when the slips in ``keys`` are made and
  everything else is done right.

`check` runs the reader's function on random inputs and compares what it returns with
the reference. Missing and extra outputs, wrong types, dtypes and shapes get their own
lines. When values are wrong, `check` looks for the one slip (or the two slips together)
that gives exactly the reader's numbers, and names it with the line it breaks. Only
when no slip in the catalogue explains them does it fall back to `diagnose` (a flipped
sign, a missing factor, or how far off).

Needs numpy only, so it runs in JupyterLite.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import Report, _close, diagnose

__all__ = ["Slip", "check", "NotWritten", "Note"]


@dataclass(frozen=True)
class Slip:
    """One slip: what the learner did, and the line of the equation it breaks.

    name: what was done, as the reader would say it ("the gate blocks of da in the order i, g, f, o").
    breaks: the line, as the chapter writes it ("da = [da_i, da_f, da_g, da_o]").
    where: which equation that line belongs to ("the backward step, equation (2) of chapter 5").
    """

    name: str
    breaks: str
    where: str = ""

    def explain(self) -> str:
        return f"{self.name}.\n    It breaks the line   {self.breaks}\n    in {self.where}" if self.where \
            else f"{self.name}.\n    It breaks the line   {self.breaks}"


class NotWritten(Exception):
    """Raised by a checker's caller when the reader's function is still the skeleton."""


class Note(str):
    """A result the checker could not compute, with the reason (follows the result's name)."""


def _as_float(value):
    try:
        return np.asarray(value, dtype=np.float64), None
    except (TypeError, ValueError):
        return None, f"is not an array of numbers (got {type(value).__name__})"


def _form(name: str, value, want: np.ndarray) -> str | None:
    """Type, dtype and shape: None when they are right, else one sentence (subject ``name``)."""
    if value is None:
        return f"{name} is None: did your function forget to return it?"
    arr = np.asarray(value) if not isinstance(value, np.ndarray) else value
    if arr.dtype == object:
        return f"{name} is not an array of numbers (got {type(value).__name__})"
    if np.issubdtype(arr.dtype, np.bool_) and not np.issubdtype(want.dtype, np.bool_):
        return f"{name} has dtype bool: it should hold numbers, {want.dtype}"
    if np.issubdtype(want.dtype, np.bool_):
        if not np.issubdtype(arr.dtype, np.bool_):
            return f"{name} has dtype {arr.dtype}, expected bool (True where the test is passed)"
    elif np.issubdtype(want.dtype, np.floating):
        if np.issubdtype(arr.dtype, np.integer):
            return (f"{name} has dtype {arr.dtype}, expected {want.dtype}: integer arithmetic "
                    f"(// or an int array filled in place) drops the fractions")
        if np.issubdtype(arr.dtype, np.complexfloating):
            return f"{name} has dtype {arr.dtype}, expected {want.dtype} (real numbers)"
        if arr.dtype != want.dtype and np.issubdtype(arr.dtype, np.floating):
            return (f"{name} has dtype {arr.dtype}, expected {want.dtype}: the inputs are {want.dtype}; "
                    f"keep them in that precision")
    if arr.shape != want.shape:
        got, _ = _as_float(arr)
        if got is not None and got.ndim == 2 and got.shape == want.shape[::-1] and _close(got.T, want):
            return f"{name} is transposed: expected shape {want.shape}, got {got.shape}"
        if got is not None and got.size == want.size and _close(got.reshape(want.shape), want):
            return (f"{name} has the right numbers in the wrong shape {got.shape}: "
                    f"expected {want.shape}")
        return f"{name} has shape {arr.shape}, expected {want.shape}"
    return None


def _matches(got: dict, wrong: dict, reference: dict) -> bool:
    """True if the slip's results equal the reader's wherever the reader's are comparable,
    and the slip changes at least one of them."""
    changed = False
    for name, want in reference.items():
        if name not in got:
            continue
        w = np.asarray(wrong[name], dtype=np.float64)
        if w.shape != got[name].shape or not _close(got[name], w):
            return False
        changed = changed or not (w.shape == want.shape and _close(w, np.asarray(want, dtype=np.float64)))
    return changed


def check(call: Callable[[], object], parse: Callable[[object], dict | str], reference: dict,
          catalogue: dict[str, Slip], with_slips: Callable[[tuple], dict],
          factors: dict | None = None, pairs: bool = True, follows: dict | None = None) -> Report:
    """Run the reader's function (through ``call``) and judge what it returns.

    call: runs the reader's function on copies of the inputs and returns what it returned.
    parse: what it returned -> {name: value}, or a sentence when its structure is wrong
        (a tuple of the wrong length, a number instead of a dict).
    reference: name -> the right array; its order is the order of the report.
    catalogue, with_slips: the known slips (see the module's docstring).
    factors: for `diagnose`, when no slip explains a result (e.g. {"f": f}).
    pairs: also try every two slips made together.
    follows: name -> (the names it is computed from, a function of the reader's results that
        computes it right from them). A wrong result that equals what its function gives from
        the reader's own wrong inputs is reported as following from them ("fix i first").
    """
    try:
        returned = call()
    except NotImplementedError:
        return Report({"your function": "your function is not written yet: replace "
                                        "`raise NotImplementedError` with your code and run the cell again"},
                      verdict="Not written yet.")
    except NotWritten as err:
        return Report({"your function": str(err)}, verdict="Not written yet.")
    except Exception as err:  # the reader's code: say what it raised instead of a traceback in the checker
        return Report({"your function": f"your function raised {type(err).__name__}: {err}"})
    results = parse(returned)
    if isinstance(results, str):
        return Report({"your function": results})
    problems, got = {}, {}
    for name, want in reference.items():
        want = np.asarray(want)
        if name not in results:
            problems[name] = f"{name} is missing from what your function returned"
            continue
        if isinstance(results[name], Note):
            problems[name] = f"{name} {results[name]}"
            continue
        if isinstance(results[name], NotWritten):
            problems[name] = f"{name} is not written yet: {results[name]}"
            continue
        form = _form(name, results[name], want)
        if form is not None:
            problems[name] = form
            continue
        value, bad = _as_float(results[name])
        if bad:
            problems[name] = f"{name} {bad}"
            continue
        if not np.all(np.isfinite(value)) and np.all(np.isfinite(np.asarray(want, dtype=np.float64))):
            problems[name] = f"{name} contains NaN or inf"
            continue
        got[name] = value
        problems[name] = None if _close(value, np.asarray(want, dtype=np.float64)) else "?"
    for name in results:
        if name not in reference:
            problems[f"extra {name!r}"] = (f"your function also returned {name!r}, which the exercise does "
                                          f"not ask for (expected only {', '.join(reference)})")
    wrong_values = [n for n, p in problems.items() if p == "?"]
    if not wrong_values:
        return Report(problems)
    found = _find_slips(got, reference, catalogue, with_slips, pairs)
    if found:
        keys, wrong = found
        for name in wrong_values:
            problems[name] = f"{name} is wrong, from the slip named below"
        return Report(problems, slips=keys, notes=[
            ("Slip found: " if len(keys) == 1 else "Two slips found: ")
            + "\n  and ".join(catalogue[k].explain() for k in keys)])
    # No slip explains everything: name, result by result, a slip that explains that one.
    singles = {k: with_slips((k,)) for k in catalogue}
    named, roots = [], {}
    for name in wrong_values:
        for key, wrong in singles.items():
            w = np.asarray(wrong[name], dtype=np.float64)
            if w.shape == got[name].shape and _close(got[name], w):
                problems[name] = f"{name} is what the slip [{catalogue[key].name}] gives"
                if key not in named:
                    named.append(key)
                break
        else:
            want = np.asarray(reference[name])
            if want.dtype == bool:  # a verdict per case: how many differ, not a relative error
                wrong = int(np.sum(got[name].astype(bool) != want))
                problems[name] = f"{name} is wrong in {wrong} of {want.size} cases"
                continue
            problems[name] = (_follows(name, got, problems, follows, roots)
                              or diagnose(name, got[name], reference[name], _fitting(factors, got[name].shape)))
    notes = [f"Slip found in some results: {catalogue[k].explain()}" for k in named]
    return Report(problems, slips=tuple(named), notes=notes)


def _follows(name, got, problems, follows, roots):
    """The sentence for a result that is right given the reader's own wrong inputs, or None."""
    if not follows or name not in follows:
        return None
    inputs, compute = follows[name]
    wrong_before = [k for k in inputs if problems.get(k) is not None]
    if not wrong_before or not all(k in got for k in inputs):
        return None
    try:
        own = np.asarray(compute(got), dtype=np.float64)
    except (ValueError, TypeError):
        return None
    if own.shape != got[name].shape or not _close(got[name], own):
        return None
    roots[name] = [root for k in wrong_before for root in roots.get(k, [k])]
    return (f"{name} follows correctly from your {' and '.join(wrong_before)}, which "
            f"{'is' if len(wrong_before) == 1 else 'are'} wrong: fix {roots[name][0]} first")


def _find_slips(got, reference, catalogue, with_slips, pairs):
    cache = {}
    for key in catalogue:
        cache[key] = with_slips((key,))
        if _matches(got, cache[key], reference):
            return (key,), cache[key]
    if pairs:
        for a, b in itertools.combinations(catalogue, 2):
            wrong = with_slips((a, b))
            if _matches(got, wrong, reference):
                return (a, b), wrong
    return None


def _fitting(factors, shape):
    fitting = {}
    for label, factor in (factors or {}).items():
        try:
            if np.broadcast_shapes(np.shape(factor), shape) == tuple(shape):
                fitting[label] = factor
        except ValueError:
            pass
    return fitting


def copies(inputs: dict) -> dict:
    """Deep-enough copies of the inputs, so the reader's function cannot change the reference's."""
    return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in inputs.items()}


def parse_tuple(names: tuple, what: str) -> Callable[[object], dict | str]:
    """A ``parse`` for a function that returns the arrays ``names`` as a tuple, in that order."""
    def parse(returned):
        if returned is None:
            return f"your function returned None: did it forget `return {', '.join(names)}`?"
        if isinstance(returned, dict):
            return f"your function returned a dict; {what}"
        if not isinstance(returned, (tuple, list)):
            if len(names) == 1:
                return {names[0]: returned}
            return f"your function returned one {type(returned).__name__}; {what}"
        if len(returned) != len(names):
            return f"your function returned {len(returned)} values; {what}"
        return dict(zip(names, returned))
    return parse


def parse_dict(names: tuple, what: str) -> Callable[[object], dict | str]:
    """A ``parse`` for a function that returns a dict with the keys ``names``."""
    def parse(returned):
        if not isinstance(returned, dict):
            return f"your function returned {type(returned).__name__}; {what}"
        return dict(returned)
    return parse
