"""The 1997 net of lstm.experiments.net1997: its readings of the paper, checked."""
import numpy as np
import pytest

from lstm.experiments.net1997 import Net1997, Spec, squash_g, squash_h
from lstm.experiments.training import Setting, build_model, make_optimizer, train_batch
from lstm.tasks import Batch

D, K, H, T = 3, 2, 2, 6


def _registered_pair(seed=0):
    """Our registered paper setting (1997 cell, tanh, cell outputs recurrent, one update per
    sequence, cec_only) and the same net built as a Net1997, with equal weights."""
    spec = Spec(blocks=H, lr=0.5, init_range=0.3, g="tanh", h="tanh", recurrent="cells", update="sequence",
                shortcut=True)
    net = Net1997(spec, D, K, [seed])
    setting = Setting("paper", cell="1997", hidden=H, optimizer="sgd", lr=0.5, batch_size=1, clip=None,
                      forget_bias=None, init_range=0.3, cec_only=True, head="sigmoid_sse", shortcut=True)
    model = build_model(setting, D, K, np.random.default_rng(seed))
    layer, readout = model.layers
    for k, name in enumerate(["W_in", "W_c", "W_out"]):  # rows i, g, o of the 1997 cell
        W = net.params[name][0]
        layer.params["bias"][k * H:(k + 1) * H] = W[:, 0]
        layer.params["weight_ih"][k * H:(k + 1) * H] = W[:, 1:1 + D]
        layer.params["weight_hh"][k * H:(k + 1) * H] = W[:, 1 + D:]
    W_k = net.params["W_k"][0]
    readout.params["bias"][:] = W_k[:, 0]
    readout.params["weight"][:] = W_k[:, 1:]
    return net, model, setting, layer, readout


def test_the_registered_reading_gives_the_package_updates_exactly():
    rng = np.random.default_rng(1)
    net, model, setting, layer, readout = _registered_pair()
    X = rng.normal(size=(T, 1, D))
    targets = rng.uniform(size=(T, 1, K))
    mask = np.zeros((T, 1), dtype=bool)
    mask[[2, 5]] = True
    y_model = 1 / (1 + np.exp(-model.forward(X)))
    np.testing.assert_allclose(net.forward(X[:, None])[:, 0], y_model, atol=1e-12)
    train_batch(model, make_optimizer(setting, model), Batch(X, targets * mask[..., None], mask, np.array([T])),
                setting)
    before = {k: v.copy() for k, v in net.params.items()}
    net.train_sequence(X, targets, mask)
    assert all(np.abs(net.params[k] - before[k]).max() > 1e-4 for k in net.params)  # every kind of weight learned
    for k, name in enumerate(["W_in", "W_c", "W_out"]):
        W = net.params[name][0]
        np.testing.assert_allclose(layer.params["bias"][k * H:(k + 1) * H], W[:, 0], atol=1e-12)
        np.testing.assert_allclose(layer.params["weight_ih"][k * H:(k + 1) * H], W[:, 1:1 + D], atol=1e-12)
        np.testing.assert_allclose(layer.params["weight_hh"][k * H:(k + 1) * H], W[:, 1 + D:], atol=1e-12)
    np.testing.assert_allclose(readout.params["weight"], net.params["W_k"][0][:, 1:], atol=1e-12)


def test_squashing_functions_have_the_paper_ranges_and_slopes():
    x = np.linspace(-30, 30, 601)
    g2, dg2 = squash_g(x, "g2")
    g1, _ = squash_g(x, "g1")
    h1, dh1 = squash_h(x, "h1")
    assert g2.min() >= -2 and g2.max() <= 2 and g2.min() < -1.99 and g2.max() > 1.99
    assert g1.min() >= 0 and g1.max() <= 1
    assert h1.min() >= -1 and h1.max() <= 1
    np.testing.assert_allclose(h1, np.tanh(x / 2), atol=1e-12)  # 2 sigma - 1 = tanh(x / 2)
    np.testing.assert_allclose(squash_h(x, "id")[0], x)
    eps = 1e-6
    np.testing.assert_allclose(dg2, (squash_g(x + eps, "g2")[0] - squash_g(x - eps, "g2")[0]) / (2 * eps), atol=1e-6)
    np.testing.assert_allclose(dh1, (squash_h(x + eps, "h1")[0] - squash_h(x - eps, "h1")[0]) / (2 * eps), atol=1e-6)


def test_2a_net_of_the_paper_has_its_10504_weights():
    spec = Spec(output_gate=False, g="g1", h="id", recurrent="none", shortcut=True, hidden_bias="none",
                output_bias=False)
    net = Net1997(spec, 101, 101, [0])
    used = sum(int(net.exists[name].sum()) for name in net.params)
    assert used == 10504  # table 2 of the paper
    assert np.all(net.params["W_out"] == 0) and np.all(net.params["W_c"][..., 0] == 0)


def test_without_output_gate_and_with_identity_h_the_cell_sums_its_writes():
    spec = Spec(output_gate=False, g="g1", h="id", recurrent="none", shortcut=False, hidden_bias="none",
                output_bias=False, init_range=0.5)
    net = Net1997(spec, 2, 1, [3])
    X = np.random.default_rng(0).normal(size=(5, 1, 1, 2))
    s = 0.0
    for t in range(5):
        x = np.concatenate([[1.0], X[t, 0, 0]])
        s += 1 / (1 + np.exp(-net.params["W_in"][0, 0] @ x)) / (1 + np.exp(-net.params["W_c"][0, 0] @ x))
    y = 1 / (1 + np.exp(-net.params["W_k"][0, 0, 1] * s))
    np.testing.assert_allclose(net.forward(X)[-1, 0, 0, 0], y, rtol=1e-12)


def test_missing_weights_stay_zero_and_inactive_seeds_keep_theirs():
    spec = Spec(output_gate=False, g="g1", h="id", recurrent="none", shortcut=True, hidden_bias="none",
                output_bias=False)
    net = Net1997(spec, 3, 2, [0, 1])
    rng = np.random.default_rng(2)
    X, targets = rng.normal(size=(4, 2, 3)), rng.uniform(size=(4, 2, 2))
    mask = np.ones((4, 2), dtype=bool)
    before = {k: v.copy() for k, v in net.params.items()}
    net.train_sequence(X, targets, mask, active=np.array([True, False]))
    for name in net.params:
        assert np.all(net.params[name][:, net.exists[name] == 0] == 0)
        np.testing.assert_array_equal(net.params[name][1], before[name][1])
    assert np.abs(net.params["W_c"][0] - before["W_c"][0]).max() > 0


def test_step_updates_differ_from_one_update_per_sequence():
    kw = dict(blocks=2, cells_per_block=2, lr=0.5, init_range=0.2)
    rng = np.random.default_rng(4)
    X, targets = rng.normal(size=(8, 1, 3)), rng.uniform(size=(8, 1, 2))
    mask = np.ones((8, 1), dtype=bool)
    nets = [Net1997(Spec(update=u, **kw), 3, 2, [0]) for u in ("step", "sequence")]
    for net in nets:
        net.train_sequence(X, targets, mask)
    assert np.abs(nets[0].params["W_k"] - nets[1].params["W_k"]).max() > 1e-6


def test_grow_adds_the_cell_when_the_error_stops_falling():
    spec = Spec(output_gate=False, g="g1", h="id", recurrent="none", shortcut=True, hidden_bias="none",
                output_bias=False, grow=(3, 0.01))
    net = Net1997(spec, 2, 1, [0])
    assert not net.grown[0]
    X = np.zeros((2, 1, 2))  # no input: the outputs cannot learn anything, so the error stays put
    targets = np.full((2, 1, 1), 0.5)
    mask = np.ones((2, 1), dtype=bool)
    W_c = net.params["W_c"].copy()
    for _ in range(6):
        net.train_sequence(X, targets, mask)
    assert net.grown[0]
    np.testing.assert_array_equal(net.params["W_c"], W_c)  # the cell did not learn before it was added


@pytest.mark.parametrize("kwargs, message", [
    (dict(g="sigmoid"), "g must be one of"), (dict(h="relu"), "h must be one of"),
    (dict(recurrent="gates"), "recurrent must be one of"), (dict(update="batch"), "update must be one of"),
    (dict(blocks=2, input_gate_bias=(-1.0,)), "one value per block"),
    (dict(hidden_bias="none", input_gate_bias=(-1.0,)), "gives the gates no bias"),
    (dict(output_gate=False, output_gate_bias=(-1.0,)), "without output gates"),
    (dict(grow=(0, 0.1)), "grow must be"),
])
def test_bad_specs_are_refused_with_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Spec(**kwargs)


# table 10 of the paper: the number of weights of each experiment's net
TABLE_10_WEIGHTS = {"reber": 276, "2a": 10504, "2b": 10504, "2c-50": 364, "2c-100": 664, "2c-500": 3064,
                    "2c-1000": 6064, "3a": 102, "3b": 102, "3c": 102, "adding-100": 93, "adding-500": 93,
                    "adding-1000": 93, "multiplication": 93, "6a": 156, "6b": 308}


@pytest.mark.parametrize("name, weights", sorted(TABLE_10_WEIGHTS.items()))
def test_each_paper_net_has_the_weights_of_table_10(name, weights):
    from lstm.experiments import EXPERIMENTS
    exp = EXPERIMENTS[name]
    net = Net1997(exp.paper_net, exp.input_size, exp.output_size, [0])
    assert sum(int(v.sum()) for v in net.exists.values()) == weights


def test_paper97_runs_through_the_runner_and_matches_a_lockstep_group():
    from lstm.experiments import run
    from lstm.experiments.runner1997 import run_net1997
    alone = run("3a", "paper97", seed=7, max_sequences=300)
    group = run_net1997("3a", [7, 8], max_sequences=300)
    assert alone["setting"] == "paper97" and alone["sequences"] == 300 and alone["parameters"] == 102
    assert alone["test_total"] == 2560 or alone["test_total"] == 256
    assert abs(alone["test_error"] - group[0]["test_error"]) < 1e-9  # a seed's run does not depend on its group


def test_paper97_refuses_what_it_cannot_run():
    from lstm.experiments.runner1997 import run_net1997
    with pytest.raises(ValueError, match="no paper_net"):
        run_net1997("anbn", [0], 10)
    with pytest.raises(ValueError, match="distinct"):
        run_net1997("3a", [1, 1], 10)


def test_most_active_rule_is_the_papers_reber_criterion():
    from dataclasses import replace
    from lstm.experiments import EXPERIMENTS
    from lstm.experiments.registry import score
    exp = replace(EXPERIMENTS["reber"], score="most_active")
    targets = np.zeros((2, 2, 3))
    targets[0, :, [0, 1]] = 1  # two possible next symbols
    targets[1, :, 2] = 1
    y = 0.45 * targets + 0.05  # the legal ones most active, but below 0.5
    y[1, 1] = [0.5, 0.1, 0.4]  # sequence 1, last step: an illegal symbol beats the legal one
    mask = np.ones((2, 2), dtype=bool)
    right, _ = score(exp, y, Batch(y, targets, mask, np.array([2, 2])))
    assert right.tolist() == [True, False]
    right_sets, _ = score(EXPERIMENTS["reber"], y, Batch(y, targets, mask, np.array([2, 2])))
    assert right_sets.tolist() == [False, False]  # our rule wants the legal ones above 0.5


def test_the_learning_rule_is_the_gradient_of_the_truncated_net():
    """Appendix A's rule (blocks sharing gates, output gates, the hidden layer fully connected, the
    paper's g and h, biases) against finite differences of the loss of a net whose recurrent inputs
    are frozen at the values they had: exactly what the truncation leaves."""
    spec = Spec(blocks=2, cells_per_block=2, lr=1.0, init_range=0.5, recurrent="full", update="sequence",
                shortcut=True, input_gate_bias=(-0.5, 0.3), output_gate_bias=(0.2, -0.4))
    rng = np.random.default_rng(3)
    X, targets = rng.normal(size=(5, 1, 3)), rng.uniform(size=(5, 1, 2))
    mask = np.ones((5, 1), dtype=bool)
    mask[1] = False
    net = Net1997(spec, 3, 2, [0])
    frozen, s, y_rec = [], np.zeros((1, 1, net.BC)), np.zeros((1, 1, net.R))
    for t in range(5):
        frozen.append(y_rec)
        st = net._step(X[t][:, None, :], y_rec, s)
        s, y_rec = st["s"], net._recurrent(st)

    def loss():
        s, E = np.zeros((1, 1, net.BC)), 0.0
        for t in range(5):
            st = net._step(X[t][:, None, :], frozen[t], s)
            s = st["s"]
            E += 0.5 * mask[t, 0] * ((targets[t, 0] - st["y"][0, 0]) ** 2).sum()
        return E

    grads, eps = {}, 1e-6
    for name, W in net.params.items():
        g = np.zeros_like(W)
        for idx in np.ndindex(*W.shape):
            if net.exists[name][idx[1:]]:
                W[idx] += eps
                up = loss()
                W[idx] -= 2 * eps
                g[idx] = (up - loss()) / (2 * eps)
                W[idx] += eps
        grads[name] = g
    before = {k: v.copy() for k, v in net.params.items()}
    net.train_sequence(X, targets, mask)
    for name in grads:
        assert np.abs(grads[name]).max() > 1e-3
        np.testing.assert_allclose(net.params[name] - before[name], -grads[name], atol=1e-8)
