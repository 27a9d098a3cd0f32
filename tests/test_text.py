"""lstm.text: corpora, Kneser-Ney n-grams, the FSM readouts, character models, sampling."""
import math

import numpy as np
import pytest

import lstm
from lstm.fsm import FSMNetwork
from lstm.text import (KneserNey, TrainConfig, Vocabulary, bits_per_char, bpc_with_context, correlate_cells,
                       evaluate_bpc, fsm_features, load_corpus, make_char_model, next_char_logits, sample,
                       softmax_readout_loss, split_by_position, squared_readout_loss, text_features,
                       train_char_model, train_fsm_readout, windows)
from lstm.text.__main__ import main as cli_main
from lstm.text.fsm_readout import readout_probabilities

TEXT = "the cat sat on the mat. the dog sat on the log.\n" * 20


@pytest.fixture
def vocab():
    return Vocabulary.from_text(TEXT)


def test_vocabulary_round_trips_and_rejects_unknown_characters(vocab):
    ids = vocab.encode("the dog")
    assert ids.dtype == np.int64 and vocab.decode(ids) == "the dog"
    assert vocab.chars == "".join(sorted(set(TEXT)))
    with pytest.raises(ValueError, match="outside the vocabulary"):
        vocab.encode("zebra!")
    with pytest.raises(ValueError, match="repeat"):
        Vocabulary("aab")


def test_split_is_by_position_and_covers_the_text():
    ids = np.arange(1000)
    train, valid, test = split_by_position(ids)
    assert (len(train), len(valid), len(test)) == (900, 50, 50)
    assert np.array_equal(np.concatenate([train, valid, test]), ids)
    with pytest.raises(ValueError, match="summing to 1"):
        split_by_position(ids, (0.5, 0.2, 0.2))


def test_committed_corpora_load_with_their_documented_sizes():
    ref = load_corpus("book/data/text/python_reference.txt")
    src = load_corpus("book/data/text/python_stdlib.txt")
    assert len(ref.train) + len(ref.valid) + len(ref.test) == 464_611 and ref.vocab.size == 94
    assert len(src.train) + len(src.valid) + len(src.test) == 515_110 and src.vocab.size == 96


@pytest.mark.parametrize("order", [1, 2, 3, 6])
def test_kneser_ney_probabilities_sum_to_one_over_the_vocabulary(vocab, order):
    kn = KneserNey(order, vocab.size).fit(vocab.encode(TEXT))
    for context in ("the c", "", "on th", "xq", "..\n\n", "log.\nthe"):
        context = context.replace("x", "t").replace("q", "h")
        p = kn.distribution(vocab.encode(context))
        assert p.shape == (vocab.size,) and np.all(p > 0)
        assert math.isclose(p.sum(), 1.0, rel_tol=1e-12)


def test_kneser_ney_prefers_what_followed_the_context_and_scores_like_its_distribution(vocab):
    ids = vocab.encode(TEXT)
    kn = KneserNey(3, vocab.size).fit(ids)
    p = kn.distribution(vocab.encode("th"))
    assert np.argmax(p) == vocab.encode("e")[0] and p.max() > 0.9
    q = kn.probabilities(ids[:40])
    assert math.isclose(q[10], kn.distribution(ids[8:10])[ids[10]], rel_tol=1e-12)
    assert kn.bits_per_char(ids) < KneserNey(1, vocab.size).fit(ids).bits_per_char(ids)


def test_a_uniform_model_scores_log2_of_the_vocabulary_size(vocab):
    V = vocab.size
    assert math.isclose(bits_per_char(np.full(100, 1.0 / V)), math.log2(V), rel_tol=1e-12)
    model = make_char_model(V, 8, "lstm", np.random.default_rng(0), dtype=np.float64)
    model.readout.params["weight"][...] = 0.0  # equal logits: every character 1/V
    model.readout.params["bias"][...] = 0.0
    assert math.isclose(evaluate_bpc(model, vocab.encode(TEXT[:300]), chunk=70), math.log2(V), rel_tol=1e-12)
    with pytest.raises(ValueError, match="infinite"):
        bits_per_char([0.5, 0.0])


def test_fsm_features_follow_the_machines_stream_by_stream(rng):
    net = FSMNetwork.random(5, 3, 4, rng)
    ids = rng.integers(4, size=41)
    chunks = list(fsm_features(net, ids, n_streams=2, chunk=7, dtype=np.float64))
    F = np.concatenate([f for f, _ in chunks])  # (20, 2, 5)
    targets = np.concatenate([t for _, t in chunks])
    streams = ids[:40].reshape(2, 20).T
    assert np.array_equal(F, net.features(net.run(streams)))
    assert np.array_equal(targets, ids[1:41].reshape(2, 20).T)


@pytest.mark.parametrize("loss_fn", [squared_readout_loss, softmax_readout_loss])
def test_readout_gradients_match_finite_differences(rng, loss_fn):
    F = rng.normal(size=(13, 6))
    targets = rng.integers(5, size=13)
    W, b = rng.normal(size=(6, 5)), rng.normal(size=5)
    _, dW, db = loss_fn(F, targets, W, b)
    assert lstm.relative_error(dW, lstm.numerical_gradient(lambda: loss_fn(F, targets, W, b)[0], W)) < 1e-7
    assert lstm.relative_error(db, lstm.numerical_gradient(lambda: loss_fn(F, targets, W, b)[0], b)) < 1e-7


def test_squared_readout_probabilities_are_floored_and_normalised():
    p = readout_probabilities(np.array([[0.7, -0.2, 0.3]]), "squared", eps=0.1)
    assert np.allclose(p, [[0.7, 0.1, 0.3]] / np.float64(1.1))


def test_fsm_readout_learns_a_text_better_than_its_letter_frequencies(vocab):
    ids = vocab.encode(TEXT)
    net = FSMNetwork.random(200, 4, vocab.size, np.random.default_rng(1))
    unigram = KneserNey(1, vocab.size).fit(ids).bits_per_char(ids[1:])
    for loss in ("squared", "softmax"):
        r = train_fsm_readout(net, ids, ids[:300], ids[300:600], loss, np.random.default_rng(2), epochs=6,
                              n_streams=4, chunk=16)
        assert r.weights == 200 * vocab.size + vocab.size
        assert r.valid_bpc < unigram - 1.0, (loss, r.valid_bpc, unigram)


@pytest.mark.slow
def test_a_tiny_lstm_trained_on_text_lowers_its_loss(vocab):
    ids = vocab.encode(TEXT)
    rng = np.random.default_rng(0)
    model = make_char_model(vocab.size, 24, "lstm", rng)
    before = evaluate_bpc(model, ids[:200])
    config = TrainConfig(chars=40_000, batch_size=8, bptt=16, lr=1e-2, lr_final=1e-3, eval_every=20_000)
    result = train_char_model(model, ids, ids[:200], config, rng)
    assert len(result.history) == 2 and 20_000 <= result.history[0]["chars"] < 40_000 <= result.history[1]["chars"]
    assert result.history[-1]["valid_bpc"] < 0.5 * before
    assert math.isclose(evaluate_bpc(model, ids[:200]), result.best_valid_bpc, rel_tol=1e-6)


def test_context_limited_score_matches_a_fresh_run_over_the_window(vocab):
    ids = vocab.encode(TEXT)
    model = make_char_model(vocab.size, 6, "gru", np.random.default_rng(3), dtype=np.float64)
    positions = np.array([10, 25, 60])
    assert np.array_equal(windows(ids, positions, 4)[:, 1], ids[21:25])
    logits = np.stack([next_char_logits(model, ids[p - 4:p])[0][-1] for p in positions])
    logp = lstm.losses.log_softmax(logits)[np.arange(3), ids[positions]]
    assert math.isclose(bpc_with_context(model, ids, positions, 4), -logp.mean() / math.log(2), rel_tol=1e-10)


def test_sampling_is_seeded_and_low_temperature_is_greedy(vocab):
    model = make_char_model(vocab.size, 16, "lstm", np.random.default_rng(5), dtype=np.float64)
    a = sample(model, vocab, 50, 1.0, np.random.default_rng(9))
    assert a == sample(model, vocab, 50, 1.0, np.random.default_rng(9))
    assert a != sample(model, vocab, 50, 1.0, np.random.default_rng(10))
    assert len(a) == 50 and set(a) <= set(vocab.chars)
    greedy, ids, state = [], vocab.encode("\n"), None
    for _ in range(20):
        logits, state = next_char_logits(model, ids, state)
        ids = np.array([np.argmax(logits[-1])])
        greedy.append(vocab.chars[ids[0]])
    assert sample(model, vocab, 20, 1e-4, np.random.default_rng(0)) == "".join(greedy)
    # a peaked model: the higher the temperature, the more even the characters drawn
    model.readout.params["bias"][...] = np.linspace(0.0, 4.0, vocab.size)

    def entropy(text):
        p = np.unique(list(text), return_counts=True)[1] / len(text)
        return -np.sum(p * np.log2(p))

    cold, warm, hot = (sample(model, vocab, 400, T, np.random.default_rng(1)) for T in (0.3, 1.0, 3.0))
    assert entropy(cold) < entropy(warm) < entropy(hot)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"temperature": 0.0}, ValueError, "temperature"),
    ({"temperature": -1.0}, ValueError, "temperature"),
    ({"temperature": float("nan")}, ValueError, "temperature"),
    ({"temperature": True}, TypeError, "temperature"),
    ({"temperature": "hot"}, TypeError, "temperature"),
    ({"n_chars": 0}, ValueError, "n_chars"),
    ({"rng": None}, TypeError, "rng"),
    ({"rng": 3}, TypeError, "rng"),
    ({"prime": ""}, ValueError, "prime"),
    ({"prime": "Z"}, ValueError, "vocabulary"),
])
def test_sample_arguments_are_validated(vocab, kwargs, error, match):
    model = make_char_model(vocab.size, 4, "lstm", np.random.default_rng(0))
    args = {"n_chars": 5, "temperature": 1.0, "rng": np.random.default_rng(0), "prime": "t"} | kwargs
    with pytest.raises(error, match=match):
        sample(model, vocab, **args)


def test_sample_refuses_a_model_of_another_vocabulary(vocab):
    model = make_char_model(vocab.size + 1, 4, "lstm", np.random.default_rng(0))
    with pytest.raises(ValueError, match="vocabulary has"):
        sample(model, vocab, 5, 1.0, np.random.default_rng(0))
    with pytest.raises(TypeError, match="SequenceModel"):
        sample(model.recurrent, vocab, 5, 1.0, np.random.default_rng(0))


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_char_model_saves_and_loads_as_a_checkpoint(tmp_path, vocab, cell):
    model = make_char_model(vocab.size, 8, cell, np.random.default_rng(0))
    model.save(tmp_path / "m.npz")
    loaded = lstm.SequenceModel.load(tmp_path / "m.npz")
    ids = vocab.encode(TEXT[:30])
    assert np.array_equal(next_char_logits(loaded, ids)[0], next_char_logits(model, ids)[0])
    assert sample(loaded, vocab, 30, 0.7, np.random.default_rng(4)) == sample(model, vocab, 30, 0.7,
                                                                              np.random.default_rng(4))


def test_text_features_name_what_each_character_is_inside():
    f = text_features('x = f("a(b",\n    [1])\n')
    assert list(f["in_string"][6:11]) == [1, 1, 1, 1, 0]  # "a(b and the closing quote
    assert f["bracket_depth"][5] == 1 and f["bracket_depth"][8] == 1  # the ( in the string does not count
    assert f["bracket_depth"][17] == 2 and f["bracket_depth"][-1] == 0
    assert f["indent"][16] == 4 and f["column"][12] == 0 and f["column"][16] == 4


def test_a_cell_equal_to_a_feature_has_correlation_one(rng):
    feats = {"a": rng.normal(size=50), "b": np.zeros(50)}
    states = np.stack([rng.normal(size=50), 3 * feats["a"] + 1, -feats["a"]], axis=1)
    corr = correlate_cells(states, feats)
    assert np.allclose(corr["a"][1:], [1.0, -1.0]) and abs(corr["a"][0]) < 0.5
    assert np.array_equal(corr["b"], np.zeros(3))


def test_command_line_trains_saves_and_samples(tmp_path, capsys):
    corpus = tmp_path / "t.txt"
    corpus.write_text(TEXT)
    out = tmp_path / "m.npz"
    assert cli_main(["train", "--corpus", str(corpus), "--hidden", "8", "--chars", "3000", "--bptt", "8",
                     "--batch", "4", "--out", str(out)]) == 0
    assert "bits/char" in capsys.readouterr().out and out.exists()
    assert cli_main(["sample", "--corpus", str(corpus), "--model", str(out), "--chars", "40", "--prime", "the"]) == 0
    assert len(capsys.readouterr().out) == 41


def test_fsm_context_score_restarts_the_machines_before_each_position(vocab):
    from lstm.text.fsm_readout import FSMReadoutResult, fsm_bpc_with_context, readout_probabilities
    ids = vocab.encode(TEXT)
    rng = np.random.default_rng(6)
    net = FSMNetwork.random(7, 3, vocab.size, rng)
    result = FSMReadoutResult(7, "softmax", rng.normal(size=7), rng.normal(size=(7, vocab.size)),
                              rng.normal(size=vocab.size), None, 0.0, 0.0, 0, 0.0, [])
    positions = np.array([5, 9, 30])
    p = []
    for pos in positions:
        state = net.run(ids[pos - 3:pos, None], keep="last")  # (1, N) after 3 characters from state 0
        y = (net.features(state) - result.mean) @ result.W + result.b
        p.append(readout_probabilities(y, "softmax")[0, ids[pos]])
    assert math.isclose(fsm_bpc_with_context(net, result, ids, positions, 3), bits_per_char(p), rel_tol=1e-12)


def test_the_text_package_needs_neither_matplotlib_nor_the_book_helpers():
    import subprocess
    import sys
    code = ("import sys, lstm.text; bad = [m for m in sys.modules if m.startswith(('matplotlib', 'lstm.book'))]; "
            "print(bad); sys.exit(1 if bad else 0)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def test_weight_decay_shrinks_the_weights_by_the_step_size_times_the_rate(vocab):
    # with the update itself made zero (a zero step size is refused, so a vanishing one), only the decay acts
    from lstm.text.charlm import WeightDecay

    class Fake:  # what WeightDecay reads of a trainer: the optimizer's step size and the model's layers
        pass

    model = make_char_model(vocab.size, 8, "lstm", np.random.default_rng(0))
    before = [{k: v.copy() for k, v in layer.params.items()} for layer in model.layers]
    trainer = Fake()
    trainer.model, trainer.optimizer = model, Fake()
    trainer.optimizer.lr = 0.01
    WeightDecay(0.5).on_step(trainer)
    for layer, old in zip(model.layers, before):
        for name, p in layer.params.items():
            expected = old[name] * (1 - 0.005) if name.startswith("weight") else old[name]  # biases do not decay
            np.testing.assert_allclose(p, expected, rtol=1e-6)


@pytest.mark.parametrize("rate", [-0.1, float("nan"), "0.1"])
def test_weight_decay_rejects_a_rate_that_is_not_a_number_at_least_zero(rate):
    from lstm.text.charlm import WeightDecay
    with pytest.raises(ValueError, match="weight_decay"):
        WeightDecay(rate)


def test_training_with_weight_decay_ends_with_smaller_weights_than_without(vocab):
    ids = vocab.encode(TEXT)
    norms = {}
    for rate in (0.0, 5.0):
        rng = np.random.default_rng(0)
        model = make_char_model(vocab.size, 16, "lstm", rng)
        config = TrainConfig(chars=8_000, batch_size=8, bptt=16, lr=1e-2, lr_final=1e-3, eval_every=8_000,
                             weight_decay=rate)
        train_char_model(model, ids, ids[:200], config, rng)
        norms[rate] = float(np.linalg.norm(model.recurrent.params["weight_hh"]))
    assert norms[5.0] < 0.9 * norms[0.0]


@pytest.mark.parametrize("name, temperatures", [("python_reference", ("0.3", "1.3")), ("python_stdlib", ("0.8",))])
def test_the_stored_samples_are_what_the_stored_model_draws_with_the_scripts_seed(name, temperatures):
    # chapter 9's temperature control shows the stored samples at its grid temperatures and samples
    # the stored model live elsewhere: at a grid point both must be the same text
    import json
    with open("book/data/text_results.json") as f:
        results = json.load(f)["corpora"][name]
    corpus = load_corpus(f"book/data/text/{name}.txt")
    model = lstm.SequenceModel.load(f"book/data/ch09_{name}_lstm256.npz")
    for tau in temperatures:
        drawn = sample(model, corpus.vocab, 400, float(tau), np.random.default_rng(1))
        assert drawn == results["samples_by_temperature"][tau]
