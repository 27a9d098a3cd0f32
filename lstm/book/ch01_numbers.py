"""Numbers as chapter 1's prose writes them: orders of magnitude such as 10⁻¹⁹.

``order_of_magnitude`` gives the power of ten of a number's scientific notation, so
5.57e-19 reads '10⁻¹⁹' and 2.07e-05 reads '10⁻⁵', as the table's exponents do. The text
glues it with ``glue(name, order_of_magnitude(x))`` and pastes it with ``{glue:text}`name```.
"""
from __future__ import annotations

import math
import numbers

__all__ = ["order_of_magnitude"]

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def order_of_magnitude(x) -> str:
    """'10ᵏ' with k the exponent of the positive number ``x`` in scientific notation."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not (x > 0 and math.isfinite(x)):
        raise ValueError(f"order_of_magnitude: expected a positive finite number, got {x!r}")
    exponent = int(f"{float(x):e}".split("e")[1])  # as the table prints it: 6.85e-10 -> -10
    return "10" + str(exponent).translate(_SUPERSCRIPT)
