"""The controls of an explorable: sliders, dropdowns and on/off choices, static and live.

A ``Control`` says which values ``draw`` receives and how the reader picks them.
It makes two kinds of widget:

* ``widget()``: the static control. Its integer ``index`` (position 0, 1, ...) is
  what ``jslink`` copies to a Stack of precomputed figures in the browser, so it
  offers exactly the grid: sliders are ``SelectionSlider``, dropdowns ``Dropdown``,
  an on/off choice is a two-button ``ToggleButtons`` (a ``Checkbox``'s bool cannot
  select a Stack child: tried, the Stack's view fails in the HTML widget manager).
* ``live_widget(index)``: the control a reader gets when a kernel is attached
  (lstm.book.explorable). A slider made with ``live=(low, high, step)`` becomes a
  ``FloatSlider`` (an ``IntSlider`` for whole numbers) over the whole range, so the
  reader reaches every value between the grid points; every other control is the
  same kind of widget over the same choices as its static one.

Every grid value of a slider must lie on its live range's lattice
(low + k * step): the live control then reaches each static position exactly, and
the figure there is the same one the static page shows.

Accessible names: every control carries its ``description`` as visible label text;
the same text is the widget's ``tooltip`` (its title) so tools that read either
agree with what is on screen.
"""
from __future__ import annotations

import math
import numbers
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

__all__ = ["CONTROL_CLASS", "LIVE_CLASS", "Control", "checkbox", "dropdown", "slider"]

#: CSS class of every control (tests/site/check_site.py moves each one).
CONTROL_CLASS = "lstm-control"
#: CSS class of a live control, which computes its figure in the kernel (tests/live/).
LIVE_CLASS = "lstm-live-control"

@dataclass(frozen=True)
class Control:
    """One control of an explorable: which values ``draw`` receives and how they are chosen.

    name: the keyword argument of ``draw``. kind: "slider", "dropdown" or
    "checkbox". labels: what the reader sees per position; values: what
    ``draw`` receives per position (same length). index: the initial position.
    description: the label next to the control.
    """

    name: str
    kind: str
    labels: tuple[str, ...]
    values: tuple[Any, ...]
    index: int
    description: str
    live: tuple | None = None  # (low, high, step) of a slider's live range, or None

    def live_value(self, value):
        """``value`` (from a live slider) as ``draw`` receives it: int, or float rounded to the step."""
        if self.live is None or self.kind != "slider":
            return value
        if _whole(self.live) and all(isinstance(v, int) for v in self.values):
            return int(round(value))
        return round(float(value), _decimals(self.live[2]) + 3)  # 0.30000000000000004 -> 0.3

    def live_widget(self, index: int) -> widgets.DOMWidget:
        """The control of a live kernel, starting at grid position ``index``.

        A slider with a live range: a continuous slider over it (redraws when the
        reader lets go or presses an arrow key: a figure takes a fraction of a second
        to draw, so redrawing while dragging would queue stale figures). Otherwise the
        static kind of control over the same choices.
        """
        if self.kind != "slider" or self.live is None:
            w = self.widget()
            w.index = index
            w.remove_class(CONTROL_CLASS)
        else:
            low, high, step = self.live
            common = dict(min=low, max=high, step=step, value=self.values[index], continuous_update=False,
                          description=self.description, tooltip=self.description,
                          style={"description_width": "initial"},
                          layout=widgets.Layout(width="min(100%, 30rem)"))
            if _whole(self.live) and all(isinstance(v, int) for v in self.values):
                w = widgets.IntSlider(**common)
            else:
                w = widgets.FloatSlider(readout_format=f".{_decimals(step)}f", **common)
        w.add_class(LIVE_CLASS)
        return w

    def widget(self) -> widgets.DOMWidget:
        """A new ipywidgets control whose ``index`` trait is the position (0, 1, ...)."""
        options = list(zip(self.labels, self.values))
        common = dict(description=self.description, tooltip=self.description,
                      style={"description_width": "initial"})
        if self.kind == "slider":
            w = widgets.SelectionSlider(options=options, index=self.index, continuous_update=True,
                                        layout=widgets.Layout(width="min(100%, 30rem)"), **common)
        elif self.kind == "dropdown":
            w = widgets.Dropdown(options=options, index=self.index, layout=widgets.Layout(width="auto"), **common)
        elif self.kind == "checkbox":
            w = widgets.ToggleButtons(options=options, index=self.index,
                                      style={"description_width": "initial", "button_width": "auto"},
                                      description=self.description, tooltip=self.description)
        else:  # pragma: no cover - the constructors below only make the three kinds
            raise ValueError(f"unknown control kind {self.kind!r}")
        w.add_class(CONTROL_CLASS)
        return w


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _check_name(name, description):
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"name must be a Python identifier (the keyword argument of draw), got {name!r}")
    if description is None:
        return name
    if not isinstance(description, str):
        raise TypeError(f"description must be a str, got {type(description).__name__}")
    return description


def _start_index(values: list, value, what: str) -> int:
    if value is None:
        return 0
    matches = [k for k, v in enumerate(values) if type(v) is type(value) or isinstance(v, numbers.Real)
               and isinstance(value, numbers.Real) and not isinstance(value, bool)]
    for k in matches:
        if values[k] == value:
            return k
    raise ValueError(f"value must be one of the {what} {values}, got {value!r}")


def slider(name: str, values: Sequence[float], *, value: float | None = None,
           description: str | None = None, readout_format: str = "{:g}",
           live: tuple[float, float, float] | None = None) -> Control:
    """A slider over the numbers ``values`` (in slider order); ``draw`` gets the number.

    values: the static grid, drawn in advance for the page without a kernel; pick
        the positions where the figure changes most.
    value: the initial position, one of ``values`` (the first by default).
    readout_format: formats each position's readout, e.g. "{:.2f}".
    description: the label, ``name`` by default.
    live: (low, high, step): with a kernel, the slider covers this whole range in
        steps of ``step`` and the figure is drawn for each value the reader picks,
        e.g. ``live=(-10, 10, 0.1)`` for a gate bias. Every grid value must be
        low + k * step for a whole k. None: a live kernel offers the grid only.
    """
    description = _check_name(name, description)
    if isinstance(values, (str, bytes)) or not (isinstance(values, Sequence) or hasattr(values, "__array__")):
        raise TypeError(f"values must be a sequence of numbers, got {type(values).__name__}")
    positions = []
    for k, v in enumerate(list(values)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise TypeError(f"values[{k}] must be a real number, got {v!r}")
        if not math.isfinite(v):
            raise ValueError(f"values[{k}] must be finite, got {v!r}")
        positions.append(int(v) if isinstance(v, numbers.Integral) else float(v))
    if not positions:
        raise ValueError("values must hold at least one slider position, got none")
    if len(set(positions)) != len(positions):
        raise ValueError(f"values must be distinct, got {positions}")
    if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Real)):
        raise TypeError(f"value must be one of values, got {value!r}")
    start = _start_index(positions, value, "slider values")
    if not isinstance(readout_format, str):
        raise TypeError(f"readout_format must be a str such as '{{:.2f}}', got {readout_format!r}")
    try:
        labels = [readout_format.format(v) for v in positions]
    except (AttributeError, IndexError, KeyError, ValueError) as err:
        raise ValueError(f"readout_format must format one number, e.g. '{{:.2f}}', got {readout_format!r}") from err
    if len(set(labels)) != len(labels):
        raise ValueError(f"readout_format {readout_format!r} gives equal readouts {labels}; use more digits")
    return Control(name, "slider", tuple(labels), tuple(positions), start, description,
                   _check_live(live, positions))


def _decimals(step: float) -> int:
    """Decimal places that write every multiple of ``step`` (0.1 -> 1, 0.25 -> 2, 2 -> 0)."""
    for d in range(7):
        if abs(step * 10 ** d - round(step * 10 ** d)) < 1e-9 * max(1.0, step * 10 ** d):
            return d
    return 6


def _whole(live) -> bool:
    return all(float(x).is_integer() for x in live)


def _check_live(live, positions: list) -> tuple | None:
    if live is None:
        return None
    if (not isinstance(live, (tuple, list)) or len(live) != 3
            or not all(isinstance(x, numbers.Real) and not isinstance(x, bool) for x in live)):
        raise TypeError(f"live must be a (low, high, step) tuple of numbers, e.g. (-10, 10, 0.1), got {live!r}")
    low, high, step = (int(x) if isinstance(x, numbers.Integral) else float(x) for x in live)
    if not all(math.isfinite(x) for x in (low, high, step)) or not low < high or not step > 0:
        raise ValueError(f"live must have low < high and step > 0, all finite, got {live!r}")
    if step > high - low:
        raise ValueError(f"live step {step!r} is wider than the range {low!r} .. {high!r}")
    for v in positions:
        k = (v - low) / step
        if not low - 1e-9 <= v <= high + 1e-9 or abs(k - round(k)) > 1e-6:
            raise ValueError(
                f"every slider value must lie on the live range {low!r}, {low!r} + {step!r}, ... {high!r} "
                f"(so the live slider reaches each static figure), got {v!r}")
    return (low, high, step)


def dropdown(name: str, options, *, value=None, description: str | None = None) -> Control:
    """A dropdown; ``draw`` gets the chosen option's value.

    options: a sequence of strings (each is its own label and value), a
    sequence of (label, value) pairs, or a dict {label: value}.
    value: the initial value (the first option's by default).
    """
    description = _check_name(name, description)
    if isinstance(options, dict):
        pairs = list(options.items())
    elif isinstance(options, (str, bytes)) or not isinstance(options, Sequence):
        raise TypeError(f"options must be a list of strings, of (label, value) pairs, or a dict, got {options!r}")
    else:
        pairs = []
        for k, option in enumerate(options):
            if isinstance(option, str):
                pairs.append((option, option))
            elif isinstance(option, tuple) and len(option) == 2 and isinstance(option[0], str):
                pairs.append(option)
            else:
                raise TypeError(f"options[{k}] must be a string or a (label, value) pair, got {option!r}")
    if not pairs:
        raise ValueError("options must hold at least one option, got none")
    labels = [label for label, _ in pairs]
    if not all(isinstance(label, str) and label for label in labels):
        raise TypeError(f"option labels must be non-empty strings, got {labels}")
    if len(set(labels)) != len(labels):
        raise ValueError(f"option labels must be distinct, got {labels}")
    values = [v for _, v in pairs]
    start = _start_index(values, value, "option values")
    return Control(name, "dropdown", tuple(labels), tuple(values), start, description)


def checkbox(name: str, *, value: bool = False, description: str | None = None,
             labels: tuple[str, str] = ("off", "on")) -> Control:
    """An on/off choice; ``draw`` gets False or True.

    Shown as two buttons labelled ``labels`` (for False, True), e.g.
    ("without", "with"): see the module docstring for why not a Checkbox.
    """
    description = _check_name(name, description)
    if not isinstance(value, bool):
        raise TypeError(f"value must be True or False, got {value!r}")
    if (not isinstance(labels, (tuple, list)) or len(labels) != 2
            or not all(isinstance(s, str) and s for s in labels) or labels[0] == labels[1]):
        raise ValueError(f"labels must be two different non-empty strings (for False, True), got {labels!r}")
    return Control(name, "checkbox", tuple(labels), (False, True), int(value), description)
