"""lstm.book.claims: a broken claim stops the chapter and names its sentence; the claims page is generated."""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lstm.book.claims import ClaimError, claim, glue

ROOT = Path(__file__).resolve().parents[1]


def test_a_claim_that_holds_passes_silently():
    claim("Every seed solves the task.", np.array([True, True]).all(), "2 of 2")


def test_a_broken_claim_names_the_sentence_and_the_measurement():
    with pytest.raises(ClaimError, match=r"Every seed solves the task\..*Measured: 1 of 2"):
        claim("Every seed solves the task.", np.array([True, False]).all(), "1 of 2")


def test_a_claim_needs_a_bool_not_an_array():
    with pytest.raises(TypeError, match="use .all"):
        claim("Every seed solves the task.", np.array([True, False]))
    with pytest.raises(ValueError, match="sentence"):
        claim("  ", True)


def test_glue_returns_the_text_the_page_shows():
    assert glue("median_sequences", np.int64(28336), "{:,}") == "28,336"
    assert glue("ratio", 0.0512, "{:.2f}") == "0.05"
    with pytest.raises(ValueError, match="identifier"):
        glue("median sequences", 1)
    with pytest.raises(ValueError, match="one field"):
        glue("ratio", 1, "no field")


def test_the_claims_page_is_generated_from_the_chapters():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "list_claims.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
