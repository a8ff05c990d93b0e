"""The demo registry: Kepulauan Bangka Belitung's first collection stage (tahap 1), 2020.

Seed 003 tells of a province merging its regencies' data on affected UMKM, stage by
stage, so the demo shows that moment: every regency/city has its stage-1 batch at a
different step (Bangka still collecting, some submitted, one returned, one verified, one
approved), with about 2,000 generated UMKM. The defects the province is there to catch
are planted on purpose: people registered in two regencies under slightly different
spellings (for record linkage to find) and NIKs that fail the check (kept and flagged).

Rows are written with bulk_create in one transaction, so the demo loads in a second or
two; the batches' steps go through `batch_transition`, as a user's would.
"""

import random
from itertools import cycle

from django.db import transaction

from pulih.accounts.models import Role
from pulih.accounts.services import demo_personas_create
from pulih.core.text import name_key
from pulih.wilayah.data import nik_check
from pulih.wilayah.models import Village

from .fake import (
    INVALID_NIK_KINDS,
    make_address,
    make_invalid_nik,
    make_name_variant,
    make_person,
    make_phone,
    make_row,
)
from .models import Business, CollectionBatch, Cooperative, ImpactReport, Person, scale_of
from .services import batch_for_entry, batch_transition

SEED = 2020
PROVINCE = "19"
# Demo businesses carry this `source_key` prefix: it is how the demo recognises its own
# rows when run again, and an import's fingerprint (a hash) can never start with it.
MARKER = "demo-"
RETURN_COMMENT = "Data NIK 12 pelaku usaha belum lengkap, mohon dilengkapi."

# regency: (UMKM collected, of them with a NIK that fails the check, steps of the batch)
REGENCIES = {
    "19.01": (400, 8, ()),  # Kabupaten Bangka: the demo officer still imports into it
    "19.02": (250, 0, ("submit", "verify", "approve")),
    "19.03": (260, 4, ("submit",)),
    "19.04": (250, 3, ("submit",)),
    "19.05": (260, 12, ("submit", "return")),  # the 12 NIKs of the return comment
    "19.06": (180, 3, ("submit",)),
    "19.71": (360, 0, ("submit", "verify")),
}
TWICE_REGISTERED = 40
# Who takes each step: the regency officer submits, the province reviews. Transitions
# check the role only, so Bangka's officer stands in for the other regencies' officers.
ACTORS = {
    "submit": "kab-bangka",
    "verify": "prov-babel",
    "return": "prov-babel",
    "approve": "prov-babel",
}
# A kelurahan (village code 1xxx, in towns) is weighted above a desa: more shops there.
TOWN_WEIGHT = 3

# (name, type, district, members, year the legal entity was registered)
COOPERATIVES = (
    ("Koperasi Produsen Lada Putih Bangka", Cooperative.Kind.PRODUCER, "19.01.06", 312, 2009),
    ("Koperasi Nelayan Sinar Laut Belinyu", Cooperative.Kind.PRODUCER, "19.01.02", 86, 2018),
    ("KSP Maju Bersama", Cooperative.Kind.SAVINGS_LOANS, "19.71.02", 1245, 1998),
    (
        "Koperasi Pemasaran Batik Cual Serumpun Sebalai",
        Cooperative.Kind.MARKETING,
        "19.71.01",
        58,
        2019,
    ),
    ("Koperasi Konsumen Pegawai Manggar", Cooperative.Kind.CONSUMER, "19.06.01", 420, 1994),
    ("Koperasi Jasa Perajin Timah Mentok", Cooperative.Kind.SERVICES, "19.05.01", 41, 2017),
)


def registry_demo_create():
    """Load the demo registry unless it is there already; return what it holds.

    Needs the regions loaded; creates the demo personas it needs if they are missing.
    """
    with transaction.atomic():
        if _demo_businesses().exists():
            return registry_demo_counts(created=False)
        personas, _created = demo_personas_create()
        officers = {u.regency_code: u for u in personas.values() if u.role == Role.KABKOTA}
        batches = {
            code: batch_for_entry(user=officers.get(code), regency_code=code, stage=1)
            for code in REGENCIES
        }
        rng = random.Random(SEED)
        villages = _villages()
        rows = _rows(rng, villages)
        people = _people_create(rows, batches, officers)
        _cooperatives_create(rng, villages, people, batches, officers)
        for code, (_count, _invalid, steps) in REGENCIES.items():
            for action in steps:
                batch_transition(
                    batch=batches[code],
                    user=personas[ACTORS[action]],
                    action=action,
                    comment=RETURN_COMMENT if action == "return" else "",
                )
    return registry_demo_counts(created=True)


def registry_demo_counts(*, created=False):
    """What the demo registry holds, for the demo command's summary."""
    businesses = _demo_businesses()
    return {
        "created": created,
        "batches": CollectionBatch.objects.filter(province_code=PROVINCE, stage=1).count(),
        "people": Person.objects.filter(businesses__in=businesses).distinct().count(),
        "businesses": businesses.count(),
        "impact_reports": ImpactReport.objects.filter(business__in=businesses).count(),
        "invalid_niks": Person.objects.filter(businesses__in=businesses, nik_valid=False)
        .distinct()
        .count(),
        "cooperatives": Cooperative.objects.filter(
            province_code=PROVINCE, name__in=[c[0] for c in COOPERATIVES]
        ).count(),
    }


def _demo_businesses():
    return Business.objects.filter(province_code=PROVINCE, source_key__startswith=MARKER)


def _villages():
    """Village codes by regency, towns repeated so that more UMKM land there."""
    villages = {code: [] for code in REGENCIES}
    codes = Village.objects.filter(code__startswith=f"{PROVINCE}.").order_by("code")
    for code in codes.values_list("code", flat=True):
        weight = TOWN_WEIGHT if code[9] == "1" else 1
        villages[code[:5]] += [code] * weight
    empty = [code for code, found in villages.items() if not found]
    if empty:
        raise RuntimeError(f"No villages for {', '.join(empty)}: run `pulih wilayah_load` first.")
    return villages


def _rows(rng, villages):
    """(regency, import row) of every demo UMKM, the spoilt NIKs and second registrations
    included."""
    rows, spoilt = [], set()
    kinds = cycle(INVALID_NIK_KINDS)
    for code, (count, invalid, _steps) in REGENCIES.items():
        regency_rows = [make_row(rng, rng.choice(villages[code])) for _ in range(count)]
        for row in rng.sample(regency_rows, invalid):
            row["nik"] = make_invalid_nik(rng, row["nik"], next(kinds))
            spoilt.add(id(row))
        rows += [(code, row) for row in regency_rows]
    valid = [(code, row) for code, row in rows if id(row) not in spoilt]
    for home, row in rng.sample(valid, TWICE_REGISTERED):
        code = rng.choice([code for code in REGENCIES if code != home])
        rows.append((code, _registered_again(rng, row, rng.choice(villages[code]))))
    return rows


def _registered_again(rng, row, village_code):
    """The same person as another regency wrote them down: same NIK, birth date and sex,
    the name spelt differently, a new address and often a new phone; usually the same
    business."""
    person = make_person(rng, village_code)
    person.update(
        nik=row["nik"],
        birth_date=row["birth_date"],
        sex=row["sex"],
        name=make_name_variant(rng, row["name"]),
    )
    if rng.random() < 0.5:
        person["phone"] = row["phone"] or make_phone(rng)
    again = make_row(rng, village_code, person=person)
    if rng.random() < 0.7:
        again.update({f: row[f] for f in ("business_name", "kbli_section", "sector_note")})
    return again


def _people_create(rows, batches, officers):
    """Write each row's person, business and impact report; return the people."""
    people, businesses, reports = [], [], []
    for number, (code, row) in enumerate(rows, start=1):
        check = nik_check(row["nik"])
        person = Person(
            batch=batches[code],
            created_by=officers.get(code),
            nik=row["nik"],
            nik_valid=check.valid,
            nik_problems=[p.code for p in check.errors + check.warnings],
            name=row["name"],
            name_key=name_key(row["name"]),
            birth_date=row["birth_date"],
            sex=row["sex"],
            phone=row["phone"],
            address=row["address"],
        )
        person.set_region(row["village_code"])
        business = Business(
            batch=batches[code],
            created_by=officers.get(code),
            owner=person,
            name=row["business_name"],
            nib=row["nib"],
            kbli_section=row["kbli_section"],
            sector_note=row["sector_note"],
            capital=row["capital"],
            annual_sales=row["annual_sales"],
            scale=scale_of(capital=row["capital"], annual_sales=row["annual_sales"]),
            employees=row["employees"],
            address=row["business_address"] or row["address"],
            latitude=row["latitude"],
            longitude=row["longitude"],
            whatsapp=row["whatsapp"],
            marketplace_links=row["marketplace_links"],
            source_key=f"{MARKER}{number:05d}",
        )
        business.set_region(row["village_code"])
        report = ImpactReport(
            business=business,
            report_date=row["report_date"],
            sales_before=row["sales_before"],
            sales_after=row["sales_after"],
            employees_before=row["employees_before"],
            employees_after=row["employees_after"],
            laid_off=row["laid_off"],
            status=row["impact_status"],
            problems=row["problems"],
            needs=row["needs"],
        )
        people.append(person)
        businesses.append(business)
        reports.append(report)
    # bulk_create gives each object its primary key, and the next bulk_create reads the
    # foreign keys from the objects assigned above.
    Person.objects.bulk_create(people, batch_size=500)
    Business.objects.bulk_create(businesses, batch_size=500)
    ImpactReport.objects.bulk_create(reports, batch_size=500)
    return people


def _cooperatives_create(rng, villages, people, batches, officers):
    """The demo cooperatives, each chaired by a demo person of its district."""
    cooperatives = []
    for name, kind, district, members, year in COOPERATIVES:
        code = district[:5]
        local = [p for p in people if p.district_code == district and p.nik_valid]
        chair = rng.choice(local or [p for p in people if p.regency_code == code])
        number = rng.randrange(1, 10**7)
        legal = (
            f"AHU-{number:07d}.AH.01.26.TAHUN {year}"
            if year >= 2017
            else f"{number % 1000:03d}/BH/KDK.7/{year}"
        )
        cooperative = Cooperative(
            batch=batches[code],
            created_by=officers.get(code),
            name=name,
            legal_entity_number=legal,
            kind=kind,
            members=members,
            chair=chair,
            address=make_address(rng),
        )
        cooperative.set_region(
            rng.choice([v for v in villages[code] if v.startswith(district + ".")])
        )
        cooperatives.append(cooperative)
    Cooperative.objects.bulk_create(cooperatives)
