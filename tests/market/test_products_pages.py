"""Product pages: a seller lists and changes its own products; officers see and list those
of their area's sellers.

Who sees what: koperasi-tanimulus sees its rice; umkm-masker, kab-bangka, prov-babel and
prov_jateng do not (404); pusat does. The curator, buyers, PICs and civil servants have no
product pages (404).
"""

import pytest
from django.urls import reverse
from django.utils import translation

from pulih.market import products
from pulih.market.models import Product

pytestmark = pytest.mark.django_db

KG = 1000


def form_data(**fields):
    return {
        "name": "Beras Pandan Wangi",
        "category": "pangan_pokok",
        "unit": "kg",
        "price_per_unit": "12000",
        "pack_sizes": "5 10",
        "description": "",
        "whatsapp": "",
        "marketplace_links": "https://tokopedia.com/tanimulus/beras",
        "region_code": "",
        "public": "on",
        **fields,
    }


def test_a_seller_sees_its_own_products(personas, login, rice):
    page = login(personas.koperasi_tanimulus).get(reverse("market:product_list"))
    assert page.status_code == 200
    assert b"Beras Premium Tani Mulus" in page.content
    other = login(personas.umkm_masker).get(reverse("market:product_list"))
    assert b"Beras Premium Tani Mulus" not in other.content


def test_a_seller_lists_a_product_with_its_packs(personas, login):
    client = login(personas.koperasi_tanimulus)
    response = client.post(reverse("market:product_create"), form_data())
    product = Product.objects.get(name="Beras Pandan Wangi")
    assert response.url == reverse("market:product_detail", args=[product.pk])
    assert product.seller == personas.koperasi_tanimulus.organisation
    assert product.marketplace_links == ["https://tokopedia.com/tanimulus/beras"]
    with translation.override("id"):
        page = client.get(response.url).content.decode()
    assert 'data-pack="5000"' in page and "Rp 60.000" in page and "Rp 120.000" in page


def test_a_bad_price_shows_the_reason_and_lists_nothing(personas, login):
    client = login(personas.koperasi_tanimulus)
    response = client.post(reverse("market:product_create"), form_data(price_per_unit="-5"))
    assert response.status_code == 200
    with translation.override("id"):
        assert str(products.PRICE_NOT_POSITIVE) in response.content.decode()
    assert not Product.objects.filter(name="Beras Pandan Wangi").exists()


def test_an_officer_lists_for_a_seller_of_its_area_only(personas, login):
    client = login(personas.kab_bangka)
    sehati = personas.umkm_masker.organisation
    tani_mulus = personas.koperasi_tanimulus.organisation
    page = client.get(reverse("market:product_create")).content.decode()
    assert sehati.name in page and tani_mulus.name not in page
    data = form_data(name="Masker Kain", category="kesehatan", unit="pcs", pack_sizes="10 50")
    client.post(reverse("market:product_create"), {**data, "seller": tani_mulus.pk})
    assert not Product.objects.filter(name="Masker Kain").exists()
    client.post(reverse("market:product_create"), {**data, "seller": sehati.pk})
    assert Product.objects.get(name="Masker Kain").seller == sehati


def test_a_new_price_on_the_page_reprices_the_packs(personas, login, rice):
    client = login(personas.koperasi_tanimulus)
    url = reverse("market:product_update", args=[rice.pk])
    form = client.get(url).content.decode()
    assert 'value="5 10 20"' in form
    data = form_data(name=rice.name, price_per_unit="12000", pack_sizes="5 10 20", active="on")
    response = client.post(url, data)
    assert response.status_code == 302
    assert dict(rice.packs.values_list("size_milli", "price")) == {
        5 * KG: 60_000,
        10 * KG: 120_000,
        20 * KG: 240_000,
    }


def test_product_pages_are_not_found_outside_the_sellers_area(personas, login, prov_jateng, rice):
    detail = reverse("market:product_detail", args=[rice.pk])
    update = reverse("market:product_update", args=[rice.pk])
    for user in (personas.umkm_masker, personas.kab_bangka, personas.prov_babel, prov_jateng):
        client = login(user)
        assert client.get(detail).status_code == 404
        assert client.get(update).status_code == 404
        assert client.post(update, form_data(price_per_unit="1")).status_code == 404
    rice.refresh_from_db()
    assert rice.price_per_unit == 11_000
    assert login(personas.pusat).get(detail).status_code == 200


def test_other_roles_have_no_product_pages(personas, login, rice):
    for user in (personas.asn_demo, personas.pic_kemenkop, personas.kurator, personas.pembeli_kf):
        client = login(user)
        assert client.get(reverse("market:product_list")).status_code == 404
        assert client.get(reverse("market:product_create")).status_code == 404
        assert client.get(reverse("market:product_detail", args=[rice.pk])).status_code == 404
