"""The drop-off point over the API, with Bearer tokens: a PIC's points and orders,
handover, payments and the reconciliation.

Who may do what: pic-kemenkop reads and hands over its own point's orders and takes their
payments; `other_pic`'s point and orders are 404 to it. pusat records payments and reads
the reconciliation of every point. Buyers and sellers find no PIC endpoint (404).
"""

import pytest
from django.utils import translation

from pulih.accounts.services import token_issue
from pulih.core import formats
from pulih.market import handover
from pulih.market.models import Order, OrderPayment

from .test_handover import KEMENKOP, SMESCO, order_make, window_close

pytestmark = pytest.mark.django_db

API = "/api/v1/market"


@pytest.fixture
def api(client):
    def call(user, method, path, body=None):
        headers = {
            "HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user)}",
            "HTTP_ACCEPT_LANGUAGE": "en",
        }
        if method == "get":
            return client.get(f"{API}{path}", body or {}, **headers)
        return getattr(client, method)(
            f"{API}{path}", body or {}, content_type="application/json", **headers
        )

    return call


@pytest.fixture
def points(wave):
    return (
        wave.drop_off_points.get(cluster=SMESCO),
        wave.drop_off_points.get(cluster=KEMENKOP),
    )


@pytest.fixture
def orders(personas, points):
    smesco, kemenkop = points
    buyer = personas.asn_demo
    return (
        order_make(smesco, buyer=buyer, name="Aparatur Sipil Negara"),
        order_make(kemenkop, buyer=buyer, name="Citra Lestari", packs=((5, 1),)),
    )


@pytest.fixture
def closed(wave):
    return window_close(wave)


def test_pic_lists_its_own_drop_off_points_with_their_money(api, personas, points, orders):
    response = api(personas.pic_kemenkop, "get", "/drop-off-points")
    assert response.status_code == 200
    body = response.json()
    assert [point["id"] for point in body] == [points[0].pk]
    assert (body[0]["orders"], body[0]["expected"], body[0]["received"]) == (1, 220_000, 0)


def test_a_pic_sees_only_its_drop_off_point(api, personas, points, orders, closed):
    smesco, kemenkop = points
    pic = personas.pic_kemenkop
    assert api(pic, "get", f"/drop-off-points/{kemenkop.pk}/orders").status_code == 404
    other = orders[1]
    assert (
        api(pic, "post", f"/orders/{other.pk}/handover", {"outcome": "collected"}).status_code
        == 404
    )
    body = {"method": "cash", "amount": 55_000}
    assert api(pic, "post", f"/orders/{other.pk}/payments", body).status_code == 404
    listed = api(pic, "get", f"/drop-off-points/{smesco.pk}/orders").json()
    assert [order["code"] for order in listed["items"]] == [orders[0].code]
    other.refresh_from_db()
    assert (other.status, other.amount_paid) == (Order.Status.PLACED, 0)


def test_buyers_and_sellers_find_no_pic_endpoint(api, personas, points, orders, closed):
    smesco, _ = points
    order = orders[0]
    for user in (personas.asn_demo, personas.koperasi_tanimulus):
        assert api(user, "get", "/drop-off-points").status_code == 404
        assert api(user, "get", f"/drop-off-points/{smesco.pk}/orders").status_code == 404
        response = api(user, "post", f"/orders/{order.pk}/handover", {"outcome": "collected"})
        assert response.status_code == 404
        response = api(
            user, "post", f"/orders/{order.pk}/payments", {"method": "cash", "amount": 1}
        )
        assert response.status_code == 404
        assert api(user, "get", f"/waves/{order.wave_id}/reconciliation").status_code == 404
    assert not OrderPayment.objects.exists()


def test_pic_finds_an_order_by_code_and_filters_by_status(api, personas, points, orders):
    smesco, _ = points
    path = f"/drop-off-points/{smesco.pk}/orders"
    found = api(personas.pic_kemenkop, "get", path, {"q": orders[0].code}).json()
    assert found["count"] == 1
    assert found["items"][0]["lines"][0]["size_milli"] == 10_000
    assert api(personas.pic_kemenkop, "get", path, {"status": "collected"}).json()["count"] == 0
    response = api(personas.pic_kemenkop, "get", path, {"status": "lost"})
    assert response.status_code == 422


def test_pic_hands_over_to_an_ojek_and_takes_the_payment_in_two_parts(
    api, personas, orders, closed
):
    pic, order = personas.pic_kemenkop, orders[0]
    response = api(
        pic,
        "post",
        f"/orders/{order.pk}/handover",
        {"outcome": "with_ojek", "driver_name": "Joko", "driver_phone": "081298765432"},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["ojek_driver_phone"]) == ("with_ojek", "+6281298765432")
    first = api(pic, "post", f"/orders/{order.pk}/payments", {"method": "cash", "amount": 20_000})
    assert first.status_code == 201
    assert (first.json()["order_payment_status"], first.json()["order_outstanding"]) == (
        "partly_paid",
        200_000,
    )
    second = api(
        pic,
        "post",
        f"/orders/{order.pk}/payments",
        {"method": "transfer", "amount": 200_000, "reference": "BRI 77"},
    )
    assert second.json()["order_payment_status"] == "paid"


def test_bad_handover_and_payment_are_422_with_the_reason(api, personas, orders, closed):
    pic, order = personas.pic_kemenkop, orders[0]
    response = api(pic, "post", f"/orders/{order.pk}/handover", {"outcome": "with_ojek"})
    assert response.status_code == 422
    with translation.override("en"):
        fields = {e["field"]: e["message"] for e in response.json()["errors"]}
        assert fields == {
            "driver_name": str(handover.DRIVER_NAME_REQUIRED),
            "driver_phone": str(handover.DRIVER_PHONE_REQUIRED),
        }
    response = api(pic, "post", f"/orders/{order.pk}/handover", {"outcome": "lost"})
    assert response.status_code == 422
    path = f"/orders/{order.pk}/payments"
    response = api(pic, "post", path, {"method": "cash", "amount": -5})
    with translation.override("en"):
        assert response.json()["message"] == str(handover.AMOUNT_NOT_POSITIVE)
        response = api(pic, "post", path, {"method": "cash", "amount": 300_000})
        outstanding = formats.rupiah(220_000)
        assert response.json()["message"] == handover.ABOVE_OUTSTANDING % {
            "outstanding": outstanding
        }
    assert api(pic, "post", path, {"method": "cheque", "amount": 1}).status_code == 422
    order.refresh_from_db()
    assert (order.status, order.amount_paid) == (Order.Status.PLACED, 0)


def test_handover_while_ordering_is_open_is_422(api, personas, orders, wave):
    response = api(
        personas.pic_kemenkop, "post", f"/orders/{orders[0].pk}/handover", {"outcome": "collected"}
    )
    assert response.status_code == 422
    with translation.override("en"):
        closes = formats.datetime_(wave.closes_at)
        assert response.json()["message"] == handover.HANDOVER_BEFORE_CLOSE % {"closes": closes}


def test_central_officer_records_a_payment_but_does_not_hand_over(api, personas, orders, closed):
    order = orders[1]
    response = api(
        personas.pusat,
        "post",
        f"/orders/{order.pk}/payments",
        {"method": "transfer", "amount": 55_000},
    )
    assert response.status_code == 201
    response = api(personas.pusat, "post", f"/orders/{order.pk}/handover", {"outcome": "collected"})
    assert response.status_code == 404


def test_reconciliation_per_pic_for_officers_and_the_pic(api, personas, orders, closed):
    handover.order_payment_record(
        user=personas.pic_kemenkop, order=orders[0], method="cash", amount=220_000
    )
    body = api(personas.pusat, "get", f"/waves/{orders[0].wave_id}/reconciliation").json()
    by_cluster = {row["cluster"]: row for row in body["points"]}
    assert by_cluster[SMESCO]["cash"] == 220_000 and by_cluster[SMESCO]["outstanding"] == 0
    assert by_cluster[KEMENKOP]["expected"] == 55_000
    assert by_cluster[SMESCO]["pic"] == "pic-kemenkop"
    assert (body["overall"]["expected"], body["overall"]["received"]) == (275_000, 220_000)
    mine = api(personas.pic_kemenkop, "get", f"/waves/{orders[0].wave_id}/reconciliation").json()
    assert [row["cluster"] for row in mine["points"]] == [SMESCO]
    assert mine["overall"]["outstanding"] == 0
