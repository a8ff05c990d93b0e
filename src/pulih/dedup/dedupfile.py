"""Find the same person written several times in a CSV or XLSX file: `pulih dedup-file`.

The file never enters the database. It is read twice, each time as a stream: first to
build the model's row of each record (`features.person_row`), then, once the people model
has scored and clustered them, to copy every row to the output with two more columns:
`cluster_id`, the row number of the first row of the person's cluster, and
`match_probability`, the highest probability linking the row to another row of its
cluster. Between the two passes only the feature rows are held, never the file's cells,
so a million rows fit in a few gigabytes.

Columns are found by their headers (`ALIASES`, compared as the registry import compares
them) unless `--map field=column` says otherwise. A file that cannot be used ends in
`Refused`, whose `core.ids.Problem` says why in Indonesian and English.
"""

import codecs
import csv
import importlib.util
import itertools
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from pulih.core.exports import csv_chunks, write_xlsx
from pulih.core.ids import Problem
from pulih.registry.importing.parsers import PARENTHESISED, token
from pulih.registry.importing.reading import csv_delimiter, csv_encoding

from .engine import link_people
from .features import FIELDS, person_row

# Headers each field answers to, the preferred first: a file with both "Kode Desa" and
# "Desa" (a village name, which the model cannot place) is matched by its code.
ALIASES = {
    "id_number": (
        "NIK",
        "No KTP",
        "Nomor KTP",
        "KTP",
        "Nomor Induk Kependudukan",
        "NIK KTP",
        "NIK Pemilik",
        "id_number",
        "National ID",
        "ID No",
        "Identity Number",
    ),
    "name": (
        "Nama Lengkap",
        "Nama",
        "Name",
        "Full Name",
        "Nama Pemilik",
        "Nama Pelaku Usaha",
        "Nama Penerima",
        "Nama Peserta",
    ),
    "birth_date": (
        "Tanggal Lahir",
        "Tgl Lahir",
        "birth_date",
        "Date of Birth",
        "DOB",
        "Birthdate",
    ),
    "sex": ("Jenis Kelamin", "JK", "Kelamin", "L/P", "Sex", "Gender"),
    "phone": (
        "No HP",
        "Nomor HP",
        "HP",
        "No HP/WA",
        "HP/WA",
        "Handphone",
        "Telepon",
        "Telp",
        "No Telp",
        "No Telepon",
        "Nomor Telepon",
        "Phone",
        "Phone Number",
        "Mobile",
        "Telephone",
        "No WA",
        "WhatsApp",
    ),
    "address": (
        "Alamat",
        "Alamat Lengkap",
        "Alamat Rumah",
        "Alamat KTP",
        "Alamat Pemilik",
        "Alamat Tempat Tinggal",
        "Address",
        "Home Address",
    ),
    "region": (
        "Kode Desa",
        "Kode Kelurahan",
        "Kode Desa/Kelurahan",
        "Kode Desa/Kel",
        "village_code",
        "Kode Wilayah",
        "region_code",
        "Region",
        "Kode Pos",
        "Postcode",
        "Postal Code",
        "ZIP",
        "ZIP Code",
        "Desa",
        "Kelurahan",
        "Wilayah",
    ),
}

CLUSTER_COLUMN = "cluster_id"
PROBABILITY_COLUMN = "match_probability"
PROBABILITY_DIGITS = 6
TEXT_EXTENSIONS = (".csv", ".tsv", ".txt")
SPREADSHEET_KINDS = {".xlsx": "XLSX", ".xlsm": "XLSX", ".xls": "XLS", ".ods": "ODS"}
OUT_EXTENSIONS = (".csv", ".xlsx")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
HEADER_SEARCH_ROWS = 10
PROGRESS_EVERY = 100_000
XLSX_MAX_ROWS = 1_048_575  # Excel's 1,048,576 rows less the header

MESSAGES = {
    "file_missing": ("Berkas {path} tidak ditemukan.", "File {path} not found."),
    "file_extension": (
        "Jenis berkas {ext} tidak dapat dibaca. Gunakan .csv, .xlsx, .xls atau .ods.",
        "Files of type {ext} cannot be read. Use .csv, .xlsx, .xls or .ods.",
    ),
    "file_empty": (
        "Berkas kosong: tidak ada isian sama sekali.",
        "The file is empty: it has no content at all.",
    ),
    "file_no_rows": (
        "Berkas hanya berisi baris judul, belum ada baris data.",
        "The file has only the header row and no data rows.",
    ),
    "file_corrupt": (
        "Berkas {name} rusak atau tidak berformat {kind}. Buka di Excel atau LibreOffice, "
        "simpan ulang sebagai .xlsx atau .csv, lalu coba lagi.",
        "The file {name} is damaged or not in {kind} format. Open it in Excel or "
        "LibreOffice, save it again as .xlsx or .csv and try again.",
    ),
    "file_password": (
        "Berkas dilindungi kata sandi. Hapus kata sandinya, simpan, lalu coba lagi.",
        "The file is protected with a password. Remove the password, save and try again.",
    ),
    "no_columns": (
        "Tidak ada kolom yang dapat dipakai untuk mencocokkan orang. Kolom berkas: "
        "{columns}. Judul kolom yang dikenal, antara lain: {known}. Atau tunjuk kolomnya "
        "dengan --map bidang=kolom.",
        "No column can be used to match people. The file's columns: {columns}. Headers "
        "recognised include: {known}. Or name the columns with --map field=column.",
    ),
    "map_format": (
        "--map {value!r} harus berbentuk bidang=kolom, misalnya --map name=Nama.",
        "--map {value!r} must be field=column, for example --map name=Nama.",
    ),
    "map_field": (
        "Bidang {field!r} di --map tidak dikenal; pilih dari: {fields}.",
        "Unknown field {field!r} in --map; choose from: {fields}.",
    ),
    "map_column": (
        "Kolom {column!r} (--map {field}) tidak ada di berkas. Kolom berkas: {columns}.",
        "There is no column {column!r} (--map {field}) in the file. Its columns: {columns}.",
    ),
    "threshold": (
        "--threshold harus berupa angka di antara 0 dan 1, misalnya 0.95 (tertulis {value}).",
        "--threshold must be a number between 0 and 1, for example 0.95 (got {value}).",
    ),
    "out_extension": (
        "Berkas hasil harus berakhiran .csv atau .xlsx (tertulis {ext}).",
        "The output file must end in .csv or .xlsx (got {ext}).",
    ),
    "out_is_input": (
        "Berkas hasil tidak boleh sama dengan berkas masukan; pilih nama lain untuk --out.",
        "The output file cannot be the input file; choose another name for --out.",
    ),
    "out_unwritable": (
        "Berkas hasil {path} tidak dapat ditulis: {reason}.",
        "Cannot write the output file {path}: {reason}.",
    ),
    "out_too_many_rows": (
        "Berkas XLSX memuat paling banyak {limit} baris data, berkas ini {rows}; tulis "
        "hasilnya sebagai .csv.",
        "An XLSX file holds at most {limit} data rows and this file has {rows}; write the "
        "output as .csv.",
    ),
    "spark_missing": (
        "Backend spark memerlukan pyspark, yang belum terpasang. Pasang dengan: "
        "pip install -e .[spark]",
        "The spark backend needs pyspark, which is not installed. Install it with: "
        "pip install -e .[spark]",
    ),
    "spark_no_java": (
        "Backend spark memerlukan Java 17 atau lebih baru, yang tidak ditemukan. Pasang "
        "(apt-get install openjdk-17-jre-headless) atau atur JAVA_HOME.",
        "The spark backend needs Java 17 or later, which was not found. Install it "
        "(apt-get install openjdk-17-jre-headless) or set JAVA_HOME.",
    ),
}


def problem(code, /, **values) -> Problem:
    indonesian, english = MESSAGES[code]
    return Problem(code, indonesian.format(**values), english.format(**values))


class Refused(Exception):
    """The run cannot go ahead; `problem` says why in both languages."""

    def __init__(self, problem):
        super().__init__(problem.en)
        self.problem = problem


def header_key(text) -> str:
    """How headers are compared: letters and digits only, and a note in parentheses
    ("Tanggal Lahir (DD-MM-YYYY)") does not count."""
    return token(PARENTHESISED.sub("", str(text))) or token(text)


ALIAS_FIELDS = {
    header_key(alias): (field, rank)
    for field, aliases in ALIASES.items()
    for rank, alias in enumerate(aliases)
}


def mapping_parse(values):
    """`--map field=column` options as {field: column}; an empty column leaves the field
    out even if a header would match it."""
    mapping = {}
    for value in values or ():
        field, separator, column = value.partition("=")
        field = field.strip()
        if not separator or not field:
            raise Refused(problem("map_format", value=value))
        if field not in FIELDS:
            raise Refused(problem("map_field", field=field, fields=", ".join(FIELDS)))
        mapping[field] = column.strip()
    return mapping


def threshold_parse(value) -> float:
    try:
        threshold = float(value)
    except (TypeError, ValueError):
        threshold = None
    if threshold is None or not 0 < threshold < 1:
        raise Refused(problem("threshold", value=value))
    return threshold


def columns_match(header, mapping):
    """{field: column index}: mapped columns first, then the best-ranked alias of each
    field among the columns left."""
    columns = {}
    for field, column in mapping.items():
        if not column:
            continue
        index = _column_index(header, column)
        if index is None:
            raise Refused(
                problem("map_column", column=column, field=field, columns=_listing(header))
            )
        columns[field] = index
    taken = set(columns.values())
    best = {}
    for index, cell in enumerate(header):
        field, rank = ALIAS_FIELDS.get(header_key(cell), (None, None))
        if field is None or field in mapping or index in taken:
            continue
        if field not in best or rank < best[field][0]:
            best[field] = (rank, index)
    columns.update({field: index for field, (_rank, index) in best.items()})
    if not columns:
        known = ", ".join(aliases[0] for aliases in ALIASES.values())
        raise Refused(problem("no_columns", columns=_listing(header), known=known))
    return dict(sorted(columns.items(), key=lambda item: FIELDS.index(item[0])))


def _column_index(header, column):
    """The column named exactly so, else the one whose header compares equal."""
    texts = [str(cell).strip() for cell in header]
    if column in texts:
        return texts.index(column)
    keys = [header_key(cell) for cell in header]
    key = header_key(column)
    return keys.index(key) if key and key in keys else None


def _listing(header):
    return ", ".join(repr(str(cell)) for cell in header if not _blank(cell)) or "-"


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


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


def backend_check(backend):
    """Refuse the spark backend at once when it cannot start, before a big file is read."""
    if backend != "spark":
        return
    if importlib.util.find_spec("pyspark") is None:
        raise Refused(problem("spark_missing"))
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise Refused(problem("spark_no_java"))


def paths_check(source, out):
    if not source.is_file():
        raise Refused(problem("file_missing", path=source))
    extension = source.suffix.lower()
    if extension not in (*TEXT_EXTENSIONS, *SPREADSHEET_KINDS):
        raise Refused(problem("file_extension", ext=extension or source.name))
    if out.suffix.lower() not in OUT_EXTENSIONS:
        raise Refused(problem("out_extension", ext=out.suffix or out.name))
    if out.exists() and out.resolve() == source.resolve():
        raise Refused(problem("out_is_input"))
    if not out.parent.is_dir():
        raise Refused(problem("out_unwritable", path=out, reason="no such directory"))


@contextmanager
def sheet_open(path, mapping):
    """Open `path` and yield its `Sheet`: header found, columns matched, data rows next."""
    if path.stat().st_size == 0:
        raise Refused(problem("file_empty"))
    reader = _csv_rows if path.suffix.lower() in TEXT_EXTENSIONS else _workbook_rows
    with reader(path) as (kind, encoding, rows):
        rows = ((n, cells) for n, cells in rows if not all(map(_blank, cells)))
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
        header = list(cells[: _width(cells)])
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


def dedup_file(*, source, out, mapping=None, threshold, backend="duckdb", log=None):
    """Deduplicate the people of `source` into `out`; returns the run's summary."""
    log = log or (lambda line: None)
    source, out, mapping = Path(source), Path(out), mapping or {}
    paths_check(source, out)
    backend_check(backend)
    started = time.perf_counter()
    log(f"reading {source}")
    with sheet_open(source, mapping) as sheet:
        used = {field: str(sheet.header[index]) for field, index in sheet.columns.items()}
        encoding = f", encoding {sheet.encoding}" if sheet.encoding else ""
        log(f"{sheet.kind}{encoding}; columns: " + ", ".join(f"{f}={c}" for f, c in used.items()))
        features, width = _features(sheet, log)
        header = sheet.header + [""] * (width - len(sheet.header))
    rows = len(features)
    if rows > XLSX_MAX_ROWS and out.suffix.lower() == ".xlsx":
        limit, count = f"{XLSX_MAX_ROWS:,}".replace(",", "."), f"{rows:,}".replace(",", ".")
        raise Refused(problem("out_too_many_rows", limit=limit, rows=count))
    read = time.perf_counter()
    log(f"scoring {rows:,} rows ({backend})")
    result = link_people(features, threshold=threshold, floor=threshold, backend=backend)
    del features
    pairs, trained = len(result.pairs), result.trained
    clusters, best = _clusters(result)
    del result
    scored = time.perf_counter()
    log(f"writing {out}")
    with sheet_open(source, mapping) as sheet:
        _write(
            out,
            [*header, CLUSTER_COLUMN, PROBABILITY_COLUMN],
            _out_rows(sheet, width, clusters, best),
        )
    done = time.perf_counter()
    cluster_count = rows - len(clusters) + len(set(clusters.values()))
    log(f"done: {rows:,} rows, {cluster_count:,} clusters, {done - started:.1f} s")
    return {
        "status": "done",
        "file": str(source),
        "out": str(out),
        "rows": rows,
        "clusters": cluster_count,
        "duplicate_rows": rows - cluster_count,
        "pairs": pairs,
        "threshold": threshold,
        "backend": backend,
        "model": "trained" if trained else "packaged",
        "columns": used,
        "seconds": {
            "read": round(read - started, 2),
            "score": round(scored - read, 2),
            "write": round(done - scored, 2),
            "total": round(done - started, 2),
        },
    }


def _features(sheet, log):
    """The model's rows of the sheet, and its width: the header or the longest row."""
    features, width = [], len(sheet.header)
    for count, (number, cells) in enumerate(sheet.rows, start=1):
        features.append(person_row(number, sheet.record(cells)))
        width = max(width, _width(cells))
        if count % PROGRESS_EVERY == 0:
            log(f"read {count:,} rows")
    return features, width


def _width(cells):
    """Cells up to the last one filled in: Excel's trailing empty cells do not count."""
    size = len(cells)
    while size and _blank(cells[size - 1]):
        size -= 1
    return size


def _clusters(result):
    """Of the rows that share a cluster with another row: {row number: the cluster's first
    row number} and {row number: its highest probability}. Every pair is at or above the
    threshold, so a row in no pair is alone."""
    best = {}
    for left, right, probability in result.pairs:
        for number in (int(left), int(right)):
            best[number] = max(probability, best.get(number, 0.0))
    first = {}
    for number in best:
        cluster = result.clusters[str(number)]
        first[cluster] = min(number, first.get(cluster, number))
    return {number: first[result.clusters[str(number)]] for number in best}, best


def _out_rows(sheet, width, clusters, best):
    for number, cells in sheet.rows:
        cells = list(cells[:width]) + [None] * (width - len(cells))
        probability = best.get(number)
        if probability is not None:
            probability = round(probability, PROBABILITY_DIGITS)
        yield [*cells, clusters.get(number, number), probability]


def _write(out, header, rows):
    """Write through the one exporter (formula injection neutralised) to a file beside
    `out`, renamed into place once complete, so a failed run leaves no half file."""
    partial = out.with_name(f".{out.name}.partial")
    try:
        if out.suffix.lower() == ".xlsx":
            write_xlsx(partial, header, rows)
        else:
            with partial.open("w", encoding="utf-8", newline="") as f:
                f.writelines(csv_chunks(header, rows))
        partial.replace(out)
    except OSError as exc:
        raise Refused(problem("out_unwritable", path=out, reason=exc.strerror or exc)) from exc
    finally:
        partial.unlink(missing_ok=True)
