"""Formula injection: every cell a spreadsheet would run is written as text."""

import csv
import io

import pytest

from engine.csv_safe import safe_cell, safe_writer


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"],
)
def test_formula_cells_are_quoted(cell):
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Anna", "a=b", "1-2", "", "ümlaut"])
def test_plain_text_is_unchanged(cell):
    assert safe_cell(cell) == cell


def test_numbers_stay_numbers_and_negative_numbers_are_not_text():
    assert safe_cell(-5) == -5
    assert safe_cell(2.5) == 2.5
    assert safe_cell(float("inf")) == ""
    assert safe_cell(None) == ""
    assert safe_cell(True) == "true"


def test_writer_round_trip_through_csv_reader():
    out = io.StringIO()
    writer = safe_writer(out)
    writer.writerow(["name", "note"])
    writer.writerow(["=cmd|' /C calc'!A0", 'say "hi", ok'])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["name", "note"], ["'=cmd|' /C calc'!A0", 'say "hi", ok']]
