"""lstm.book.automata: a Moore machine drawn with matplotlib, one circle per state."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Circle, FancyArrowPatch  # noqa: E402

from lstm.automata import Automaton  # noqa: E402
from lstm.book.automata import draw_automaton  # noqa: E402


def test_every_state_and_every_allowed_transition_is_drawn():
    # states 0, 1, 2 over symbols a, b; -1: the symbol is not allowed there
    delta = np.array([[1, 2], [1, -1], [-1, 0]])
    machine = Automaton(delta, np.array([1, 2, 3]), start=0)
    fig, ax = plt.subplots()
    draw_automaton(ax, machine, ["a", "b"], final=1)
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    enders = [q for q in range(3) if (int(machine.labels[q]) >> 1) & 1]  # states whose label allows b
    assert len(circles) == 3 + 2  # the states, and the end node's two rings
    # edges 0->1, 0->2, 1->1 (a self-loop), 2->0, and one arrow to the end node per ender
    assert len(arrows) == 4 + len(enders)
    texts = [t.get_text() for t in ax.texts]
    assert {"0", "1", "2"} <= set(texts)
    plt.close(fig)
