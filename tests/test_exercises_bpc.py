"""Chapter 9's checker passes a right bits-per-character function and names every catalogued slip."""
from pathlib import Path

import numpy as np
import pytest

from lstm.book.exercises.bpc import CATALOGUE, check_bits_per_character


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


def test_every_slip_has_a_mutant_here():
    source = Path(__file__).read_text()
    assert len(CATALOGUE) >= 8
    for key in CATALOGUE:
        assert f'slip == "{key}"' in source, key


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_right_function_passes(seed):
    assert check_bits_per_character(learner(), seed).ok


@pytest.mark.parametrize("key", sorted(CATALOGUE))
@pytest.mark.parametrize("seed", [0, 4])
def test_each_slip_is_named(key, seed):
    report = check_bits_per_character(learner(key), seed)
    assert not report.ok and report.slips == (key,), str(report)
    assert CATALOGUE[key].breaks in str(report)


def test_form_mistakes():
    text = str(check_bits_per_character(lambda logits, ids: learner()(logits, ids)[1]))
    assert "returned one float64" in text
    text = str(check_bits_per_character(lambda logits, ids: (learner()(logits, ids)[0][:, None], 1.0)))
    assert "right numbers in the wrong shape" in text
