"""The LSTM family of chapter 7: every cell of `lstm.cells` and the GRU, by one name each.

    layer = make_recurrent("cifg", input_size=2, hidden_size=16, rng=rng, keep_bias=3.0)

A member is a cell name of `lstm.cells` (an LSTM with that cell; FGRLSTM for "fgr") or
"gru"; the layer comes from the package's one registry, `lstm.layers.make_layer`, which
also says what keep_bias sets for each member.
"""
import numpy as np

from ...layers import make_layer

FAMILY = ("peephole", "standard", "nig", "nfg", "nog", "niaf", "noaf", "cifg", "fgr", "1997", "gru")


def make_recurrent(member, input_size, hidden_size, rng=None, dtype=np.float64, keep_bias=None, init_range=None):
    """A recurrent layer for any member of the family: a cell name of lstm.cells or "gru"."""
    if member == "gru":
        return make_layer("gru", input_size, hidden_size, rng, dtype, keep_bias, init_range=init_range)
    return make_layer("lstm", input_size, hidden_size, rng, dtype, keep_bias, cell=member, init_range=init_range)
