"""The book's controls in one import: explorables, their controls, figure sizes, the needs-a-kernel box.

The pieces live in modules with one concern each; this module re-exports them so
``from lstm.book.widgets import explorable, slider`` keeps working:

* lstm.book.figure_image: a matplotlib figure as PNG/SVG bytes, and the sizes
  that keep it legible in the text column (``DPI``, ``MIN_TEXT_PX``, ...).
* lstm.book.controls: ``slider``, ``dropdown``, ``checkbox`` (a static grid, and
  for a slider an optional live range, ``live=(low, high, step)``).
* lstm.book.explorable: ``explorable(draw, *controls)``, figures that follow their
  controls on the static page (drawn in advance) and are computed for any value
  with a live kernel; how it switches is in that module's docstring.
  ``precomputed_slider`` (chapters 9 and 10) and
  lstm.book.diagrams.live_cell_slider (chapters 3 and 8) are thin wrappers of it.
* lstm.book.kernel_note: ``needs_kernel(...)``, for controls that only a kernel
  can serve (a training run), with a link to the chapter in JupyterLite.
"""
from __future__ import annotations

from .controls import CONTROL_CLASS, LIVE_CLASS, Control, checkbox, dropdown, slider
from .explorable import (
    CSS_CLASS, DRAWING_WIDTH_IN, FIGURE_CLASS, LIVE_ERROR_CLASS, Explorable, LiveFigure, PrecomputedSlider,
    explorable, precomputed_slider, widget_bytes,
)
from .figure_image import (
    COLUMN_PX, CSS_PX_PER_INCH, DPI, LEGIBLE_SCALE, MAX_FIGURE_INCHES, MAX_WIDGET_BYTES, MIN_TEXT_PX,
    PAGE_BUDGET_BYTES, figure_image, figure_png, smallest_text_px,
)
from .kernel_note import KERNEL_CLASS, live_notebook_url, needs_kernel

__all__ = [
    "COLUMN_PX", "CONTROL_CLASS", "CSS_CLASS", "CSS_PX_PER_INCH", "DPI", "DRAWING_WIDTH_IN", "FIGURE_CLASS",
    "KERNEL_CLASS", "LEGIBLE_SCALE", "LIVE_CLASS", "LIVE_ERROR_CLASS", "MAX_FIGURE_INCHES", "MAX_WIDGET_BYTES",
    "MIN_TEXT_PX", "PAGE_BUDGET_BYTES", "Control", "Explorable", "LiveFigure", "PrecomputedSlider", "checkbox",
    "dropdown", "explorable", "figure_image", "figure_png", "live_notebook_url", "needs_kernel",
    "precomputed_slider", "slider", "smallest_text_px", "widget_bytes",
]
