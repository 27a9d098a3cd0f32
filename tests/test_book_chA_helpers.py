"""The small helpers chapters 0-4 use: source excerpts, orders of magnitude, stacked panels."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import lstm  # noqa: E402
from lstm.book.ch00_source import excerpt, excerpt_lines  # noqa: E402
from lstm.book.ch01_figures import lag_panels_stacked  # noqa: E402
from lstm.book.ch01_numbers import order_of_magnitude, scientific  # noqa: E402


def sample(x, y):
    """Docstring."""
    if x is None:
        raise ValueError("x")
    z = x + y
    return z * 2


def test_excerpt_keeps_the_lines_between_the_markers_and_drops_the_checks():
    lines = excerpt_lines(sample, "def ", drop=("if x is None", "raise ValueError"))
    assert lines[0] == "def sample(x, y):"
    assert not any("raise" in line or "is None" in line for line in lines)
    assert lines[-1] == "    return z * 2"  # the body stays indented under its def
    assert excerpt_lines(sample, "z = x", stop="z = x") == ["z = x + y"]


def test_excerpt_dedents_and_reads_the_package():
    lines = excerpt_lines(lstm.cell_forward, start="H = c_prev", stop="return")
    assert lines[0] == "H = c_prev.shape[-1]" and lines[-1].startswith("return h, c")
    assert "c = (f * c_prev" in "\n".join(lines)
    assert excerpt(sample, "z = x", stop="z = x").data.strip() == "z = x + y"


@pytest.mark.parametrize("bad", [dict(start="no such line"), dict(start="z = x", stop="no such line")])
def test_excerpt_names_a_marker_it_cannot_find(bad):
    with pytest.raises(ValueError, match="no line of sample"):
        excerpt_lines(sample, **bad)


def test_excerpt_rejects_what_is_not_a_function():
    with pytest.raises(TypeError, match="expected a function"):
        excerpt_lines("sample", "def ")


@pytest.mark.parametrize("x, text", [(5.57e-19, "10⁻¹⁹"), (2.07e-5, "10⁻⁵"), (6.85e-10, "10⁻¹⁰"),
                                     (1.0, "10⁰"), (9.99e-4, "10⁻⁴"), (3.2e12, "10¹²")])
def test_order_of_magnitude_is_the_exponent_of_scientific_notation(x, text):
    assert order_of_magnitude(x) == text


@pytest.mark.parametrize("bad", [0.0, -1.0, float("inf"), float("nan"), True, "1e-5"])
def test_order_of_magnitude_rejects_what_has_none(bad):
    with pytest.raises(ValueError, match="positive finite number"):
        order_of_magnitude(bad)


@pytest.mark.parametrize("x, digits, text", [(1.23e-13, 1, "1 × 10⁻¹³"), (6.85e-10, 1, "7 × 10⁻¹⁰"),
                                              (2.5e3, 2, "2.5 × 10³"), (-4e-5, 1, "-4 × 10⁻⁵")])
def test_scientific_writes_mantissa_times_a_power_of_ten(x, digits, text):
    assert scientific(x, digits) == text


@pytest.mark.parametrize("bad", [0.0, float("inf"), float("nan"), True, "1e-5"])
def test_scientific_rejects_what_has_no_exponent(bad):
    with pytest.raises(ValueError, match="nonzero finite number"):
        scientific(bad)


def test_lag_panels_stacked_draws_one_panel_per_entry_in_one_column():
    lags = np.arange(10)
    fig = lag_panels_stacked(lags, {"a": {"x": 0.5 ** lags}, "b": {"x": 2.0 ** lags}}, reference=1.0)
    axes = fig.get_axes()
    assert len(axes) == 2
    assert fig.get_figwidth() == pytest.approx(4.8)
    assert axes[0].get_position().y0 > axes[1].get_position().y0  # stacked, first on top
    assert axes[1].get_xlabel() and not axes[0].get_xlabel()
    with pytest.raises(ValueError, match="expected a mapping"):
        lag_panels_stacked(lags, {})
