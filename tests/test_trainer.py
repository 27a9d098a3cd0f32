"""lstm.trainer's loop and callbacks, and lstm.layers, the one registry of layers."""
import numpy as np
import pytest

import lstm
from lstm import SGD, Adam, SequenceModel
from lstm.layers import LAYERS, keep_gates, make_layer
from lstm.trainer import Callback, Every, KeepBest, Schedule, StopWhen, Trainer


def small_model(seed=0):
    rng = np.random.default_rng(seed)
    return SequenceModel(lstm.LSTM(2, 3, rng=rng), 1, rng=rng)


def batch(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(4, 5, 2))
    return X, X.sum(axis=(0, 2))[:, None] / 4


def test_trainer_runs_train_step_once_per_batch_and_counts():
    a, b = small_model(), small_model()
    losses = Trainer(a, SGD(a.layers, lr=0.1)).run([batch(k) for k in range(3)])
    opt = SGD(b.layers, lr=0.1)
    expected = [lstm.train_step(b, *batch(k), opt)[0] for k in range(3)]
    np.testing.assert_array_equal(losses, expected)
    for p, q in zip(a.recurrent.params.values(), b.recurrent.params.values()):
        np.testing.assert_array_equal(p, q)


def test_a_batch_may_carry_the_state_it_starts_from():
    model = small_model()
    trainer = Trainer(model, SGD(model.layers, lr=0.1))
    state = (np.ones((5, 3)), np.zeros((5, 3)))
    trainer.run([batch(0) + (state,)])
    reference = small_model()
    lstm.train_step(reference, *batch(0), SGD(reference.layers, lr=0.1), state=state)
    np.testing.assert_array_equal(model.readout.params["weight"], reference.readout.params["weight"])
    assert trainer.final_state is model.final_state


def test_callbacks_schedule_evaluate_keep_best_and_stop():
    model = small_model()
    opt = Adam(model.layers, lr=0.05)
    X, y = batch(1)
    scores = iter([3.0, 1.0, 2.0, 5.0])
    kept = {}

    def evaluate(trainer):
        kept[trainer.step] = model.readout.params["weight"].copy()
        return {"score": next(scores)}

    every, best = Every(2, evaluate), KeepBest("score")
    trainer = Trainer(model, opt, callbacks=[Schedule(lambda lr, trainer: lr / 2), every, best,
                                             StopWhen(lambda trainer: trainer.step == 8)])
    losses = trainer.run(lambda step: (X, y), steps=100)
    assert len(losses) == trainer.step == 8
    assert opt.lr == 0.05 / 2 ** 8
    assert [r["score"] for r in every.rows] == [3.0, 1.0, 2.0, 5.0] and best.best == 1.0
    np.testing.assert_array_equal(model.readout.params["weight"], kept[4])  # put back at the end


def test_a_plain_function_is_a_callback_after_every_update():
    model = small_model()
    seen = []
    Trainer(model, SGD(model.layers, lr=0.1), callbacks=[lambda trainer: seen.append(trainer.step)]).run(
        [batch(0)] * 3)
    assert seen == [1, 2, 3]
    assert isinstance(KeepBest("x"), Callback)


def test_trainer_refuses_what_it_cannot_use():
    model = small_model()
    trainer = Trainer(model, SGD(model.layers, lr=0.1))
    with pytest.raises(ValueError, match="give the number of steps"):
        trainer.run(lambda step: batch(0))
    with pytest.raises(TypeError, match="batches must be a function step -> \\(X, targets\\) or an iterable"):
        trainer.run(5)
    with pytest.raises(ValueError, match="steps must be a non-negative integer"):
        trainer.run([batch(0)], steps=-1)
    with pytest.raises(TypeError, match="a callback must be"):
        Trainer(model, SGD(model.layers, lr=0.1), callbacks=[3])


@pytest.mark.slow
def test_char_model_training_is_the_trainer_with_its_callbacks():
    """train_char_model: a run is reproducible, the model is left at its best
    validation score, and the history has one row per evaluation."""
    from lstm.text import TrainConfig, evaluate_bpc, make_char_model, train_char_model
    ids = np.random.default_rng(0).integers(0, 5, size=3000)
    config = TrainConfig(chars=2000, batch_size=4, bptt=8, eval_every=700, eval_chars=400)
    runs = []
    for _ in range(2):
        model = make_char_model(5, 6, "lstm", np.random.default_rng(1))
        runs.append((train_char_model(model, ids[:2500], ids[2500:], config, np.random.default_rng(2)), model))
    (a, model), (b, _) = runs
    assert [r["valid_bpc"] for r in a.history] == [r["valid_bpc"] for r in b.history]
    assert [r["chars"] for r in a.history] == [704, 1408, 2016]
    assert a.best_valid_bpc == min(r["valid_bpc"] for r in a.history)
    assert evaluate_bpc(model, ids[2500:2900]) == pytest.approx(a.best_valid_bpc, abs=1e-6)


# --- the registry ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(LAYERS))
def test_make_layer_builds_every_layer_by_name(name):
    layer = make_layer(name, 2, 3, rng=np.random.default_rng(0))
    assert type(layer) is LAYERS[name] and layer.input_size == 2 and layer.hidden_size == 3


def test_make_layer_is_the_constructor_with_the_same_draws():
    a = make_layer("lstm", 2, 3, rng=np.random.default_rng(0), cell="peephole", forget_bias=1.0)
    b = lstm.LSTM(2, 3, rng=np.random.default_rng(0), cell="peephole", forget_bias=1.0)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
    assert type(make_layer("lstm", 2, 3, cell="fgr")) is lstm.FGRLSTM
    with pytest.raises(ValueError, match="unknown layer 'lstn'"):
        make_layer("lstn", 2, 3)


@pytest.mark.parametrize("name, options", [("lstm", {}), ("lstm", {"cell": "cifg"}), ("gru", {}), ("mingru", {}),
                                           ("minlstm", {}), ("slstm", {})])
def test_keep_bias_makes_the_memory_survive_a_step(name, options):
    """With no weights, a large keep_bias carries the memory through a step: what the
    final memory owes to the initial one is the initial one (h_T(m0) - h_T(0) = m0)."""
    layer = make_layer(name, 2, 3, rng=np.random.default_rng(0), keep_bias=30.0, **options)
    assert keep_gates(layer)
    for key in layer.params:
        if key.startswith("weight"):
            layer.params[key][...] = 0.0
    memory = "h" if name in ("gru", "mingru", "minlstm") else "c"
    k = layer.state_names.index(memory)
    finals = []
    for m0 in (0.7, 0.0):
        state = [np.zeros(s) for s in layer.state_shapes(1).values()]
        state[k][...] = m0
        if name == "slstm":  # h = o c / n: keep the normaliser fixed at 1
            state[layer.state_names.index("n")][...] = 1.0
        _, final = layer.forward(np.ones((1, 1, 2)), state[0] if len(state) == 1 else tuple(state))
        finals.append(((final,) if len(state) == 1 else final)[k])
    np.testing.assert_allclose(finals[0] - finals[1], 0.7, rtol=1e-9)


def test_keep_bias_refuses_a_layer_without_a_keeping_gate():
    with pytest.raises(ValueError, match="RNN has no gate that keeps its memory"):
        make_layer("rnn", 2, 3, keep_bias=1.0)
