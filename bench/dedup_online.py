"""Time the online duplicate check at scale: a fresh database holding N people (default
1,000,000) from the synthetic generator, then the check of Q new records as the entry
form sends them: Q/2 are other records of people already registered (typos, old
spellings, titles, a mistyped or missing NIK…), Q/2 are people not registered.

    .venv/bin/python -m bench.dedup_online [--people N] [--checks Q] [--database-url URL]

Reports the per-record time (p50, p95, p99, max), and how often a registered person's
true record was among the candidates shown. Prints the figures as JSON on the last line.
"""

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

from bench.dedup_data import generate_people
from bench.list_businesses import insert, setup_django

CHUNK = 20_000
SEXES = {"L": "M", "P": "F"}


def populate(rows):
    from django.db import transaction
    from django.utils import timezone

    from pulih.core.text import name_key
    from pulih.registry.models import CollectionBatch, Person

    now = timezone.now()
    batches, ids, niks = {}, {}, set()
    for start in range(0, len(rows), CHUNK):
        people = []
        for row in rows[start : start + CHUNK]:
            _, _, nik, name, born, sex, phone, address, village, _ = row
            regency = village[:5]
            if nik and (regency, nik) in niks:
                continue  # the registry keeps one person per NIK in a regency
            niks.add((regency, nik))
            if regency not in batches:
                batches[regency] = CollectionBatch.objects.create(
                    province_code=village[:2], regency_code=regency, stage=1
                ).pk
            people.append(
                {
                    "province_code": village[:2],
                    "regency_code": regency,
                    "district_code": village[:8],
                    "village_code": village,
                    "batch_id": batches[regency],
                    "created_at": now,
                    "updated_at": now,
                    "nik": nik,
                    "nik_valid": len(nik) == 16,
                    "name": name,
                    "name_key": name_key(name),
                    "birth_date": date.fromisoformat(born) if born else None,
                    "sex": SEXES.get(sex, ""),
                    "phone": phone,
                    "address": address,
                }
            )
        with transaction.atomic():
            insert(Person, people)
    for pk, nik, name, village in Person.objects.values_list("pk", "nik", "name", "village_code"):
        ids[(nik, name, village)] = pk
    return ids


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--checks", type=int, default=400)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pulih-bench-") as workdir:
        setup_django(Path(workdir), args.database_url)
        run(args.people, args.checks)


def run(size, checks):
    from pulih.accounts.models import Role
    from pulih.accounts.services import user_create
    from pulih.dedup.online import candidates_for

    rows = generate_people(size + size // 10, seed=7)
    registered, later = rows[:size], rows[size:]
    started = time.monotonic()
    ids = populate(registered)
    load_seconds = time.monotonic() - started
    print(f"loaded {size} people in {load_seconds:.0f} s", flush=True)
    by_truth = defaultdict(set)
    for row in registered:
        if (row[2], row[3], row[8]) in ids:
            by_truth[row[1]].add(ids[(row[2], row[3], row[8])])
    known = [row for row in later if row[1] in by_truth][: checks // 2]
    unknown = [row for row in later if row[1] not in by_truth][: checks - len(known)]
    user = user_create(username="bench-pusat", role=Role.PUSAT)
    times, found = [], 0
    for row in known + unknown:
        _, truth, nik, name, born, sex, phone, address, village, _ = row
        record = {
            "id_number": nik,
            "name": name,
            "birth_date": born,
            "sex": SEXES.get(sex, ""),
            "phone": phone,
            "address": address,
            "region": village,
        }
        began = time.perf_counter()
        result = candidates_for(user=user, record=record)
        times.append((time.perf_counter() - began) * 1000)
        if truth in by_truth and {c.person.pk for c in result.candidates} & by_truth[truth]:
            found += 1
    times.sort()

    def percentile(share):
        return round(times[min(len(times) - 1, int(share * len(times)))], 1)

    from django.db import connection

    print(
        json.dumps(
            {
                "benchmark": "dedup_online",
                "people": size,
                "checks": len(times),
                "database": connection.vendor,
                "load_seconds": round(load_seconds, 1),
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": percentile(0.95),
                "p99_ms": percentile(0.99),
                "max_ms": round(times[-1], 1),
                "registered_found": f"{found}/{len(known)}",
                "date": date.today().isoformat(),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                f"{platform.python_implementation()} {platform.python_version()}",
            }
        )
    )


if __name__ == "__main__":
    main()
