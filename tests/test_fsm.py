"""The network of random finite state machines and its linear readout."""
import time

import numpy as np
import pytest

from lstm.fsm import FSMNetwork, distinguishing_fraction, fit_readout_gd, fit_readout_lstsq, readout_forward, readout_loss
from lstm.tasks.recall import first_symbol_recall
from lstm.gradcheck import relative_error


def test_transitions_follow_each_machines_table(rng):
    net = FSMNetwork.random(n_machines=7, n_states=5, n_symbols=3, rng=rng)
    symbols = rng.integers(3, size=(20, 4))
    states = net.run(symbols)
    assert states.shape == (20, 4, 7)
    for i in range(7):
        for n in range(4):
            s = 0
            for t in range(20):
                s = net.table[i, s, symbols[t, n]]
                assert states[t, n, i] == s
    assert np.array_equal(net.run(symbols, keep="last"), states[-1])


def test_features_are_the_state_outputs(rng):
    net = FSMNetwork.random(4, 3, 2, rng)
    states = np.array([[0, 1, 2, 0], [2, 2, 1, 1]], dtype=np.uint8)
    assert np.array_equal(net.features(states), net.values[np.arange(4), states])
    onehot = FSMNetwork(net.table, net.values, output="one_hot")
    f = onehot.features(states)
    assert f.shape == (2, 12) and np.array_equal(f.reshape(2, 4, 3).argmax(-1), states)
    assert np.all(f.sum(axis=1) == 4)


def test_readout_gradient_matches_finite_differences(rng):
    F, Y = rng.normal(size=(9, 5)), rng.normal(size=(9, 3))
    W, b = rng.normal(size=(5, 3)), rng.normal(size=3)
    _, dW, db = readout_loss(F, Y, W, b, ridge=0.3)
    eps = 1e-6
    for p, g in ((W, dW), (b, db)):
        num = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + eps
            up = readout_loss(F, Y, W, b, ridge=0.3)[0]
            p[idx] = old - eps
            down = readout_loss(F, Y, W, b, ridge=0.3)[0]
            p[idx] = old
            num[idx] = (up - down) / (2 * eps)
        assert relative_error(g, num) < 1e-7


@pytest.mark.parametrize("M, D, ridge", [(40, 6, 0.0), (40, 6, 0.5), (8, 30, 0.5), (8, 30, 0.0)])
def test_least_squares_solution_has_zero_gradient(rng, M, D, ridge):
    F, Y = rng.normal(size=(M, D)), rng.normal(size=(M, 2))
    W, b = fit_readout_lstsq(F, Y, ridge=ridge)
    L, dW, db = readout_loss(F, Y, W, b, ridge)
    assert np.max(np.abs(dW)) < 1e-9 and np.max(np.abs(db)) < 1e-9
    if D > M and ridge == 0:  # more features than samples: an exact fit
        assert L < 1e-18


def test_gradient_descent_approaches_the_closed_form(rng):
    F, Y = rng.normal(size=(200, 5)), rng.normal(size=(200, 2))
    W, b, history = fit_readout_gd(F, Y, rng, lr=0.2, steps=300)
    W_star, b_star = fit_readout_lstsq(F, Y)
    assert np.all(np.diff(history) <= 1e-12)
    assert np.allclose(W, W_star, atol=1e-6) and np.allclose(b, b_star, atol=1e-6)
    assert np.allclose(readout_forward(F, W, b), F @ W_star + b_star, atol=1e-5)


def test_seeded_networks_are_reproducible():
    a = FSMNetwork.random(50, 4, 3, np.random.default_rng(3))
    b = FSMNetwork.random(50, 4, 3, np.random.default_rng(3))
    c = FSMNetwork.random(50, 4, 3, np.random.default_rng(4))
    assert np.array_equal(a.table, b.table) and np.array_equal(a.values, b.values)
    assert not np.array_equal(a.table, c.table)


def test_ten_thousand_machines_over_hundreds_of_steps_run_in_seconds(rng):
    net = FSMNetwork.random(10_000, 4, 5, rng)
    symbols = rng.integers(5, size=(300, 8))
    start = time.perf_counter()
    states = net.run(symbols)
    assert time.perf_counter() - start < 5.0
    assert states.shape == (300, 8, 10_000)


def test_identity_machines_remember_and_random_ones_forget(rng):
    keep = FSMNetwork(np.tile(np.arange(3, dtype=np.uint8)[None, :, None], (5, 1, 4)), np.zeros((5, 3)))
    keep.table[:, 0, :3] = np.arange(3, dtype=np.uint8)  # the first symbol picks a state, then nothing moves
    distractors = np.full(30, 3)
    assert distinguishing_fraction(keep, [0, 1, 2], distractors) == 1.0
    net = FSMNetwork.random(2000, 4, 4, rng)
    short = distinguishing_fraction(net, [0, 1, 2, 3], rng.integers(4, size=1))
    long = distinguishing_fraction(net, [0, 1, 2, 3], rng.integers(4, size=40))
    assert short > 0.5 and long < 0.05


def test_recall_task_layout(rng):
    symbols, targets = first_symbol_recall(rng, count=6, lag=5, n_signals=3, n_distractors=2)
    assert symbols.shape == (7, 6) and np.array_equal(symbols[0], targets)
    assert np.all((symbols[1:-1] >= 3) & (symbols[1:-1] < 5)) and np.all(symbols[-1] == 5)


@pytest.mark.parametrize("kwargs, error", [
    (dict(n_machines=0, n_states=2, n_symbols=2), ValueError),
    (dict(n_machines=3, n_states=300, n_symbols=2), ValueError),
    (dict(n_machines=3, n_states=2, n_symbols=2, output="binary"), ValueError),
])
def test_network_arguments_are_validated(rng, kwargs, error):
    with pytest.raises(error):
        FSMNetwork.random(rng=rng, **kwargs)


def test_inputs_are_validated(rng):
    net = FSMNetwork.random(3, 2, 2, rng)
    with pytest.raises(ValueError, match=r"\[0, 2\)"):
        net.run(np.array([[0, 2]]))
    with pytest.raises(TypeError, match="integers"):
        net.run(np.array([[0.5]]))
    with pytest.raises(ValueError, match="shape"):
        net.run(np.array([0, 1]))
    with pytest.raises(ValueError, match="targets"):
        fit_readout_lstsq(np.ones((5, 2)), np.ones((4, 1)))
    with pytest.raises(ValueError, match="ridge"):
        fit_readout_lstsq(np.ones((5, 2)), np.ones((5, 1)), ridge=-1.0)
    with pytest.raises(TypeError, match="rng"):
        FSMNetwork.random(3, 2, 2, rng=1)
