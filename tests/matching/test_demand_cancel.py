"""Cancelling a demand: by a central officer or its buyer, with a reason, only once no
purchase order still has something to deliver; its open runs are discarded and nothing
more is allocated to it.

Who: pusat and pembeli-kf (Kimia Farma's own demand) cancel; another buyer organisation's
user, the curator, sellers and regional officers may not, and get 404 on the page and the
endpoint. Producer: `bangka` (Sungailiat, 10,000 at Rp 3,000).
"""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError

from pulih.accounts.models import Organisation, Role
from pulih.accounts.services import token_issue, user_create
from pulih.matching import services
from pulih.matching.models import AllocationRun, Demand

from .test_demands import TODAY, demand_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("messages_in_english")]


@pytest.fixture
def bangka(make_producer):
    return make_producer("19.01.01", capacity=10_000, name="Konveksi Bangka")


@pytest.fixture
def demand(personas, bangka):
    return demand_post(personas.pembeli_kf, 5_000)


@pytest.fixture
def other_buyer(personas):
    organisation = Organisation.objects.create(name="RSUD Lain", kind=Organisation.Kind.BUYER)
    return user_create(username="pembeli-lain", role=Role.PEMBELI, organisation=organisation)


def run_of(personas, demand):
    return services.allocation_run(user=personas.pusat, demand=demand, today=TODAY)


def order_of(personas, demand):
    (order,) = services.allocation_confirm(
        user=personas.pusat, run=run_of(personas, demand), today=TODAY
    )
    return order


def cancel(user, demand, reason="Anggaran dialihkan"):
    return services.demand_cancel(user=user, demand=demand, reason=reason)


def test_buyer_cancels_its_open_demand_and_its_runs_are_discarded(personas, demand):
    run = run_of(personas, demand)
    cancel(personas.pembeli_kf, demand)
    demand.refresh_from_db()
    run.refresh_from_db()
    assert demand.status == Demand.Status.CANCELLED
    assert demand.cancel_reason == "Anggaran dialihkan"
    assert run.status == AllocationRun.Status.DISCARDED
    with pytest.raises(ValidationError) as error:
        run_of(personas, demand)
    assert error.value.messages == ["This demand is cancelled: nothing more is allocated to it."]


def test_cancelling_needs_a_reason(personas, demand):
    with pytest.raises(ValidationError) as error:
        cancel(personas.pusat, demand, reason="  ")
    assert error.value.message_dict == {"reason": ["Give the reason for cancelling."]}
    demand.refresh_from_db()
    assert demand.status == Demand.Status.OPEN


def test_orders_still_to_deliver_must_be_cancelled_first(personas, demand):
    order = order_of(personas, demand)
    with pytest.raises(ValidationError) as error:
        cancel(personas.pusat, demand)
    assert error.value.messages == [
        "This demand still has purchase orders to deliver: cancel those first, each with its "
        "reason, then the demand."
    ]
    demand.refresh_from_db()
    assert demand.status == Demand.Status.ORDERED
    services.order_cancel(user=personas.pusat, order=order, reason="Produsen berhenti")
    cancel(personas.pusat, demand)
    demand.refresh_from_db()
    assert demand.status == Demand.Status.CANCELLED


def test_a_fulfilled_demand_cannot_be_cancelled(personas, demand):
    order = order_of(personas, demand)
    services.delivery_record(
        user=personas.pusat,
        order=order,
        point=demand.points.get(),
        delivered_on=TODAY,
        accepted=5_000,
        today=TODAY,
    )
    with pytest.raises(ValidationError) as error:
        cancel(personas.pusat, demand)
    assert error.value.messages == ["This demand is fulfilled: it cannot be cancelled."]


@pytest.mark.parametrize("persona", ["kurator", "umkm_masker", "prov_babel", "other_buyer"])
def test_only_central_officers_and_the_buyer_cancel(personas, demand, other_buyer, persona):
    user = other_buyer if persona == "other_buyer" else getattr(personas, persona)
    with pytest.raises(PermissionDenied):
        cancel(user, demand)
    demand.refresh_from_db()
    assert demand.status == Demand.Status.OPEN


def test_buyer_cancels_through_the_page_and_sees_the_reason(client, settings, personas, demand):
    client.force_login(personas.pembeli_kf)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/permintaan/{demand.pk}/").content.decode()
    assert 'data-action="cancel-demand"' in page
    response = client.post(f"/permintaan/{demand.pk}/batal/", {"reason": "Anggaran dialihkan"})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The demand was cancelled: Anggaran dialihkan"
    ]
    demand.refresh_from_db()
    assert demand.status == Demand.Status.CANCELLED
    page = client.get(f"/permintaan/{demand.pk}/").content.decode()
    assert 'data-action="cancel-demand"' not in page


def test_cancel_page_refusal_is_shown(client, settings, personas, demand):
    order_of(personas, demand)
    client.force_login(personas.pusat)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post(
        f"/permintaan/{demand.pk}/batal/", {"reason": "x"}, follow=True
    ).content.decode()
    assert "This demand still has purchase orders to deliver" in page
    demand.refresh_from_db()
    assert demand.status == Demand.Status.ORDERED


def test_cancel_page_is_404_outside_the_demands_scope(
    client, personas, other_buyer, prov_jateng, demand
):
    for user in (other_buyer, personas.kurator, personas.umkm_masker, prov_jateng):
        client.force_login(user)
        response = client.post(f"/permintaan/{demand.pk}/batal/", {"reason": "x"})
        assert response.status_code == 404, user
    demand.refresh_from_db()
    assert demand.status == Demand.Status.OPEN


def api_cancel(client, user, demand, reason="Anggaran dialihkan"):
    return client.post(
        f"/api/v1/matching/demands/{demand.pk}/cancel",
        {"reason": reason},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)}",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_api_cancels_a_demand_and_refuses_while_orders_deliver(client, personas, bangka):
    open_demand = demand_post(personas.pembeli_kf, 1_000)
    response = api_cancel(client, personas.pembeli_kf, open_demand)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    ordered = demand_post(personas.pembeli_kf, 1_000)
    order_of(personas, ordered)
    refused = api_cancel(client, personas.pusat, ordered)
    assert refused.status_code == 422
    assert refused.json()["message"].startswith("This demand still has purchase orders")
    assert api_cancel(client, personas.pusat, ordered, reason="").status_code == 422


def test_api_cancel_is_404_outside_the_demands_scope(client, personas, other_buyer, demand):
    for user in (other_buyer, personas.kurator, personas.umkm_masker):
        assert api_cancel(client, user, demand).status_code == 404, user
    demand.refresh_from_db()
    assert demand.status == Demand.Status.OPEN
