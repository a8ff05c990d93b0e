"""The demo's aid programmes on Bangka Belitung: the Kemensos irisan, every defect of the
BPK audit stopped before payment, and the Kartu Prakerja figures of seed 003.

The demo is loaded once for the module, inside a transaction rolled back at its end:
each test runs in a savepoint of it, as Django's `setUpTestData` does.
"""

from collections import Counter

import pytest
from django.db import transaction

from pulih.dedup.demo import dedup_demo_create
from pulih.programs.demo import PROGRAMME, programs_demo_create
from pulih.programs.models import (
    Enrolment,
    ExternalList,
    ListEntry,
    Payment,
    Programme,
    Referral,
)
from pulih.programs.rules import BPUM_RULES
from pulih.registry.demo import registry_demo_create

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        registry_demo_create()
        dedup_demo_create()
        yield programs_demo_create()
        transaction.set_rollback(True)


@pytest.fixture
def bpum(demo):
    return Programme.objects.get(name=PROGRAMME)


def test_every_bpum_rule_blocks_someone(bpum):
    blocked = Counter(
        code
        for failed in Enrolment.objects.filter(programme=bpum).values_list(
            "failed_rules", flat=True
        )
        for code in failed
    )
    assert {code: blocked[code] > 0 for code in BPUM_RULES} == dict.fromkeys(BPUM_RULES, True)


def test_a_person_registered_twice_is_paid_once(demo, bpum):
    live = Payment.objects.filter(programme=bpum, duplicate=False).exclude(
        status=Payment.Status.FAILED
    )
    per_entity = Counter(live.values_list("entity_id", flat=True))
    assert per_entity and max(per_entity.values()) == 1
    assert demo["duplicates_refused"] > 0


def test_money_was_paid_blocked_and_failed_at_the_bank(demo):
    assert demo["paid"] > 0 and demo["rupiah_paid"] == demo["paid"] * 2_400_000
    assert demo["rupiah_blocked"] > 0
    assert demo["failed"] > 0


def test_the_kemensos_irisan_is_found_by_nik_and_by_record_linkage(demo):
    assert demo["kemensos_overlap"] > 0
    assert demo["kemensos_by_linkage"] > 0
    assert demo["kemensos_outside"] > 0


def test_the_overlap_is_marked_as_served(demo):
    kemensos = ExternalList.objects.get(kind=ExternalList.Kind.SOCIAL_AID)
    assert kemensos.entries.filter(served_marked_at__isnull=False).count() > 0


def test_prakerja_registered_283_of_whom_150_passed(demo):
    assert (demo["registered"], demo["passed"]) == (283, 150)
    assert demo["referred"] >= 283 and demo["topped_up"] == 0


def test_people_served_are_not_referred(demo, bpum):
    paid = Payment.objects.filter(programme=bpum).exclude(status=Payment.Status.FAILED)
    referred = Referral.objects.filter(target=Referral.Target.PRAKERJA)
    assert not referred.filter(person__in=paid.values("enrolment__person")).exists()
    irisan = ListEntry.objects.filter(list__kind=ExternalList.Kind.SOCIAL_AID, person__isnull=False)
    assert not referred.filter(person__in=irisan.values("person")).exists()


def test_a_second_call_changes_nothing(demo):
    models = (Programme, Enrolment, Payment, ExternalList, ListEntry, Referral)

    def state():
        return [list(model.objects.order_by("pk").values()) for model in models]

    before = state()
    again = programs_demo_create()
    assert again == {**demo, "created": False}
    assert state() == before
