"""Time the registry import: generate an N-row XLSX (or CSV) of affected UMKM in
Kabupaten Bangka (valid NIKs that agree with the village, Indonesian names, a few % bad
rows and repeats) and import it through `pulih import` (the command line's code path)
into a fresh database: a temporary SQLite file, or a new PostgreSQL database on the given
server that is dropped afterwards.

    .venv/bin/python -m bench.import_registry --rows 100000 [--database-url URL] [--format csv]

The file is written and the database prepared in child processes, so the peak memory
reported (ru_maxrss) is the import's own. Prints progress, then the figures as JSON on
the last line.
"""

import argparse
import contextlib
import csv
import io
import itertools
import json
import os
import platform
import random
import resource
import secrets
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import escape

REGENCY = "19.01"
HEADERS = [
    "NIK",
    "Nama Pemilik",
    "Tanggal Lahir (DD-MM-YYYY)",
    "Jenis Kelamin (L/P)",
    "No. HP",
    "Alamat Pemilik",
    "Kode Desa/Kelurahan",
    "Nama Usaha",
    "NIB",
    "Sektor (KBLI A-U)",
    "Jenis Usaha",
    "Modal Usaha (Rp)",
    "Omzet per Tahun (Rp)",
    "Jumlah Karyawan",
    "Alamat Usaha",
    "Lintang (Latitude)",
    "Bujur (Longitude)",
    "WhatsApp",
    "Tautan Marketplace",
    "Tanggal Pendataan (DD-MM-YYYY)",
    "Omzet per Bulan Sebelum Covid (Rp)",
    "Omzet per Bulan Sesudah Covid (Rp)",
    "Karyawan Sebelum Covid",
    "Karyawan Sesudah Covid",
    "Karyawan Dirumahkan/PHK",
    "Status Usaha",
    "Masalah",
    "Kebutuhan",
]
MEN = "Agus Budi Joko Wahyu Eko Bayu Hadi Rudi Sutrisno Bambang Yusuf Andi Dedi Hendra".split()  # noqa: SIM905
WOMEN = "Siti Dewi Sri Rina Ani Lina Yuni Tuti Nur Wulan Fitri Ratna Indah Maya".split()  # noqa: SIM905
FAMILY = "Santoso Saputra Hidayat Kurniawan Pratama Wijaya Lestari Rahayu Susanti Aminah".split()  # noqa: SIM905
TRADES = [
    ("C", "Kerupuk ikan", "Kerupuk"),
    ("C", "Keripik", "Keripik"),
    ("C", "Batik cual", "Batik"),
    ("I", "Warung makan", "Warung"),
    ("I", "Kopi", "Kedai Kopi"),
    ("G", "Toko kelontong", "Toko"),
    ("G", "Pempek", "Pempek"),
    ("A", "Lada putih", "Kebun Lada"),
    ("S", "Jahit", "Penjahit"),
    ("H", "Ojek", "Ojek"),
]
MOBILE_PREFIXES = "811 812 813 821 822 823 851 852 853 856 857 858 877 878 881 895 896".split()  # noqa: SIM905
STATUSES = ["Beroperasi", "Berkurang", "Berkurang", "Tutup Sementara", "Tutup", "Beralih Usaha"]
PROBLEMS = ["Penurunan permintaan", "Bahan baku", "Modal", "Distribusi", "PSBB"]
NEEDS = ["Modal", "Bahan baku", "Pemasaran", "Pelatihan", "Bantuan"]
# Share of rows made invalid, and of rows that repeat an earlier row.
INVALID_SHARE = 0.03
REPEAT_SHARE = 0.01


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--format", choices=["xlsx", "csv"], default="xlsx", help="the generated file's format"
    )
    parser.add_argument("--generate", help=argparse.SUPPRESS)
    parser.add_argument("--villages", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        write = csv_write if args.generate.endswith(".csv") else workbook_write
        write(Path(args.generate), rows_make(args.rows, json.loads(args.villages)))
        return
    with (
        tempfile.TemporaryDirectory(prefix="pulih-bench-") as workdir,
        database(args.database_url, Path(workdir)) as url,
    ):
        run(Path(workdir), args.rows, url, args.format)


@contextlib.contextmanager
def database(url, workdir):
    """A temporary SQLite file, or a fresh PostgreSQL database dropped at the end."""
    if not url:
        yield f"sqlite:///{workdir / 'bench.sqlite3'}"
        return
    import psycopg

    parts = urlsplit(url)
    name = f"pulih_bench_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run(workdir, rows, url, file_format):
    # As in production: with DEBUG on, Django would keep the text of every query.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pulih.settings",
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(32),
        "PULIH_VAR_DIR": str(workdir),
        "DATABASE_URL": url,
    }
    os.environ.update(env)
    python = platform.python_version()
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {python}")
    print(f"database: {url}")
    started = time.perf_counter()
    pulih = [sys.executable, "-m", "pulih"]
    subprocess.run([*pulih, "migrate", "--verbosity=0"], env=env, check=True)  # noqa: S603
    subprocess.run([*pulih, "wilayah_load", "--verbosity=0"], env=env, check=True)  # noqa: S603
    print(f"fresh database with regions: {time.perf_counter() - started:.1f} s")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from pulih.accounts.models import Role, User
    from pulih.wilayah.models import Village

    villages = list(Village.objects.filter(code__startswith=f"{REGENCY}.").values_list("code"))
    path = workdir / f"umkm-{rows}.{file_format}"
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "bench.import_registry",
            "--rows",
            str(rows),
            "--generate",
            str(path),
            "--villages",
            json.dumps([code for (code,) in villages]),
        ],
        check=True,
    )
    size = path.stat().st_size
    expanded = size
    if file_format == "xlsx":
        expanded = sum(entry.file_size for entry in zipfile.ZipFile(path).infolist())
    print(
        f"generated {path.name}: {size / 1e6:.1f} MB ({expanded / 1e6:.0f} MB unpacked) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    # A wide file of a million rows is larger than the default upload limit of 50 MB;
    # the limits are raised to fit so that the import itself is what is measured.
    settings.PULIH_IMPORT_MAX_BYTES = max(50 * 1024 * 1024, size, expanded // 20 + 1)
    settings.PULIH_IMPORT_MAX_ROWS = max(1_000_000, rows)
    user = User.objects.create_user(
        "bench-kab", role=Role.KABKOTA, province_code=REGENCY[:2], regency_code=REGENCY
    )

    out = io.StringIO()
    started = time.perf_counter()
    call_command("import", str(path), user=user.username, stdout=out)
    seconds = time.perf_counter() - started
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    validate, write = summary["seconds"]["validate"], summary["seconds"]["write"] or 0
    figures = {
        "rows": rows,
        "database": url.split(":", 1)[0],
        "format": file_format,
        "file_mb": round(size / 1e6, 1),
        "counts": summary["counts"],
        "written": summary["written"],
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds),
        "validate_seconds": validate,
        "validate_rows_per_second": round(rows / validate) if validate else None,
        "write_seconds": write,
        "write_rows_per_second": round(summary["counts"]["valid"] / write) if write else None,
        "peak_memory_mb": round(peak),
    }
    print(
        f"imported {rows:,} rows in {seconds:.1f} s (validate {validate:.1f} s, "
        f"write {write:.1f} s), peak memory {peak:.0f} MB"
    )
    print(json.dumps(figures))


def rows_make(count, villages):
    """The header, then `count` rows: mostly valid, a few spoiled, a few repeated."""
    rng = random.Random(2020)  # noqa: S311
    yield HEADERS
    kept = []
    for number in range(count):
        row = row_make(number, rng, villages)
        if kept and rng.random() < REPEAT_SHARE:
            row = rng.choice(kept)
        elif rng.random() < INVALID_SHARE:
            row = row_spoil(row, rng)
        elif len(kept) < 1000:
            kept.append(row)
        yield row


def workbook_write(path, rows):
    """A minimal XLSX written directly (openpyxl needs ~10 minutes for a million rows):
    one sheet of inline strings and numbers, as calamine and Excel read it."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, text in PACKAGE_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_START.encode())
            for chunk in batched(rows, 5000):
                sheet.write("".join(xml_row(row) for row in chunk).encode())
            sheet.write(SHEET_END.encode())


def csv_write(path, rows):
    """CSV as Excel on an Indonesian Windows saves it: Windows-1252, semicolons."""
    with path.open("w", encoding="cp1252", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rows)


def batched(rows, size):
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, size)):
        yield chunk


def row_make(number, rng, villages):
    village = rng.choice(villages)
    female = rng.random() < 0.55
    year, month, day = rng.randint(1950, 2002), rng.randint(1, 12), rng.randint(1, 28)
    nik = (
        village[:8].replace(".", "")
        + f"{day + 40 if female else day:02d}{month:02d}{year % 100:02d}"
        + f"{number % 9999 + 1:04d}"
    )
    first = rng.choice(WOMEN if female else MEN)
    owner = f"{first} {rng.choice(FAMILY)}"
    section, note, trade = rng.choice(TRADES)
    phone = f"0{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 99_999_999):08d}"
    before = rng.randrange(2, 60) * 1_000_000
    employees = rng.randint(0, 12)
    after_employees = rng.randint(0, employees)
    return [
        nik,
        owner,
        f"{day:02d}-{month:02d}-{year}",
        "P" if female else "L",
        phone,
        f"Jl. {rng.choice(FAMILY)} No. {rng.randint(1, 200)}, RT {rng.randint(1, 20):02d}",
        village,
        f"{trade} {first} {number}",
        "",
        section,
        note,
        rng.randrange(1, 400) * 1_000_000,
        before * 12,
        employees,
        f"Pasar {rng.choice(FAMILY)} Blok {rng.choice('ABCDE')}",
        f"{-1.5 - rng.random():.6f}",
        f"{105.7 + rng.random() * 0.6:.6f}",
        phone if rng.random() < 0.7 else "",
        f"https://www.tokopedia.com/umkm{number}" if rng.random() < 0.2 else "",
        f"{rng.randint(1, 30):02d}-04-2020",
        before,
        before * rng.randint(1, 9) // 10,
        employees,
        after_employees,
        employees - after_employees,
        rng.choice(STATUSES),
        ", ".join(rng.sample(PROBLEMS, rng.randint(1, 3))),
        ", ".join(rng.sample(NEEDS, rng.randint(1, 2))),
    ]


def row_spoil(row, rng):
    """One of the mistakes regency files really have."""
    row = list(row)
    mistake = rng.randrange(5)
    if mistake == 0:
        row[0] = row[0][:15]  # a digit lost
    elif mistake == 1:
        row[4] = "0812345"  # a phone number too short
    elif mistake == 2:
        row[7] = ""  # no business name
    elif mistake == 3:
        row[6] = "19.02.01.2001"  # a village of another regency
    else:
        row[19] = "31-02-2020"  # no such date
    return row


def xml_row(values):
    cells = []
    for value in values:
        if isinstance(value, int):
            cells.append(f"<c><v>{value}</v></c>")
        elif value:
            cells.append(f'<c t="inlineStr"><is><t>{escape(value)}</t></is></c>')
        else:
            cells.append("<c/>")
    return f"<row>{''.join(cells)}</row>"


SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<sheetData>"
)
SHEET_END = "</sheetData></worksheet>"
MAIN = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
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
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{MAIN}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{MAIN}"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{MAIN}/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}


if __name__ == "__main__":
    main()
