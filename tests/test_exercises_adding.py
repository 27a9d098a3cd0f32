"""Chapter 8's checker passes a right adding-problem generator and criterion and names every slip."""
import numpy as np

from lstm.book.exercises.adding import CATALOGUE, check_adding

from helpers.slips import slip_tests


def example_learner(slip=None):
    def adding_example(values, p1, p2):
        L = len(values)
        x = np.zeros((L, 2))
        x[:, 0] = values
        if slip == "one_based":
            p1, p2 = p1 + 1, p2 + 1
        x[0, 1] = -1
        x[L - 1, 1] = -1
        if slip == "no_end_markers":
            x[0, 1] = x[L - 1, 1] = 0
        if slip == "no_last_marker":
            x[L - 1, 1] = 0
        if slip == "end_markers_plus":
            x[0, 1] = x[L - 1, 1] = 1
        x[p1, 1] = x[p2, 1] = 1
        if slip == "end_marker_over_mark":
            x[0, 1] = x[L - 1, 1] = -1
        if 0 in (p1, p2) and slip != "first_value_kept":
            x[0, 0] = 0.0
        X1, X2 = x[p1, 0], x[p2, 0]
        if slip == "first_zero_only_in_target":
            x[0, 0] = values[0]
        target = 0.5 + (X1 + X2) / 4
        if slip == "target_raw_sum":
            target = X1 + X2
        if slip == "target_no_half":
            target = (X1 + X2) / 4
        if slip == "target_div2":
            target = 0.5 + (X1 + X2) / 2
        if slip == "columns_swapped":
            x = np.stack([x[:, 1], x[:, 0]], axis=1)
        return x, target
    return adding_example


def right_learner(slip=None):
    def adding_right(outputs, targets):
        if slip == "crit_no_abs":
            return outputs - targets < 0.04
        if slip == "crit_squared":
            return (outputs - targets) ** 2 < 0.04
        if slip == "crit_relative":
            return np.abs(outputs - targets) / targets < 0.04
        if slip == "crit_001":
            return np.abs(outputs - targets) < 0.01
        return np.abs(outputs - targets) < 0.04
    return adding_right


test_every_slip_has_a_mutant_here, test_right_functions_pass, test_each_slip_is_named = slip_tests(
    lambda slip, seed: check_adding(example_learner(slip), right_learner(slip), seed), CATALOGUE, __file__,
    right_seeds=[0, 1, 2], slip_seeds=[0, 3], negated_mutants=True)


def test_one_function_written_is_checked_and_the_other_reported_missing():
    def skeleton(*args):
        raise NotImplementedError
    text = str(check_adding(example_learner(), skeleton))
    assert "right: x" in text and "TO DO: adding_right is not written yet" in text
    text = str(check_adding(skeleton, skeleton))
    assert "not written yet" in text and text.endswith("Not written yet.")


def test_a_criterion_returning_numbers_gets_its_own_message():
    text = str(check_adding(example_learner(), lambda o, t: np.abs(o - t)))
    assert "adding_right has dtype float64, expected bool" in text


def test_a_criterion_outside_the_catalogue_says_in_how_many_cases_it_is_wrong():
    report = check_adding(example_learner(), lambda o, t: o > t)
    assert report.problems["adding_right"].startswith("adding_right is wrong in ")
    assert report.problems["adding_right"].endswith(" of 12 cases")
