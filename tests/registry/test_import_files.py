"""Reading import files: every format, encoding and delimiter, and every kind of file that
must be refused with a message the officer can act on.

The builders here (`row`, `xlsx_file`, `csv_file`, `ods_file`, `validate`) are shared by
the other import tests.
"""

import datetime
import struct
import zipfile

import pytest
from openpyxl import Workbook

from pulih.registry.importing.files import ImportFiles
from pulih.registry.importing.messages import ImportRefused
from pulih.registry.importing.runs import validation_run
from pulih.registry.importing.validation import Place

pytestmark = pytest.mark.django_db

BANGKA = Place("19.01", "Kabupaten Bangka")
SUNGAILIAT = "19.01.01.1001"  # a village of Sungailiat district, Kabupaten Bangka
HEADER = [
    "NIK",
    "Nama Pemilik",
    "Tanggal Lahir (DD-MM-YYYY)",
    "Jenis Kelamin (L/P)",
    "No. HP",
    "Kode Desa/Kelurahan",
    "Nama Usaha",
    "Sektor (KBLI A-U)",
    "Modal Usaha (Rp)",
    "Omzet per Tahun (Rp)",
    "Tanggal Pendataan (DD-MM-YYYY)",
    "Omzet per Bulan Sebelum Covid (Rp)",
    "Omzet per Bulan Sesudah Covid (Rp)",
    "Status Usaha",
    "Masalah",
    "Kebutuhan",
]


def nik(n):
    """The n-th valid NIK of a woman of Sungailiat born on 1 July 1980."""
    return f"190101410780{n:04d}"


def row(n=1, **changes):
    """A valid row for Kabupaten Bangka, as a list in HEADER order; `changes` by header."""
    values = {
        "NIK": nik(n),
        "Nama Pemilik": f"Siti Aminah {n}",
        "Tanggal Lahir (DD-MM-YYYY)": "01-07-1980",
        "Jenis Kelamin (L/P)": "P",
        "No. HP": f"0812{n:08d}",
        "Kode Desa/Kelurahan": SUNGAILIAT,
        "Nama Usaha": f"Kerupuk Ikan {n}",
        "Sektor (KBLI A-U)": "C",
        "Modal Usaha (Rp)": "Rp 15.000.000",
        "Omzet per Tahun (Rp)": "120.000.000",
        "Tanggal Pendataan (DD-MM-YYYY)": "15-04-2020",
        "Omzet per Bulan Sebelum Covid (Rp)": "10000000",
        "Omzet per Bulan Sesudah Covid (Rp)": "4000000",
        "Status Usaha": "Berkurang",
        "Masalah": "Penurunan permintaan, Modal",
        "Kebutuhan": "Bantuan modal",
    }
    values.update(changes)
    return [values[h] for h in HEADER]


def xlsx_file(path, rows, header=HEADER, *, before=()):
    workbook = Workbook()
    sheet = workbook.active
    for line in before:
        sheet.append(line)
    sheet.append(header)
    for line in rows:
        sheet.append(line)
    workbook.save(path)
    return path


def csv_file(path, rows, header=HEADER, *, encoding="utf-8", delimiter=","):
    lines = [
        delimiter.join(f'"{v}"' if delimiter in str(v) else str(v) for v in line)
        for line in [header, *rows]
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def ods_file(path, rows, header=HEADER):
    """A minimal OpenDocument spreadsheet, as LibreOffice would read it."""

    def cell(value):
        if isinstance(value, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return (
            '<table:table-cell office:value-type="string">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )

    table = "".join(
        "<table:table-row>" + "".join(cell(v) for v in line) + "</table:table-row>"
        for line in [header, *rows]
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Data">'
        f"{table}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def validate(path, place=BANGKA, language="id"):
    """Check a file as the import task does; returns the result the preview shows."""
    return validation_run(
        path=path, filename=path.name, place=place, files=ImportFiles.new(), language=language
    )


def refusal(path):
    with pytest.raises(ImportRefused) as caught:
        validate(path)
    return caught.value.problem


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def bangka(regions):
    return BANGKA


def test_an_xlsx_file_is_read(bangka, tmp_path):
    result = validate(xlsx_file(tmp_path / "umkm.xlsx", [row(1), row(2)]))
    assert result["kind"] == "XLSX"
    assert result["counts"]["valid"] == 2
    assert result["error_count"] == 0


def test_an_ods_file_is_read(bangka, tmp_path):
    rows = [row(1), row(2, **{"Modal Usaha (Rp)": 15000000})]
    result = validate(ods_file(tmp_path / "umkm.ods", rows))
    assert result["kind"] == "ODS"
    assert result["counts"]["valid"] == 2


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "cp1252"], ids=["utf8", "utf8-bom", "windows-1252"]
)
def test_csv_in_each_encoding_keeps_the_names(bangka, tmp_path, encoding):
    path = csv_file(
        tmp_path / "umkm.csv", [row(1, **{"Nama Pemilik": "Sutrisno Warsitó"})], encoding=encoding
    )
    result = validate(path)
    assert result["counts"]["valid"] == 1
    line = (ImportFiles.of(result["token"]).rows).read_text(encoding="utf-8")
    assert "Sutrisno Warsitó" in line


@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_csv_with_each_delimiter(bangka, tmp_path, delimiter):
    path = csv_file(tmp_path / "umkm.csv", [row(1), row(2)], delimiter=delimiter)
    result = validate(path)
    assert result["counts"] == {
        "total": 2,
        "valid": 2,
        "invalid": 0,
        "duplicate_in_file": 0,
        "already_in_registry": 0,
        "person_exists": 0,
    }


def test_a_title_line_above_the_header_does_not_confuse_the_delimiter(bangka, tmp_path):
    path = tmp_path / "umkm.csv"
    csv_file(path, [row(1)], delimiter=";")
    path.write_bytes(b"DATA UMKM TERDAMPAK COVID-19, KAB. BANGKA\r\n" + path.read_bytes())
    assert validate(path)["counts"]["valid"] == 1


def test_windows_1252_rupiah_text_is_read(bangka, tmp_path):
    path = csv_file(
        tmp_path / "umkm.csv", [row(1, **{"Modal Usaha (Rp)": "Rp 15.000.000"})], encoding="cp1252"
    )
    assert validate(path)["counts"]["valid"] == 1


def test_headers_are_matched_loosely(bangka, tmp_path):
    header = [
        "No. KTP",
        "nama pelaku usaha",
        "TGL LAHIR",
        "L/P",
        "HP",
        "kode desa",
        "Nama UMKM",
        "Sektor",
        "Modal",
        "Omzet Tahunan",
        "Tanggal Pendataan",
        "Omzet Sebelum Covid",
        "Omzet Sesudah Covid",
        "Kondisi Usaha",
        "Kendala",
        "Kebutuhan Bantuan",
    ]
    result = validate(xlsx_file(tmp_path / "umkm.xlsx", [row(1)], header=header))
    assert result["counts"]["valid"] == 1
    fields = {c["header"]: c["field"] for c in result["columns"]}
    assert fields["No. KTP"] == "nik"
    assert fields["nama pelaku usaha"] == "name"
    assert fields["HP"] == "phone"


def test_title_rows_above_the_header_are_skipped(bangka, tmp_path):
    path = xlsx_file(
        tmp_path / "umkm.xlsx",
        [row(1)],
        before=[["DATA UMKM TERDAMPAK COVID-19"], ["Kabupaten Bangka, April 2020"], []],
    )
    result = validate(path)
    assert result["counts"]["valid"] == 1


def test_unknown_columns_are_named_and_ignored(bangka, tmp_path):
    header = [*HEADER, "Catatan Petugas"]
    result = validate(xlsx_file(tmp_path / "u.xlsx", [[*row(1), "cek lagi"]], header=header))
    assert result["ignored_columns"] == ["Catatan Petugas"]
    assert any("Catatan Petugas" in notice for notice in result["notices"])


def test_nik_stored_by_excel_as_a_number_is_read_back_exactly(bangka, tmp_path):
    result = validate(xlsx_file(tmp_path / "u.xlsx", [row(1, NIK=float(nik(7)))]))
    assert result["counts"]["valid"] == 1
    assert nik(7) in ImportFiles.of(result["token"]).rows.read_text()


def test_nik_in_scientific_notation_is_an_error_that_says_why(bangka, tmp_path):
    result = validate(xlsx_file(tmp_path / "u.xlsx", [row(1, NIK="1.90101E+15")]))
    assert result["counts"]["invalid"] == 1
    assert result["errors"][0]["code"] == "nik_scientific_notation"
    assert "notasi ilmiah" in result["errors"][0]["message"]


def test_real_excel_dates_are_read(bangka, tmp_path):
    path = xlsx_file(
        tmp_path / "u.xlsx", [row(1, **{"Tanggal Lahir (DD-MM-YYYY)": datetime.date(1980, 7, 1)})]
    )
    result = validate(path)
    assert result["counts"]["valid"] == 1
    assert result["warning_count"] == 0, "the date agrees with the NIK"


# Files that are refused as a whole.


def test_an_empty_file_is_refused(bangka, tmp_path):
    path = tmp_path / "kosong.csv"
    path.write_bytes(b"")
    assert refusal(path).code == "file_empty"


def test_a_file_of_blank_lines_is_refused_as_empty(bangka, tmp_path):
    path = tmp_path / "kosong.csv"
    path.write_bytes(b";;;\r\n\r\n;;\r\n")
    assert refusal(path).code == "file_empty"


def test_a_file_with_only_the_header_is_refused(bangka, tmp_path):
    assert refusal(xlsx_file(tmp_path / "u.xlsx", [])).code == "file_no_rows"


def test_a_file_without_a_header_row_is_refused(bangka, tmp_path):
    path = csv_file(tmp_path / "u.csv", [["1", "2"]], header=["a", "b"])
    problem = refusal(path)
    assert problem.code == "file_no_header"
    assert "judul kolom" in problem.id and "header" in problem.en


def test_missing_required_columns_are_named_with_the_expected_headers(bangka, tmp_path):
    header = ["NIK", "Nama Pemilik"]
    problem = refusal(csv_file(tmp_path / "u.csv", [[nik(1), "Siti"]], header=header))
    assert problem.code == "file_missing_columns"
    assert "Nama Usaha" in problem.en
    assert "Kode Desa/Kelurahan / Desa/Kelurahan" in problem.en
    assert "Tanggal Lahir (DD-MM-YYYY)" in problem.en, "lists the expected headers"


def test_a_field_named_twice_is_refused(bangka, tmp_path):
    header = [*HEADER, "No. KTP"]
    problem = refusal(csv_file(tmp_path / "u.csv", [[*row(1), nik(2)]], header=header))
    assert problem.code == "file_duplicate_column"
    assert '"NIK"' in problem.en and '"No. KTP"' in problem.en


def test_a_damaged_xlsx_is_refused(bangka, tmp_path):
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"not really a zip" * 20)
    problem = refusal(path)
    assert problem.code == "file_corrupt"
    assert "rusak.xlsx" in problem.id


def test_a_web_page_saved_as_xls_is_refused_as_corrupt(bangka, tmp_path):
    path = tmp_path / "laporan.xls"
    path.write_bytes(b"<html><table><tr><td>NIK</td></tr></table></html>")
    assert refusal(path).code == "file_corrupt"


def test_a_zip_that_is_no_spreadsheet_is_refused_as_corrupt(bangka, tmp_path):
    path = tmp_path / "arsip.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("foto.txt", "bukan lembar kerja")
    assert refusal(path).code == "file_corrupt"


def test_a_spreadsheet_renamed_to_csv_is_refused(bangka, tmp_path):
    path = xlsx_file(tmp_path / "u.xlsx", [row(1)])
    renamed = path.rename(tmp_path / "u.csv")
    assert refusal(renamed).code == "file_corrupt"


def compound_file(streams):
    """A minimal OLE2 compound file (MS-CFB, version 3) holding empty streams, as an
    encrypted Office file is: a header, one FAT sector, one directory sector."""
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 44, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<I", header, 76, 0)
    header[80:512] = b"\xff" * 432
    fat = struct.pack("<II", fat_sector, end) + b"\xff" * 504

    def entry(name, kind, child=free, right=free):
        raw = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        raw[: len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, free, right, child)
        struct.pack_into("<II", raw, 116, end, 0)
        return bytes(raw)

    entries = [entry("Root Entry", 5, child=1)]
    for index, name in enumerate(streams, start=1):
        entries.append(entry(name, 2, right=index + 1 if index < len(streams) else free))
    directory = b"".join(entries).ljust(512, b"\0")
    return bytes(header) + fat + directory


def test_a_password_protected_workbook_is_refused_with_how_to_fix_it(bangka, tmp_path):
    path = tmp_path / "rahasia.xlsx"
    path.write_bytes(compound_file(["EncryptionInfo", "EncryptedPackage"]))
    problem = refusal(path)
    assert problem.code == "file_password"
    assert "kata sandi" in problem.id
    assert "Remove the password" in problem.en


def test_an_old_xls_is_read_by_content_and_refused_when_damaged(bangka, tmp_path):
    path = tmp_path / "lama.xls"
    path.write_bytes(compound_file(["Workbook"]))
    assert refusal(path).code == "file_corrupt"


def test_a_zip_bomb_is_refused_unread(bangka, tmp_path, settings):
    settings.PULIH_IMPORT_MAX_BYTES = 100_000
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 3_000_000)
    assert path.stat().st_size < 100_000
    problem = refusal(path)
    assert problem.code == "file_zip_bomb"
    assert "keamanan" in problem.id


def test_a_zip_that_swells_a_hundredfold_past_the_limit_is_refused(bangka, tmp_path, settings):
    settings.PULIH_IMPORT_MAX_BYTES = 100_000
    path = tmp_path / "bom.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content.xml", b" " * 1_500_000)
    assert refusal(path).code == "file_zip_bomb"


def test_too_many_rows_are_refused(bangka, tmp_path, settings):
    settings.PULIH_IMPORT_MAX_ROWS = 3
    problem = refusal(xlsx_file(tmp_path / "u.xlsx", [row(n) for n in range(1, 5)]))
    assert problem.code == "file_too_many_rows"
    assert "3" in problem.en


def test_a_file_too_large_is_refused(bangka, tmp_path, settings):
    settings.PULIH_IMPORT_MAX_BYTES = 1_000
    problem = refusal(csv_file(tmp_path / "u.csv", [row(n) for n in range(1, 20)]))
    assert problem.code == "file_too_large"


def test_an_unknown_file_type_is_refused(bangka, tmp_path):
    path = tmp_path / "data.pdf"
    path.write_bytes(b"%PDF-1.4")
    problem = refusal(path)
    assert problem.code == "file_extension"
    assert ".pdf" in problem.en
