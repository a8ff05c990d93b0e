"""The demo's aid programmes, on Bangka Belitung's demo registry (seed 003, 2020).

- The province cross-checks its registry with a Kemensos list of social-aid recipients:
  about one in seven is in the irisan (a few through record linkage, their NIK mistyped
  on the list), and is marked as already served; the list also names people who run no
  business.
- The centre runs a BPUM-like grant (Rp 2.4 million, the BPUM rules) and imports the
  lists that stop the defects the BPK audit found: civil servants, BUMN/BUMD staff, KUR
  and bank borrowers, deaths, and the civil registry's answer, which lacks a few NIKs.
  The registry brings the rest: invalid NIKs, non-micro businesses, and the people
  registered in two regencies that the dedup demo made one entity.
- Two regencies' eligible candidates are verified, approved and paid; the bank fails a
  few payments. Evaluated again, the other records of the people paid are blocked.
- People served by neither are referred to Kartu Prakerja: 283 registered, 150 passed.

Lists, bank results and the Prakerja file are written as files and imported through
the services, as an officer's upload would be. Everything happens in one transaction,
once: the programme's name is how the demo recognises its own work.
"""

import csv
import random
import tempfile
from collections import Counter
from pathlib import Path

from django.db import transaction

from pulih.accounts.models import User
from pulih.accounts.services import demo_personas_create
from pulih.registry.demo import MARKER
from pulih.registry.fake import INVALID_NIK_KINDS, make_invalid_nik, make_person
from pulih.registry.models import Person
from pulih.wilayah.models import Village

from . import eligibility, lists, referrals, services
from .models import Enrolment, ExternalList, Payment, Programme, Referral
from .rules import BPUM_RULES
from .selectors import programme_report

SEED = 2020
PROVINCE = "19"
PROGRAMME = "Banpres Produktif Usaha Mikro (BPUM) 2020"
AGENCY = "Kemenkop UKM"
AMOUNT = 2_400_000
KEMENSOS = "DTKS Kemensos: penerima bansos Kepulauan Bangka Belitung"

# Kemensos list: registry people on it by NIK, by a mistyped NIK, and people not in the
# registry (social-aid recipients who run no business).
SOCIAL_AID_BY_NIK, SOCIAL_AID_MISTYPED, SOCIAL_AID_OUTSIDERS = 280, 20, 180
# National exclusion lists: (name, registry people on it, people of other provinces).
EXCLUSIONS = {
    ExternalList.Kind.CIVIL_SERVANTS: ("Data ASN, TNI dan Polri (BKN)", 8, 60),
    ExternalList.Kind.STATE_ENTERPRISE: ("Pegawai BUMN dan BUMD", 5, 40),
    ExternalList.Kind.KUR: ("Debitur KUR (SIKP)", 10, 80),
    ExternalList.Kind.BANK_CREDIT: ("Debitur perbankan (SLIK OJK)", 20, 150),
    ExternalList.Kind.DECEASED: ("Data kematian (Dukcapil)", 5, 40),
}
CIVIL_REGISTRY = "NIK terverifikasi Dukcapil"
# Valid NIKs of the registry that the civil registry does not know.
NOT_IN_CIVIL_REGISTRY = 25
# Whose eligible candidates are paid first: the regencies whose stage 1 the province has
# verified or approved. A third regency is verified, waiting for approval.
PAID_FIRST = ("19.02", "19.71")
VERIFIED_NEXT = ("19.03",)
BANK_FAILURES = ("rekening tidak ditemukan", "nama tidak sesuai dengan rekening", "rekening pasif")
BANK_FAILURE_SHARE = 0.03
# Kartu Prakerja: people passed on, registered there, and passed (seed 003).
REFERRED, REGISTERED, PASSED = 400, 283, 150


def programs_demo_create():
    """Run the aid programmes of the demo unless they are there already; return what
    they hold. Needs the registry demo, and the dedup demo before it for the people
    registered twice to be one entity."""
    with transaction.atomic():
        if Programme.objects.filter(name=PROGRAMME, agency=AGENCY).exists():
            return programs_demo_counts(created=False)
        personas, _created = demo_personas_create()
        pusat, province = personas["pusat"], personas["prov-babel"]
        rng = random.Random(SEED)
        people = list(
            Person.objects.filter(province_code=PROVINCE, businesses__source_key__startswith=MARKER)
            .distinct()
            .order_by("pk")
        )
        with tempfile.TemporaryDirectory(prefix="pulih-demo-") as directory:
            directory = Path(directory)
            _lists_import(rng, directory, people, pusat, province)
            programme = _bpum_run(rng, directory, people, pusat, province)
            topped_up = _prakerja_refer(rng, directory, people, programme, province)
    return programs_demo_counts(created=True, topped_up=topped_up)


def programs_demo_counts(*, created=False, topped_up=0):
    """What the demo's programmes hold, for the demo command's summary. `topped_up` counts
    people referred to Prakerja although served, for want of people not served."""
    pusat, province = (User.objects.get(username=name) for name in ("pusat", "prov-babel"))
    programme = Programme.objects.get(name=PROGRAMME, agency=AGENCY)
    kemensos = ExternalList.objects.get(
        kind=ExternalList.Kind.SOCIAL_AID, province_code=PROVINCE, name=KEMENSOS
    )
    report = programme_report(user=pusat, programme=programme, by="province_code")
    totals = Counter()
    for row in report:
        totals.update({k: v for k, v in row.items() if isinstance(v, int)})
    blocked = Counter()
    for failed in Enrolment.objects.filter(programme=programme).values_list(
        "failed_rules", flat=True
    ):
        blocked.update(failed)
    prakerja = referrals.referral_counts(user=province, target=Referral.Target.PRAKERJA)
    summary = lists.list_summary(kemensos)
    return {
        "created": created,
        "kemensos_rows": summary["rows"],
        "kemensos_overlap": lists.crosscheck(user=province, lst=kemensos).counts["overlap"],
        "kemensos_by_linkage": summary["by_linkage"],
        "kemensos_outside": summary["unmatched"],
        "candidates": totals["candidates"],
        "eligible": totals["eligible"],
        "ineligible": totals["ineligible"],
        "blocked_by_rule": dict(blocked),
        "duplicates_refused": totals["duplicates"],
        "verified": totals["verified"],
        "approved": totals["approved"],
        "paid": totals["paid"],
        "failed": Payment.objects.filter(programme=programme, status=Payment.Status.FAILED).count(),
        "rupiah_paid": totals["rupiah_paid"],
        "rupiah_blocked": totals["rupiah_blocked"],
        "referred": prakerja["total"],
        "registered": prakerja["reached"][Referral.Status.REGISTERED],
        "passed": prakerja["reached"][Referral.Status.PASSED],
        "topped_up": topped_up,
    }


def _lists_import(rng, directory, people, pusat, province):
    """The Kemensos list (the province's) and the national lists BPUM is checked with."""
    known = {p.nik for p in people}
    valid = [p for p in people if p.nik_valid]
    repeated = Counter(p.nik for p in valid)
    # People recorded once with a valid NIK carry the planted defects, one each.
    pool = [p for p in valid if repeated[p.nik] == 1]
    rng.shuffle(pool)

    on_list = rng.sample(valid, SOCIAL_AID_BY_NIK + SOCIAL_AID_MISTYPED)
    kinds = list(INVALID_NIK_KINDS)
    rows = [_row(p) for p in on_list[:SOCIAL_AID_BY_NIK]]
    rows += [
        _row(p, nik=make_invalid_nik(rng, p.nik, kinds[i % len(kinds)]))
        for i, p in enumerate(on_list[SOCIAL_AID_BY_NIK:])
    ]
    rows += _outsiders(rng, _villages(inside=True), SOCIAL_AID_OUTSIDERS, known)
    rng.shuffle(rows)
    kemensos = _import(directory, province, ExternalList.Kind.SOCIAL_AID, KEMENSOS, rows)
    lists.served_mark(user=province, lst=kemensos)

    elsewhere = _villages(inside=False)
    taken = NOT_IN_CIVIL_REGISTRY
    unknown = {p.nik for p in pool[:taken]}
    registry_rows = [_row(p) for p in valid if p.nik not in unknown]
    _import(directory, pusat, ExternalList.Kind.CIVIL_REGISTRY, CIVIL_REGISTRY, registry_rows)
    for kind, (name, inside, outside) in EXCLUSIONS.items():
        rows = [_row(p) for p in pool[taken : taken + inside]]
        rows += _outsiders(rng, elsewhere, outside, known)
        rng.shuffle(rows)
        _import(directory, pusat, kind, name, rows)
        taken += inside


def _row(person, *, nik=None):
    return [nik or person.nik, person.name, _date(person.birth_date)]


def _date(value):
    return value.strftime("%d-%m-%Y") if value else ""


def _villages(*, inside):
    villages = Village.objects.order_by("code")
    if inside:
        villages = villages.filter(code__startswith=f"{PROVINCE}.")
    else:
        villages = villages.exclude(code__startswith=f"{PROVINCE}.")
    return list(villages.values_list("code", flat=True))


def _outsiders(rng, villages, count, known):
    """`count` list rows of people not in the registry."""
    rows = []
    while len(rows) < count:
        person = make_person(rng, rng.choice(villages))
        if person["nik"] not in known:
            known.add(person["nik"])
            rows.append([person["nik"], person["name"], _date(person["birth_date"])])
    return rows


def _import(directory, user, kind, name, rows):
    path = directory / f"{kind}.csv"
    _write(path, ["NIK", "Nama", "Tanggal Lahir"], rows)
    return lists.list_import(
        user=user, kind=kind, path=path, filename=path.name, name=name, source=name
    )


def _write(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)


def _bpum_run(rng, directory, people, pusat, province):
    """Enrol, evaluate, verify and pay the first regencies, then evaluate again."""
    programme = services.programme_create(
        user=pusat,
        name=PROGRAMME,
        agency=AGENCY,
        kind=Programme.Kind.CASH,
        amount=AMOUNT,
        rules=BPUM_RULES,
    )
    cycle = programme.cycles.get()
    services.candidates_enrol(user=province, cycle=cycle, people=people)
    enrolments = Enrolment.objects.filter(cycle=cycle)
    eligibility.evaluate(enrolments=enrolments)

    first = list(enrolments.filter(status=Enrolment.Status.ELIGIBLE, regency_code__in=PAID_FIRST))
    services.enrolments_verify(user=province, enrolments=first)
    # A second record of one person is refused here by the one-payment constraint.
    services.enrolments_approve(user=province, enrolments=first)
    batch = services.payment_batch_create(user=pusat, cycle=cycle)
    _header, rows = services.payment_batch_rows(batch=batch)
    results = []
    for reference, *_rest in rows:
        if rng.random() < BANK_FAILURE_SHARE:
            results.append([reference, "gagal", rng.choice(BANK_FAILURES)])
        else:
            results.append([reference, "berhasil", ""])
    path = directory / "hasil-bank.csv"
    _write(path, ["referensi", "status", "keterangan"], results)
    services.payment_results_import(user=pusat, batch=batch, path=path)

    # The other records of the people just paid now fail "not paid in the programme".
    eligibility.evaluate(enrolments=enrolments)
    services.enrolments_verify(
        user=province,
        enrolments=enrolments.filter(
            status=Enrolment.Status.ELIGIBLE, regency_code__in=VERIFIED_NEXT
        ),
    )
    return programme


def _prakerja_refer(rng, directory, people, programme, province):
    """Refer people served by neither Kemensos nor BPUM to Kartu Prakerja and import
    Prakerja's answer. Returns how many served people had to be referred too."""
    kemensos = ExternalList.objects.get(
        kind=ExternalList.Kind.SOCIAL_AID, province_code=PROVINCE, name=KEMENSOS
    )
    served = set(lists.crosscheck(user=province, lst=kemensos).overlap.values_list("pk", flat=True))
    served |= set(
        Payment.objects.filter(programme=programme)
        .exclude(status=Payment.Status.FAILED)
        .values_list("enrolment__person_id", flat=True)
    )
    # Prakerja answers by NIK: only people whose NIK is valid and theirs alone.
    repeated = Counter(p.nik for p in people)
    named = [p for p in people if p.nik_valid and repeated[p.nik] == 1]
    unserved = [p for p in named if p.pk not in served]
    chosen = rng.sample(unserved, min(REFERRED, len(unserved)))
    topped_up = max(0, REGISTERED - len(chosen))
    chosen += rng.sample([p for p in named if p.pk in served], topped_up)
    target = Referral.Target.PRAKERJA
    referrals.referrals_create(user=province, people=chosen, target=target)
    statuses = ["lolos"] * PASSED + ["terdaftar"] * (REGISTERED - PASSED)
    path = directory / "status-prakerja.csv"
    _write(path, ["NIK", "Status"], [[p.nik, s] for p, s in zip(chosen, statuses, strict=False)])
    referrals.referral_status_import(user=province, target=target, path=path)
    return topped_up
