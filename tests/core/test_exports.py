"""The shared exporter: what a spreadsheet opens is data, never a formula."""

import csv
import datetime
import io
import types
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from pulih.core.exports import export_rows, write_xlsx

DANGEROUS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"]
COLUMNS = [("Nama", "name"), ("Nilai", lambda row: row.value)]


def rows_of(*pairs):
    return [types.SimpleNamespace(name=name, value=value) for name, value in pairs]


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def xlsx_rows(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_cells_that_start_like_a_formula_are_made_text(text):
    response = export_rows(rows=rows_of((text, 1)), columns=COLUMNS, fmt="csv", filename="x")
    assert csv_rows(response)[1] == ["'" + text, "1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_xlsx_cells_that_start_like_a_formula_are_made_text(text):
    response = export_rows(rows=rows_of((text, 1)), columns=COLUMNS, fmt="xlsx", filename="x")
    # XML reads a carriage return back as a line feed; the prefix is what matters.
    assert xlsx_rows(response)[1] == ["'" + text.replace("\r", "\n"), 1]


def test_a_control_character_hiding_a_formula_in_xlsx_is_removed_and_the_formula_made_text():
    response = export_rows(
        rows=rows_of(("\x01=HYPERLINK(1)", 1)), columns=COLUMNS, fmt="xlsx", filename="x"
    )
    assert xlsx_rows(response)[1][0] == "'=HYPERLINK(1)"


def test_numbers_stay_numbers_and_negative_numbers_are_not_text():
    rows = rows_of(("a", -11000), ("b", Decimal("-2.5")), ("c", 0.25))
    xlsx = xlsx_rows(export_rows(rows=rows, columns=COLUMNS, fmt="xlsx", filename="x"))
    assert [row[1] for row in xlsx[1:]] == [-11000, -2.5, 0.25]
    csv_values = csv_rows(export_rows(rows=rows, columns=COLUMNS, fmt="csv", filename="x"))
    assert [row[1] for row in csv_values[1:]] == ["-11000", "-2.5", "0.25"]


def test_text_that_merely_looks_negative_is_still_text_and_neutralised():
    rows = rows_of(("-5", "-5"))
    assert csv_rows(export_rows(rows=rows, columns=COLUMNS, fmt="csv", filename="x"))[1] == [
        "'-5",
        "'-5",
    ]


def test_unicode_names_survive_both_formats():
    names = ["Warung Bu Sri — Pangkalpinang", "Kopi Ōtsuka 大阪", "Ayam Geprek 🐔"]
    rows = rows_of(*[(name, None) for name in names])
    as_csv = csv_rows(export_rows(rows=rows, columns=COLUMNS, fmt="csv", filename="x"))
    assert [row[0] for row in as_csv[1:]] == names
    as_xlsx = xlsx_rows(export_rows(rows=rows, columns=COLUMNS, fmt="xlsx", filename="x"))
    assert [row[0] for row in as_xlsx[1:]] == names


def test_dates_are_iso_in_csv_and_real_dates_in_xlsx():
    rows = rows_of(("a", datetime.date(2020, 4, 7)))
    assert csv_rows(export_rows(rows=rows, columns=COLUMNS, fmt="csv", filename="x"))[1][1] == (
        "2020-04-07"
    )
    cell = xlsx_rows(export_rows(rows=rows, columns=COLUMNS, fmt="xlsx", filename="x"))[1][1]
    assert cell == datetime.datetime(2020, 4, 7)


def test_downloads_are_named_typed_and_not_cached():
    csv_response = export_rows(rows=[], columns=COLUMNS, fmt="csv", filename="usaha-19.01")
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response["Content-Disposition"] == 'attachment; filename="usaha-19.01.csv"'
    assert csv_response["Cache-Control"] == "private, no-store"
    xlsx_response = export_rows(rows=[], columns=COLUMNS, fmt="xlsx", filename="usaha")
    assert xlsx_response["Content-Disposition"] == 'attachment; filename="usaha.xlsx"'
    assert xlsx_rows(xlsx_response) == [["Nama", "Nilai"]]


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="pdf"):
        export_rows(rows=[], columns=COLUMNS, fmt="pdf", filename="x")


def test_write_xlsx_writes_a_file_that_reads_back(tmp_path):
    path = tmp_path / "errors.xlsx"
    write_xlsx(path, ["NIK", "Kesalahan"], [["=cmd", "NIK harus 16 digit"]], title="Errors")
    sheet = load_workbook(path)["Errors"]
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["NIK", "Kesalahan"],
        ["'=cmd", "NIK harus 16 digit"],
    ]
