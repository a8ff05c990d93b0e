"""Products over the API: the same rules as the pages, with Bearer tokens.

Who sees what: koperasi-tanimulus its rice; umkm-masker, kab-bangka and prov_jateng get
404 for it; civil servants and PICs get 404 on every product endpoint.
"""

import pytest
from django.utils import translation

from pulih.accounts.services import token_issue
from pulih.market import products
from pulih.market.models import Product

pytestmark = pytest.mark.django_db

API = "/api/v1/market"


@pytest.fixture
def api(client):
    def call(user, method, path, body=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user)}"}
        if method == "get":
            return client.get(f"{API}{path}", body or {}, **headers)
        return getattr(client, method)(
            f"{API}{path}", body or {}, content_type="application/json", **headers
        )

    return call


RICE = {
    "name": "Beras Merah",
    "category": "pangan_pokok",
    "unit": "kg",
    "price_per_unit": 14_000,
    "pack_sizes": [5, 2.5],
    "whatsapp": "081234567890",
}


def test_a_seller_lists_a_product_over_the_api(personas, api):
    response = api(personas.koperasi_tanimulus, "post", "/products", RICE)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["seller"] == "Koperasi Tani Mulus"
    assert body["whatsapp"] == "+6281234567890"
    assert [(p["size"], p["price"]) for p in body["packs"]] == [(2.5, 35_000), (5.0, 70_000)]
    listed = api(personas.koperasi_tanimulus, "get", "/products").json()
    assert [item["name"] for item in listed["items"]] == ["Beras Merah"]


def test_a_patch_reprices_and_replaces_packs(personas, api, rice):
    response = api(
        personas.koperasi_tanimulus,
        "patch",
        f"/products/{rice.pk}",
        {"price_per_unit": 12_000, "pack_sizes": [10]},
    )
    assert response.status_code == 200, response.json()
    assert [(p["size"], p["price"]) for p in response.json()["packs"]] == [(10.0, 120_000)]


def test_bad_input_is_422_with_the_message(personas, api):
    with translation.override("id"):
        response = api(
            personas.koperasi_tanimulus, "post", "/products", {**RICE, "price_per_unit": -1}
        )
        assert response.status_code == 422
        assert response.json()["message"] == str(products.PRICE_NOT_POSITIVE)
    assert not Product.objects.exists()


def test_an_officer_names_a_seller_of_its_area(personas, api):
    sehati = personas.umkm_masker.organisation
    tani_mulus = personas.koperasi_tanimulus.organisation
    refused = api(personas.kab_bangka, "post", "/products", {**RICE, "seller_id": tani_mulus.pk})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "seller_id"
    made = api(personas.kab_bangka, "post", "/products", {**RICE, "seller_id": sehati.pk})
    assert made.status_code == 201
    assert made.json()["regency_code"] == "19.01"


def test_products_out_of_scope_are_not_found(personas, api, prov_jateng, rice):
    for user in (personas.umkm_masker, personas.kab_bangka, prov_jateng):
        assert api(user, "get", f"/products/{rice.pk}").status_code == 404
        patched = api(user, "patch", f"/products/{rice.pk}", {"price_per_unit": 1})
        assert patched.status_code == 404
    for user in (personas.asn_demo, personas.pic_kemenkop):
        assert api(user, "get", "/products").status_code == 404
        assert api(user, "post", "/products", RICE).status_code == 404
    rice.refresh_from_db()
    assert rice.price_per_unit == 11_000
