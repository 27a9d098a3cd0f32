"""Chapter 7's checker passes the right GRU backward step and names each deliberate mistake."""
import numpy as np
import pytest

from lstm.book.exercises.gru import check_gru_backward, random_gru_step
from lstm.gru import gru_cell_backward


def reference(dh, cache, weight_hh):
    return gru_cell_backward(dh, cache, weight_hh)


def written_out(dh, cache, weight_hh, *, sign_z=1.0, reset_in_da_h=True, tanh_grad=True, direct=True, use_hn=True):
    """The GRU step backward written by hand, with switches for the usual mistakes."""
    h_prev, r, z, n, hn = cache
    da_n = dh * (1.0 - z) * ((1.0 - n ** 2) if tanh_grad else 1.0)
    da_z = sign_z * dh * (h_prev - n) * z * (1.0 - z)
    da_r = da_n * (hn if use_hn else n) * r * (1.0 - r)
    da_x = np.concatenate([da_r, da_z, da_n], axis=1)
    da_h = np.concatenate([da_r, da_z, da_n * r if reset_in_da_h else da_n], axis=1)
    dh_prev = (dh * z if direct else 0.0) + da_h @ weight_hh
    return da_x, da_h, dh_prev


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_packages_step_and_a_written_out_one_pass(seed):
    assert check_gru_backward(reference, seed=seed).ok
    report = check_gru_backward(written_out, seed=seed)
    assert report.ok, str(report)
    assert "All right" in str(report)


@pytest.mark.parametrize("mistake, name, words", [
    (dict(reset_in_da_h=False), "da_h[n]", "da_h[n] is missing a factor r"),
    (dict(sign_z=-1.0), "da_x[z]", "da_x[z] has the wrong sign"),
    (dict(tanh_grad=False), "da_x[n]", "da_x[n] is missing a factor tanh'(.) = 1 - n^2"),
    (dict(direct=False), "dh_prev", "dh_prev is missing the direct path dh * z"),
    (dict(use_hn=False), "da_x[r]", "uses n where the reset gate multiplies the recurrent part"),
])
def test_each_deliberate_mistake_is_named_in_words(mistake, name, words):
    report = check_gru_backward(lambda *a: written_out(*a, **mistake))
    assert not report.ok
    assert words in report.problems[name], report.problems[name]
    assert "WRONG: " + name in str(report)


def test_only_the_blocks_a_mistake_touches_are_reported():
    report = check_gru_backward(lambda *a: written_out(*a, sign_z=-1.0))
    wrong = sorted(k for k, p in report.problems.items() if p is not None)
    assert wrong == ["da_h[z]", "da_x[z]", "dh_prev"]


def test_a_function_that_returns_the_wrong_thing_gets_a_sentence_not_a_traceback():
    report = check_gru_backward(lambda dh, cache, w: None)
    assert not report.ok and "must return three arrays" in str(report)
    report = check_gru_backward(lambda dh, cache, w: (dh, dh, dh))
    assert "has shape" in report.problems["da_x"]


def test_the_reader_gets_copies_and_cannot_change_the_reference():
    def overwrite(dh, cache, weight_hh):
        result = gru_cell_backward(dh, cache, weight_hh)
        dh[...] = 0.0
        cache.z[...] = 0.0
        return result
    assert check_gru_backward(overwrite).ok


def test_the_random_step_has_no_degenerate_factor():
    dh, cache, weight_hh = random_gru_step(0)
    for a in (cache.r, cache.z, 1.0 - cache.z, 1.0 - cache.n ** 2, cache.hn):
        # a factor within the checker's tolerance (1e-7) of 1 could be dropped unnoticed
        assert np.all(np.abs(a - 1.0) > 1e-5) and np.all(np.abs(a) > 1e-5)


def test_bad_arguments_are_refused():
    with pytest.raises(TypeError):
        check_gru_backward("not a function")
    with pytest.raises(TypeError):
        check_gru_backward(reference, seed=1.5)
