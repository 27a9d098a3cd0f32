"""Shared helpers for the tests."""
import numpy as np
import pytest


def randomize(layer, rng, scale=0.5):
    """Give every parameter random, non-zero values (biases included), in place."""
    for p in layer.params.values():
        p[...] = rng.normal(0.0, scale, size=p.shape)
    return layer


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
