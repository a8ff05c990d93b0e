"""Collection stages: regency submits, province verifies and approves, centre receives;
approved data is locked until un-approved with a reason."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pulih.registry.models import BatchEvent, CollectionBatch
from pulih.registry.services import (
    BATCH_LOCKED,
    batch_transition,
    business_update,
    entry_create,
    person_create,
)

pytestmark = pytest.mark.django_db

Status = CollectionBatch.Status


def entry(user, village, **extra):
    data = {
        "region_code": village,
        "nik": "",
        "name": "Siti Aminah",
        "business_name": "Kerupuk Ikan Bu Siti",
        "report_date": datetime.date(2020, 4, 20),
        "status": "reduced",
        **extra,
    }
    return entry_create(user=user, data=data)


def test_stage_goes_from_draft_to_received(personas, villages):
    business = entry(personas.kab_bangka, villages["19.01.01"])
    batch = business.batch
    assert (batch.regency_code, batch.stage, batch.status) == ("19.01", 1, Status.DRAFT)
    batch_transition(batch=batch, user=personas.kab_bangka, action="submit")
    batch_transition(batch=batch, user=personas.prov_babel, action="verify")
    batch_transition(batch=batch, user=personas.prov_babel, action="approve")
    batch_transition(batch=batch, user=personas.pusat, action="receive")
    batch.refresh_from_db()
    assert batch.status == Status.RECEIVED
    assert [e.action for e in BatchEvent.objects.filter(batch=batch)] == [
        "submit",
        "verify",
        "approve",
        "receive",
    ]


def test_regency_cannot_approve_its_own_stage(personas, villages):
    batch = entry(personas.kab_bangka, villages["19.01.01"]).batch
    batch_transition(batch=batch, user=personas.kab_bangka, action="submit")
    batch_transition(batch=batch, user=personas.prov_babel, action="verify")
    with pytest.raises(PermissionDenied):
        batch_transition(batch=batch, user=personas.kab_bangka, action="approve")


def test_approving_needs_verification_first(personas, villages):
    batch = entry(personas.kab_bangka, villages["19.01.01"]).batch
    batch_transition(batch=batch, user=personas.kab_bangka, action="submit")
    with pytest.raises(ValidationError):
        batch_transition(batch=batch, user=personas.prov_babel, action="approve")


def test_province_returns_a_stage_with_comments_and_it_can_be_fixed(personas, villages):
    business = entry(personas.kab_bangka, villages["19.01.01"])
    batch = business.batch
    batch_transition(batch=batch, user=personas.kab_bangka, action="submit")
    with pytest.raises(ValidationError):
        batch_transition(batch=batch, user=personas.prov_babel, action="return")
    batch_transition(
        batch=batch, user=personas.prov_babel, action="return", comment="NIK belum lengkap"
    )
    business.batch.refresh_from_db()
    business_update(user=personas.kab_bangka, business=business, employees=3)
    batch_transition(batch=batch, user=personas.kab_bangka, action="submit")


def test_approved_stage_is_locked_until_unapproved_with_a_reason(personas, villages):
    business = entry(personas.kab_bangka, villages["19.01.01"])
    batch = business.batch
    for user, action in [
        (personas.kab_bangka, "submit"),
        (personas.prov_babel, "verify"),
        (personas.prov_babel, "approve"),
    ]:
        batch_transition(batch=batch, user=user, action=action)
    business.batch.refresh_from_db()
    with pytest.raises(ValidationError) as locked:
        business_update(user=personas.kab_bangka, business=business, employees=9)
    assert locked.value.messages == [str(BATCH_LOCKED)]

    with pytest.raises(ValidationError):
        batch_transition(batch=batch, user=personas.prov_babel, action="unapprove")
    batch_transition(
        batch=batch, user=personas.prov_babel, action="unapprove", comment="Salah jumlah karyawan"
    )
    batch_transition(batch=batch, user=personas.prov_babel, action="return", comment="Perbaiki")
    business.batch.refresh_from_db()
    business_update(user=personas.kab_bangka, business=business, employees=9)
    reasons = BatchEvent.objects.filter(batch=batch, action="unapprove").values_list("comment")
    assert list(reasons) == [("Salah jumlah karyawan",)]


def test_new_entries_after_submission_open_the_next_stage(personas, villages):
    first = entry(personas.kab_bangka, villages["19.01.01"]).batch
    batch_transition(batch=first, user=personas.kab_bangka, action="submit")
    second = entry(personas.kab_bangka, villages["19.01.01"], business_name="Lada Putih").batch
    assert (second.stage, second.status) == (2, Status.DRAFT)


def test_officer_cannot_record_outside_their_area(personas, villages):
    with pytest.raises(ValidationError) as error:
        person_create(user=personas.kab_bangka, village_code=villages["19.02.01"], name="X")
    assert "village_code" in error.value.message_dict


def test_stage_page_is_404_for_another_regency(personas, villages, login):
    batch = entry(personas.kab_bangka, villages["19.01.01"]).batch
    url = reverse("registry:batch_detail", args=[batch.pk])
    assert login(personas.kab_belitung).get(url).status_code == 404
    assert login(personas.kurator).get(url).status_code == 404
    assert login(personas.prov_babel).get(url).status_code == 200
    assert login(personas.pusat).get(url).status_code == 200


def test_another_regency_cannot_step_a_stage(personas, villages, login):
    batch = entry(personas.kab_bangka, villages["19.01.01"]).batch
    client = login(personas.kab_belitung)
    response = client.post(reverse("registry:batch_step", args=[batch.pk]), {"action": "submit"})
    assert response.status_code == 404
    batch.refresh_from_db()
    assert batch.status == Status.DRAFT


def test_stage_page_offers_the_steps_of_the_role_and_takes_them(personas, villages, login):
    batch = entry(personas.kab_bangka, villages["19.01.01"]).batch
    client = login(personas.kab_bangka)
    page = client.get(reverse("registry:batch_detail", args=[batch.pk])).content.decode()
    assert 'data-action="submit"' in page
    assert 'data-action="approve"' not in page
    response = client.post(
        reverse("registry:batch_step", args=[batch.pk]), {"action": "submit"}, follow=True
    )
    assert "Tahap ini telah dikirim ke provinsi." in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == Status.SUBMITTED


def test_return_without_comment_is_refused_with_a_message(personas, villages, login):
    batch = entry(personas.kab_bangka, villages["19.01.01"]).batch
    batch_transition(batch=batch, user=personas.kab_bangka, action="submit")
    client = login(personas.prov_babel)
    response = client.post(
        reverse("registry:batch_step", args=[batch.pk]), {"action": "return"}, follow=True
    )
    assert "Berikan alasan." in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == Status.SUBMITTED
