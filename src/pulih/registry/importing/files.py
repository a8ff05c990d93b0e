"""The files an import leaves between its steps, under MEDIA_ROOT/imports/.

An upload is validated in one task and written in another, maybe minutes later, and a
million rows do not fit in a progress record. So validation leaves the valid rows,
normalised, in a JSON-lines file (no pickle: nothing read back can run code), and the
invalid rows as an XLSX the officer can fix and upload again. All names share one random
token, which is all that the progress record keeps.
"""

import datetime
import json
import re
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings

from .columns import FIELDS

TOKEN = re.compile(r"[0-9a-f]{32}")
DATE_FIELDS = {"birth_date", "report_date"}
ROWS_VERSION = 1
ERROR_HEADER = "Kesalahan"


def imports_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


@dataclass(frozen=True)
class ImportFiles:
    token: str

    @classmethod
    def new(cls):
        imports_dir().mkdir(parents=True, exist_ok=True)
        return cls(secrets.token_hex(16))

    @classmethod
    def of(cls, token):
        """The files of a stored token; anything but a token of ours is refused."""
        if not TOKEN.fullmatch(token or ""):
            raise ValueError("not an import token")
        return cls(token)

    def upload(self, extension):
        return imports_dir() / f"{self.token}{extension.lower()}"

    @property
    def rows(self):
        return imports_dir() / f"{self.token}.rows.jsonl"

    @property
    def errors(self):
        return imports_dir() / f"{self.token}.errors.xlsx"

    def remove(self, *paths):
        for path in paths:
            Path(path).unlink(missing_ok=True)


def row_json(row) -> str:
    """A row's canonical values as one JSON array, in FIELDS order. Its SHA-256 is the
    row's `source_key`, so the same values give the same key in any file format; a change
    to FIELDS changes every key."""
    values = row.values
    return json.dumps(
        [
            values[key].isoformat() if key in DATE_FIELDS and values[key] else values[key]
            for key in FIELDS
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


class RowsFile:
    """Valid rows, one JSON array per line: row number, key, NIK verdict, then the values."""

    def __init__(self, f):
        self.f = f

    @classmethod
    def writer(cls, path):
        f = open(path, "w", encoding="utf-8")  # noqa: SIM115 (closed by __exit__)
        f.write(json.dumps({"version": ROWS_VERSION, "fields": FIELDS}) + "\n")
        return cls(f)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()
        return False

    def add(self, row):
        verdict = json.dumps([row.nik_valid, row.nik_problems])
        self.f.write(f'[{row.number},"{row.key.hex()}",{verdict[1:-1]},{row.line[1:]}\n')

    @staticmethod
    def chunks(path, size):
        """Lists of at most `size` rows as dicts: the canonical fields (dates as ISO text)
        plus `row_number`, `key`, `nik_valid` and `nik_problems`."""
        with open(path, encoding="utf-8") as f:
            header = json.loads(f.readline())
            if header != {"version": ROWS_VERSION, "fields": FIELDS}:
                raise ValueError("rows file from another version of the import")
            chunk = []
            for line in f:
                number, key, nik_valid, nik_problems, *values = json.loads(line)
                row = dict(zip(FIELDS, values, strict=True))
                row.update(row_number=number, key=key, nik_valid=nik_valid)
                row["nik_problems"] = nik_problems
                chunk.append(row)
                if len(chunk) >= size:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk


class ErrorWorkbook:
    """The invalid rows as the officer wrote them, plus a "Kesalahan" column saying what
    to fix; created when the first invalid row arrives.

    Written as XLSX XML directly: openpyxl needs about a millisecond per row, which for a
    large file with a few percent of bad rows would cost more than reading the file.
    Text always goes in as text, never as a formula, so a cell like "=HYPERLINK(…)" from
    an upload cannot run when the workbook is opened, and reads back unchanged.
    """

    def __init__(self, path, header):
        self.path = Path(path)
        self.header = list(header)
        self.archive = None
        self.sheet = None
        self.count = 0

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if self.archive is None:
            return False
        self.sheet.write(SHEET_END)
        self.sheet.close()
        for name, text in PACKAGE_PARTS.items():
            self.archive.writestr(name, text)
        self.archive.close()
        return False

    def add(self, cells, message):
        if self.archive is None:
            self._start()
        width = len(self.header)
        cells = list(cells[:width]) + [""] * (width - len(cells))
        self.sheet.write(xml_row([*cells, message]).encode())
        self.count += 1

    def _start(self):
        self.archive = zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED)
        self.sheet = self.archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        widths = "".join(
            f'<col min="{i}" max="{i}" width="{60 if i > len(self.header) else 20}" '
            'customWidth="1"/>'
            for i in range(1, len(self.header) + 2)
        )
        self.sheet.write((SHEET_START.format(cols=widths)).encode())
        self.sheet.write(xml_row([*self.header, ERROR_HEADER], style=BOLD).encode())


# Cell styles of styles.xml below: 1 is bold (the header), 2 a DD-MM-YYYY date.
BOLD, DATE = 1, 2
EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_row(values, style=0):
    style_attribute = f' s="{style}"' if style else ""
    cells = []
    for value in values:
        if value is None or value == "":
            cells.append("<c/>")
        elif isinstance(value, bool):
            cells.append(f'<c t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, int | float):
            cells.append(f"<c><v>{value!r}</v></c>")
        elif isinstance(value, datetime.date):
            cells.append(f'<c s="{DATE}"><v>{_excel_serial(value)}</v></c>')
        else:
            text = escape(XML_ILLEGAL.sub("", str(value)))
            cells.append(
                f'<c t="inlineStr"{style_attribute}><is><t xml:space="preserve">{text}</t></is></c>'
            )
    return f"<row>{''.join(cells)}</row>"


def _excel_serial(value):
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time())
    days = (value - EXCEL_EPOCH).total_seconds() / 86400
    return int(days) if days.is_integer() else round(days, 6)


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<worksheet xmlns="{MAIN}"><sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    "</sheetView></sheetViews><cols>{cols}</cols><sheetData>"
)
SHEET_END = b"</sheetData></worksheet>"
PACKAGE_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Relationships xmlns="{PACKAGE}">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Relationships xmlns="{PACKAGE}">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<styleSheet xmlns="{MAIN}">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="DD\\-MM\\-YYYY"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}
