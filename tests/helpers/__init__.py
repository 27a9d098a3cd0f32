"""Helpers the tests share (not tests themselves): random parameters, and the PyTorch
reference runs behind the fixtures in tests/fixtures (torch_reference,
torch_gru_reference; make_torch_fixtures writes the files again)."""


def randomize(layer, rng, scale=0.5):
    """Give every parameter random, non-zero values (biases included), in place."""
    for p in layer.params.values():
        p[...] = rng.normal(0.0, scale, size=p.shape)
    return layer
