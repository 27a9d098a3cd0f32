"""Automaton extraction: k-means, Moore minimisation, equivalence, and extraction from a
hand-built 'network' whose states are the Reber states."""
import numpy as np
import pytest

from lstm.automata import Automaton, extract, kmeans, minimize, pair_states, predicts, reachable
from lstm.tasks.reber import EMBEDDED_REBER, REBER, SYMBOL_INDEX, accepts, generate_many, prediction_table, states


def parity_with_copies():
    """Even/odd number of 1s over {0, 1}, written with 5 states where 2 suffice (states 2
    and 3 copy 0 and 1; state 4 is unreachable)."""
    delta = np.array([[2, 1], [1, 2], [0, 3], [3, 0], [4, 4]])
    labels = np.array([1, 0, 1, 0, 1])
    return Automaton(delta, labels, start=0)


def encode(s):
    return [SYMBOL_INDEX[c] for c in s]


def test_redundant_states_minimise_to_the_known_size():
    m = minimize(parity_with_copies())
    assert m.n_states == 2
    assert list(m.labels) == [1, 0] and m.delta.tolist() == [[0, 1], [1, 0]]
    same, pairs = pair_states(m, parity_with_copies())
    assert same and {p for p, _ in pairs} == {0, 1}


def test_minimal_machines_are_left_alone_and_unreachable_states_dropped():
    delta, labels = prediction_table(REBER)
    assert minimize(Automaton(delta, labels)).n_states == 7
    assert np.sum(reachable(parity_with_copies())) == 4
    delta_e, labels_e = prediction_table(EMBEDDED_REBER)
    assert minimize(Automaton(delta_e, labels_e)).n_states == len(labels_e) == 19


def test_machines_that_differ_are_told_apart():
    m = parity_with_copies()
    other = Automaton(m.delta.copy(), m.labels.copy())
    other.delta[3, 1] = 1  # from a copy of "odd", a 1 now stays odd
    assert not pair_states(minimize(m), minimize(other))[0]


def test_prediction_membership_agrees_with_the_grammar(rng):
    delta, labels = prediction_table(REBER)
    true = Automaton(delta, labels)
    for s in generate_many(REBER, rng, 100):
        assert predicts(true, encode(s), SYMBOL_INDEX["E"])
        bad = s[:3] + ("T" if s[3] != "T" else "V") + s[4:]
        assert predicts(true, encode(bad), SYMBOL_INDEX["E"]) == accepts(REBER, bad)
    assert not predicts(true, encode("BTXSEB"), SYMBOL_INDEX["E"])
    assert not predicts(true, [], SYMBOL_INDEX["E"])


def test_kmeans_finds_well_separated_clusters(rng):
    centres = np.array([[0.0, 0.0], [5.0, 0.0], [0.0, 5.0]])
    truth = rng.integers(3, size=300)
    X = centres[truth] + 0.1 * rng.normal(size=(300, 2))
    found, assign, inertia = kmeans(X, 3, rng)
    # the clustering equals the truth up to renaming
    assert len({(a, b) for a, b in zip(assign, truth)}) == 3
    assert inertia < 300 * 2 * 0.02


def reber_network_states(strings, rng, noise=0.05):
    """A 'network' whose hidden state is the one-hot Reber state plus noise, and whose
    output is the legal set of that state: extraction must give back the grammar."""
    _, labels = prediction_table(REBER)
    hidden, symbols, outputs = [], [], []
    for s in strings:
        path = [REBER.start] + states(REBER, s[:-1])
        hidden.append(np.eye(8)[path] + noise * rng.normal(size=(len(path), 8)))
        symbols.append(np.array(encode(s[:-1])))
        outputs.append(labels[path])
    return hidden, symbols, outputs


def test_extraction_from_a_network_with_the_reber_states_recovers_reber(rng):
    strings = generate_many(REBER, rng, 60)
    result = extract(*reber_network_states(strings, rng), n_clusters=12, n_symbols=7, rng=rng)
    delta, labels = prediction_table(REBER)
    same, pairs = pair_states(result.minimal, Automaton(delta, labels))
    assert same and result.minimal.n_states == 7  # the 12 clusters split some states; minimising merges them
    exact = extract(*reber_network_states(strings, rng), n_clusters=7, n_symbols=7, rng=rng)
    assert exact.consistency == 1.0 and pair_states(exact.raw, Automaton(delta, labels))[0]
    for s in generate_many(REBER, rng, 50):
        assert predicts(result.minimal, encode(s), SYMBOL_INDEX["E"])


def test_too_few_clusters_merge_states_and_change_the_language(rng):
    strings = generate_many(REBER, rng, 60)
    result = extract(*reber_network_states(strings, rng), n_clusters=5, n_symbols=7, rng=rng)
    delta, labels = prediction_table(REBER)
    assert not pair_states(result.minimal, Automaton(delta, labels))[0]


@pytest.mark.parametrize("delta, labels, error", [
    (np.array([0, 1]), np.array([0, 1]), "delta"),
    (np.array([[0], [1]]), np.array([0]), "labels"),
    (np.array([[0], [2]]), np.array([0, 0]), "delta entries"),
])
def test_automaton_arguments_are_validated(delta, labels, error):
    with pytest.raises(ValueError, match=error):
        Automaton(delta, labels)


def test_kmeans_and_extract_validate_their_inputs(rng):
    with pytest.raises(ValueError, match="k must be at most"):
        kmeans(np.zeros((3, 2)), 4, rng)
    with pytest.raises(TypeError, match="rng"):
        kmeans(np.zeros((3, 2)), 2, 0)
    with pytest.raises(ValueError, match="L \\+ 1"):
        extract([np.zeros((3, 2))], [np.array([0, 1, 2])], [np.zeros(3, int)], 2, 3, rng)
