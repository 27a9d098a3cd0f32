"""lstm.book.text_html: text shaded by a value per character, as static HTML."""
import numpy as np
import pytest

pytest.importorskip("matplotlib")
from lstm.book.text_html import colored_text, text_block  # noqa: E402


def test_every_character_gets_one_escaped_span_shaded_by_its_value():
    html = colored_text("a<b\n", [1.0, -0.5, 0.0, 0.25], vmax=1.0)
    assert html.count("<span") == 4
    assert "&lt;" in html and "<b\n" not in html  # escaped, never markup
    assert "rgba(230,159,0,1.00)" in html  # positive: the cell state's orange, full strength
    assert "rgba(86,180,233,0.50)" in html  # negative: the hidden state's blue, half strength


def test_values_must_match_the_text():
    with pytest.raises(ValueError, match="one number per character"):
        colored_text("abc", [1.0, 2.0])
    with pytest.raises(ValueError, match="finite"):
        colored_text("ab", [1.0, np.nan])
    with pytest.raises(TypeError, match="str"):
        text_block(3)


def test_long_lines_wrap_inside_the_box_instead_of_running_past_it():
    from lstm.book.text_html import colored_text, text_block
    for page in (text_block("x" * 500), colored_text("x" * 500, np.ones(500))):
        assert "white-space: pre-wrap" in page and "overflow-wrap: anywhere" in page
