"""A BPUM-like programme screens the Bangka Belitung applicants: each planted defect is
stopped by its own rule, in the rule's words, and ani passes all of them.

The external lists are national, as the list importer leaves them: the civil registry
(Dukcapil) verified every NIK but fajar's — hadi's only on his Bangka record; BKN lists
budi, the banks citra (KUR) and dedi (other credit), the deaths eka. Hadi's two records
are one entity, already paid in cycle 1 through his Bangka record.
"""

import datetime
import types

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from pulih.dedup.models import MatchPair
from pulih.dedup.services import entity_of, pair_confirm
from pulih.programs.eligibility import evaluate, explain
from pulih.programs.models import Cycle, Enrolment, ExternalList, ListEntry, Payment, Programme
from pulih.programs.rules import AUDIT_CATEGORY, BPUM_RULES, RULES
from pulih.registry.services import business_create, person_create

from .conftest import village

Kind = ExternalList.Kind
Status = Enrolment.Status


def listed(kind, *people, province="", match=ListEntry.Match.NIK):
    """An imported external list with `people` matched to their registry records."""
    external = ExternalList.objects.create(
        kind=kind,
        name=f"{kind} {province or 'nasional'}",
        province_code=province,
        fingerprint=f"{kind}-{province}-{ExternalList.objects.count()}",
        rows=len(people),
    )
    ListEntry.objects.bulk_create(
        ListEntry(
            list=external,
            row=row,
            nik=person.nik,
            nik_valid=person.nik_valid,
            name=person.name,
            birth_date=person.birth_date,
            person=person,
            match=match,
        )
        for row, person in enumerate(people, start=1)
    )
    return external


def enrol(programme, cycle, person, *, business=None, status=Status.CANDIDATE):
    enrolment = Enrolment(
        programme=programme,
        cycle=cycle,
        person=person,
        business=business,
        entity=entity_of(person=person),
        status=status,
    )
    enrolment.set_region(person.village_code)
    enrolment.save()
    return enrolment


def applicant(user, name, nik, birth, **business):
    """One more Bangka applicant with a micro business (unless `business` says otherwise)
    whose NIK the civil registry knows."""
    person = person_create(
        user=user, village_code=village("19.01.01"), name=name, nik=nik, birth_date=birth, sex="M"
    )
    business_create(
        user=user,
        owner=person,
        name=f"Usaha {name}",
        **{"capital": 40_000_000, "annual_sales": 200_000_000, **business},
    )
    listed(Kind.CIVIL_REGISTRY, person, match=ListEntry.Match.LINKAGE)
    return person


@pytest.fixture
def bpum(personas, applicants):
    hadi, hadi_belitung = applicants["hadi"], applicants["hadi_belitung"]
    pair = MatchPair(
        left_id=min(hadi.pk, hadi_belitung.pk),
        right_id=max(hadi.pk, hadi_belitung.pk),
        probability=0.9,
        status=MatchPair.Status.REVIEW,
        province_code="19",
    )
    pair.save()
    pair_confirm(user=personas.prov_babel, pair=pair)

    programme = Programme.objects.create(
        name="BPUM Babel",
        agency="Kemenkop UKM",
        kind=Programme.Kind.CASH,
        amount=2_400_000,
        rules=BPUM_RULES,
    )
    cycle = Cycle.objects.create(programme=programme, number=1)
    verified = [p for name, p in applicants.items() if name not in ("fajar", "hadi_belitung")]
    listed(Kind.CIVIL_REGISTRY, *verified)
    listed(Kind.CIVIL_SERVANTS, applicants["budi"])
    listed(Kind.KUR, applicants["citra"])
    listed(Kind.BANK_CREDIT, applicants["dedi"])
    listed(Kind.DECEASED, applicants["eka"])

    enrolments = {
        name: enrol(programme, cycle, person)
        for name, person in applicants.items()
        if name not in ("hadi", "hadi_belitung")
    }
    paid = enrol(programme, cycle, hadi, status=Status.PAID)
    Payment.objects.create(
        enrolment=paid,
        programme=programme,
        cycle=cycle,
        entity=paid.entity,
        amount=programme.amount,
        reference="T1",
        status=Payment.Status.PAID,
    )
    enrolments["hadi"] = paid
    enrolments["hadi_belitung"] = enrol(programme, cycle, hadi_belitung)
    return types.SimpleNamespace(programme=programme, cycle=cycle, enrolments=enrolments)


def failed(enrolment):
    enrolment.refresh_from_db()
    return enrolment.failed_rules


def test_ani_passes_every_rule(bpum):
    evaluate(enrolments=Enrolment.objects.all())
    ani = bpum.enrolments["ani"]
    assert failed(ani) == []
    assert ani.status == Status.ELIGIBLE
    assert ani.evaluated_at is not None


def test_an_invalid_nik_is_blocked(bpum, personas):
    # The civil registry found him by name and birth date; the NIK typed is not a NIK.
    joko = applicant(
        personas.kab_bangka, "Joko Susilo", "1901011313880001", datetime.date(1988, 1, 1)
    )
    enrolment = enrol(bpum.programme, bpum.cycle, joko)
    evaluate(enrolments=Enrolment.objects.all())
    assert not joko.nik_valid
    assert failed(enrolment) == ["nik_valid"]
    assert enrolment.status == Status.INELIGIBLE


def test_a_nik_not_in_the_civil_registry_is_blocked(bpum):
    evaluate(enrolments=Enrolment.objects.all())
    assert failed(bpum.enrolments["fajar"]) == ["nik_in_civil_registry"]


def test_a_small_business_is_not_micro(bpum):
    evaluate(enrolments=Enrolment.objects.all())
    assert failed(bpum.enrolments["gita"]) == ["micro_business"]


def test_the_business_enrolled_must_be_micro(bpum, personas):
    owner = personas.kab_bangka
    joko = applicant(owner, "Joko Susilo", "1901010101880001", datetime.date(1988, 1, 1))
    micro = joko.businesses.get()
    business_create(
        user=owner, owner=joko, name="Toko Joko", capital=2_000_000_000, annual_sales=None
    )
    enrolment = enrol(bpum.programme, bpum.cycle, joko, business=micro)
    evaluate(enrolments=Enrolment.objects.all())
    assert failed(enrolment) == []

    # Enrolled without a business, every business of his must be micro: one is small.
    Enrolment.objects.filter(pk=enrolment.pk).update(business=None)
    evaluate(enrolments=Enrolment.objects.all())
    assert failed(enrolment) == ["micro_business"]


def test_a_civil_servant_is_blocked(bpum):
    evaluate(enrolments=Enrolment.objects.all())
    assert failed(bpum.enrolments["budi"]) == ["not_civil_servant"]


def test_a_state_enterprise_employee_is_blocked(bpum, personas):
    joko = applicant(
        personas.kab_bangka, "Joko Susilo", "1901010101880001", datetime.date(1988, 1, 1)
    )
    listed(Kind.STATE_ENTERPRISE, joko)
    enrolment = enrol(bpum.programme, bpum.cycle, joko)
    evaluate(enrolments=Enrolment.objects.all())
    assert failed(enrolment) == ["not_state_enterprise"]


def test_a_kur_borrower_is_blocked(bpum):
    evaluate(enrolments=Enrolment.objects.all())
    assert failed(bpum.enrolments["citra"]) == ["no_kur"]


def test_a_bank_borrower_is_blocked(bpum):
    evaluate(enrolments=Enrolment.objects.all())
    assert failed(bpum.enrolments["dedi"]) == ["no_bank_credit"]


def test_the_deceased_are_blocked(bpum):
    evaluate(enrolments=Enrolment.objects.all())
    assert failed(bpum.enrolments["eka"]) == ["not_deceased"]


def test_one_person_recorded_twice_is_paid_once(bpum):
    # Belitung's record passes the civil registry through the Bangka record of his entity.
    evaluate(enrolments=Enrolment.objects.all())
    assert failed(bpum.enrolments["hadi_belitung"]) == ["not_paid_in_programme"]


def test_a_failed_payment_does_not_count_as_paid(bpum):
    Payment.objects.filter(reference="T1").update(status=Payment.Status.FAILED)
    evaluate(enrolments=Enrolment.objects.all())
    assert failed(bpum.enrolments["hadi_belitung"]) == []


def test_a_record_of_the_same_entity_on_a_list_blocks(bpum, applicants):
    listed(Kind.DECEASED, applicants["hadi_belitung"])
    Payment.objects.filter(reference="T1").update(status=Payment.Status.FAILED)
    Enrolment.objects.filter(pk=bpum.enrolments["hadi"].pk).update(status=Status.CANDIDATE)
    evaluate(enrolments=Enrolment.objects.all())
    assert failed(bpum.enrolments["hadi"]) == ["not_deceased"]


def test_social_aid_blocks_only_where_the_programme_excludes_it(bpum, applicants):
    listed(Kind.SOCIAL_AID, applicants["ani"])
    evaluate(enrolments=Enrolment.objects.all())
    assert failed(bpum.enrolments["ani"]) == []

    Programme.objects.filter(pk=bpum.programme.pk).update(rules=[*BPUM_RULES, "not_social_aid"])
    evaluate(enrolments=Enrolment.objects.all())
    assert failed(bpum.enrolments["ani"]) == ["not_social_aid"]


def test_a_list_of_another_province_does_not_block(bpum, applicants):
    listed(Kind.CIVIL_SERVANTS, applicants["ani"], province="33")
    evaluate(enrolments=Enrolment.objects.all())
    assert failed(bpum.enrolments["ani"]) == []

    listed(Kind.CIVIL_SERVANTS, applicants["ani"], province="19")
    evaluate(enrolments=Enrolment.objects.all())
    assert failed(bpum.enrolments["ani"]) == ["not_civil_servant"]


def test_failed_rules_are_recorded_in_order_and_explained(bpum, applicants):
    listed(Kind.DECEASED, applicants["fajar"])
    listed(Kind.KUR, applicants["fajar"])
    fajar = bpum.enrolments["fajar"]
    evaluate(enrolments=Enrolment.objects.all())
    assert failed(fajar) == ["nik_in_civil_registry", "no_kur", "not_deceased"]

    reasons = explain(fajar)
    assert [rule.code for rule, _ in reasons] == BPUM_RULES
    assert [rule.code for rule, passed in reasons if not passed] == fajar.failed_rules
    with translation.override("en"):
        assert str(reasons[0][0].text) == "The NIK is valid."
        assert [str(AUDIT_CATEGORY[code]) for code in fajar.failed_rules] == [
            "NIK not in the civil registry",
            "KUR",
            "deceased",
        ]
    # Indonesian by default.
    assert str(reasons[0][0].text) != "The NIK is valid."


def test_a_paid_enrolment_is_explained_without_its_own_payment(bpum):
    assert all(passed for _, passed in explain(bpum.enrolments["hadi"]))


def test_evaluate_does_not_touch_approved_enrolments(bpum):
    budi = bpum.enrolments["budi"]
    Enrolment.objects.filter(pk=budi.pk).update(status=Status.APPROVED)
    evaluate(enrolments=Enrolment.objects.all())
    budi.refresh_from_db()
    assert budi.status == Status.APPROVED
    assert budi.failed_rules == []
    assert budi.evaluated_at is None
    assert Enrolment.objects.get(pk=bpum.enrolments["hadi"].pk).status == Status.PAID


def test_evaluate_counts_the_verdicts_by_rule(bpum):
    counts = evaluate(enrolments=Enrolment.objects.filter(cycle=bpum.cycle))
    assert counts == {
        "eligible": 1,
        "ineligible": 7,
        "by_rule": {
            "nik_in_civil_registry": 1,
            "micro_business": 1,
            "not_civil_servant": 1,
            "no_kur": 1,
            "no_bank_credit": 1,
            "not_deceased": 1,
            "not_paid_in_programme": 1,
        },
    }


def test_evaluate_asks_no_more_of_the_database_for_more_enrolments(bpum, personas):
    def queries():
        with CaptureQueriesContext(connection) as context:
            evaluate(enrolments=Enrolment.objects.all())
        return len(context.captured_queries)

    before = queries()
    for serial in range(2, 5):
        nik = f"190101410180000{serial}"
        person = applicant(personas.kab_bangka, f"Ani {serial}", nik, datetime.date(1980, 1, 1))
        enrol(bpum.programme, bpum.cycle, person)
    assert queries() == before


def test_every_rule_reads_as_a_sentence():
    assert all(str(rule.text).endswith(".") for rule in RULES.values())
    assert set(BPUM_RULES) <= set(RULES)
