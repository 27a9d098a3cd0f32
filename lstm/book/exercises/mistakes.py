"""Name a wrong result by the mistake that produces it.

`compare` (lstm.book.exercises) recognises a flipped sign, a transpose or a
missing factor. Some mistakes in a backward pass are none of these: leaving out
one of two paths into dc, or taking tanh(c) where tanh'(c) belongs. A chapter's
checker computes what each such mistake would give, on the same inputs, and
`judge` names the first one the reader's result matches.

    problem = judge("dc_prev", mine, right,
                    mistakes={"has only the error from the next step": dc_next},
                    factors={"f": f})
"""
from __future__ import annotations

import numpy as np

from . import Report, _close, diagnose

__all__ = ["judge", "judge_all"]


def judge(name: str, got, want, mistakes: dict[str, np.ndarray] | None = None,
          factors: dict[str, np.ndarray] | None = None) -> str | None:
    """None if ``got`` equals ``want``; else the matching mistake, or `diagnose`'s sentence.

    mistakes: sentence -> the array that mistake gives (same shape as ``want``);
    the sentence follows the result's name, e.g. "is missing the path through h".
    """
    problem = diagnose(name, got, want, _fitting(factors, np.shape(want)))
    if problem is None:
        return None
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return problem
    for sentence, wrong in (mistakes or {}).items():
        wrong = np.asarray(wrong, dtype=np.float64)
        if got.shape == wrong.shape and _close(got, wrong):
            return f"{name} {sentence}"
    return problem


def _fitting(factors, shape):
    """The factors that broadcast to ``shape`` (an (N, H) gate does not fit a (4H, D) gradient)."""
    fitting = {}
    for label, factor in (factors or {}).items():
        try:
            if np.broadcast_shapes(np.shape(factor), shape) == tuple(shape):
                fitting[label] = factor
        except ValueError:
            pass
    return fitting


def judge_all(results: dict, reference: dict, mistakes: dict[str, dict[str, np.ndarray]] | None = None,
              factors: dict[str, np.ndarray] | None = None) -> Report:
    """`judge` every name of ``reference``; ``mistakes`` maps a name to its known mistakes."""
    if not isinstance(results, dict):
        raise TypeError(f"results must be a dict mapping names to arrays, got {type(results).__name__}")
    problems = {}
    for name, want in reference.items():
        if name not in results:
            problems[name] = f"{name} is missing from what your function returned"
        else:
            problems[name] = judge(name, results[name], want, (mistakes or {}).get(name), factors)
    return Report(problems)


def mistakes_by_result(reference: dict, sentences: dict, wrong_results) -> dict[str, dict[str, np.ndarray]]:
    """For each result, the mistakes that change it: name -> {sentence: the wrong value}.

    ``sentences`` maps a mistake's key to the sentence that names it for the reader;
    ``wrong_results(key)`` returns every result (name -> array) computed with that one
    mistake made. A mistake that leaves a result unchanged is not listed for it.
    """
    found = {name: {} for name in reference}
    for mistake, sentence in sentences.items():
        wrong = wrong_results(mistake)
        for name, want in reference.items():
            if wrong[name].shape != want.shape or not np.allclose(wrong[name], want):
                found[name].setdefault(sentence, wrong[name])
    return found
