"""lstm.book.tables: tables built in code render as HTML tables, and as aligned plain text."""
import re

import numpy as np
import pytest

from lstm.book.tables import CSS_CLASS, Table, show


def test_html_is_a_real_table_with_header_and_one_row_per_entry():
    t = Table([["LSTM", 3, 0.012345], ["GRU", 2, 0.5]], header=["cell", "gates", "loss"])
    out = t._repr_html_()
    assert out.startswith(f'<div class="{CSS_CLASS}"><div class="{CSS_CLASS}-scroll" role="region" tabindex="0"')
    assert re.findall(r"<th [^>]*>(.*?)</th>", out) == ["cell", "gates", "loss"]
    assert re.findall(r"<td [^>]*>(.*?)</td>", out) == ["LSTM", "3", "0.01235", "GRU", "2", "0.5"]
    assert out.count("<tr>") == 3
    assert "|" not in out  # no Markdown table syntax


def test_numbers_right_aligned_text_left_and_formats_per_column():
    t = Table([["a", 1234567, 0.5]], header=["name", "n", "p"], formats={"p": "{:.1%}"})
    assert t.align == ["left", "right", "right"]
    assert t.cells == [["a", "1,234,567", "50.0%"]]


def test_cells_are_escaped():
    out = Table([["<b>x</b> & y"]], header=["a<b"])._repr_html_()
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in out and "a&lt;b" in out


def test_plain_text_is_aligned_columns_under_the_caption():
    t = Table([["LSTM", 3], ["GRU", 12]], header=["cell", "gates"], caption="Gates per cell.")
    assert repr(t) == "Gates per cell.\ncell  gates\n----  -----\nLSTM      3\nGRU      12"
    html = t._repr_html_()
    assert '<p class="lstm-table-caption">Gates per cell.</p><div' in html  # above the table, wraps
    assert 'aria-label="Gates per cell."' in html  # the scrolling box is named after the caption


def test_numpy_rows_and_numbers_are_accepted():
    t = Table(np.array([[1.0, 2.0], [3.0, 4.5]]), header=["x", "y"])
    assert t.cells == [["1", "2"], ["3", "4.5"]]


def test_show_displays_html_and_text(capsys, monkeypatch):
    shown = []
    monkeypatch.setattr("lstm.book.tables.display", shown.append)
    show([[1]], header=["n"])
    (table,) = shown
    assert isinstance(table, Table) and "<table" in table._repr_html_()


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"rows": [[1]], "header": "n"}, TypeError, "header must be"),
        ({"rows": [[1]], "header": []}, TypeError, "header must be"),
        ({"rows": [[1]], "header": ["n", "n"]}, ValueError, "distinct"),
        ({"rows": [[1, 2]], "header": ["n"]}, ValueError, r"rows\[0\] has 2 entries, the header has 1"),
        ({"rows": [1], "header": ["n"]}, TypeError, r"rows\[0\] must be a sequence"),
        ({"rows": "ab", "header": ["n"]}, TypeError, "rows must be"),
        ({"rows": [[1]], "header": ["n"], "formats": {"m": "{}"}}, ValueError, "not in the header"),
        ({"rows": [[1]], "header": ["n"], "formats": {"n": "{:q}"}}, ValueError, "cannot format"),
        ({"rows": [[1]], "header": ["n"], "align": ["middle"]}, ValueError, "align"),
        ({"rows": [[1]], "header": ["n"], "caption": 3}, TypeError, "caption"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        Table(**kwargs)


def test_units_digits_and_note():
    t = Table([["a", 0.000066812, 12.3456]], header=["run", "loss", "time"], digits={"loss": 3},
              units={"time": "ms"}, formats={"time": "{:.1f}"}, note="Settings: lr 0.1.")
    assert t.cells == [["a", "6.68e-05", "12.3"]]
    out = t._repr_html_()
    assert 'time<br><span class="lstm-table-unit">(ms)</span>' in out
    assert out.count('scope="col"') == 3 and '<p class="lstm-table-note">Settings: lr 0.1.</p>' in out
    assert repr(t).splitlines()[0].split() == ["run", "loss", "time", "(ms)"]
    assert repr(t).endswith("Settings: lr 0.1.")


def test_units_digits_reject_bad_input():
    with pytest.raises(ValueError, match="units names columns not in the header"):
        Table([[1]], header=["a"], units={"b": "ms"})
    with pytest.raises(ValueError, match="significant digits"):
        Table([[1.0]], header=["a"], digits={"a": 0})
    with pytest.raises(ValueError, match="both a format and digits"):
        Table([[1.0]], header=["a"], digits={"a": 2}, formats={"a": "{:.1f}"})
