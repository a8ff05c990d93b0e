"""The demo registry of Bangka Belitung and the generator behind it."""

import random
from collections import Counter, defaultdict
from datetime import date

import pytest

from pulih.core.ids import parse_nib, parse_phone
from pulih.registry import fake
from pulih.registry.demo import RETURN_COMMENT, registry_demo_create
from pulih.registry.models import (
    Business,
    CollectionBatch,
    Cooperative,
    ImpactReport,
    ImpactStatus,
    KbliSection,
    Need,
    Person,
    Problem,
)
from pulih.wilayah.data import nik_check

BABEL = ("19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71")
# A village in each regency of Bangka Belitung, and one in Aceh.
VILLAGES = (
    "19.01.01.1001",
    "19.02.01.1001",
    "19.03.01.1001",
    "19.04.01.1001",
    "19.05.01.1001",
    "19.06.01.2001",
    "19.71.01.1004",
    "11.01.01.2001",
)
ROW_FIELDS = {
    "nik",
    "name",
    "birth_date",
    "sex",
    "phone",
    "address",
    "village_code",
    "business_name",
    "nib",
    "kbli_section",
    "sector_note",
    "capital",
    "annual_sales",
    "employees",
    "business_address",
    "latitude",
    "longitude",
    "whatsapp",
    "marketplace_links",
    "report_date",
    "sales_before",
    "sales_after",
    "employees_before",
    "employees_after",
    "laid_off",
    "impact_status",
    "problems",
    "needs",
}


def rows(seed, count=300):
    rng = random.Random(seed)
    return [fake.make_row(rng, VILLAGES[i % len(VILLAGES)]) for i in range(count)]


def test_the_same_seed_gives_the_same_rows():
    assert rows(7) == rows(7)
    assert rows(7) != rows(8)


def test_a_generated_nik_agrees_with_village_birth_date_and_sex_and_never_repeats():
    rng = random.Random(1)
    people = [
        fake.make_person(rng, VILLAGES[i % len(VILLAGES)], birth_year_range=(1970, 1971))
        for i in range(3000)
    ]
    assert len({p["nik"] for p in people}) == len(people)
    for person in people:
        check = nik_check(person["nik"])
        assert check.valid and not check.warnings, person
        assert check.district_code == person["village_code"][:8]
        assert (check.birth_date, check.sex) == (person["birth_date"], person["sex"])
        assert 1970 <= person["birth_date"].year <= 1971
    assert {p["sex"] for p in people} == {"M", "F"}


def test_a_row_has_the_import_fields_with_values_the_registry_accepts():
    for row in rows(3, 2000):
        assert set(row) == ROW_FIELDS
        for field in ("phone", "whatsapp"):
            if row[field]:
                assert parse_phone(row[field]).e164 == row[field]
        assert row["nib"] == "" or parse_nib(row["nib"]).valid
        assert row["kbli_section"] in KbliSection.values
        assert row["impact_status"] in ImpactStatus.values
        assert row["problems"] and set(row["problems"]) <= set(Problem.values)
        assert row["needs"] and set(row["needs"]) <= set(Need.values)
        assert date(2020, 4, 1) <= row["report_date"] <= date(2020, 6, 30)
        assert 0 <= row["sales_after"] <= row["sales_before"]
        assert row["employees_before"] == row["employees"]
        assert row["employees_after"] + row["laid_off"] <= row["employees_before"]
        if row["latitude"] is not None:
            assert -3.3 <= row["latitude"] <= -1.5 and 105.1 <= row["longitude"] <= 108.3


def test_rows_look_like_the_affected_umkm_of_2020():
    sample = rows(4, 2000)
    statuses = Counter(row["impact_status"] for row in sample)
    assert statuses.most_common(1)[0][0] == ImpactStatus.REDUCED
    assert set(statuses) == set(ImpactStatus.values)
    assert 0.2 < sum(bool(row["nib"]) for row in sample) / len(sample) < 0.4
    assert 0.3 < sum(row["latitude"] is not None for row in sample) / len(sample) < 0.5
    assert {row["kbli_section"] for row in sample} == {"A", "C", "G", "I", "S"}
    reduced = [row for row in sample if row["impact_status"] == ImpactStatus.REDUCED]
    # Reduced means 30–90% of sales lost; amounts are rounded to Rp 50,000.
    assert all(
        abs(row["sales_after"] - 0.4 * row["sales_before"]) <= 0.3 * row["sales_before"] + 50_000
        for row in reduced
    )


@pytest.mark.parametrize(("kind", "code"), fake.INVALID_NIK_KINDS.items())
def test_a_spoilt_nik_fails_the_check_with_its_problem(kind, code):
    rng = random.Random(kind)
    for village in VILLAGES:
        nik = fake.make_invalid_nik(rng, fake.make_person(rng, village)["nik"], kind)
        assert code in [p.code for p in nik_check(nik).errors]


def test_a_name_variant_differs_from_the_name():
    rng = random.Random(2)
    for name in ("Muhammad Yusuf", "Siti Aminah", "Lim Kim Fui", "Acong", "Ai"):
        variant = fake.make_name_variant(rng, name)
        assert variant and variant != name
    assert fake.make_name_variant(rng, "Muhammad Yusuf").endswith("Yusuf")


@pytest.fixture
def demo(personas):
    return registry_demo_create()


def test_the_demo_spreads_about_2000_umkm_over_the_seven_regencies(demo):
    businesses = Business.objects.filter(province_code="19")
    assert demo["created"] and demo["businesses"] == businesses.count()
    assert 1900 <= businesses.count() <= 2100
    per_regency = Counter(businesses.values_list("regency_code", flat=True))
    assert set(per_regency) == set(BABEL)
    assert min(per_regency.values()) >= 150
    assert ImpactReport.objects.filter(business__in=businesses).count() == businesses.count()
    for business in businesses.select_related("batch", "owner"):
        assert (business.batch.regency_code, business.batch.stage) == (business.regency_code, 1)
        assert business.owner.batch_id == business.batch_id
        assert business.village_code.startswith(business.district_code + ".")
        assert business.owner.phone == "" or business.owner.phone.startswith("+62")


def test_stored_people_agree_with_their_nik(demo):
    regencies_of = defaultdict(set)
    for nik, regency in Person.objects.values_list("nik", "regency_code"):
        regencies_of[nik].add(regency)
    checked = 0
    for person in Person.objects.filter(province_code="19", nik_valid=True):
        check = nik_check(person.nik)
        assert check.valid and person.nik_problems == []
        assert (check.birth_date, check.sex) == (person.birth_date, person.sex)
        # A NIK keeps the place of first registration; the person's other registration
        # may be in another regency.
        assert check.regency_code in regencies_of[person.nik]
        if check.regency_code == person.regency_code:
            assert check.district_code == person.district_code
            checked += 1
    assert checked >= 1900


def test_some_people_are_registered_in_two_regencies(demo):
    by_nik = defaultdict(list)
    for person in Person.objects.filter(province_code="19", nik_valid=True):
        by_nik[person.nik].append(person)
    twice = [people for people in by_nik.values() if len(people) > 1]
    assert 30 <= len(twice) <= 50
    for first, second in twice:
        assert first.regency_code != second.regency_code
        assert first.name != second.name
        assert (first.phone, first.address) != (second.phone, second.address)
        assert (first.birth_date, first.sex) == (second.birth_date, second.sex)


def test_invalid_niks_are_kept_and_flagged(demo):
    invalid = Person.objects.filter(province_code="19", nik_valid=False)
    assert 25 <= invalid.count() <= 35
    assert demo["invalid_niks"] == invalid.count()
    codes = set()
    for person in invalid:
        assert person.nik and person.nik_problems
        assert person.nik_problems == [p.code for p in nik_check(person.nik).errors]
        codes.update(person.nik_problems)
    assert set(fake.INVALID_NIK_KINDS.values()) <= codes
    assert invalid.filter(regency_code="19.05").count() == 12
    assert not invalid.filter(regency_code__in=["19.02", "19.71"]).exists()


def test_batches_are_at_the_steps_of_the_story(demo, personas):
    batches = {b.regency_code: b for b in CollectionBatch.objects.filter(province_code="19")}
    assert {code: b.status for code, b in batches.items()} == {
        "19.01": "draft",
        "19.02": "approved",
        "19.03": "submitted",
        "19.04": "submitted",
        "19.05": "returned",
        "19.06": "submitted",
        "19.71": "verified",
    }
    assert all(b.stage == 1 for b in batches.values())
    assert batches["19.01"].created_by == personas.kab_bangka
    assert [e.action for e in batches["19.02"].events.all()] == ["submit", "verify", "approve"]
    returned = batches["19.05"].events.get(action="return")
    assert (returned.comment, returned.actor) == (RETURN_COMMENT, personas.prov_babel)


def test_cooperatives_are_chaired_by_demo_people(demo):
    cooperatives = Cooperative.objects.filter(province_code="19").select_related("chair")
    names = {c.name for c in cooperatives}
    assert {"Koperasi Produsen Lada Putih Bangka", "KSP Maju Bersama"} <= names
    assert demo["cooperatives"] == len(names) >= 4
    for cooperative in cooperatives:
        assert cooperative.chair.regency_code == cooperative.regency_code
        assert cooperative.batch.regency_code == cooperative.regency_code


def test_running_the_demo_again_creates_nothing(demo):
    counts = {
        model: model.objects.count()
        for model in (Person, Business, ImpactReport, Cooperative, CollectionBatch)
    }
    again = registry_demo_create()
    assert again == {**demo, "created": False}
    assert counts == {model: model.objects.count() for model in counts}
