"""The task generators follow the papers' rules exactly."""
import numpy as np
import pytest

from lstm.tasks import anbn, long_lag, noise_signal, temporal_order
from lstm.tasks.adding import adding_batch, adding_sequence, marked_positions
from lstm.tasks.batch import pad
from lstm.tasks.multiplication import multiplication_sequence


@pytest.mark.parametrize("T", [20, 100, 500])
def test_adding_markers_lengths_and_target_follow_the_paper(T):
    rng = np.random.default_rng(T)
    for _ in range(300):
        x, target, (p1, p2) = adding_sequence(rng, T)
        L = len(x)
        assert T <= L <= T + T // 10
        assert np.all(np.abs(x[:, 0]) <= 1.0)
        assert 0 <= p1 < 10 and 0 <= p2 < T // 2 and p1 != p2
        ones = np.flatnonzero(x[:, 1] == 1.0)
        assert sorted(ones.tolist()) == sorted([p1, p2])
        assert x[-1, 1] == -1.0
        assert x[0, 1] == (1.0 if 0 in (p1, p2) else -1.0)
        assert np.all(x[1:-1, 1][~np.isin(np.arange(1, L - 1), [p1, p2])] == 0.0)
        assert target == pytest.approx(0.5 + (x[p1, 0] + x[p2, 0]) / 4.0)
        assert 0.0 <= target <= 1.0


def test_adding_first_pair_marked_counts_as_zero():
    rng = np.random.default_rng(0)
    seen = 0
    for _ in range(3000):
        x, target, (p1, p2) = adding_sequence(rng, 20)
        if 0 in (p1, p2):
            seen += 1
            other = p2 if p1 == 0 else p1
            assert x[0, 0] == 0.0 and x[0, 1] == 1.0
            assert target == pytest.approx(0.5 + x[other, 0] / 4.0)
    assert seen > 50  # the rare case does happen


def test_adding_second_marker_ranges_over_the_first_T_half_minus_one_free_pairs():
    rng = np.random.default_rng(1)
    T = 20
    p2s = {marked_positions(rng, T)[1] for _ in range(5000)}
    assert p2s == set(range(T // 2))  # positions 0..T/2-1, T/2 - 1 of them free each time


def test_adding_batch_scores_only_each_sequence_end():
    b = adding_batch(np.random.default_rng(2), 8, 100)
    assert b.X.shape[1:] == (8, 2) and b.targets.shape[1:] == (8, 1)
    assert np.all(b.mask.sum(axis=0) == 1)
    assert np.all(b.mask[b.lengths - 1, np.arange(8)])
    for n, L in enumerate(b.lengths):  # zero padding after the end
        assert np.all(b.X[L:, n] == 0)
        assert b.X[L - 1, n, 1] == -1.0


def test_multiplication_values_in_unit_interval_and_target_is_product():
    rng = np.random.default_rng(3)
    for _ in range(2000):
        x, target, (p1, p2) = multiplication_sequence(rng, 20)
        assert np.all((x[:, 0] >= 0) & (x[:, 0] <= 1))
        if 0 in (p1, p2):
            assert x[0, 0] == 1.0
        assert target == pytest.approx(x[p1, 0] * x[p2, 0])


def test_noise_free_2a_has_only_two_sequences_and_the_end_repeats_the_start():
    rng = np.random.default_rng(4)
    p = 10
    seen = {tuple(long_lag.noise_free_symbols(rng, p)) for _ in range(200)}
    assert seen == {tuple([p - 1] + list(range(p - 1)) + [p - 1]), tuple([p] + list(range(p - 1)) + [p])}
    s = long_lag.noise_free_symbols(rng, p, random_middle=True)
    assert s[0] == s[-1] and set(s[1:-1]) <= set(range(p - 1))


def test_noise_free_batch_scores_every_step_or_only_the_last():
    rng = np.random.default_rng(6)
    every = long_lag.noise_free_batch(rng, 3, 10)
    last = long_lag.noise_free_batch(rng, 3, 10, random_middle=True, scored="last")
    assert every.mask.all()
    assert last.mask[-1].all() and not last.mask[:-1].any()
    # the scored target of 2b is the first symbol again
    np.testing.assert_array_equal(last.targets[-1].argmax(-1), last.X[0].argmax(-1))
    with pytest.raises(ValueError, match="scored must be 'all' or 'last'"):
        long_lag.noise_free_batch(rng, 3, 10, scored="end")


def test_distractor_2c_structure_and_length_distribution():
    rng = np.random.default_rng(5)
    p = q = 50
    lengths = []
    for _ in range(2000):
        s = long_lag.distractor_symbols(rng, p, q)
        e, b, x, y = p, p + 1, p + 2, p + 3
        assert s[0] == b and s[1] in (x, y) and s[-1] == s[1] and s[-2] == e
        assert np.all(s[2:-2] < p)  # only distractors in between
        lengths.append(len(s))
    assert min(lengths) >= q + 4
    # 4 + sum_k 0.1 * 0.9**k * (q + k) = q + 13; the paper prints q + 14 for this sum
    assert np.mean(lengths) == pytest.approx(q + 13, abs=0.6)


def test_distractor_batch_targets_x_or_y_at_the_trigger():
    b = long_lag.distractor_batch(np.random.default_rng(6), 5, 20, 20)
    last = b.last(b.X)
    assert np.all(last[:, 20] == 1.0)  # the trigger e is the last input
    assert np.all(b.last(b.targets).sum(axis=1) == 1.0)
    assert np.all(b.mask.sum(axis=0) == 1)


@pytest.mark.parametrize("variant", ["3a", "3b", "3c"])
def test_two_sequence_problem_information_noise_and_targets(variant):
    rng = np.random.default_rng(7)
    T, N = 100, 3
    for _ in range(200):
        x, target, clean, cls = noise_signal.two_sequence(rng, T, N, variant)
        assert T <= len(x) <= T + T // 10
        info = 1.0 if cls == 1 else -1.0
        if variant == "3b":
            assert not np.allclose(x[:N, 0], info)
        else:
            assert np.all(x[:N, 0] == info)
        if variant == "3c":
            assert clean == (0.2 if cls == 1 else 0.8)
        else:
            assert target == clean == (1.0 if cls == 1 else 0.0)
    noise = np.concatenate([noise_signal.two_sequence(rng, 1000, 1)[0][1:, 0] for _ in range(20)])
    assert np.var(noise) == pytest.approx(0.2, rel=0.05)


@pytest.mark.parametrize("n_relevant", [2, 3])
def test_temporal_order_positions_and_classes(n_relevant):
    rng = np.random.default_rng(8)
    ranges = temporal_order.POSITION_RANGES[n_relevant]
    for _ in range(500):
        s, cls, pos = temporal_order.temporal_order_sequence(rng, n_relevant)
        assert 100 <= len(s) <= 110 and s[0] == "E" and s[-1] == "B"
        for t, (lo, hi) in zip(pos, ranges):
            assert lo <= t <= hi and s[t - 1] in "XY"
        others = [ch for k, ch in enumerate(s[1:-1], start=2) if k not in pos]
        assert set(others) <= set("abcd")
        bits = "".join("01"[s[t - 1] == "Y"] for t in pos)
        assert cls == int(bits, 2)


def test_anbn_strings_are_well_formed_and_legal_sets_count():
    for lang, letters in [("anbn", "ab"), ("anbncn", "abc")]:
        for n in range(1, 8):
            s = anbn.make_string(n, lang)
            assert anbn.is_well_formed(s, lang) and s.count("a") == n and len(s) == 2 + n * len(letters)
            legal = anbn.legal_next(n, lang)
            for t in range(len(s) - 1):
                assert legal[t, anbn.INDEX[s[t + 1]]]  # the true next symbol is always legal
                expected = 2 if s[t] == "a" else 1  # only after an a is there a choice
                assert legal[t].sum() == expected
    assert not anbn.is_well_formed("SaabT") and not anbn.is_well_formed("SabcT", "anbn")


def test_pad_keeps_each_sequence_and_zero_pads():
    b = pad([np.ones((2, 1)), np.ones((4, 1))], [np.ones((2, 1)), np.ones((4, 1))],
            [np.array([0, 1], bool), np.array([0, 0, 0, 1], bool)])
    assert b.X.shape == (4, 2, 1) and b.X[2:, 0].sum() == 0 and list(b.lengths) == [2, 4]


def test_generators_reject_bad_arguments():
    rng = np.random.default_rng(0)
    with pytest.raises(TypeError):
        adding_sequence(0, 100)
    with pytest.raises(ValueError):
        adding_sequence(rng, 5)
    with pytest.raises(ValueError):
        temporal_order.temporal_order_sequence(rng, 4)
    with pytest.raises(ValueError):
        noise_signal.two_sequence(rng, 100, 3, "3d")
    with pytest.raises(ValueError):
        anbn.make_string(0)
    with pytest.raises(ValueError):
        anbn.make_string(2, "anbm")


def test_same_seed_same_sequence():
    a = adding_sequence(np.random.default_rng(9), 100)
    b = adding_sequence(np.random.default_rng(9), 100)
    assert np.array_equal(a.x, b.x) and a.target == b.target
