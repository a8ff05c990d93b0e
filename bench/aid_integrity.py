"""Time the check that stops BPUM's audit defects before money leaves, and measure how
many it stops: a fresh database holding N applicants (default 100,000), each with a
business, from the synthetic generator of `bench.dedup_data`, with the defects the state
audit board (BPK) found among 12 million BPUM recipients planted in the same proportions.

    .venv/bin/python -m bench.aid_integrity [--size N] [--database-url URL]

The planted defects, each on its own applicant (scaled from the audit's counts):
- paid twice: the same person registered again in another regency of the province,
  the name spelt differently, half the time without a NIK; record linkage must find them;
- NIK not in the civil registry: the applicant's NIK mistyped (one digit changed or two
  swapped), the civil registry's list holding the true one;
- civil servant, TNI/Polri or BUMN/BUMD staff (on BKN's list, or on the state enterprises'),
  deceased, receiving other bank credit, receiving KUR: the NIK on that agency's list;
- not micro: capital and sales of a small or medium business.
The others are clean: a NIK the civil registry knows, a micro business, on no list. The
generator's people come with families, twins and namesakes; the few it leaves without a
NIK are given one, since BPUM's proposers sent none without. Each list also names people
who did not apply, and the civil registry knows them all; the lists' NIKs are right, as
the audit matched recipients to them by NIK.

The check, timed (generating the data, inserting it and writing the list files are not):
a national deduplication run (`dedup.services.run_execute`), the lists imported through
`programs.lists.list_import`, a BPUM programme with its candidates enrolled by a central
officer, `eligibility.evaluate`, then every eligible enrolment verified and approved: a
second record of one entity is refused by the one-payment constraint, and counts as
blocked. Prints, as JSON on the last line, the share of each category's planted defects
blocked before payment, the share of clean applicants blocked, counts and seconds.
"""

import argparse
import csv
import json
import os
import platform
import resource
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from random import Random

from bench.dedup_data import (
    OLD_SPELLING_ANY,
    business_variant,
    digit_typo,
    generate_people,
    old_spelling,
    typo,
    villages,
)
from bench.list_businesses import insert, setup_django

RECIPIENTS = 12_000_000
# The audit's findings among BPUM's 12 million recipients (DOMAIN.md).
AUDIT = {
    "paid_twice": 2_413,
    "nik_not_in_civil_registry": 207_771,
    "civil_servant_or_state_enterprise": 42_487,
    "deceased": 8_933,
    "not_micro": 29_060,
    "bank_credit": 144_802,
    "kur": 25_912,
}
# Of the 42,487 the later audit counted, the part on the BUMN/BUMD list (a guess: the
# audit gives no split).
STATE_ENTERPRISE_SHARE = 0.4
TWICE_WITHOUT_NIK = 0.5
# People on an exclusion list who did not apply, per applicant on it; and people the civil
# registry knows who did not apply, per applicant.
OUTSIDERS_PER_LISTED = 2
CIVIL_REGISTRY_OUTSIDERS = 0.05
SEXES = {"L": "M", "P": "F"}
CHUNK = 20_000
VERIFY_CHUNK = 10_000
AMOUNT = 2_400_000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pulih-bench-") as workdir:
        setup_django(Path(workdir), args.database_url)
        run(Path(workdir), args.size, args.seed)


def planted_counts(size):
    """How many applicants of `size` carry each defect, in the audit's proportions."""
    return {category: round(count * size / RECIPIENTS) for category, count in AUDIT.items()}


def generate(size, seed):
    """Applicants (dicts, one per person), their second records, the list rows, and the
    category each planted applicant carries."""
    rng = Random(seed)
    counts = planted_counts(size)
    twice = counts["paid_twice"]
    listed = sum(
        counts[c] for c in ("civil_servant_or_state_enterprise", "deceased", "bank_credit", "kur")
    )
    first = size - twice
    outsiders = listed * OUTSIDERS_PER_LISTED + round(first * CIVIL_REGISTRY_OUTSIDERS)
    people = [
        _person(row) for row in generate_people(first + outsiders, seed=seed, duplicate_share=0)
    ]
    _niks_fill(people)
    applicants, others = people[:first], people[first:]
    niks = {p["nik"] for p in people}

    chosen = rng.sample(range(first), sum(counts.values()))
    category = {}
    for name, count in counts.items():
        for index in chosen[:count]:
            category[index] = name
        chosen = chosen[count:]

    lists = defaultdict(list)
    seconds = []
    for index, kind in category.items():
        person = applicants[index]
        if kind == "paid_twice":
            seconds.append((index, _registered_again(rng, person)))
        elif kind == "nik_not_in_civil_registry":
            true = person["nik"]
            while person["nik"] in niks:
                person["nik"] = digit_typo(rng, true)
            niks.add(person["nik"])
            lists["civil_registry"].append(_list_row({**person, "nik": true}))
        elif kind == "not_micro":
            person["scale"] = "small" if rng.random() < 0.8 else "medium"
        elif kind == "civil_servant_or_state_enterprise":
            on = "state_enterprise" if rng.random() < STATE_ENTERPRISE_SHARE else "civil_servants"
            lists[on].append(_list_row(person))
        else:  # deceased, bank_credit, kur: named as their lists' kinds
            lists[kind].append(_list_row(person))
    lists["civil_registry"] += [
        _list_row(p)
        for i, p in enumerate(applicants)
        if category.get(i) != "nik_not_in_civil_registry"
    ]
    others = iter(others)
    for kind in ("civil_servants", "state_enterprise", "deceased", "bank_credit", "kur"):
        lists[kind] += [
            _list_row(next(others)) for _ in range(len(lists[kind]) * OUTSIDERS_PER_LISTED)
        ]
    lists["civil_registry"] += [_list_row(p) for p in others]
    for rows in lists.values():
        rng.shuffle(rows)
    for person in applicants:
        _business_size(rng, person)
    for _index, person in seconds:
        _business_size(rng, person)
    return applicants, seconds, dict(lists), category


def _person(row):
    _, truth, nik, name, born, sex, phone, address, village, business = row
    return {
        "truth": truth,
        "nik": nik,
        "name": name,
        "birth_date": date.fromisoformat(born) if born else None,
        "sex": SEXES.get(sex, ""),
        "phone": phone,
        "address": address,
        "village": village,
        "business": business or f"Usaha {name}",
        "scale": "micro",
    }


def _niks_fill(people):
    """A NIK for those the generator left without one: district, birth date (+40 on the
    day for women), a serial from 9001 that the generator's low serials never reach."""
    serials = Counter()
    for person in people:
        if person["nik"]:
            continue
        born = person["birth_date"] or date(1975, 1, 1)
        day = born.day + 40 if person["sex"] == "F" else born.day
        key = f"{person['village'][:8].replace('.', '')}{day:02d}{born:%m%y}"
        serials[key] += 1
        person["nik"] = f"{key}{9000 + serials[key]:04d}"


def _registered_again(rng, person):
    """The same person as another regency of the province wrote them down."""
    places = villages()
    regency = person["village"][:5]
    regencies = sorted({places.codes[i][:5] for i in places.by_province[regency[:2]]} - {regency})
    village = places.codes[rng.choice(places.by_regency[rng.choice(regencies)])]
    name = person["name"]
    respelt = old_spelling(rng, name) if OLD_SPELLING_ANY.search(name) else name
    return {
        **person,
        "nik": "" if rng.random() < TWICE_WITHOUT_NIK else person["nik"],
        "name": respelt if respelt != name and rng.random() < 0.5 else typo(rng, name),
        "village": village,
        "address": "",
        "phone": person["phone"] if rng.random() < 0.5 else "",
        "business": person["business"]
        if rng.random() < 0.7
        else business_variant(rng, person["business"]),
    }


def _list_row(person):
    born = person["birth_date"]
    return [person["nik"], person["name"], born.strftime("%d-%m-%Y") if born else ""]


def _business_size(rng, person):
    """Capital and annual sales (Rp) log-uniform within the scale's bounds (PP 7/2021)."""
    low, high = {
        "micro": ((2e6, 9e8), (1.2e7, 1.9e9)),
        "small": ((1.2e9, 4.5e9), (2.5e9, 1.2e10)),
        "medium": ((5.5e9, 9e9), (1.6e10, 4.5e10)),
    }[person["scale"]]
    person["capital"] = _log_uniform(rng, *low)
    person["annual_sales"] = _log_uniform(rng, *high)


def _log_uniform(rng, low, high):
    return int(low * (high / low) ** rng.random()) // 100_000 * 100_000


def populate(records):
    """Insert the records (people with their business) in order; return their ids."""
    from django.db import transaction
    from django.utils import timezone

    from pulih.core.text import name_key
    from pulih.registry.models import Business, CollectionBatch, Person, scale_of
    from pulih.wilayah.data import nik_check

    now = timezone.now()
    batches = {}
    for start in range(0, len(records), CHUNK):
        people = []
        for record in records[start : start + CHUNK]:
            village = record["village"]
            region = {
                "province_code": village[:2],
                "regency_code": village[:5],
                "district_code": village[:8],
                "village_code": village,
            }
            if village[:5] not in batches:
                batches[village[:5]] = CollectionBatch.objects.create(
                    province_code=village[:2], regency_code=village[:5], stage=1
                ).pk
            batch = {"batch_id": batches[village[:5]], "created_at": now, "updated_at": now}
            check = nik_check(record["nik"]) if record["nik"] else None
            people.append(
                {
                    **region,
                    **batch,
                    "nik": record["nik"],
                    "nik_valid": bool(check and check.valid),
                    "name": record["name"],
                    "name_key": name_key(record["name"]),
                    "birth_date": record["birth_date"],
                    "sex": record["sex"],
                    "phone": record["phone"],
                    "address": record["address"],
                }
            )
        with transaction.atomic():
            insert(Person, people)
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(records), CHUNK):
        businesses = []
        for pk, record in zip(
            ids[start : start + CHUNK], records[start : start + CHUNK], strict=True
        ):
            village = record["village"]
            businesses.append(
                {
                    "province_code": village[:2],
                    "regency_code": village[:5],
                    "district_code": village[:8],
                    "village_code": village,
                    "batch_id": batches[village[:5]],
                    "created_at": now,
                    "updated_at": now,
                    "owner_id": pk,
                    "name": record["business"],
                    "capital": record["capital"],
                    "annual_sales": record["annual_sales"],
                    "scale": scale_of(
                        capital=record["capital"], annual_sales=record["annual_sales"]
                    ),
                }
            )
        with transaction.atomic():
            insert(Business, businesses)
    return ids


def lists_write(directory, lists):
    paths = {}
    for kind, rows in lists.items():
        paths[kind] = directory / f"{kind}.csv"
        with paths[kind].open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["NIK", "Nama", "Tanggal Lahir"])
            writer.writerows(rows)
    return paths


def check(user, paths):
    """The timed check; returns the approval's result and the seconds of each part."""
    from pulih.dedup.models import DedupRun
    from pulih.dedup.services import REVIEW_FLOOR, THRESHOLD, run_execute
    from pulih.programs import eligibility, lists, services
    from pulih.programs.models import Enrolment, Programme
    from pulih.programs.rules import BPUM_RULES

    parts = {}
    started = time.monotonic()

    def lap(name):
        nonlocal started
        now = time.monotonic()
        parts[name] = round(now - started, 1)
        started = now

    run = run_execute(
        run=DedupRun.objects.create(threshold=THRESHOLD, review_floor=REVIEW_FLOOR, created_by=user)
    )
    lap("dedup_run")
    for kind, path in paths.items():
        lists.list_import(user=user, kind=kind, path=path, filename=path.name, name=kind)
    lap("lists_import")
    programme = services.programme_create(
        user=user,
        name="BPUM",
        agency="Kemenkop UKM",
        kind=Programme.Kind.CASH,
        amount=AMOUNT,
        rules=BPUM_RULES,
    )
    cycle = programme.cycles.get()
    services.candidates_enrol(user=user, cycle=cycle)
    lap("enrol")
    enrolments = Enrolment.objects.filter(cycle=cycle)
    eligibility.evaluate(enrolments=enrolments)
    lap("evaluate")
    eligible = list(enrolments.filter(status=Enrolment.Status.ELIGIBLE).order_by("pk").only("pk"))
    for start in range(0, len(eligible), VERIFY_CHUNK):
        services.enrolments_verify(user=user, enrolments=eligible[start : start + VERIFY_CHUNK])
    lap("verify")
    approval = services.enrolments_approve(user=user, enrolments=eligible)
    lap("approve")
    return run, approval, parts


def run(workdir, size, seed):
    from django.db import connection

    from pulih.accounts.models import Role
    from pulih.accounts.services import user_create
    from pulih.dedup.models import EntityMember
    from pulih.programs.models import Enrolment, ListEntry

    began = time.monotonic()
    applicants, seconds, lists, category = generate(size, seed)
    records = applicants + [second for _index, second in seconds]
    paths = lists_write(workdir, lists)
    generated = time.monotonic() - began
    ids = populate(records)
    loaded = time.monotonic() - began - generated
    print(
        f"generated {len(records)} applicants in {generated:.0f} s, inserted in {loaded:.0f} s",
        flush=True,
    )
    user = user_create(username="bench-pusat", role=Role.PUSAT)

    dedup, approval, parts = check(user, paths)
    seconds_total = round(sum(parts.values()), 1)

    # The records of each applicant: their own, and for those registered twice the second.
    records_of = {index: [ids[index]] for index in range(len(applicants))}
    for offset, (index, _second) in enumerate(seconds):
        records_of[index].append(ids[len(applicants) + offset])
    enrolled = {
        person: (status, tuple(failed))
        for person, status, failed in Enrolment.objects.values_list(
            "person_id", "status", "failed_rules"
        )
    }
    refused = set(
        Enrolment.objects.filter(pk__in=list(approval["refused"])).values_list(
            "person_id", flat=True
        )
    )

    def paid(person):
        return enrolled.get(person, ("", ()))[0] == Enrolment.Status.APPROVED

    entity = dict(EntityMember.objects.values_list("person_id", "entity_id"))
    members = Counter(entity.values())
    planted = Counter(category.values())
    blocked = Counter()
    clean, clean_blocked, reasons = 0, 0, Counter()
    joined, clean_joined = 0, 0
    for index, records_ in records_of.items():
        kind = category.get(index)
        if kind == "paid_twice":
            blocked[kind] += sum(map(paid, records_)) <= 1
            joined += entity[records_[0]] == entity[records_[1]]
        elif kind:
            blocked[kind] += not paid(records_[0])
        else:
            clean += 1
            clean_joined += members[entity[records_[0]]] > 1
            if not paid(records_[0]):
                clean_blocked += 1
                person = records_[0]
                status, failed = enrolled.get(person, ("not enrolled", ()))
                reasons.update(
                    failed or ["refused as a duplicate" if person in refused else status]
                )
    statuses = Counter(status for status, _failed in enrolled.values())
    print(
        json.dumps(
            {
                "benchmark": "aid_integrity",
                "applicants": len(applicants),
                "records": len(records),
                "database": connection.vendor,
                "recall": {
                    kind: {
                        "planted": planted[kind],
                        "blocked": blocked[kind],
                        "recall": round(blocked[kind] / planted[kind], 4)
                        if planted[kind]
                        else None,
                    }
                    for kind in AUDIT
                },
                "clean": {
                    "applicants": clean,
                    "blocked": clean_blocked,
                    "share_blocked": round(clean_blocked / clean, 5),
                    "joined_with_another_by_linkage": clean_joined,
                    "why": dict(reasons.most_common()),
                },
                "counts": {
                    "twice_registered_joined_by_linkage": joined,
                    "dedup_pairs_linked": dedup.linked,
                    "dedup_pairs_to_review": dedup.to_review,
                    "dedup_entities": dedup.entities,
                    "list_entries": ListEntry.objects.count(),
                    "list_entries_matched": ListEntry.objects.filter(person__isnull=False).count(),
                    "enrolments": len(enrolled),
                    "ineligible": statuses[Enrolment.Status.INELIGIBLE],
                    "approved": approval["approved"],
                    "refused_by_constraint": len(approval["refused"]),
                },
                "seconds": seconds_total,
                "parts": parts,
                "generate_seconds": round(generated, 1),
                "insert_seconds": round(loaded, 1),
                "peak_memory_gib": round(
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2
                ),
                "date": date.today().isoformat(),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                f"{platform.python_implementation()} {platform.python_version()}",
            }
        )
    )


if __name__ == "__main__":
    main()
