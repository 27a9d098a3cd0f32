"""Task generators for the experiments of Hochreiter & Schmidhuber (1997) and the
follow-up papers, each returning padded `Batch`es (inputs, targets, mask of the scored
steps) drawn with an explicit numpy Generator.

    adding            experiment 4, the adding problem
    multiplication    experiment 5
    long_lag          experiment 2 (2a, 2b, 2c)
    noise_signal      experiment 3 (3a, 3b, 3c)
    temporal_order    experiment 6 (6a, 6b)
    reber             experiment 1, the (embedded) Reber grammar
    continual_reber   Gers, Schmidhuber & Cummins 2000
    anbn              Gers & Schmidhuber 2001, a^n b^n and a^n b^n c^n
    recall            delayed recall of a first symbol, for chapter 6's automata networks
"""
from . import adding, anbn, continual_reber, long_lag, multiplication, noise_signal, recall, reber, temporal_order
from .adding import adding_batch, adding_sequence
from .anbn import anbn_batch, make_string
from .batch import Batch, pad
from .long_lag import distractor_batch, distractor_symbols, noise_free_batch, noise_free_symbols
from .multiplication import multiplication_batch, multiplication_sequence
from .noise_signal import two_sequence, two_sequence_batch
from .recall import first_symbol_recall
from .temporal_order import temporal_order_batch, temporal_order_sequence

