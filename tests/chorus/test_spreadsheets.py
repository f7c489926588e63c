import io

import pytest

from chorus.spreadsheets import csv_writer, spreadsheet_cell


@pytest.mark.parametrize("text", ["=1+1", "+33 6", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_that_would_start_a_formula_is_kept_as_text(text):
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize(("value", "shown"), [(None, ""), ("Durand", "Durand"), (12, "12")])
def test_other_cells_are_left_as_they_are(value, shown):
    assert spreadsheet_cell(value) == shown


def test_rows_are_separated_by_semicolons_and_crlf():
    stream = io.StringIO()
    csv_writer(stream).writerow(["a;b", "c"])
    assert stream.getvalue() == '"a;b";c\r\n'
