"""Chapter 7's checker passes the right GRU backward step and names every catalogued slip."""
import numpy as np
import pytest

from lstm.book.exercises.gru import CATALOGUE, check_gru_backward
from lstm.gru import gru_cell_backward

from helpers.slips import slip_tests


def learner(slip=None):
    """A learner's GRU backward step; ``slip`` makes one catalogued slip."""
    def gru_step_backward(dh, cache, weight_hh):
        h_prev, r, z, n, hn = cache
        da_n = dh * (1 - z) * (1 - n ** 2)
        if slip == "z_for_one_minus_z":
            da_n = dh * z * (1 - n ** 2)
        if slip == "tanh_not_squared":
            da_n = dh * (1 - z) * (1 - n)
        if slip == "no_tanh_prime":
            da_n = dh * (1 - z)
        da_z = dh * (h_prev - n) * z * (1 - z)
        if slip == "dz_sign":
            da_z = dh * (n - h_prev) * z * (1 - z)
        da_r = da_n * hn * r * (1 - r)
        if slip == "n_for_hn":
            da_r = da_n * n * r * (1 - r)
        if slip == "tanh_prime_for_gates":
            da_z, da_r = dh * (h_prev - n) * (1 - z ** 2), da_n * hn * (1 - r ** 2)
        da_x = np.concatenate([da_r, da_z, da_n], axis=1)
        da_h = np.concatenate([da_r, da_z, da_n * r], axis=1)
        if slip == "r_z_swapped":
            da_x = np.concatenate([da_z, da_r, da_n], axis=1)
            da_h = np.concatenate([da_z, da_r, da_n * r], axis=1)
        if slip == "no_r_in_da_h_n":
            da_h = np.concatenate([da_r, da_z, da_n], axis=1)
        if slip == "r_in_da_x_n":
            da_x = np.concatenate([da_r, da_z, da_n * r], axis=1)
        dh_prev = dh * z + da_h @ weight_hh
        if slip == "no_direct_path":
            dh_prev = da_h @ weight_hh
        if slip == "one_minus_z_direct":
            dh_prev = dh * (1 - z) + da_h @ weight_hh
        if slip == "da_x_for_da_h":
            dh_prev = dh * z + da_x @ weight_hh
        return da_x, da_h, dh_prev
    return gru_step_backward


(test_every_slip_of_the_catalogue_has_a_mutant_here, test_the_packages_step_and_a_written_out_one_pass,
 test_each_slip_is_named_with_the_line_it_breaks) = slip_tests(
    lambda slip, seed: check_gru_backward(learner(slip), seed=seed), CATALOGUE, __file__,
    right_seeds=[0, 1, 2], slip_seeds=[0, 5], says_all_right=True,
    also_right=lambda seed: check_gru_backward(gru_cell_backward, seed=seed))


def test_a_flipped_sign_outside_the_catalogue_is_still_named():
    def flipped(dh, cache, weight_hh):
        da_x, da_h, dh_prev = learner()(dh, cache, weight_hh)
        return da_x, da_h, -dh_prev
    assert check_gru_backward(flipped).problems["dh_prev"] == "dh_prev has the wrong sign"


def test_wrong_shapes_and_counts_are_reported_before_the_blocks():
    def transposed(dh, cache, weight_hh):
        da_x, da_h, dh_prev = gru_cell_backward(dh, cache, weight_hh)
        return da_x.T, da_h, dh_prev
    report = check_gru_backward(transposed)
    assert not report.ok
    assert "da_x has shape (12, 3), expected (3, 12) (it is transposed)" in str(report)
    assert "must return three arrays" in str(check_gru_backward(lambda dh, cache, w: (dh, dh)))


def test_the_readers_function_cannot_change_the_reference_in_place():
    def edits_in_place(dh, cache, weight_hh):
        out = learner()(dh, cache, weight_hh)
        dh[...] = 0.0
        cache.z[...] = 0.5
        weight_hh[...] = 0.0
        return out
    assert check_gru_backward(edits_in_place).ok


def test_a_non_callable_or_a_bad_seed_is_refused():
    with pytest.raises(TypeError, match="reader_function must be a function"):
        check_gru_backward("not a function")
    with pytest.raises(TypeError, match="seed must be an integer"):
        check_gru_backward(learner(), seed=1.5)
