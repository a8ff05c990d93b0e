"""Closing over the API: pusat closes the wave, reads its totals (kg and tonnes per seller
and product) and the pick list of a drop-off point.

Who may: pusat closes; prov-babel reads the national wave's totals but closing is 403;
koperasi-tanimulus reads its own totals; pic-kemenkop the pick list of its own point only
(404 for `other_pic`'s); prov_jateng gets 404 for Bangka Belitung's own wave; civil
servants get 404 everywhere.
"""

import pytest
from django.utils import translation

from pulih.accounts.services import token_issue
from pulih.core.ids import mask_nip
from pulih.market import closing
from pulih.market.models import Order, OrderLine, Wave

pytestmark = pytest.mark.django_db

API = "/api/v1/market"
KG = 1000
NIP = "198504122010012003"


@pytest.fixture
def api(client):
    def call(user, method, path):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user)}"}
        return getattr(client, method)(f"{API}{path}", **headers)

    return call


@pytest.fixture
def orders(wave):
    """Per point, one order of 20 × 20 kg + 10 × 5 kg (450 kg); Smesco's is paid."""
    offer = wave.offers.select_related("product").get()
    made = {}
    for n, point in enumerate(wave.drop_off_points.order_by("cluster")):
        order = Order.objects.create(
            wave=wave,
            drop_off=point,
            code=f"A{n:05d}",
            buyer_kind=Order.BuyerKind.CIVIL_SERVANT,
            buyer_name=f"Pembeli {point.cluster}",
            nip=NIP,
            phone="+6281234567003",
            fulfilment=Order.Fulfilment.COLLECT,
        )
        for kg, quantity in ((20, 20), (5, 10)):
            pack = offer.product.packs.get(size_milli=kg * KG)
            amount = pack.price * quantity
            OrderLine.objects.create(
                order=order,
                offer=offer,
                pack=pack,
                quantity=quantity,
                size_milli=pack.size_milli,
                unit_price=pack.price,
                amount=amount,
            )
            order.total += amount
        if "Smesco" in point.cluster:
            order.amount_paid, order.payment_status = order.total, Order.Payment.PAID
        order.save()
        made[point.cluster] = order
    return made


def test_totals_in_kg_and_tonnes(personas, api, wave, orders):
    body = api(personas.pusat, "get", f"/waves/{wave.pk}/totals").json()
    assert (body["orders"], body["packs"], body["kg"], body["tonnes"]) == (2, 60, 900.0, 0.9)
    assert body["amount"] == 9_900_000
    [seller] = body["sellers"]
    [rice] = seller["products"]
    assert [(p["size"], p["packs"]) for p in rice["packs"]] == [(5.0, 20), (20.0, 40)]
    assert (rice["quantity"], rice["unit"]) == (900.0, "kg")
    own = api(personas.koperasi_tanimulus, "get", f"/waves/{wave.pk}/totals").json()
    assert own["amount"] == 9_900_000
    assert api(personas.prov_babel, "get", f"/waves/{wave.pk}/totals").status_code == 200


def test_closing_and_the_pick_list_of_a_point(personas, api, wave, orders, other_pic):
    smesco = wave.drop_off_points.get(cluster="Klaster Gedung Smesco")
    path = f"/drop-off-points/{smesco.pk}/pick-list"
    with translation.override("id"):
        early = api(personas.pic_kemenkop, "get", path)
        assert early.status_code == 422
        assert early.json()["message"] == str(closing.NOT_CLOSED_YET)
    assert api(personas.prov_babel, "post", f"/waves/{wave.pk}/close").status_code == 403
    closed = api(personas.pusat, "post", f"/waves/{wave.pk}/close")
    assert closed.json()["status"] == "closed"
    rows = api(personas.pic_kemenkop, "get", path).json()
    assert [(row["code"], row["paid"], row["amount"]) for row in rows] == [
        (orders["Klaster Gedung Smesco"].code, True, 4_950_000)
    ]
    assert rows[0]["nip"] == mask_nip(NIP)
    assert [pack["quantity"] for pack in rows[0]["packs"]] == [20, 10]
    assert api(other_pic, "get", path).status_code == 404
    assert api(personas.pusat, "get", path).status_code == 200
    again = api(personas.pusat, "post", f"/waves/{wave.pk}/close")
    assert again.json()["closed_at"] == closed.json()["closed_at"]


def test_closing_endpoints_out_of_scope_are_not_found(personas, api, wave, orders, prov_jateng):
    Wave.objects.filter(pk=wave.pk).update(province_code="19")
    smesco = wave.drop_off_points.get(cluster="Klaster Gedung Smesco")
    paths = [
        ("get", f"/waves/{wave.pk}/totals"),
        ("post", f"/waves/{wave.pk}/close"),
        ("get", f"/drop-off-points/{smesco.pk}/pick-list"),
    ]
    for user in (prov_jateng, personas.asn_demo, personas.umkm_masker):
        for method, path in paths:
            assert api(user, method, path).status_code == 404, (user, path)
    assert api(personas.koperasi_tanimulus, "get", paths[2][1]).status_code == 404
    assert Wave.objects.get(pk=wave.pk).status == Wave.Status.PUBLISHED
