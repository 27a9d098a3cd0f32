"""Long sequences and reproducibility.

Full backpropagation through time keeps a cache for every time step, so memory grows
with T; truncated BPTT (`lstm.tbptt`) keeps one chunk of k steps. Run this file as a
script to measure time and memory for T = 100,000 (N = 1, H = 8):

    nice -n 10 python tests/test_long_sequences.py
"""
import numpy as np
import pytest

from lstm import LSTM, RNN, SequenceModel, Adam, fit
from lstm.tbptt import iter_chunks, truncated_bptt

LONG_T, D, H = 100_000, 2, 8


def test_a_100000_step_sequence_runs_forward_and_backward():
    rng = np.random.default_rng(0)
    layer = LSTM(D, H, rng=rng, forget_bias=1.0)
    X = rng.standard_normal((LONG_T, 1, D))
    Y, (hT, cT) = layer.forward(X)
    dY = np.zeros_like(Y)
    dY[-1] = 1.0  # a loss on the last output only
    dX, (dh0, dc0) = layer.backward(dY)
    assert Y.shape == (LONG_T, 1, H) and dX.shape == (LONG_T, 1, D)
    for value in [Y, hT, cT, dX, dh0, dc0, *layer.grads.values()]:
        assert np.all(np.isfinite(value))
    np.testing.assert_array_equal(Y[-1], hT)
    # the start of the long run is the same computation as a short run
    Y_short, _ = layer.forward(X[:50])
    np.testing.assert_allclose(Y[:50], Y_short, rtol=0, atol=1e-15)
    # the error of the last step has died out long before it reaches the start
    assert np.abs(dX[-1]).max() > 0 and np.abs(dX[0]).max() < 1e-30


def test_truncated_bptt_keeps_only_one_chunk_in_the_cache():
    rng = np.random.default_rng(1)
    layer = LSTM(D, H, rng=rng)
    X = rng.standard_normal((2_000, 1, D))
    for chunk in iter_chunks(layer, X, k=100):  # the layer caches what its last forward call saw
        assert layer._cache.X.shape[0] == chunk.stop - chunk.start <= 100
    full_Y, _ = layer.forward(X)
    assert layer._cache.X.shape[0] == 2_000
    result = truncated_bptt(layer, X, np.ones_like(full_Y), k=100)
    np.testing.assert_allclose(result.Y, full_Y, rtol=0, atol=1e-13)  # the forward pass is not truncated


def trained(seed, kind):
    """A small model trained for a few steps, everything drawn from `seed`."""
    rng = np.random.default_rng(seed)
    recurrent = LSTM(3, 5, cell=kind, rng=rng) if kind != "rnn" else RNN(3, 5, rng=rng)
    model = SequenceModel(recurrent, 2, rng=rng)
    data = np.random.default_rng(seed + 1)
    batches = [(data.standard_normal((7, 4, 3)), data.standard_normal((4, 2))) for _ in range(5)]
    history = fit(model, lambda step: batches[step], Adam(model.layers, lr=0.01), steps=5, progress=False)
    return history, model


@pytest.mark.parametrize("kind", ["standard", "1997", "peephole", "rnn"])
def test_the_same_seed_gives_bit_identical_results(kind):
    history_a, a = trained(3, kind)
    history_b, b = trained(3, kind)
    np.testing.assert_array_equal(history_a, history_b)
    for name, value in a.checkpoint_arrays().items():
        np.testing.assert_array_equal(b.checkpoint_arrays()[name], value)
    history_c, _ = trained(4, kind)
    assert not np.array_equal(history_a, history_c)  # and the seed does matter


def measure(T=LONG_T, k=1_000, repeat=3):
    """Time (wall clock and CPU) and peak traced memory (tracemalloc, a separate run) of
    full BPTT and of truncated BPTT in chunks of k steps."""
    import time
    import tracemalloc

    rng = np.random.default_rng(0)
    X = rng.standard_normal((T, 1, D))
    dY = np.ones((T, 1, H))
    def full(layer):
        layer.forward(X)
        layer.backward(dY)

    def truncated(layer):
        truncated_bptt(layer, X, dY, k, keep_sequences=False)

    rows = []
    runs = [("full BPTT", "standard", full), (f"truncated BPTT, k={k}", "standard", truncated),
            ("full BPTT", "peephole", full), (f"truncated BPTT, k={k}", "peephole", truncated)]
    for name, cell, run in runs:
        wall, cpu = [], []
        for _ in range(repeat):  # the fastest of a few runs: the least disturbed by other work
            layer = LSTM(D, H, cell=cell, rng=np.random.default_rng(1))
            start, start_cpu = time.perf_counter(), time.process_time()
            run(layer)
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        layer = LSTM(D, H, cell=cell, rng=np.random.default_rng(1))
        tracemalloc.start()
        run(layer)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append((name, cell, min(wall), min(cpu), peak / 1e6))
    return rows


def _commit():
    """The commit measured, and whether the layer's source differs from it."""
    import subprocess

    def git(*args):
        return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout.strip()
    try:
        changed = git("status", "--porcelain", "lstm/lstm_layer.py", "lstm/fused.py", "lstm/variants.py", "lstm/cells.py",
                      "lstm/recurrent.py")
        return git("rev-parse", "--short", "HEAD") + (" (with uncommitted changes to the layer)" if changed else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


if __name__ == "__main__":
    print(f"LSTM at commit {_commit()}, T={LONG_T:,}, N=1, D={D}, H={H}, float64 (inputs X and dY, {2 * LONG_T * (D + H) * 8 / 1e6:.0f} MB, "
          f"not counted)")
    print("| run | cell | forward + backward, wall (s) | CPU time (s) | peak traced memory (MB) |")
    print("|---|---|---|---|---|")
    for name, cell, wall, cpu, megabytes in measure():
        print(f"| {name} | {cell} | {wall:.1f} | {cpu:.1f} | {megabytes:.0f} |")
