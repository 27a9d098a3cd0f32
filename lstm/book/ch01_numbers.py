"""Numbers as chapter 1's prose writes them: orders of magnitude such as 10⁻¹⁹.

``order_of_magnitude`` gives the power of ten of a number's scientific notation, so
5.57e-19 reads '10⁻¹⁹' and 2.07e-05 reads '10⁻⁵', as the table's exponents do. The text
glues it with ``glue(name, order_of_magnitude(x))`` and pastes it with ``{glue:text}`name```.
"""
from __future__ import annotations

import math
import numbers

__all__ = ["order_of_magnitude", "scientific"]

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def order_of_magnitude(x) -> str:
    """'10ᵏ' with k the exponent of the positive number ``x`` in scientific notation."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not (x > 0 and math.isfinite(x)):
        raise ValueError(f"order_of_magnitude: expected a positive finite number, got {x!r}")
    exponent = int(f"{float(x):e}".split("e")[1])  # as the table prints it: 6.85e-10 -> -10
    return "10" + str(exponent).translate(_SUPERSCRIPT)


def scientific(x, digits: int = 1) -> str:
    """``x`` as the prose writes it: 1.2e-13 -> '1 × 10⁻¹³' (``digits`` significant digits)."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not math.isfinite(x) or x == 0:
        raise ValueError(f"scientific: expected a nonzero finite number, got {x!r}")
    if isinstance(digits, bool) or not isinstance(digits, numbers.Integral) or digits < 1:
        raise ValueError(f"scientific: digits must be a positive integer, got {digits!r}")
    mantissa, exponent = f"{float(x):.{digits - 1}e}".split("e")
    return f"{mantissa} × 10" + str(int(exponent)).translate(_SUPERSCRIPT)
