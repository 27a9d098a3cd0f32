"""Diagrams of the book's cells and networks, drawn as SVG from the package's definitions.

    from lstm.book.diagrams import *
    cell_diagram("peephole")             # one step of any cell of lstm.CELL_KINDS, or "gru"
    unrolled_diagram("lstm", steps=3)    # a recurrent network unrolled in time ("rnn" or "lstm")
    carousel_diagram(steps=3)            # the constant error carousel alone (one linear unit, weight 1.0)
    backward_diagram()                   # the two paths of the error into dc_{t-1}

    trace = trace_lstm(layer, X)         # the values of a real run, from the layer's step caches
    live_cell_diagram(trace, t=1)        # the step diagram with those values
    live_cell_slider(trace).box          # a time slider over it that works on the static page

    side_by_side([cell_diagram(k) for k in ("standard", "gru")], captions=["LSTM", "GRU"])

Each drawing function returns a `Diagram` (side_by_side a `Gallery` of them, the
slider an `lstm.book.widgets.PrecomputedSlider`): a notebook cell that ends with it shows the
drawing; ``.svg`` is the SVG text and ``.save(path)`` writes it to a file. The
drawings scale to the width they are given (a viewBox and width 100%), so they
stay legible on a phone. Colours are `lstm.book.style.GATE_COLORS`, as in every
plot of the book. The module writes SVG text itself: it needs no graphics
library and nothing outside Python on the reader's machine.
"""
from ._svg import Diagram
from .cell import cell_diagram
from .gallery import Gallery, side_by_side
from .live import CellTrace, live_cell_diagram, live_cell_slider, step_values, trace_lstm
from .network import backward_diagram, carousel_diagram, unrolled_diagram

__all__ = ["Diagram", "cell_diagram", "unrolled_diagram", "carousel_diagram", "backward_diagram",
           "Gallery", "side_by_side", "CellTrace", "trace_lstm", "step_values", "live_cell_diagram", "live_cell_slider"]
