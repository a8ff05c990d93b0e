"""The public gallery, pages and API: anyone, signed in or not, sees the public active
products with their seller organisation, region, pack prices, WhatsApp and marketplace
links, and never anything about a person.

Products: Koperasi Tani Mulus's rice (Indramayu, 32.12, staples), Konveksi Sehati's
masks (Bangka, 19.01, health) and a Belitung batik (19.02, fashion); a hidden and a
retired product that nobody finds.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from pulih.accounts.models import Organisation, Role
from pulih.accounts.services import user_create
from pulih.market.models import Order, OrderLine, Pack, Product

pytestmark = pytest.mark.django_db

GALLERY = reverse("market:gallery")
API = "/api/v1/market/gallery"


def product(seller, name, region, *, category="kesehatan", public=True, active=True, **fields):
    made = Product(
        seller=seller,
        name=name,
        category=category,
        unit="pcs",
        price_per_unit=25_000,
        public=public,
        active=active,
        **fields,
    )
    made.set_region(region)
    made.save()
    Pack.objects.create(product=made, size_milli=10_000, price=250_000)
    return made


def page_of(response):
    assert response.status_code == 200
    return response.content.decode()


def shown(client, **query):
    """The product ids on the gallery page for these filters."""
    response = client.get(GALLERY, query)
    assert response.status_code == 200
    return {card.id for card in response.context["cards"]}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def catalogue(personas, rice):
    rice.marketplace_links = [
        "https://www.tokopedia.com/tanimulus",
        "javascript:alert(1)",
        "https://shopee.co.id/tanimulus",
    ]
    rice.save()
    belitung = Organisation.objects.create(
        name="Batik Simpor Belitung", kind=Organisation.Kind.BUSINESS, region_code="19.02"
    )
    masker = personas.umkm_masker.organisation
    return {
        "rice": rice,
        "masker": product(masker, "Masker Kain Sehati", "19.01", whatsapp="081977001122"),
        "batik": product(belitung, "Batik Simpor Motif Daun", "19.02", category="fesyen"),
        "hidden": product(masker, "Masker Uji Coba", "19.01", public=False),
        "retired": product(masker, "Masker Model Lama", "19.01", active=False),
    }


@pytest.fixture
def people(personas, wave):
    """Everything personal around the rice: a member of the cooperative who listed it and
    a civil servant who ordered it."""
    member = user_create(
        username="siti-tanimulus",
        role=Role.PENJUAL,
        first_name="Siti",
        last_name="Rahmawati",
        organisation=personas.koperasi_tanimulus.organisation,
        phone="081355512345",
    )
    member.email = "siti.rahmawati@tanimulus.id"
    member.save()
    rice = wave.offers.get().product
    rice.created_by = member
    rice.save()
    offer = wave.offers.get()
    order = Order.objects.create(
        wave=wave,
        drop_off=wave.drop_off_points.first(),
        code="GLR2020AB",
        buyer=personas.asn_demo,
        buyer_kind=Order.BuyerKind.CIVIL_SERVANT,
        buyer_name="Dewi Anggraini",
        nip="198504122010012003",
        phone="+6281366677788",
        fulfilment=Order.Fulfilment.COLLECT,
        total=110_000,
        total_milli=10_000,
    )
    pack = rice.packs.get(size_milli=10_000)
    OrderLine.objects.create(
        order=order,
        offer=offer,
        pack=pack,
        quantity=1,
        size_milli=10_000,
        unit_price=110_000,
        amount=110_000,
    )
    return [
        "Siti",
        "Rahmawati",
        "siti-tanimulus",
        "siti.rahmawati@tanimulus.id",
        "081355512345",
        "6281355512345",
        "Dewi Anggraini",
        "198504122010012003",
        "6281366677788",
        "GLR2020AB",
        personas.asn_demo.get_full_name(),
        personas.asn_demo.username,
    ]


def test_gallery_shows_no_personal_data(client, catalogue, people):
    rice = catalogue["rice"]
    texts = [
        page_of(client.get(GALLERY)),
        page_of(client.get(reverse("market:gallery_product", args=[rice.pk]))),
        client.get(API).content.decode(),
        client.get(f"{API}/{rice.pk}").content.decode(),
    ]
    for text in texts:
        assert "Beras Premium Tani Mulus" in text
        assert "Koperasi Tani Mulus" in text
        for personal in people:
            assert personal not in text


def test_gallery_api_carries_no_stock_of_waves_nor_orders(client, catalogue, wave):
    item = client.get(f"{API}/{catalogue['rice'].pk}").json()
    assert set(item) == {
        "id", "name", "category", "category_label", "description", "seller", "province_code",
        "regency_code", "region", "unit", "unit_label", "price_per_unit", "packs",
        "whatsapp_url", "marketplace", "photo_url",
    }  # fmt: skip


def test_card_has_pack_prices_region_whatsapp_and_marketplace_links(client, catalogue):
    page = page_of(client.get(GALLERY))
    assert "Rp 55.000" in page and "Rp 220.000" in page
    assert "Kabupaten Indramayu, Jawa Barat" in page
    assert 'href="https://wa.me/6281234567890"' in page
    assert 'href="https://wa.me/6281977001122"' in page
    assert 'href="https://www.tokopedia.com/tanimulus"' in page
    assert 'href="https://shopee.co.id/tanimulus"' in page
    assert "javascript:" not in page


def test_gallery_api_card(client, catalogue):
    item = client.get(f"{API}/{catalogue['rice'].pk}").json()
    assert item["seller"] == "Koperasi Tani Mulus"
    assert item["region"] == "Kabupaten Indramayu, Jawa Barat"
    assert item["whatsapp_url"] == "https://wa.me/6281234567890"
    assert [pack["price"] for pack in item["packs"]] == [55_000, 110_000, 220_000]
    assert item["packs"][0]["text"] == "5 kg — Rp 55.000"
    assert [link["url"] for link in item["marketplace"]] == [
        "https://www.tokopedia.com/tanimulus",
        "https://shopee.co.id/tanimulus",
    ]


def test_gallery_works_logged_out_and_signed_in(client, login, personas, catalogue):
    assert shown(client) == {catalogue[k].pk for k in ("rice", "masker", "batik")}
    assert client.get(API).status_code == 200
    assert shown(login(personas.asn_demo)) == {catalogue[k].pk for k in ("rice", "masker", "batik")}


def test_gallery_filters_by_region_category_and_search(client, catalogue):
    ids = {key: made.pk for key, made in catalogue.items()}
    assert shown(client, province="19") == {ids["masker"], ids["batik"]}
    assert shown(client, province="19", regency="19.02") == {ids["batik"]}
    assert shown(client, category="pangan_pokok") == {ids["rice"]}
    assert shown(client, search="beras") == {ids["rice"]}
    assert shown(client, search="sehati") == {ids["masker"]}
    # A regency left over from another province is dropped, not applied.
    assert shown(client, province="19", regency="32.12") == {ids["masker"], ids["batik"]}


def test_gallery_api_filters_and_pages(client, catalogue):
    ids = {key: made.pk for key, made in catalogue.items()}
    body = client.get(API, {"regency": "19.01"}).json()
    assert body["count"] == 1 and [i["id"] for i in body["items"]] == [ids["masker"]]
    body = client.get(API, {"search": "MASKER"}).json()
    assert [i["id"] for i in body["items"]] == [ids["masker"]]
    body = client.get(API, {"limit": 2}).json()
    assert body["count"] == 3 and len(body["items"]) == 2
    body = client.get(API, {"limit": 2, "offset": 2}).json()
    assert len(body["items"]) == 1
    assert client.get(API, {"province": "Bangka"}).status_code == 422


def test_hidden_and_retired_products_are_not_found(client, catalogue):
    for key in ("hidden", "retired"):
        pk = catalogue[key].pk
        assert pk not in shown(client)
        assert client.get(reverse("market:gallery_product", args=[pk])).status_code == 404
        assert client.get(f"{API}/{pk}").status_code == 404


def test_public_product_photo_is_served_and_a_hidden_ones_is_not(client, personas, catalogue):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 40)).save(buffer, format="PNG")
    seller = personas.umkm_masker.organisation
    shown_one = product(seller, "Masker Bergambar", "19.01")
    hidden = product(seller, "Masker Rahasia", "19.01", public=False)
    for made in (shown_one, hidden):
        made.photo = SimpleUploadedFile("foto.png", buffer.getvalue())
        made.save()
    response = client.get(reverse("market:gallery_photo", args=[shown_one.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert reverse("market:gallery_photo", args=[shown_one.pk]) in page_of(client.get(GALLERY))
    assert client.get(reverse("market:gallery_photo", args=[hidden.pk])).status_code == 404
    assert (
        client.get(reverse("market:gallery_photo", args=[catalogue["rice"].pk])).status_code == 404
    )
