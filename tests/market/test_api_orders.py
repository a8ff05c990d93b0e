"""Ordering over the API: the waves, one wave's offers, and a buyer's orders placed with
an Idempotency-Key, read, changed and cancelled.

asn-demo buys in the wave for Kemenkop's civil servants; `colleague` is another buyer and
gets 404 for asn-demo's orders; pic-kemenkop and the seller koperasi-tanimulus cannot
order in that wave (404).
"""

import datetime

import pytest
from django.utils import translation

from pulih.accounts.models import Role
from pulih.accounts.services import token_issue, user_create
from pulih.core import formats
from pulih.market import ordering
from pulih.market.models import Order, OrderLine

pytestmark = pytest.mark.django_db

API = "/api/v1/market"
KG = 1000
NOT_FOUND = {"message": "Tidak ditemukan."}


@pytest.fixture
def api(client):
    """Call the API as a user with their Bearer token."""

    def call(user, method, path, body=None, **headers):
        extra = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user)}", **headers}
        if method == "get":
            return client.get(f"{API}{path}", **extra)
        return getattr(client, method)(
            f"{API}{path}", body or {}, content_type="application/json", **extra
        )

    return call


@pytest.fixture
def colleague(personas):
    return user_create(
        username="asn-rekan",
        role=Role.ASN,
        organisation=personas.asn_demo.organisation,
        nip="199001012015031001",
    )


def packs(rice):
    return {pack.size_milli // KG: pack.pk for pack in rice.packs.all()}


def body(wave, rice, **fields):
    return {
        "drop_off": wave.drop_off_points.get(cluster="Klaster Gedung Smesco").pk,
        "fulfilment": "collect",
        "items": [{"pack": packs(rice)[10], "quantity": 2}],
        **fields,
    }


def left_kg(wave):
    return wave.offers.get().remaining_milli / KG


def message(constant, **values):
    with translation.override("id"):
        return str(constant % values if values else constant)


def test_a_buyer_lists_the_waves_and_reads_one(api, personas, wave, rice):
    listed = api(personas.asn_demo, "get", "/waves").json()
    assert [w["id"] for w in listed] == [wave.pk]
    assert listed[0]["is_open"] is True
    detail = api(personas.asn_demo, "get", f"/waves/{wave.pk}").json()
    (offer,) = detail["offers"]
    assert (offer["product"], offer["remaining_milli"], offer["remaining"]) == (
        rice.name,
        3_000 * KG,
        3_000,
    )
    assert [(p["size_milli"], p["price"]) for p in offer["packs"]] == [
        (5 * KG, 55_000),
        (10 * KG, 110_000),
        (20 * KG, 220_000),
    ]
    assert {p["cluster"] for p in detail["drop_off_points"]} == {
        "Klaster Gedung Smesco",
        "Klaster Gedung Kemenkop",
    }
    assert "pic-kemenkop" not in str(detail) and "PIC" not in str(detail)


def test_a_draft_wave_is_not_found(api, personas, wave):
    wave.status = "draft"
    wave.save()
    assert api(personas.asn_demo, "get", "/waves").json() == []
    response = api(personas.asn_demo, "get", f"/waves/{wave.pk}")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_placing_an_order_answers_201_and_a_retry_200_with_the_same_order(
    api, personas, wave, rice
):
    first = api(
        personas.asn_demo,
        "post",
        f"/waves/{wave.pk}/orders",
        body(wave, rice),
        HTTP_IDEMPOTENCY_KEY="pesan-1",
    )
    assert first.status_code == 201
    order = first.json()
    assert order["code"].startswith("PS-")
    assert (order["total"], order["total_milli"], order["status"]) == (220_000, 20 * KG, "placed")
    assert order["drop_off"]["pic"] == str(personas.pic_kemenkop)
    assert order["url"].endswith(f"/pasar/pesanan/{order['id']}/")
    again = api(
        personas.asn_demo,
        "post",
        f"/waves/{wave.pk}/orders",
        body(wave, rice),
        HTTP_IDEMPOTENCY_KEY="pesan-1",
    )
    assert (again.status_code, again.json()) == (200, order)
    assert Order.objects.count() == 1
    assert left_kg(wave) == 2_980


def test_an_order_without_a_key_is_a_new_order(api, personas, wave, rice):
    for _ in range(2):
        response = api(personas.asn_demo, "post", f"/waves/{wave.pk}/orders", body(wave, rice))
        assert response.status_code == 201
    assert Order.objects.count() == 2


def refusal(api, user, wave, payload, **headers):
    response = api(user, "post", f"/waves/{wave.pk}/orders", payload, **headers)
    assert response.status_code == 422, response.content
    assert not Order.objects.exists() and not OrderLine.objects.exists()
    return response.json()["message"]


def test_bad_orders_are_refused_with_a_message_and_change_nothing(
    api, personas, wave, rice, closed_wave
):
    user, ten = personas.asn_demo, packs(rice)[10]
    other_point = closed_wave.drop_off_points.get().pk
    cases = [
        (body(wave, rice, nip="123"), None),
        (body(wave, rice, drop_off=other_point), message(ordering.DROP_OFF_NOT_IN_WAVE)),
        (body(wave, rice, drop_off=10**30), message(ordering.DROP_OFF_NOT_IN_WAVE)),
        (
            body(wave, rice, items=[{"pack": ten, "quantity": 0}]),
            message(ordering.QUANTITY_NOT_WHOLE),
        ),
        (
            body(wave, rice, items=[{"pack": ten, "quantity": -3}]),
            message(ordering.QUANTITY_NOT_WHOLE),
        ),
        (
            body(wave, rice, items=[{"pack": ten, "quantity": 10**15}]),
            message(ordering.TOO_MANY_PACKS, most=20),
        ),
        (body(wave, rice, items=[]), message(ordering.NO_ITEMS)),
        (
            body(wave, rice, items=[{"pack": 10**30, "quantity": 1}]),
            message(ordering.PACK_NOT_OFFERED),
        ),
        (body(wave, rice, price_total=2), message(ordering.PRICE_CHANGED)),
        (
            body(wave, rice, items=[{"pack": ten, "quantity": 2, "price": 1}]),
            message(ordering.PRICE_CHANGED),
        ),
        (body(wave, rice, institution=10**30), message(ordering.INSTITUTION_UNKNOWN)),
    ]
    for payload, expected in cases:
        text = refusal(api, user, wave, payload)
        assert text if expected is None else text == expected
    assert left_kg(wave) == 3_000
    # The wrong fulfilment and a missing field: the request itself is not valid.
    assert refusal(api, user, wave, body(wave, rice, fulfilment="drone"))
    payload = body(wave, rice)
    del payload["drop_off"]
    assert refusal(api, user, wave, payload)
    long_key = {"HTTP_IDEMPOTENCY_KEY": "k" * 101}
    assert refusal(api, user, wave, body(wave, rice), **long_key) == message(
        ordering.KEY_TOO_LONG, length=100
    )


def test_the_right_prices_are_accepted(api, personas, wave, rice):
    ten = packs(rice)[10]
    payload = body(wave, rice, items=[{"pack": ten, "quantity": 2, "price": 110_000}])
    payload["price_total"] = 220_000
    assert api(personas.asn_demo, "post", f"/waves/{wave.pk}/orders", payload).status_code == 201


def test_ordering_in_a_closed_wave_or_beyond_the_stock_is_refused(
    api, personas, wave, rice, closed_wave
):
    with translation.override("id"):
        closed = str(
            ordering.WAVE_NOT_OPEN
            % {
                "opens": formats.datetime_(closed_wave.opens_at),
                "closes": formats.datetime_(closed_wave.closes_at),
            }
        )
    assert refusal(api, personas.asn_demo, closed_wave, body(closed_wave, rice)) == closed
    wave.offers.update(remaining_milli=15 * KG)
    expected = message(ordering.STOCK_SHORT, left="15 kg", product=rice.name)
    assert refusal(api, personas.asn_demo, wave, body(wave, rice)) == expected
    assert left_kg(wave) == 15


def test_the_refusal_is_in_the_buyers_language(api, personas, wave, rice):
    response = api(
        personas.asn_demo,
        "post",
        f"/waves/{wave.pk}/orders",
        body(wave, rice, price_total=1),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    with translation.override("en"):
        expected = str(ordering.PRICE_CHANGED)
    assert (response.status_code, response.json()["message"]) == (422, expected)


def test_too_many_orders_answer_429(api, personas, wave, rice):
    for _ in range(3):
        response = api(personas.asn_demo, "post", f"/waves/{wave.pk}/orders", body(wave, rice))
        assert response.status_code == 201
    response = api(personas.asn_demo, "post", f"/waves/{wave.pk}/orders", body(wave, rice))
    assert response.status_code == 429
    assert response.json() == {"message": message(ordering.TOO_MANY_LIVE, count=3)}
    assert Order.objects.count() == 3


def test_a_buyer_reads_changes_and_cancels_the_order(api, personas, wave, rice, other_pic):
    created = api(personas.asn_demo, "post", f"/waves/{wave.pk}/orders", body(wave, rice)).json()
    path = f"/orders/{created['id']}"
    assert api(personas.asn_demo, "get", path).json() == created
    kemenkop = wave.drop_off_points.get(pic=other_pic).pk
    changed = api(
        personas.asn_demo,
        "patch",
        path,
        {"items": [{"pack": packs(rice)[20], "quantity": 1}], "drop_off": kemenkop},
    )
    assert changed.status_code == 200
    order = changed.json()
    assert (order["total"], order["drop_off"]["id"], order["fulfilment"]) == (
        220_000,
        kemenkop,
        "collect",
    )
    assert left_kg(wave) == 2_980
    refused = api(
        personas.asn_demo, "patch", path, {"items": [{"pack": packs(rice)[20], "quantity": 0}]}
    )
    assert refused.status_code == 422
    assert refused.json()["message"] == message(ordering.QUANTITY_NOT_WHOLE)
    tampered = {"items": [{"pack": packs(rice)[5], "quantity": 1, "price": 1}]}
    refused = api(personas.asn_demo, "patch", path, tampered)
    assert (refused.status_code, refused.json()["message"]) == (
        422,
        message(ordering.PRICE_CHANGED),
    )
    assert api(personas.asn_demo, "get", path).json()["total"] == 220_000
    assert left_kg(wave) == 2_980
    cancelled = api(personas.asn_demo, "delete", path)
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    assert cancelled.json()["changeable"] is False
    assert left_kg(wave) == 3_000
    again = api(personas.asn_demo, "delete", path)
    assert again.status_code == 422
    assert left_kg(wave) == 3_000


def test_a_closed_waves_order_cannot_be_changed(api, personas, wave, rice):
    created = api(personas.asn_demo, "post", f"/waves/{wave.pk}/orders", body(wave, rice)).json()
    wave.closes_at = wave.opens_at + datetime.timedelta(minutes=1)
    wave.save()
    response = api(personas.asn_demo, "delete", f"/orders/{created['id']}")
    assert (response.status_code, response.json()["message"]) == (
        422,
        message(ordering.WAVE_CLOSED),
    )
    assert left_kg(wave) == 2_980


def test_nobody_else_sees_or_touches_my_order(api, personas, wave, rice, colleague):
    created = api(personas.asn_demo, "post", f"/waves/{wave.pk}/orders", body(wave, rice)).json()
    path = f"/orders/{created['id']}"
    for user in (colleague, personas.pic_kemenkop, personas.koperasi_tanimulus, personas.pusat):
        for method, payload in (("get", None), ("patch", {"fulfilment": "ojek"}), ("delete", None)):
            response = api(user, method, path, payload)
            assert (response.status_code, response.json()) == (404, NOT_FOUND), (user, method)
    assert Order.objects.get().status == Order.Status.PLACED
    assert api(personas.asn_demo, "get", f"/orders/{10**30}").status_code == 404


def test_pics_and_sellers_cannot_order_in_a_wave_for_civil_servants(api, personas, wave, rice):
    for user in (personas.pic_kemenkop, personas.koperasi_tanimulus):
        response = api(user, "post", f"/waves/{wave.pk}/orders", body(wave, rice))
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert not Order.objects.exists()
    # They still see the wave they work in.
    assert [w["id"] for w in api(personas.pic_kemenkop, "get", "/waves").json()] == [wave.pk]
    assert api(personas.koperasi_tanimulus, "get", f"/waves/{wave.pk}").status_code == 200


def test_anyone_signed_in_orders_in_a_wave_for_the_public(api, personas, wave, rice):
    wave.for_public = True
    wave.save()
    response = api(personas.pembeli_kf, "post", f"/waves/{wave.pk}/orders", body(wave, rice))
    assert (response.status_code, response.json()["buyer_kind"]) == (201, "public")
    assert [w["id"] for w in api(personas.pembeli_kf, "get", "/waves").json()] == [wave.pk]


def test_the_api_needs_a_signed_in_caller(client, wave):
    assert client.get(f"{API}/waves").status_code == 401
    assert client.post(f"{API}/waves/{wave.pk}/orders", {}, "application/json").status_code == 401
