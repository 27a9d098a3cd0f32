"""The three tests every exercise checker gets: each catalogued slip has a mutant in the test
file, a right solution passes, and each mutant is named by its slip alone.

A test module calls ``slip_tests`` and binds the three functions it returns to module names
starting with ``test_`` (pytest collects them, with their parametrizations, from there)."""
from pathlib import Path

import pytest


def slip_tests(run, catalogue, test_file, *, right_seeds, slip_seeds, minimum=8, negated_mutants=False,
               also_right=None, says_all_right=False):
    """(test_every_slip_has_a_mutant_here, test_a_right_solution_passes, test_each_slip_is_named).

    run(slip, seed) -> Report: the checker applied to the learner that makes ``slip`` (None:
    the right learner). catalogue: key -> Slip. test_file: the module's ``__file__``, which must
    contain ``slip == "key"`` for every key (or ``slip != "key"``, with negated_mutants).
    also_right(seed) -> Report: another right answer (the package's own) that must pass too;
    says_all_right: the right learner's report must also say "All right". A named slip's report must
    not be ok, list exactly that slip, and show both its name and the line it breaks."""
    keys = sorted(catalogue)

    def test_every_slip_has_a_mutant_here():
        source = Path(test_file).read_text()
        assert len(catalogue) >= minimum
        for key in keys:
            assert f'slip == "{key}"' in source or (negated_mutants and f'slip != "{key}"' in source), key

    @pytest.mark.parametrize("seed", right_seeds)
    def test_a_right_solution_passes(seed):
        report = run(None, seed)
        assert report.ok, str(report)
        if says_all_right:
            assert "All right" in str(report)
        if also_right is not None:
            assert also_right(seed).ok, str(also_right(seed))

    @pytest.mark.parametrize("key", keys)
    @pytest.mark.parametrize("seed", slip_seeds)
    def test_each_slip_is_named(key, seed):
        report = run(key, seed)
        text = str(report)
        assert not report.ok and report.slips == (key,), text
        assert catalogue[key].name in text and catalogue[key].breaks in text

    return test_every_slip_has_a_mutant_here, test_a_right_solution_passes, test_each_slip_is_named
