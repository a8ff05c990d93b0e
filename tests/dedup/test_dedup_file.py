"""`pulih dedup-file IN --out OUT`: the people model over a CSV or XLSX file.

The file holds 30 people's rows as regency offices write them. Joko Sutrisno is written
three ways (old spelling "Djoko Soetrisno" with day and month of birth swapped; "H. Joko
Sutrisno, S.E." with one digit of his NIK wrong) and Budi Santoso twice ("Boedi", no NIK);
a second Joko Sutrisno, born elsewhere fifteen years later, is nobody's duplicate, and
neither is anyone else.
"""

import csv
import io
import json
import os
import subprocess
import sys

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

from pulih.dedup import dedupfile
from pulih.dedup.dedupfile import columns_match

HEADER = ["No", "No. KTP", "Nama Lengkap", "Tgl. Lahir", "JK", "No HP", "Alamat", "Kode Desa"]
JOKO = [
    [
        "3201011203750001",
        "Joko Sutrisno",
        "12-03-1975",
        "L",
        "081234567890",
        "Jl. Merdeka No. 5 RT 003/RW 002",
        "32.01.01.2001",
    ],
    [
        "3201011203750001",
        "Djoko Soetrisno",
        "03-12-1975",
        "L",
        "081234567890",
        "Jalan Merdeka 5 RT 3 RW 2",
        "32.01.01.2001",
    ],
    [
        "3201011203750007",
        "H. Joko Sutrisno, S.E.",
        "12-03-1975",
        "L",
        "",
        "Jl Merdeka no 5",
        "32.01.01.2001",
    ],
]
BUDI = [
    [
        "1901030101700001",
        "Budi Santoso",
        "01-01-1970",
        "L",
        "081298765432",
        "Jl. Sudirman No. 12",
        "19.01.03.2004",
    ],
    ["", "Boedi Santoso", "01-01-1970", "L", "081298765432", "Jl Sudirman 12", "19.01.03.2004"],
]
OTHER_JOKO = [
    "3273010506900002",
    "Joko Sutrisno",
    "05-06-1990",
    "L",
    "085711223344",
    "Jl. Dago No. 40",
    "32.73.01.1001",
]
# Distinct people: (name, sex, birth date, village code); NIK, phone and address follow.
OTHERS = [
    ("Siti Aminah", "P", "1980-07-01", "19.01.01.2001"),
    ("Rina Wati", "P", "1985-05-15", "19.02.01.2001"),
    ("Ahmad Fauzi", "L", "1979-11-23", "19.01.02.2002"),
    ("Dewi Lestari", "P", "1992-02-14", "32.01.02.2003"),
    ("Bambang Hartono", "L", "1965-08-30", "33.74.01.1001"),
    ("Sri Wahyuni", "P", "1977-04-09", "33.74.02.1002"),
    ("Yohanes Budiman", "L", "1988-10-02", "16.08.08.2017"),
    ("Ni Made Sari", "P", "1990-06-17", "51.71.01.1001"),
    ("I Wayan Sudarta", "L", "1972-12-25", "51.71.02.1002"),
    ("Rudi Hermawan", "L", "1983-03-08", "31.74.07.1005"),
    ("Nurhayati", "P", "1969-09-19", "19.01.04.2005"),
    ("Agus Salim", "L", "1981-01-27", "19.02.02.2002"),
    ("Fitri Handayani", "P", "1995-07-04", "32.03.11.2013"),
    ("Hendra Gunawan", "L", "1974-05-21", "36.03.01.2001"),
    ("Lina Marlina", "P", "1986-11-11", "32.04.05.2006"),
    ("Eko Prasetyo", "L", "1991-08-16", "35.78.01.1001"),
    ("Wulan Sari", "P", "1993-12-05", "35.78.02.1002"),
    ("Dedi Kurniawan", "L", "1978-02-28", "12.71.01.1001"),
    ("Maria Ulfa", "P", "1984-04-30", "73.71.01.1001"),
    ("Stefanus Lumban Gaol", "L", "1970-10-10", "12.12.01.2001"),
    ("Komang Ayu", "P", "1997-01-13", "51.03.01.2001"),
    ("Taufik Hidayat", "L", "1982-06-06", "64.72.01.1001"),
    ("Yuliana", "P", "1989-09-09", "61.71.01.1001"),
    ("Andi Wijaya", "L", "1976-03-31", "71.71.01.1001"),
]


def _other(number, name, sex, born, village):
    year, month, day = born.split("-")
    nik_day = int(day) + (40 if sex == "P" else 0)
    nik = f"{village.replace('.', '')[:6]}{nik_day:02d}{month}{year[2:]}{number:04d}"
    return [
        nik,
        name,
        f"{day}-{month}-{year}",
        sex,
        f"0813{number:08d}",
        f"Jl. Mawar No. {number}",
        village,
    ]


def people():
    """The 30 rows; the position of each planted record is part of what is tested."""
    others = [_other(i, *person) for i, person in enumerate(OTHERS, start=1)]
    body = [
        JOKO[0],
        *others[:8],
        BUDI[0],
        JOKO[1],
        *others[8:16],
        OTHER_JOKO,
        BUDI[1],
        *others[16:],
        JOKO[2],
    ]
    return [[str(i), *row] for i, row in enumerate(body, start=1)]


def people_csv(path, header=HEADER, rows=None, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(people() if rows is None else rows)
    return path


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f))
    return header, rows


def dedup(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("dedup_file", *map(str, args), stdout=out, stderr=err, **options)
    return json.loads(out.getvalue().strip().splitlines()[-1]), err.getvalue()


def clusters_by_name(header, rows):
    """{cluster id: sorted (name, birth date) of its rows} for clusters of two or more."""
    cluster, name, born = (header.index(c) for c in ("cluster_id", "Nama Lengkap", "Tgl. Lahir"))
    groups = {}
    for row in rows:
        groups.setdefault(str(row[cluster]), []).append((row[name], str(row[born])))
    return {key: sorted(members) for key, members in groups.items() if len(members) > 1}


PLANTED = {
    "2": sorted((row[1], row[2]) for row in JOKO),  # Joko's first row is row 2
    "11": sorted((row[1], row[2]) for row in BUDI),
}


def test_planted_duplicates_share_a_cluster_and_everyone_else_stays_apart(tmp_path):
    source = people_csv(tmp_path / "umkm.csv")
    summary, progress = dedup(source, out=tmp_path / "hasil.csv")
    header, rows = read_csv(tmp_path / "hasil.csv")
    assert header == [*HEADER, "cluster_id", "match_probability"]
    assert [row[:-2] for row in rows] == people(), "the input rows come back unchanged"
    assert clusters_by_name(header, rows) == PLANTED
    for row in rows:
        if row[-2] in PLANTED:
            assert float(row[-1]) >= 0.95
        else:
            assert row[-2] == str(rows.index(row) + 2) and row[-1] == ""
    assert summary["rows"] == 30 and summary["clusters"] == 27
    assert summary["duplicate_rows"] == 3 and summary["model"] == "packaged"
    assert summary["columns"] == {
        "id_number": "No. KTP",
        "name": "Nama Lengkap",
        "birth_date": "Tgl. Lahir",
        "sex": "JK",
        "phone": "No HP",
        "address": "Alamat",
        "region": "Kode Desa",
    }
    for step in ("reading", "scoring 30 rows", "writing", "done: 30 rows, 27 clusters"):
        assert step in progress


def test_a_higher_threshold_joins_no_more(tmp_path):
    source = people_csv(tmp_path / "umkm.csv")
    summary, _ = dedup(source, out=tmp_path / "hasil.csv", threshold="0.9999999")
    assert summary["clusters"] >= 27 and summary["threshold"] == 0.9999999


def test_map_names_columns_whose_headers_are_not_known(tmp_path):
    header = ["No", "Identitas", "Orang", "Lahir", "Kelamin", "Kontak", "Domisili", "Lokasi"]
    source = people_csv(tmp_path / "lain.csv", header=header)
    maps = [
        "id_number=Identitas",
        "name=Orang",
        "birth_date=Lahir",
        "phone=Kontak",
        "address=Domisili",
        "region=Lokasi",
    ]
    summary, _ = dedup(source, out=tmp_path / "hasil.csv", map=maps)
    out_header, rows = read_csv(tmp_path / "hasil.csv")
    assert summary["columns"]["name"] == "Orang" and summary["columns"]["sex"] == "Kelamin"
    named = [*HEADER, "cluster_id", "match_probability"]
    assert clusters_by_name(named, rows) == PLANTED
    assert out_header[:-2] == header


def test_map_leaves_a_field_out_and_the_model_uses_what_is_left(tmp_path):
    source = people_csv(tmp_path / "umkm.csv")
    summary, _ = dedup(source, out=tmp_path / "hasil.csv", map=["phone=", "address="])
    assert set(summary["columns"]) == {"id_number", "name", "birth_date", "sex", "region"}
    header, rows = read_csv(tmp_path / "hasil.csv")
    assert PLANTED["2"] in clusters_by_name(header, rows).values()


def test_headers_are_recognised_in_indonesian_and_english():
    english = ["NIK", "Full Name", "DOB", "Gender", "Phone", "Address", "Postcode"]
    assert columns_match(english, {}) == dict(
        zip(
            ["id_number", "name", "birth_date", "sex", "phone", "address", "region"],
            range(7),
            strict=True,
        )
    )
    indonesian = ["nama", "TANGGAL_LAHIR", "jenis kelamin", "no_hp", "Desa", "Kode Desa"]
    assert columns_match(indonesian, {}) == {
        "name": 0,
        "birth_date": 1,
        "sex": 2,
        "phone": 3,
        "region": 5,
    }, "a village code is preferred to a village name"
    assert columns_match(["Tanggal Lahir (DD-MM-YYYY)", "Nama Usaha"], {}) == {"birth_date": 0}


def test_xlsx_in_and_out(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Data UMKM Terdampak Covid-19"])  # a title row above the header
    sheet.append(HEADER)
    for row in people():
        sheet.append([int(row[0]), *row[1:]])
    sheet.append([31, "", "Penipu", "", "", "+6281200001111", "@SUM(1+1)*cmd|' /C calc'!A0", ""])
    workbook.save(tmp_path / "umkm.xlsx")
    summary, _ = dedup(tmp_path / "umkm.xlsx", out=tmp_path / "hasil.xlsx")
    with CalamineWorkbook.from_path(str(tmp_path / "hasil.xlsx")) as result:
        header, *rows = result.get_sheet_by_index(0).to_python()
    assert header == [*HEADER, "cluster_id", "match_probability"]
    assert [int(row[0]) for row in rows] == list(range(1, 32)), "numbers stay numbers"
    joko_rows = {str(int(row[-2])) for row in rows if "Joko Sutrisno" in row[2]}
    assert len(joko_rows) == 2, "Joko's three records in one cluster, his namesake in another"
    assert rows[-1][5:7] == ["'+6281200001111", "'@SUM(1+1)*cmd|' /C calc'!A0"], "no formulas"
    assert summary["rows"] == 31 and summary["clusters"] == 28


def test_xlsx_in_csv_out_writes_whole_numbers_without_a_decimal_point(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["NIK", "Nama"])
    workbook.active.append([3201011203750001, "Joko Sutrisno"])
    workbook.save(tmp_path / "satu.xlsx")
    dedup(tmp_path / "satu.xlsx", out=tmp_path / "satu.csv")
    assert read_csv(tmp_path / "satu.csv")[1] == [["3201011203750001", "Joko Sutrisno", "2", ""]]


def test_a_file_of_one_row_is_its_own_cluster(tmp_path):
    source = people_csv(tmp_path / "satu.csv", rows=people()[:1])
    summary, _ = dedup(source, out=tmp_path / "hasil.csv")
    assert read_csv(tmp_path / "hasil.csv")[1] == [[*people()[0], "2", ""]]
    assert summary["rows"] == 1 and summary["clusters"] == 1 and summary["pairs"] == 0


def test_windows_1252_text_is_read_as_the_registry_reads_it(tmp_path):
    rows = [["1", "", "José Ñoñó", "", "", "", "Jl. Café", ""], ["2", "", "Budi", *[""] * 5]]
    source = people_csv(tmp_path / "excel.csv", rows=rows, encoding="cp1252")
    _, progress = dedup(source, out=tmp_path / "hasil.csv")
    assert "cp1252" in progress
    assert [row[:-2] for row in read_csv(tmp_path / "hasil.csv")[1]] == rows


def _header_only(path):
    return people_csv(path, rows=[])


def _no_usable_column(path):
    path.write_text("Kolom A;Kolom B\n1;2\n", encoding="utf-8")
    return path


def _broken_xlsx(path):
    path.write_bytes(b"PK\x03\x04 this is no workbook")
    return path


def _binary_csv(path):
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    return path


def _empty(path):
    path.write_bytes(b"")
    return path


def _blank_lines(path):
    path.write_text("\n ,  ,\n\n", encoding="utf-8")
    return path


def _pdf(path):
    path.write_bytes(b"%PDF-1.4")
    return path


@pytest.mark.parametrize(
    ("name", "make", "options", "indonesian", "english"),
    [
        ("hilang.csv", None, {}, "tidak ditemukan", "not found"),
        ("umkm.pdf", _pdf, {}, "Jenis berkas .pdf", "Files of type .pdf"),
        ("kosong.csv", _empty, {}, "Berkas kosong", "The file is empty"),
        ("kosong.xlsx", _empty, {}, "Berkas kosong", "The file is empty"),
        ("baris-kosong.csv", _blank_lines, {}, "Berkas kosong", "The file is empty"),
        ("judul.csv", _header_only, {}, "hanya berisi baris judul", "only the header row"),
        ("lain.csv", _no_usable_column, {}, "'Kolom A', 'Kolom B'", "'Kolom A', 'Kolom B'"),
        ("rusak.xlsx", _broken_xlsx, {}, "rusak atau tidak berformat XLSX", "damaged"),
        ("gambar.csv", _binary_csv, {}, "tidak berformat CSV", "not in CSV format"),
        ("umkm.csv", people_csv, {"out_name": "hasil.json"}, ".csv atau .xlsx", ".json"),
        ("umkm.csv", people_csv, {"out_name": "umkm.csv"}, "tidak boleh sama", "cannot be"),
        (
            "umkm.csv",
            people_csv,
            {"out_name": "tidak/ada.csv"},
            "tidak dapat ditulis",
            "no such directory",
        ),
        ("umkm.csv", people_csv, {"threshold": "1"}, "di antara 0 dan 1", "got 1"),
        ("umkm.csv", people_csv, {"threshold": "0"}, "di antara 0 dan 1", "got 0"),
        ("umkm.csv", people_csv, {"threshold": "tinggi"}, "di antara 0 dan 1", "got tinggi"),
        ("umkm.csv", people_csv, {"map": ["umur=Umur"]}, "Bidang 'umur'", "id_number, name"),
        ("umkm.csv", people_csv, {"map": ["name"]}, "bidang=kolom", "field=column"),
        (
            "umkm.csv",
            people_csv,
            {"map": ["name=Nama Orang"]},
            "Kolom 'Nama Orang'",
            "'No. KTP', 'Nama Lengkap', 'Tgl. Lahir'",
        ),
    ],
)
def test_bad_input_is_refused_in_both_languages(tmp_path, name, make, options, indonesian, english):
    source = tmp_path / name
    if make:
        make(source)
    out = tmp_path / options.pop("out_name", "hasil.csv")
    stdout = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("dedup_file", str(source), out=str(out), stdout=stdout, **options)
    assert indonesian in str(refused.value) and english in str(refused.value)
    assert json.loads(stdout.getvalue().strip().splitlines()[-1])["status"] == "refused"
    assert not out.exists() or out == source


def test_more_rows_than_a_workbook_holds_must_be_written_as_csv(tmp_path, monkeypatch):
    monkeypatch.setattr(dedupfile, "XLSX_MAX_ROWS", 29)
    with pytest.raises(
        CommandError, match=r"(?s)paling banyak 29 baris.*write the output as \.csv"
    ):
        dedup(people_csv(tmp_path / "umkm.csv"), out=tmp_path / "hasil.xlsx")
    assert not (tmp_path / "hasil.xlsx").exists()


def test_spark_without_pyspark_says_how_to_install_it(tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    fake = lambda name, *args: None if name == "pyspark" else real(name, *args)  # noqa: E731
    monkeypatch.setattr(importlib.util, "find_spec", fake)
    with pytest.raises(CommandError, match=r"belum terpasang(.|\n)*pip install -e \.\[spark\]"):
        dedup(people_csv(tmp_path / "umkm.csv"), out=tmp_path / "hasil.csv", backend="spark")


def test_the_console_script_exits_1_with_the_reason_and_no_traceback(tmp_path):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pulih",
            "dedup-file",
            str(tmp_path / "hilang.csv"),
            "--out",
            str(tmp_path / "hasil.csv"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "tidak ditemukan" in run.stderr and "not found" in run.stderr
    assert "Traceback" not in run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1])["code"] == "file_missing"


def test_the_console_script_needs_no_secret_key_or_debug_mode(tmp_path):
    """An analyst runs the tool on a file; it signs nothing and needs no server settings."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    source, out = people_csv(tmp_path / "umkm.csv"), tmp_path / "hasil.csv"
    run = subprocess.run(
        [sys.executable, "-m", "pulih", "dedup-file", str(source), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1])["status"] == "done"
    assert out.exists()
