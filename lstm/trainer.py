"""Training: the package's one training step, and one loop around it with callbacks.

    >>> import numpy as np
    >>> from lstm import LSTM, Adam, SequenceModel
    >>> rng = np.random.default_rng(0)
    >>> model = SequenceModel(LSTM(input_size=1, hidden_size=4, rng=rng), 1, rng=rng)
    >>> X = rng.uniform(size=(10, 32, 1))                   # (T, N, D): learn the mean of x_t
    >>> batches = [(X, X.mean(axis=0))] * 200
    >>> trainer = Trainer(model, Adam(model.layers, 1e-2), callbacks=[
    ...     Schedule(lambda lr, trainer: lr * 0.99),
    ...     StopWhen(lambda trainer: trainer.loss < 3e-3)])
    >>> losses = trainer.run(batches)
    >>> bool(losses[-1] < 3e-3 < losses[0]), trainer.step == len(losses) < 200
    (True, True)

`train_step` is forward, loss, backward, clipping and the update, once. `Trainer.run`
repeats it over batches; the loop knows nothing about tasks (as in minGPT's
trainer): what happens between two updates is a callback, called after every update
with the trainer, which holds the step count, the last loss, the time spent in
updates, the state the model ended the last batch in, and a `stop` flag.
`Schedule` changes the learning rate, `Every` evaluates, `KeepBest` keeps the
parameters of the best evaluation and puts them back at the end, `StopWhen` ends the
run. `fit` is the loop in one call.
"""
import time

import numpy as np
from tqdm.auto import tqdm

from .model import sequence_loss
from .optim import clip_grad_norm
from .validate import check_int


def train_step(model, X, targets, optimizer, loss="mse", at="last", clip=None, state=None, frozen=(),
               **backward_options):
    """Forward, loss, backward, optional clipping by global norm, update. Returns
    (loss value, outputs (T, N, K), gradient norm before clipping or None).

    loss, at: as for `lstm.sequence_loss`; or loss is a function (outputs, targets) ->
    (value, dOutputs) and `at` is not used. state: the recurrent layer's initial state
    (None: zeros). frozen: (layer, parameter name) pairs that do not move: their
    gradients are set to zero before clipping and the update. backward_options go to
    the model's backward pass (e.g. cec_only=True for an LSTM).
    """
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError(f"optimizer must have a step() method (e.g. lstm.SGD or lstm.Adam), got {type(optimizer).__name__}")
    outputs = model.forward(X) if state is None else model.forward(X, state)
    value, dOut = loss(outputs, targets) if callable(loss) else sequence_loss(outputs, targets, loss, at)
    model.backward(dOut, **backward_options)
    for layer, name in frozen:
        layer.grads[name][...] = 0.0  # a zero gradient moves neither SGD nor Adam
    norm = clip_grad_norm(model.layers, clip) if clip is not None else None
    optimizer.step()
    return value, outputs, norm


class Callback:
    """Something to do after every update (`on_step`) and when the run ends (`on_end`)."""

    def on_step(self, trainer):
        pass

    def on_end(self, trainer):
        pass


class Every(Callback):
    """Call fn(trainer) after every n-th update. If fn returns a dict, it is the run's
    evaluation of this step (`trainer.evaluation`, read by KeepBest) and is kept in `rows`."""

    def __init__(self, n, fn):
        self.n = check_int("n", n, 1)
        self.fn = fn
        self.rows = []

    def on_step(self, trainer):
        if trainer.step % self.n == 0:
            row = self.fn(trainer)
            if isinstance(row, dict):
                self.rows.append(row)
                trainer.evaluation = row


class Schedule(Callback):
    """After every update, set the learning rate to update(lr, trainer)."""

    def __init__(self, update):
        self.update = update

    def on_step(self, trainer):
        trainer.optimizer.lr = self.update(trainer.optimizer.lr, trainer)


class KeepBest(Callback):
    """Keep a copy of the parameters at the best evaluation (lowest `key`, or highest with
    higher_is_better) and put them back when the run ends."""

    def __init__(self, key, higher_is_better=False):
        self.key = key
        self.sign = -1.0 if higher_is_better else 1.0
        self.best = None  # the best score so far
        self.params = None

    def on_step(self, trainer):
        row = trainer.evaluation
        if row is None:
            return
        score = row[self.key]
        if self.best is None or self.sign * score < self.sign * self.best:
            self.best = score
            self.params = [{k: v.copy() for k, v in layer.params.items()} for layer in trainer.model.layers]

    def on_end(self, trainer):
        if self.params is not None:
            for layer, saved in zip(trainer.model.layers, self.params):
                for k, v in saved.items():
                    layer.params[k][...] = v


class StopWhen(Callback):
    """End the run after the update where rule(trainer) is true."""

    def __init__(self, rule):
        self.rule = rule

    def on_step(self, trainer):
        if self.rule(trainer):
            trainer.stop = True


class Trainer:
    """Trainer(model, optimizer, loss="mse", at="last", clip=None, frozen=(), callbacks=(),
    progress=False, **backward_options): `train_step` in a loop, with callbacks.

    After each update: `step` (updates so far), `loss` (its value), `outputs`, `norm`,
    `batch`, `seconds` (time spent fetching batches and updating, callbacks excluded),
    `final_state` (the model's state at the end of the batch, for batches that carry it
    on), `evaluation` (the dict an evaluation callback made at this step, else None).
    A callback sets `stop = True` to end the run.
    """

    def __init__(self, model, optimizer, loss="mse", at="last", clip=None, frozen=(), callbacks=(), progress=False,
                 **backward_options):
        self.model, self.optimizer = model, optimizer
        self.loss_fn, self.at, self.clip, self.frozen = loss, at, clip, frozen
        self.callbacks = [c if isinstance(c, Callback) else _EveryStep(c) for c in callbacks]
        self.progress = progress
        self.backward_options = backward_options
        self.step, self.seconds, self.stop = 0, 0.0, False
        self.loss = self.outputs = self.norm = self.batch = self.final_state = self.evaluation = None

    def run(self, batches, steps=None):
        """Train on `batches`: a function step -> batch (then `steps` is required), or an
        iterable of batches (at most `steps` of them; None: all). A batch is (X, targets)
        or (X, targets, state), state the model's initial state for it (None: zeros).
        Returns the loss of every update, an array."""
        if steps is not None:
            steps = check_int("steps", steps, 0)
        if callable(batches):
            if steps is None:
                raise ValueError("batches is a function step -> batch: give the number of steps")
            source = (batches(step) for step in range(steps))
        else:
            try:
                source = iter(batches)
            except TypeError:
                raise TypeError(f"batches must be a function step -> (X, targets) or an iterable of batches, "
                                f"got {type(batches).__name__}") from None
        losses = []
        bar = tqdm(total=steps, disable=not self.progress, desc="training", unit="batch")
        while not self.stop and (steps is None or len(losses) < steps):
            t0 = time.perf_counter()
            batch = next(source, None)
            if batch is None:
                break
            X, targets, state = _unpack(batch, self.step)
            self.loss, self.outputs, self.norm = train_step(self.model, X, targets, self.optimizer, self.loss_fn,
                                                            self.at, self.clip, state, self.frozen,
                                                            **self.backward_options)
            self.seconds += time.perf_counter() - t0
            self.batch, self.final_state, self.evaluation = batch, getattr(self.model, "final_state", None), None
            self.step += 1
            losses.append(self.loss)
            for callback in self.callbacks:
                callback.on_step(self)
            bar.update()
            if self.step % 10 == 1:
                bar.set_postfix(loss=f"{self.loss:.4f}")
        bar.close()
        for callback in self.callbacks:
            callback.on_end(self)
        return np.array(losses)


class _EveryStep(Callback):
    """A plain function fn(trainer) as a callback after every update."""

    def __init__(self, fn):
        if not callable(fn):
            raise TypeError(f"a callback must be an lstm.trainer.Callback or a function of the trainer, "
                            f"got {type(fn).__name__}")
        self.fn = fn

    def on_step(self, trainer):
        self.fn(trainer)


def _unpack(batch, step):
    if isinstance(batch, (tuple, list)) and len(batch) in (2, 3):
        return (*batch, None) if len(batch) == 2 else tuple(batch)
    raise ValueError(f"batches({step}) must return a pair (X, targets) or a triple (X, targets, state), "
                     f"got {type(batch).__name__}")


def fit(model, batches, optimizer, steps, loss="mse", at="last", clip=None, progress=True, frozen=(), stop=None,
        callbacks=(), **backward_options):
    """Train for up to `steps` updates on batches(step) -> (X, targets); returns the loss history.

    progress: show a tqdm bar (a text bar in a terminal, a widget in a notebook).
    stop: a stopping rule, stop(step, loss value) -> True to end training after that
    update (None: run all steps). callbacks: more, as for `Trainer`. loss, at, clip,
    frozen, backward_options: as for `train_step`.
    """
    steps = check_int("steps", steps, 0)
    if not callable(batches):
        raise TypeError(f"batches must be a function step -> (X, targets), got {type(batches).__name__}")
    if stop is not None and not callable(stop):
        raise TypeError(f"stop must be a function (step, loss) -> bool, or None; got {type(stop).__name__}")
    callbacks = list(callbacks)
    if stop is not None:
        callbacks.append(StopWhen(lambda trainer: stop(trainer.step - 1, trainer.loss)))
    trainer = Trainer(model, optimizer, loss, at, clip, frozen, callbacks, progress, **backward_options)
    return trainer.run(batches, steps)
