"""The Reber grammar task: generator, membership, legal next sets, encodings."""
import numpy as np
import pytest

from lstm.tasks.reber import (EMBEDDED_REBER, N_SYMBOLS, REBER, SYMBOLS, accepts, continual_embedded_reber,
                              decode, encode_batch, generate, generate_many, is_prefix, legal_next, one_hot,
                              shortest_length, states, step_correct, strings_correct)


def test_known_strings_are_accepted_and_corrupted_ones_rejected():
    for s in ["BTSSXXTVVE", "BPVVE", "BTXSE", "BPTVPXVVE", "BTSXXVPSE"]:
        assert accepts(REBER, s)
    for s in ["BTSSXXTVV", "BPVE", "TXSE", "BTXSEE", "", "BPVVEB", "BTXXE"]:
        assert not accepts(REBER, s)
    assert accepts(EMBEDDED_REBER, "BTBPVVETE") and accepts(EMBEDDED_REBER, "BPBTXSEPE")
    assert not accepts(EMBEDDED_REBER, "BTBPVVEPE") and not accepts(EMBEDDED_REBER, "BPBTXSETE")


@pytest.mark.parametrize("grammar", [REBER, EMBEDDED_REBER])
def test_generator_emits_only_grammatical_strings(grammar, rng):
    for s in generate_many(grammar, rng, 300):
        assert accepts(grammar, s), s


@pytest.mark.parametrize("grammar", [REBER, EMBEDDED_REBER])
def test_generator_covers_every_transition(grammar, rng):
    used = set()
    for s in generate_many(grammar, rng, 600):
        q = grammar.start
        for sym in s:
            used.add((q, sym))
            q = grammar.transitions[q, sym]
    assert used == set(grammar.transitions)


def test_generator_takes_each_branch_about_half_the_time(rng):
    second = [s[1] for s in generate_many(REBER, rng, 2000)]
    assert abs(second.count("T") / 2000 - 0.5) < 0.05


def test_embedded_strings_repeat_the_second_symbol_second_to_last(rng):
    for s in generate_many(EMBEDDED_REBER, rng, 300):
        assert s[1] in "TP" and s[-2] == s[1] and s[-1] == "E"
        assert accepts(REBER, s[2:-2])


def test_generation_is_reproducible_with_a_seeded_generator():
    a = generate_many(EMBEDDED_REBER, np.random.default_rng(7), 20)
    b = generate_many(EMBEDDED_REBER, np.random.default_rng(7), 20)
    assert a == b


def test_max_length_bounds_the_strings(rng):
    assert max(len(s) for s in generate_many(REBER, rng, 200, max_length=8)) <= 8
    with pytest.raises(ValueError, match="max_length"):
        generate(REBER, rng, max_length=4)


def test_shortest_lengths():
    assert shortest_length(REBER) == 5  # BTXSE, BPVVE
    assert shortest_length(EMBEDDED_REBER) == 9


def test_legal_next_matches_the_automaton():
    legal = legal_next(REBER, "BTXSE")
    as_sets = ["".join(SYMBOLS[k] for k in np.flatnonzero(row)) for row in legal]
    assert as_sets == ["TP", "SX", "SX", "E", ""]


def test_legal_next_at_the_long_lag_step_depends_on_the_second_symbol():
    for branch in "TP":
        s = "B" + branch + "BPVVE" + branch + "E"
        legal = legal_next(EMBEDDED_REBER, s)
        after_inner_e = legal[6]
        assert after_inner_e.sum() == 1 and SYMBOLS[np.argmax(after_inner_e)] == branch


def test_legal_next_rejects_a_non_prefix():
    with pytest.raises(ValueError, match="not a prefix"):
        legal_next(REBER, "BTT")
    assert is_prefix(REBER, "BTSS") and not is_prefix(REBER, "BS")
    assert states(REBER, "BS") is None


def test_one_hot_shape_and_round_trip():
    X = one_hot("BTSSXXTVVE", dtype=np.float32)
    assert X.shape == (10, N_SYMBOLS) and X.dtype == np.float32
    assert np.all(X.sum(axis=1) == 1.0)
    assert decode(X) == "BTSSXXTVVE"


def test_encode_batch_shapes_padding_and_targets(rng):
    strings = generate_many(EMBEDDED_REBER, rng, 6)
    batch = encode_batch(EMBEDDED_REBER, strings)
    T = max(len(s) for s in strings) - 1
    assert batch.X.shape == (T, 6, N_SYMBOLS) and batch.targets.shape == (T, 6, N_SYMBOLS)
    assert batch.mask.shape == (T, 6)
    for n, s in enumerate(strings):
        L = len(s) - 1
        assert decode(batch.X[:L, n]) == s[:-1]
        assert np.all(batch.X[L:, n] == 0) and np.all(batch.targets[L:, n] == 0)
        # the target at step t contains the symbol that really came next
        assert all(batch.targets[t, n, SYMBOLS.index(s[t + 1])] == 1 for t in range(L))
    assert np.array_equal(batch.mask.sum(axis=0), batch.lengths)


def test_encode_batch_rejects_ungrammatical_strings():
    with pytest.raises(ValueError, match="belong"):
        encode_batch(REBER, ["BTXSE", "BTXE"])


def test_scoring_needs_the_whole_legal_set(rng):
    strings = generate_many(EMBEDDED_REBER, rng, 4)
    batch = encode_batch(EMBEDDED_REBER, strings)
    perfect = 0.1 + 0.8 * batch.targets
    assert np.all(strings_correct(perfect, batch.targets, batch.mask))
    wrong = perfect.copy()
    wrong[0, 2, :] = 0.0  # predicts no symbol at all where two are legal
    assert list(strings_correct(wrong, batch.targets, batch.mask)) == [True, True, False, True]
    assert not step_correct(np.array([0.9, 0.1, 0, 0, 0, 0, 0]), np.array([1, 1, 0, 0, 0, 0, 0]))


def test_continual_stream_chains_strings_with_b_after_each_e(rng):
    stream, legal, starts = continual_embedded_reber(rng, 5)
    assert legal.shape == (len(stream), N_SYMBOLS)
    pieces = [stream[a:b] for a, b in zip(starts, list(starts[1:]) + [len(stream)])]
    assert all(accepts(EMBEDDED_REBER, p) for p in pieces)
    for b in starts[1:]:
        assert legal[b - 1].sum() == 1 and legal[b - 1, SYMBOLS.index("B")]
    # every symbol in the stream was legal after the one before it
    assert all(legal[t, SYMBOLS.index(stream[t + 1])] for t in range(len(stream) - 1))


@pytest.mark.parametrize("bad, error", [(12, TypeError), ("BTQ", ValueError)])
def test_strings_are_validated(bad, error):
    with pytest.raises(error):
        accepts(REBER, bad)


def test_generator_requires_a_numpy_generator():
    with pytest.raises(TypeError, match="rng"):
        generate(REBER, 0)


def test_prediction_table_labels_are_the_legal_sets():
    from lstm.tasks.reber import prediction_table
    delta, labels = prediction_table(REBER)
    assert delta.shape == (7, N_SYMBOLS) and labels.shape == (7,)
    bits = lambda sym: sum(1 << SYMBOLS.index(c) for c in sym)
    assert list(labels) == [bits("B"), bits("TP"), bits("SX"), bits("TV"), bits("SX"), bits("PV"), bits("E")]
    assert delta[6, SYMBOLS.index("E")] == -1 and delta[2, SYMBOLS.index("S")] == 2
