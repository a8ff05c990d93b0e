"""Open an uploaded file and hand out its rows one at a time, or refuse it with a reason.

Officers upload whatever their office has: Excel old and new, LibreOffice, CSV saved by
Excel in Windows-1252 with semicolons. Each is read by content, not by its name alone,
and every way a file can be unusable (empty, damaged, password-protected, a zip bomb,
too big) ends in an `ImportRefused` the officer can act on, before any row is judged.
"""

import codecs
import csv
import itertools
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from django.conf import settings
from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from .columns import header_field, is_ignored_header
from .messages import ImportRefused, problem, size_text
from .parsers import cell_text, is_blank

SPREADSHEET_KINDS = {".xlsx": "XLSX", ".xlsm": "XLSX", ".xls": "XLS", ".ods": "ODS"}
TEXT_KINDS = {".csv": "CSV", ".tsv": "CSV", ".txt": "CSV"}
EXTENSIONS = sorted({*SPREADSHEET_KINDS, *TEXT_KINDS})
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
# An encrypted .xlsx is an OLE2 compound file holding these streams (MS-OFFCRYPTO);
# directory entry names are UTF-16LE.
ENCRYPTION_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
HEADER_SEARCH_ROWS = 10
DELIMITERS = (",", ";", "\t")
DELIMITER_SAMPLE_LINES = 20
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_ROWS = 1_000_000
# A zip that expands to more than this many times the upload limit, or by more than this
# ratio past the upload limit, is refused unread.
ZIP_EXPANSION_LIMIT = 20
ZIP_RATIO_LIMIT = 100


def max_bytes():
    return getattr(settings, "PULIH_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_rows():
    return getattr(settings, "PULIH_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


@dataclass
class Sheet:
    """The header and the data rows of the first worksheet.

    `rows` yields (spreadsheet row number, cells) and skips blank rows; `total` is the
    number of rows the file appears to hold, for progress only.
    """

    kind: str
    header: list
    header_row: int
    rows: Iterator
    total: int


@contextmanager
def sheet_open(path, *, filename=None, is_header=None):
    """Open `path` (named `filename` by the uploader) and yield its `Sheet`. The header
    row is the first with two cells that `is_header` recognises (by default the registry
    import's column names); other files (external lists, status files) pass their own."""
    is_header = is_header or _registry_header
    path = Path(path)
    name = filename or path.name
    extension = Path(name).suffix.lower()
    kind = SPREADSHEET_KINDS.get(extension) or TEXT_KINDS.get(extension)
    if kind is None:
        raise ImportRefused(problem("file_extension", ext=extension or name))
    size = path.stat().st_size
    if size == 0:
        raise ImportRefused(problem("file_empty"))
    if size > max_bytes():
        raise ImportRefused(
            problem("file_too_large", size=size_text(size), limit=size_text(max_bytes()))
        )
    with path.open("rb") as f:
        magic = f.read(8)
    if extension in TEXT_KINDS:
        if magic.startswith((ZIP_MAGIC, OLE_MAGIC)):
            raise ImportRefused(problem("file_corrupt", name=name, kind=kind))
        with _csv_rows(path) as (rows, total):
            yield _sheet(kind, rows, total, is_header)
        return
    with _workbook_rows(path, name, kind, magic) as (rows, total):
        yield _sheet(kind, rows, total, is_header)


@contextmanager
def _workbook_rows(path, name, kind, magic):
    """Rows of the first visible worksheet through calamine, which reads XLSX, XLS and ODS
    by content (a renamed .xls still opens)."""
    if magic.startswith(OLE_MAGIC) and _is_encrypted_ooxml(path):
        raise ImportRefused(problem("file_password"))
    if magic.startswith(ZIP_MAGIC):
        _zip_check(path, name, kind)
    elif not magic.startswith(OLE_MAGIC):
        raise ImportRefused(problem("file_corrupt", name=name, kind=kind))
    try:
        with path.open("rb") as f:
            workbook = CalamineWorkbook.from_filelike(f)
        sheet = workbook.get_sheet_by_index(_first_worksheet(workbook))
    except PasswordError as exc:
        raise ImportRefused(problem("file_password")) from exc
    except (CalamineError, ValueError, OSError) as exc:
        raise ImportRefused(problem("file_corrupt", name=name, kind=kind)) from exc
    with workbook:
        yield _checked_rows(enumerate(sheet.iter_rows(), start=1), name, kind), sheet.height


def _checked_rows(rows, name, kind):
    """calamine reports some damage only while rows are read; say so the same way."""
    try:
        yield from rows
    except CalamineError as exc:
        raise ImportRefused(problem("file_corrupt", name=name, kind=kind)) from exc


def _first_worksheet(workbook):
    """The data sit in the first visible worksheet (the template's "Petunjuk" comes after)."""
    for index, sheet in enumerate(workbook.sheets_metadata):
        if sheet.typ == SheetTypeEnum.WorkSheet and sheet.visible == SheetVisibleEnum.Visible:
            return index
    return 0


def _is_encrypted_ooxml(path):
    """Excel saves a password-protected workbook as an OLE2 file with an EncryptionInfo
    stream. Its name sits in a directory sector that may be anywhere in the file, which
    is no larger than the upload limit, so the whole file is searched."""
    with path.open("rb") as f:
        head = f.read(max_bytes())
    return any(stream in head for stream in ENCRYPTION_STREAMS)


def _zip_check(path, name, kind):
    """Refuse a zip whose contents would swell far past the upload limit when read."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportRefused(problem("file_corrupt", name=name, kind=kind)) from exc
    expanded = sum(entry.file_size for entry in entries)
    packed = max(1, sum(entry.compress_size for entry in entries))
    limit = max_bytes()
    if expanded > ZIP_EXPANSION_LIMIT * limit or (
        expanded > limit and expanded / packed > ZIP_RATIO_LIMIT
    ):
        raise ImportRefused(problem("file_zip_bomb", size=size_text(expanded)))


@contextmanager
def _csv_rows(path):
    """Rows of a CSV file in whichever encoding and delimiter its office used; each record
    is numbered as the spreadsheet row it becomes when the file is opened in Excel."""
    encoding = csv_encoding(path)
    errors = "replace" if encoding == "cp1252" else "strict"
    with path.open(encoding=encoding, errors=errors, newline="") as f:
        reader = csv.reader(f, delimiter=csv_delimiter(f))
        yield _checked_records(reader, path.name), _line_count(path)


def _checked_records(reader, name):
    try:
        yield from enumerate(reader, start=1)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ImportRefused(problem("file_corrupt", name=name, kind="CSV")) from exc


def csv_encoding(path):
    """UTF-8 (with or without BOM) or UTF-16 when the bytes say so; otherwise Windows-1252,
    which is what Excel on an Indonesian Windows saves as "CSV"."""
    with path.open("rb") as f:
        start = f.read(4)
        if start.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        f.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := f.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def csv_delimiter(f):
    """The separator that splits the first lines most. Headers hold no commas or
    semicolons, and a title line above them has few, or as many empty cells as Excel
    gives it."""
    sample = "".join(itertools.islice(f, DELIMITER_SAMPLE_LINES))
    f.seek(0)
    return max(DELIMITERS, key=sample.count)


def _line_count(path):
    count = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def _sheet(kind, rows, total, is_header):
    """Find the header (a title row or two above it is fine), and refuse a file with no
    header or no data rows."""
    rows = ((number, cells) for number, cells in rows if not all(map(is_blank, cells)))
    leading = []
    for number, cells in rows:
        leading.append((number, cells))
        if _recognised(cells, is_header) >= 2 or len(leading) >= HEADER_SEARCH_ROWS:
            break
    if not leading:
        raise ImportRefused(problem("file_empty"))
    header_at = next(
        (i for i, (_n, cells) in enumerate(leading) if _recognised(cells, is_header) >= 2), 0
    )
    header_row, header = leading[header_at]
    if not _recognised(header, is_header):
        raise ImportRefused(problem("file_no_header"))
    data = chain(leading[header_at + 1 :], rows)
    first = next(data, None)
    if first is None:
        raise ImportRefused(problem("file_no_rows"))
    return Sheet(
        kind=kind,
        header=[cell_text(cell) for cell in header],
        header_row=header_row,
        rows=_limited(chain([first], data)),
        total=max(0, total - header_row),
    )


def _recognised(cells, is_header):
    return sum(1 for cell in cells if is_header(cell))


def _registry_header(cell):
    return bool(header_field(cell) or is_ignored_header(cell))


def _limited(rows):
    limit = max_rows()
    for count, row in enumerate(rows, start=1):
        if count > limit:
            raise ImportRefused(problem("file_too_many_rows", limit=f"{limit:,}".replace(",", ".")))
        yield row
