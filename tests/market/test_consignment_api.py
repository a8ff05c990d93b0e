"""The PLUT consignment API: prov-babel receives, sells, returns and pays over JSON;
kab-bangka and the seller read (403 on writes); prov-jateng finds none of Bangka
Belitung's items (404); the civil servant finds no endpoint; nobody unsigned gets in.
"""

import pytest
from django.utils import translation

from pulih.accounts.services import token_issue
from pulih.market import consignment as plut
from pulih.market.models import ConsignmentMovement, ConsignmentSettlement, Pack, Product

pytestmark = pytest.mark.django_db

API = "/api/v1/market/consignment"


@pytest.fixture
def api(client):
    def call(user, method, path="", body=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user)}"}
        if method == "get":
            return client.get(f"{API}{path}", body or {}, **headers)
        return client.post(f"{API}{path}", body or {}, content_type="application/json", **headers)

    return call


@pytest.fixture
def masker(personas):
    made = Product(
        seller=personas.umkm_masker.organisation,
        name="Masker Kain Sehati",
        category="kesehatan",
        unit="pcs",
        price_per_unit=25_000,
    )
    made.set_region("19.01")
    made.save()
    Pack.objects.create(product=made, size_milli=1_000, price=25_000)
    return made


@pytest.fixture
def item(api, personas, masker):
    response = api(
        personas.prov_babel,
        "post",
        "/receive",
        {"product_id": masker.pk, "quantity": 30, "on": "2020-05-04", "commission_percent": "10"},
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_province_officer_runs_the_gallery_over_the_api(api, personas, item):
    babel = personas.prov_babel
    assert (item["province_code"], item["on_hand"], item["price"]) == ("19", 30, 25_000)
    sold = api(babel, "post", f"/{item['id']}/sell", {"quantity": 4, "on": "2020-05-05"}).json()
    assert (sold["sold"], sold["on_hand"], sold["unsettled_amount"]) == (4, 26, 100_000)
    back = api(babel, "post", f"/{item['id']}/return", {"quantity": 6, "on": "2020-05-06"})
    assert back.json()["on_hand"] == 20
    listed = api(babel, "get").json()
    assert (
        listed["count"] == 1 and listed["items"][0]["seller_name"] == "Konveksi Sehati Sungailiat"
    )
    paid = api(
        babel,
        "post",
        "/settle",
        {"seller_id": personas.umkm_masker.organisation_id, "paid_on": "2020-05-10"},
    ).json()
    assert (paid["gross"], paid["commission"], paid["net"]) == (100_000, 10_000, 90_000)
    assert api(babel, "get", "/settlements").json()["items"][0]["id"] == paid["id"]


def test_selling_more_than_on_hand_is_refused_with_the_reason(api, personas, item):
    with translation.override("id"):
        response = api(
            personas.prov_babel, "post", f"/{item['id']}/sell", {"quantity": 31, "on": "2020-05-05"}
        )
        expected = str(plut.NOT_ENOUGH_TO_SELL % {"on_hand": "30", "quantity": "31"})
    assert response.status_code == 422
    assert response.json()["message"] == expected
    assert not ConsignmentMovement.objects.filter(kind="sold").exists()


def test_paying_twice_finds_nothing_to_pay(api, personas, item):
    babel, seller = personas.prov_babel, personas.umkm_masker.organisation
    api(babel, "post", f"/{item['id']}/sell", {"quantity": 1, "on": "2020-05-05"})
    body = {"seller_id": seller.pk, "paid_on": "2020-05-10"}
    assert api(babel, "post", "/settle", body).status_code == 200
    with translation.override("id"):
        again = api(babel, "post", "/settle", body)
        assert again.status_code == 422
        assert again.json()["message"] == str(plut.NOTHING_TO_SETTLE % {"seller": seller.name})
    assert ConsignmentSettlement.objects.count() == 1


def test_readers_may_not_write(api, personas, masker, item):
    for user in (personas.kab_bangka, personas.umkm_masker):
        assert api(user, "get").json()["count"] == 1
        sell = api(user, "post", f"/{item['id']}/sell", {"quantity": 1, "on": "2020-05-05"})
        assert sell.status_code == 403
        receive = api(
            user,
            "post",
            "/receive",
            {"province_code": "19", "product_id": masker.pk, "quantity": 1, "on": "2020-05-05"},
        )
        assert receive.status_code == 403
    assert api(personas.kab_belitung, "get").json()["count"] == 0


def test_other_province_finds_nothing(api, personas, prov_jateng, masker, item):
    assert api(prov_jateng, "get").json()["count"] == 0
    sell = api(prov_jateng, "post", f"/{item['id']}/sell", {"quantity": 1, "on": "2020-05-05"})
    assert sell.status_code == 404
    receive = api(
        prov_jateng,
        "post",
        "/receive",
        {"province_code": "19", "product_id": masker.pk, "quantity": 1, "on": "2020-05-05"},
    )
    assert receive.status_code == 404


def test_buyers_find_no_endpoint_and_nobody_gets_in_unsigned(api, client, personas, item):
    assert api(personas.asn_demo, "get").status_code == 404
    assert api(personas.pic_kemenkop, "get", "/settlements").status_code == 404
    assert client.get(API).status_code == 401
