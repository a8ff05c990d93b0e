"""Time the business list at scale: a fresh database with N businesses (default 1,000,000)
spread over 100 regencies of 10 provinces, each with its owner and one impact report;
then, for a regency, a province and a central officer, the first page, page 50, a filtered
page, a name search and a NIK search, each as the page shows it (capped count + one page)
and, for comparison, the exact COUNT(*) that a plain paginator would add; last, the
regency officer's whole list exported as CSV and XLSX.

    DEBUG=true .venv/bin/python bench/list_businesses.py [--rows N] [--database-url URL]

Prints one line per measurement, then the figures as JSON on the last line.
"""

import argparse
import datetime
import functools
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROVINCES = ["11", "12", "13", "14", "15", "16", "17", "18", "19", "21"]
REGENCIES_PER_PROVINCE = 10
DISTRICTS_PER_REGENCY = 5
VILLAGES_PER_DISTRICT = 10
# Words of business and owner names, so that names sort and match like real ones.
WORDS = (  # noqa: SIM905
    "Warung Toko Kerupuk Kopi Batik Bengkel Jahit Kue Sambal Ikan Tenun Madu Keripik Bakso "
    "Laundry Mebel Sablon Tahu Tempe Rotan Gula Aren Lada Kerajinan Songket Dodol Abon Roti"
).split()
FIRST = "Siti Budi Rina Agus Dewi Wahyu Sri Joko Ani Rudi Lina Hadi Yuni Eko Tuti Bayu".split()  # noqa: SIM905
LAST = "Aminah Santoso Wati Saputra Lestari Hidayat Rahayu Kurniawan Susanti Pratama".split()  # noqa: SIM905
STATUSES = ("operating", "reduced", "temporarily_closed", "closed", "pivoted")
SECTIONS = "ACCCGGGGIIS"
CHUNK = 20_000
REPEATS = 3


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pulih-bench-") as workdir:
        run(Path(workdir), args.rows, args.database_url)


def setup_django(workdir, database_url):
    os.environ["DJANGO_SETTINGS_MODULE"] = "pulih.settings"
    os.environ["DEBUG"] = "true"
    os.environ["PULIH_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


REGENCIES = [f"{p}.{r:02d}" for p in PROVINCES for r in range(1, REGENCIES_PER_PROVINCE + 1)]
# Rows numbered so that row n lies in REGENCIES[n % 100]: n = 80 + 100k is in 19.01.
IN_BANGKA = 8080


def village_of(number):
    regency = REGENCIES[number % len(REGENCIES)]
    district = f"{regency}.{(number // 100) % DISTRICTS_PER_REGENCY + 1:02d}"
    return f"{district}.{2001 + (number // 1000) % VILLAGES_PER_DISTRICT}"


def nik_of(number, village):
    """A NIK-shaped number unique per row (validity does not matter for listing)."""
    region = village[:8].replace(".", "")
    return f"{region}{number % 1_000_000:06d}{number // 1_000_000:04d}"


def insert(model, rows):
    """Insert dicts of field values with executemany: the ORM's objects would cost more
    time than the listing being measured. Text and numbers go in as they are; the rest
    (dates, defaults such as JSON) is converted for the database once per distinct value."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 (model names)

    defaults = {f: f.get_db_prep_save(f.get_default(), connection) for f in fields}

    @functools.cache
    def prepared(field, value):
        return field.get_db_prep_save(value, connection)

    def value(field, row):
        if field.attname not in row:
            return defaults[field]
        given = row[field.attname]
        return given if isinstance(given, str | int) else prepared(field, given)

    with connection.cursor() as cursor:
        cursor.executemany(sql, [[value(f, row) for f in fields] for row in rows])


def populate(total):
    from django.db import transaction
    from django.utils import timezone

    from pulih.registry.models import Business, CollectionBatch, ImpactReport, Person

    now = timezone.now()
    batches = {
        regency: CollectionBatch.objects.create(
            province_code=regency[:2], regency_code=regency, stage=1
        ).pk
        for regency in REGENCIES
    }
    for start in range(0, total, CHUNK):
        numbers = range(start, min(start + CHUNK, total))
        with transaction.atomic():
            people, businesses, reports = [], [], []
            for n in numbers:
                village = village_of(n)
                region = {
                    "province_code": village[:2],
                    "regency_code": village[:5],
                    "district_code": village[:8],
                    "village_code": village,
                    "batch_id": batches[village[:5]],
                    "created_at": now,
                    "updated_at": now,
                }
                owner = f"{FIRST[n % len(FIRST)]} {LAST[(n // 7) % len(LAST)]}"
                people.append({**region, "name": owner, "nik": nik_of(n, village)})
                businesses.append(
                    {
                        **region,
                        "owner_id": n + 1,  # a fresh database numbers rows from 1
                        "name": f"{WORDS[n % len(WORDS)]} {WORDS[(n // 29) % len(WORDS)]} "
                        f"{owner.split()[0]} {n}",
                        "kbli_section": SECTIONS[n % len(SECTIONS)],
                        "scale": "micro",
                    }
                )
                reports.append(
                    {
                        "business_id": n + 1,
                        "report_date": datetime.date(2020, 4, 1 + n % 28),
                        "status": STATUSES[(n // 3) % len(STATUSES)],
                        "created_at": now,
                    }
                )
            insert(Person, people)
            insert(Business, businesses)
            insert(ImpactReport, reports)


def timed(function):
    """Best and median of REPEATS runs, in milliseconds."""
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return {"best_ms": round(min(times), 1), "median_ms": round(statistics.median(times), 1)}


def measure(viewer, label):
    from pulih.registry import selectors

    def page(number, **filters):
        def run():
            listed = selectors.list_page(selectors.business_list(viewer=viewer, **filters), number)
            for business in listed:
                business.owner.name, business.batch.stage  # noqa: B018 (read as the page does)
            selectors.village_names_set(listed.object_list)
            return listed

        return run

    def exact_count(**filters):
        return lambda: selectors.business_list(viewer=viewer, **filters).count()

    cases = {
        "first page": ({}, 1),
        "page 50": ({}, 50),
        "filtered (KBLI C, latest impact closed)": (
            {"kbli_section": "C", "impact_status": "closed"},
            1,
        ),
        "search name 'kopi'": ({"query": "kopi"}, 1),
        "search NIK": ({"query": nik_of(IN_BANGKA, village_of(IN_BANGKA))}, 1),
    }
    results = {}
    for case, (filters, number) in cases.items():
        shown = page(number, **filters)()
        results[case] = {
            "page": timed(page(number, **filters)),
            "exact_count": timed(exact_count(**filters)),
            "rows_on_page": len(shown),
            "count_shown": f"{'>' if shown.count_capped else ''}{shown.count}",
        }
        print(
            f"{label:<18} {case:<42} page {results[case]['page']['median_ms']:8.1f} ms"
            f"   exact COUNT(*) {results[case]['exact_count']['median_ms']:8.1f} ms"
            f"   shown {results[case]['count_shown']}"
        )
    return results


def measure_export(viewer):
    """Rows per second of the regency officer's whole list as CSV and as XLSX."""
    from pulih.core.exports import export_rows
    from pulih.registry import selectors
    from pulih.registry.views_list import business_columns

    results = {}
    for fmt in ("csv", "xlsx"):
        started = time.perf_counter()
        businesses = selectors.business_list(viewer=viewer)
        response = export_rows(
            rows=selectors.with_village_names(businesses.iterator(chunk_size=2000)),
            columns=business_columns(viewer),
            fmt=fmt,
            filename="bench",
        )
        size = sum(len(chunk) for chunk in response.streaming_content)
        seconds = time.perf_counter() - started
        rows = businesses.count()
        results[fmt] = {"rows": rows, "seconds": round(seconds, 2), "bytes": size}
        print(f"export {fmt:<5} {rows:,} rows in {seconds:.2f} s ({rows / seconds:,.0f} rows/s)")
    return results


def run(workdir, total, database_url):
    setup_django(workdir, database_url)
    from django.db import connection, connections

    from pulih.accounts.models import Role, User

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"database: {connection.vendor}, {total:,} businesses")
    started = time.perf_counter()
    populate(total)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as a live database has them
    load_seconds = round(time.perf_counter() - started, 1)
    print(f"populated in {load_seconds} s")
    viewers = {
        "regency officer": User(role=Role.KABKOTA, province_code="19", regency_code="19.01"),
        "province officer": User(role=Role.PROVINSI, province_code="19"),
        "central officer": User(role=Role.PUSAT),
    }
    figures = {label: measure(viewer, label) for label, viewer in viewers.items()}
    figures["export"] = measure_export(viewers["regency officer"])
    connections.close_all()
    print(
        json.dumps(
            {
                "businesses": total,
                "database": connection.vendor,
                "populate_s": load_seconds,
                "results": figures,
            }
        )
    )


if __name__ == "__main__":
    main()
