"""Safe export of rows to CSV or XLSX: the one way anything leaves pulih as a spreadsheet.

Excel and LibreOffice read a cell starting with =, +, -, @, a tab or a carriage return as a
formula, so a business named `=HYPERLINK("http://…", "klik")` would run in the officer's
spreadsheet (CSV/formula injection). Every text cell starting so is prefixed with ',
which spreadsheets show as text. Numbers are written as numbers, so a negative number
stays a number; only text is ever prefixed.

Both formats stream: CSV row by row to the client, XLSX through openpyxl's write-only mode
into a temporary file, so an export of a million rows needs little memory.
"""

import csv
import datetime
import io
import tempfile
from decimal import Decimal
from operator import attrgetter

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("xlsx", "csv")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows per chunk sent to the client: one chunk per row would make a million tiny writes.
CSV_CHUNK_ROWS = 1000


def neutralise(value):
    """The value with text that a spreadsheet would run as a formula made plain text."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value):
    """Numbers, dates and text as they are; anything else (a lazy text, a UUID) as text."""
    if value is None or isinstance(value, int | float | Decimal | str | datetime.date):
        return value
    return str(value)


def _local(value):
    """Aware datetimes in local time: neither CSV readers nor Excel know time zones."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _csv_cell(value):
    if isinstance(value, str):  # most cells: skip the other checks
        return neutralise(value)
    value = _local(_plain(value))
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(value)


def _xlsx_cell(value):
    value = _local(_plain(value))
    if isinstance(value, str):
        # Control characters are not allowed in XLSX; removing one may expose a "=".
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return neutralise(value)


def csv_chunks(header, rows, *, language=None):
    """CSV text in chunks, starting with a BOM so that Excel reads it as UTF-8.

    Rows are read while the response streams, after the view has returned, so the
    language of labels in them is set here again.
    """
    with translation.override(language):
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow([_csv_cell(value) for value in header])
        for count, row in enumerate(rows, start=1):
            writer.writerow([_csv_cell(value) for value in row])
            if count % CSV_CHUNK_ROWS == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()


def write_xlsx(target, header, rows, *, title="Data"):
    """Write one sheet (a header row, then `rows`) to a path or binary file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append([_xlsx_cell(value) for value in header])
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
    workbook.save(target)


def _getter(spec):
    return spec if callable(spec) else attrgetter(spec)


def export_rows(*, rows, columns, fmt, filename):
    """A download of `rows` as CSV or XLSX.

    `columns` is a list of (header, attribute name or callable taking the row);
    `filename` has no extension: the format adds it.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}.")
    header = [str(title) for title, _spec in columns]
    getters = [_getter(spec) for _title, spec in columns]
    values = ([get(row) for get in getters] for row in rows)
    if fmt == "csv":
        chunks = csv_chunks(header, values, language=translation.get_language())
        response = StreamingHttpResponse(chunks, content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{filename}.csv"
        )
    else:
        file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
        write_xlsx(file, header, values)
        file.seek(0)
        response = FileResponse(
            file, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE
        )
    # Exports carry personal data: no cache along the way may keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response
