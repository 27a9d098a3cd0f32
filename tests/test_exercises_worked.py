"""Chapter 5's worked backward step: every line's arithmetic equals the package's value."""
import numpy as np
import pytest

from lstm.book.exercises.worked import worked_backward_step


@pytest.mark.parametrize("kwargs", [{}, {"x": -0.7, "h_prev": 0.2, "c_prev": -1.5, "dh": 0.4, "dc_next": -0.9}])
def test_every_line_matches_the_package(kwargs):
    rows = worked_backward_step(**kwargs)
    names = [r.name for r in rows]
    for name in ("da_o", "dc", "da_i", "da_g", "da_f", "dc_prev", "dh_prev", "dx", "dW_hh[o]"):
        assert name in names
    for r in rows:
        assert np.isclose(r.value, r.package, rtol=1e-12, atol=1e-12), r
        assert r.line.startswith(r.name + " = ")


def test_a_line_shows_the_numbers_it_multiplies():
    row = {r.name: r for r in worked_backward_step()}["dc_prev"]
    assert row.line.count("*") == 2 and row.line.endswith(f"{row.value:.4f}")
