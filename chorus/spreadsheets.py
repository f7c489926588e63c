"""CSV files that people open in a spreadsheet: French conventions (semicolons, CRLF) and no
formula injection. One place for the rule, used by every export of the platform."""

import csv

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value) -> str:
    """A text cell a spreadsheet shows as text: one that would start a formula gets a
    leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_writer(stream):
    """A CSV writer as French spreadsheets read it: semicolon separated, CRLF lines."""
    return csv.writer(stream, delimiter=";", lineterminator="\r\n")
