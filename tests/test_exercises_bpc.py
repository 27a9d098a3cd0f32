"""Chapter 9's checker passes a right bits-per-character function and names every catalogued slip."""
import numpy as np

from lstm.book.exercises.bpc import CATALOGUE, check_bits_per_character

from helpers.slips import slip_tests


def learner(slip=None):
    def bits_per_character(logits, ids):
        T = len(logits)
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        if slip == "softmax_wrong_axis":
            p = np.exp(logits) / np.exp(logits).sum(axis=0, keepdims=True)
        if slip == "no_normalise":
            p = np.exp(logits)
        nxt = ids[1:]
        if slip == "current_char":
            nxt = ids[:-1]
        p_true = p[np.arange(T), nxt]
        if slip == "max_prob":
            p_true = p.max(axis=1)
        bpc = -np.mean(np.log2(p_true))
        if slip == "nats":
            bpc = -np.mean(np.log(p_true))
        if slip == "log10":
            bpc = -np.mean(np.log10(p_true))
        if slip == "sum_not_mean":
            bpc = -np.sum(np.log2(p_true))
        if slip == "no_minus":
            bpc = np.mean(np.log2(p_true))
        if slip == "log_of_mean":
            bpc = -np.log2(np.mean(p_true))
        if slip == "perplexity":
            bpc = 2 ** bpc
        return p_true, bpc
    return bits_per_character


test_every_slip_has_a_mutant_here, test_a_right_function_passes, test_each_slip_is_named = slip_tests(
    lambda slip, seed: check_bits_per_character(learner(slip), seed), CATALOGUE, __file__,
    right_seeds=[0, 1, 2], slip_seeds=[0, 4])


def test_form_mistakes():
    text = str(check_bits_per_character(lambda logits, ids: learner()(logits, ids)[1]))
    assert "returned one float64" in text
    text = str(check_bits_per_character(lambda logits, ids: (learner()(logits, ids)[0][:, None], 1.0)))
    assert "right numbers in the wrong shape" in text
