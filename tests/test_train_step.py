"""lstm.train_step and lstm.fit: the package's one training step and its loop, with their
options (scored steps by mask, initial state, frozen parameters, a stopping rule)."""
import numpy as np
import pytest

from lstm import LSTM, RNN, Adam, SequenceModel, fit, sequence_loss, train_step


class NoUpdate:
    """An optimizer that leaves every parameter as it is."""

    def step(self):
        pass


def model_and_data(rng, T=5, N=3):
    model = SequenceModel(LSTM(2, 4, rng=rng), 1, rng=rng)
    return model, rng.standard_normal((T, N, 2)), rng.standard_normal((T, N, 1))


def test_a_mask_of_the_last_step_scores_what_at_last_scores(rng):
    outputs, targets = rng.standard_normal((5, 3, 2)), rng.standard_normal((5, 3, 2))
    mask = np.zeros((5, 3), bool)
    mask[-1] = True
    v1, d1 = sequence_loss(outputs, targets, "mse", at=mask)
    v2, d2 = sequence_loss(outputs, targets[-1], "mse", at="last")
    assert v1 == pytest.approx(v2, rel=1e-15)
    np.testing.assert_array_equal(d1, d2)


def test_a_mask_scores_each_sequence_at_its_own_steps_and_nowhere_else(rng):
    outputs, targets = rng.standard_normal((4, 2, 1)), rng.standard_normal((4, 2, 1))
    mask = np.array([[False, False], [True, False], [False, False], [False, True]])
    value, d = sequence_loss(outputs, targets, "mse", at=mask)
    picked = outputs[[1, 3], [0, 1]] - targets[[1, 3], [0, 1]]
    assert value == pytest.approx(np.mean(picked ** 2))
    assert np.all(d[~mask] == 0) and np.all(d[mask] != 0)


def test_a_mask_of_the_wrong_shape_or_type_is_refused(rng):
    outputs = rng.standard_normal((4, 2, 1))
    for mask in (np.ones((4, 3), bool), np.ones((4, 2))):
        with pytest.raises(ValueError, match="bool array of shape"):
            sequence_loss(outputs, outputs, "mse", at=mask)


def test_frozen_parameters_do_not_move_and_the_others_do(rng):
    model, X, y = model_and_data(rng)
    layer = model.recurrent
    before = {k: v.copy() for k, v in layer.params.items()}
    for _ in range(3):
        train_step(model, X, y[-1], Adam(model.layers, lr=0.1), frozen=[(layer, "weight_hh"), (layer, "bias")])
    np.testing.assert_array_equal(layer.params["weight_hh"], before["weight_hh"])
    np.testing.assert_array_equal(layer.params["bias"], before["bias"])
    assert not np.array_equal(layer.params["weight_ih"], before["weight_ih"])


def test_the_initial_state_reaches_the_recurrent_layer(rng):
    model, X, y = model_and_data(rng)
    state = (rng.standard_normal((3, 4)), rng.standard_normal((3, 4)))
    expected = model.forward(X, state)
    _, outputs, _ = train_step(model, X, y[-1], NoUpdate(), state=state)
    np.testing.assert_array_equal(outputs, expected)
    _, zero_start, _ = train_step(model, X, y[-1], NoUpdate())
    assert not np.allclose(outputs, zero_start)


def test_a_loss_function_replaces_the_named_loss(rng):
    model, X, y = model_and_data(rng)

    def half_sum(outputs, targets):
        return float(0.5 * np.sum(outputs ** 2)), outputs.copy()

    value, outputs, _ = train_step(model, X, None, NoUpdate(), half_sum)
    assert value == pytest.approx(0.5 * np.sum(outputs ** 2))


def test_fit_stops_when_its_stopping_rule_says_so(rng):
    model, X, y = model_and_data(rng)
    seen = []

    def stop(step, value):
        seen.append(step)
        return step == 3

    history = fit(model, lambda step: (X, y[-1]), Adam(model.layers, lr=0.01), steps=50, progress=False, stop=stop)
    assert len(history) == 4 and seen == [0, 1, 2, 3]
    with pytest.raises(TypeError, match="stop must be a function"):
        fit(model, lambda step: (X, y[-1]), Adam(model.layers), steps=1, progress=False, stop=5)


def test_fit_passes_frozen_and_backward_options_on(rng):
    model = SequenceModel(RNN(2, 3, rng=rng), 1, rng=rng)
    X, y = rng.standard_normal((4, 2, 2)), rng.standard_normal((2, 1))
    before = model.recurrent.params["weight_hh"].copy()
    fit(model, lambda step: (X, y), Adam(model.layers, lr=0.1), steps=3, progress=False,
        frozen=[(model.recurrent, "weight_hh")])
    np.testing.assert_array_equal(model.recurrent.params["weight_hh"], before)
