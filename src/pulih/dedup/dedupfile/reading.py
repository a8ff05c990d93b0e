"""Reading the file as a stream: CSV in its office's encoding and delimiter, XLSX, XLS and
ODS through calamine; the header found among the first rows and the columns matched."""

import codecs
import csv
import itertools
from contextlib import contextmanager
from dataclasses import dataclass

from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from pulih.registry.importing.parsers import is_blank
from pulih.registry.importing.reading import csv_delimiter, csv_encoding

from .columns import ALIAS_FIELDS, columns_match, header_key
from .messages import Refused, problem

TEXT_EXTENSIONS = (".csv", ".tsv", ".txt")
SPREADSHEET_KINDS = {".xlsx": "XLSX", ".xlsm": "XLSX", ".xls": "XLS", ".ods": "ODS"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
HEADER_SEARCH_ROWS = 10


@dataclass
class Sheet:
    """The header and the data rows of a file; `rows` yields (row number, cells)."""

    kind: str
    encoding: str | None
    header: list
    columns: dict
    rows: object

    def record(self, cells):
        """One row as the model's input: a dict keyed by `features.FIELDS`."""
        size = len(cells)
        return {field: cells[index] for field, index in self.columns.items() if index < size}


@contextmanager
def sheet_open(path, mapping):
    """Open `path` and yield its `Sheet`: header found, columns matched, data rows next."""
    if path.stat().st_size == 0:
        raise Refused(problem("file_empty"))
    reader = _csv_rows if path.suffix.lower() in TEXT_EXTENSIONS else _workbook_rows
    with reader(path) as (kind, encoding, rows):
        rows = ((n, cells) for n, cells in rows if not all(map(is_blank, cells)))
        leading = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
        if not leading:
            raise Refused(problem("file_empty"))
        wanted = {header_key(column) for column in mapping.values() if column}
        at = next(
            (
                i
                for i, (_n, cells) in enumerate(leading)
                if any(header_key(c) in ALIAS_FIELDS or header_key(c) in wanted for c in cells)
            ),
            0,
        )
        cells = leading[at][1]
        header = list(cells[: row_width(cells)])
        columns = columns_match(header, mapping)
        data = itertools.chain(leading[at + 1 :], rows)
        first = next(data, None)
        if first is None:
            raise Refused(problem("file_no_rows"))
        yield Sheet(kind, encoding, header, columns, itertools.chain([first], data))


@contextmanager
def _csv_rows(path):
    """CSV records in the encoding and delimiter their office used, numbered as the
    spreadsheet rows they become when the file is opened in Excel."""
    encoding = _csv_encoding(path)
    errors = "replace" if encoding == "cp1252" else "strict"
    with path.open(encoding=encoding, errors=errors, newline="") as f:
        reader = csv.reader(f, delimiter=csv_delimiter(f))
        yield "CSV", encoding, _csv_records(reader, path.name)


def _csv_records(reader, name):
    try:
        yield from enumerate(reader, start=1)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise Refused(problem("file_corrupt", name=name, kind="CSV")) from exc


def _csv_encoding(path):
    """As the registry import reads CSV; but a file holding NUL bytes without a UTF-16 BOM,
    or a zip or OLE2 container, is no text at all."""
    with path.open("rb") as f:
        start = f.read(1 << 16)
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in start or start.startswith((ZIP_MAGIC, OLE_MAGIC)):
        raise Refused(problem("file_corrupt", name=path.name, kind="CSV"))
    return csv_encoding(path)


@contextmanager
def _workbook_rows(path):
    """Rows of the first visible worksheet through calamine (XLSX, XLS and ODS, read by
    content), numbered from 1 as Excel shows them; whole numbers come back as integers."""
    kind = SPREADSHEET_KINDS[path.suffix.lower()]
    with path.open("rb") as f:
        magic = f.read(8)
    if magic.startswith(OLE_MAGIC) and ENCRYPTION_STREAM in path.read_bytes():
        raise Refused(problem("file_password"))
    if not magic.startswith((ZIP_MAGIC, OLE_MAGIC)):
        raise Refused(problem("file_corrupt", name=path.name, kind=kind))
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(_first_worksheet(workbook))
    except PasswordError as exc:
        raise Refused(problem("file_password")) from exc
    except (CalamineError, ValueError, OSError) as exc:
        raise Refused(problem("file_corrupt", name=path.name, kind=kind)) from exc
    with workbook:
        yield kind, None, _workbook_records(sheet, path.name, kind)


def _workbook_records(sheet, name, kind):
    try:
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            yield number, [_whole(cell) for cell in cells]
    except CalamineError as exc:
        raise Refused(problem("file_corrupt", name=name, kind=kind)) from exc


def _whole(cell):
    """A whole number stored as a float (a NIK or phone typed as a number) as an integer,
    so it is read as digits and written back without ".0"."""
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 2**53:
        return int(cell)
    return cell


def _first_worksheet(workbook):
    for index, sheet in enumerate(workbook.sheets_metadata):
        if sheet.typ == SheetTypeEnum.WorkSheet and sheet.visible == SheetVisibleEnum.Visible:
            return index
    return 0


def row_width(cells):
    """Cells up to the last one filled in: Excel's trailing empty cells do not count."""
    size = len(cells)
    while size and is_blank(cells[size - 1]):
        size -= 1
    return size
