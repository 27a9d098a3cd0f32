"""Chapter 4's checker passes a right peephole step and names every catalogued slip."""
import numpy as np

from lstm.book.exercises.peephole import CATALOGUE, check_peephole_cell

from helpers.slips import slip_tests


def learner(slip=None):
    def peephole_cell(a, c_prev, w_ci, w_cf, w_co):
        sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
        H = c_prev.shape[1]
        a_i, a_f, a_g, a_o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        if slip == "order_igfo":
            a_i, a_g, a_f, a_o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        if slip == "weights_swapped":
            w_ci, w_cf = w_cf, w_ci
        if slip == "no_peepholes":
            w_ci, w_cf, w_co = 0 * w_ci, 0 * w_cf, 0 * w_co
        if slip == "no_o_peephole":
            w_co = 0 * w_co
        g = np.tanh(a_g)
        i = sig(a_i + w_ci * c_prev)
        f = sig(a_f + w_cf * c_prev)
        if slip == "outside_sigmoid":
            i, f = sig(a_i) + w_ci * c_prev, sig(a_f) + w_cf * c_prev
        if slip == "i_f_peek_c":
            c_first = sig(a_f) * c_prev + sig(a_i) * g
            i, f = sig(a_i + w_ci * c_first), sig(a_f + w_cf * c_first)
        c = f * c_prev + i * g
        if slip == "one_minus_f":
            c = (1 - f) * c_prev + i * g
        if slip == "i_f_swapped":
            c = i * c_prev + f * g
        if slip == "no_f":
            c = c_prev + i * g
        o = sig(a_o + w_co * c)
        if slip == "o_peeks_c_prev":
            o = sig(a_o + w_co * c_prev)
        if slip == "peek_tanh_c":
            o = sig(a_o + w_co * np.tanh(c))
        if slip == "outside_sigmoid":
            o = sig(a_o) + w_co * c
        h = o * np.tanh(c)
        if slip == "h_o_c":
            h = o * c
        return {"i": i, "f": f, "g": g, "o": o, "c": c, "h": h}
    return peephole_cell


test_every_slip_has_a_mutant_here, test_a_right_step_passes, test_each_slip_is_named = slip_tests(
    lambda slip, seed: check_peephole_cell(learner(slip), seed), CATALOGUE, __file__,
    right_seeds=[0, 1, 2], slip_seeds=[0, 4])


def test_form_mistakes():
    def extra_and_missing(*args):
        out = learner()(*args)
        out.pop("g")
        out["a"] = args[0]
        return out
    text = str(check_peephole_cell(extra_and_missing))
    assert "g is missing" in text and "also returned 'a'" in text
    assert "returned tuple" in str(check_peephole_cell(lambda *a: (1, 2)))


def test_what_follows_from_an_uncatalogued_wrong_gate_says_so():
    def odd(a, c_prev, w_ci, w_cf, w_co):
        out = learner()(a, c_prev, w_ci, w_cf, w_co)
        out["f"] = out["f"] * 0.5
        out["c"] = out["f"] * c_prev + out["i"] * out["g"]
        out["h"] = out["o"] * np.tanh(out["c"])
        return out
    report = check_peephole_cell(odd)
    assert report.problems["c"] == "c follows correctly from your f, which is wrong: fix f first"
