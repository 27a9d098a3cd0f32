"""The chapters' helpers: figures, widgets and diagrams for the book.

Everything here draws or displays; nothing here computes a model. These
modules need matplotlib and ipywidgets, which the core package does not, so
they install with the ``book`` extra (``pip install "lstm-from-scratch[book]"``).
Imports go one way: ``lstm.book`` uses the core package, never the reverse.

- ``style``: one colour per gate and state.
- ``plots``: the book's figure style, set once, and the figure shapes the chapters
  draw (``plots.figure``, ``plots.curves``, ``plots.gates``, ``plots.reference``).
- ``widgets``: controls whose figures are drawn in advance, so they respond on
  the static website without a kernel (``explorable``), and a visible note for
  controls that need one (``needs_kernel``).
- ``step_by_hand``: chapter 0's bars of one step's parts, each labelled with its value.
- ``tables``: tables built in code, displayed as HTML tables (``show``).
- ``diagrams``: SVG drawings of a cell step (any member of the family, and the
  GRU), of an unrolled network and of a backward step, drawn from the cell
  definitions in ``lstm.cells``; and a live diagram with the values of a run.
- ``automata``: drawings of the automata chapter 6 extracts (``draw_automaton``, and
  ``draw_comparison`` next to the true one); ``fsm_figures``: chapter 6's figures.
- ``family_figures``: chapter 7's figures of the family's ablation on the adding problem.
- ``modern``: chapter 10's diagram of the parallel scan's rounds (``draw_scan_rounds``).
- ``text_figures``: chapter 9's figures of its cached measurements on text.
- ``exercises``: checkers for the exercises where the reader writes the code
  (numpy only, so they run in JupyterLite too).
"""
