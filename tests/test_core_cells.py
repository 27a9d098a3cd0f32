"""The readable core cells of lstm.cells and the family-wide cell of lstm.variants agree."""
import numpy as np
import pytest

from helpers import randomize
from lstm import LSTM, cell_backward, cell_forward
from lstm.variants import variant_cell_backward, variant_cell_forward


@pytest.mark.parametrize("cell", ["standard", "1997", "peephole"])
def test_core_cells_equal_the_general_variant_code_bit_for_bit(cell, rng):
    N, H = 3, 4
    layer = randomize(LSTM(2, H, cell=cell, rng=rng), rng)
    G = layer.params["bias"].shape[0]
    a, c_prev = rng.standard_normal((N, G)), rng.standard_normal((N, H))
    dh, dc = rng.standard_normal((N, H)), rng.standard_normal((N, H))
    peep = layer.params if layer.kind.peephole else None
    h1, c1, cache1 = cell_forward(a, c_prev, cell, peep)
    h2, c2, cache2 = variant_cell_forward(a, c_prev, layer.kind, peep)
    np.testing.assert_array_equal(h1, h2)
    np.testing.assert_array_equal(c1, c2)
    g1, g2 = cell_backward(dh, dc, cache1, cell, peep), variant_cell_backward(dh, dc, cache2, layer.kind, peep)
    for name in ("da", "dc", "dc_prev"):
        np.testing.assert_array_equal(getattr(g1, name), getattr(g2, name))
    assert g1.peepholes.keys() == g2.peepholes.keys()
    for k in g1.peepholes:
        np.testing.assert_array_equal(g1.peepholes[k], g2.peepholes[k])
