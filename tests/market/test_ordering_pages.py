"""The buyer's pages: asn-demo finds the wave, orders 2 × 10 kg of rice for collection
without JavaScript, sees the confirmation with its code and QR code, changes and cancels
it. Another civil servant (`colleague`) gets 404 on asn-demo's order; pic-kemenkop and the
seller koperasi-tanimulus get 404 on the buyer's pages of a wave for civil servants.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from pulih.accounts.models import Role
from pulih.accounts.services import user_create
from pulih.market import ordering
from pulih.market.models import Order

pytestmark = pytest.mark.django_db

KG = 1000


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


def smesco(wave):
    return wave.drop_off_points.get(cluster="Klaster Gedung Smesco")


def form_key(page):
    return re.search(r'name="idempotency_key" value="([^"]+)"', page.content.decode())[1]


def order_form(wave, rice, key, **quantities):
    data = {
        "drop_off": smesco(wave).pk,
        "fulfilment": "collect",
        "idempotency_key": key,
        "nip": "198504122010012003",
    }
    data.update({f"pack_{packs(rice)[int(kg)]}": n for kg, n in quantities.items()})
    return data


def left_kg(wave):
    return wave.offers.get().remaining_milli / KG


def test_a_civil_servant_finds_the_wave_open_to_them(login, personas, wave, closed_wave):
    page = login(personas.asn_demo).get(reverse("market:buyer_waves"))
    assert page.status_code == 200
    assert re.findall(r'data-wave="(\d+)"', page.content.decode()) == [str(wave.pk)]


def test_the_order_form_shows_packs_stock_and_the_buyers_nip(login, personas, wave, rice):
    with translation.override("id"):
        page = login(personas.asn_demo).get(reverse("market:wave_order", args=[wave.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Beras Premium Tani Mulus" in html
    assert "Rp 110.000" in html and "3 t" in html
    assert 'value="198504122010012003"' in html
    assert form_key(page)
    assert "Klaster Gedung Smesco" in html and "Klaster Gedung Kemenkop" in html


def test_a_civil_servant_orders_two_ten_kg_packs_for_collection(login, personas, wave, rice):
    client = login(personas.asn_demo)
    key = form_key(client.get(reverse("market:wave_order", args=[wave.pk])))
    response = client.post(
        reverse("market:wave_order", args=[wave.pk]), order_form(wave, rice, key, **{"10": 2})
    )
    order = Order.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("market:order_detail", args=[order.pk])
    assert (order.total, order.fulfilment, order.drop_off) == (220_000, "collect", smesco(wave))
    assert left_kg(wave) == 2_980
    with translation.override("id"):
        page = client.get(response.url)
    html = page.content.decode()
    assert order.code in html and "Rp 220.000" in html
    assert "<svg" in html and str(personas.pic_kemenkop) in html
    assert reverse("market:order_cancel", args=[order.pk]) in html


def test_a_double_click_makes_one_order(login, personas, wave, rice):
    client = login(personas.asn_demo)
    key = form_key(client.get(reverse("market:wave_order", args=[wave.pk])))
    data = order_form(wave, rice, key, **{"10": 2})
    first = client.post(reverse("market:wave_order", args=[wave.pk]), data)
    second = client.post(reverse("market:wave_order", args=[wave.pk]), data)
    assert first.url == second.url
    assert Order.objects.count() == 1
    assert left_kg(wave) == 2_980


def test_a_refused_order_shows_why_and_takes_nothing(login, personas, wave, rice):
    wave.offers.update(remaining_milli=15 * KG)
    client = login(personas.asn_demo)
    with translation.override("id"):
        response = client.post(
            reverse("market:wave_order", args=[wave.pk]), order_form(wave, rice, "k", **{"10": 2})
        )
        expected = str(
            ordering.STOCK_SHORT % {"left": "15 kg", "product": "Beras Premium Tani Mulus"}
        )
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not Order.objects.exists() and left_kg(wave) == 15


def test_a_nip_refusal_shows_beside_the_nip(login, personas, wave, rice):
    data = order_form(wave, rice, "k", **{"5": 1})
    data["nip"] = "12"
    response = login(personas.asn_demo).post(reverse("market:wave_order", args=[wave.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["nip"]
    assert not Order.objects.exists()


def test_the_running_total(login, personas, wave, rice):
    data = {f"pack_{packs(rice)[10]}": "2", f"pack_{packs(rice)[5]}": "1", "pack_x": "9"}
    with translation.override("id"):
        response = login(personas.asn_demo).post(
            reverse("market:wave_order_total", args=[wave.pk]), data
        )
    assert "Rp 275.000" in response.content.decode()


def order_placed(personas, wave, rice):
    order, _ = ordering.order_place(
        user=personas.asn_demo,
        wave=wave,
        drop_off=smesco(wave),
        items={packs(rice)[10]: 2},
        fulfilment="collect",
    )
    return order


def test_a_buyer_changes_the_order(login, personas, wave, rice, other_pic):
    order = order_placed(personas, wave, rice)
    client = login(personas.asn_demo)
    page = client.get(reverse("market:order_change", args=[order.pk]))
    assert page.status_code == 200
    assert f'name="pack_{packs(rice)[10]}" value="2"' in page.content.decode()
    kemenkop = wave.drop_off_points.get(pic=other_pic)
    response = client.post(
        reverse("market:order_change", args=[order.pk]),
        {"drop_off": kemenkop.pk, "fulfilment": "ojek", f"pack_{packs(rice)[20]}": "1"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.drop_off, order.fulfilment, order.total) == (kemenkop, "ojek", 220_000)
    assert left_kg(wave) == 2_980


def test_a_buyer_cancels_the_order_and_the_stock_comes_back(login, personas, wave, rice):
    order = order_placed(personas, wave, rice)
    client = login(personas.asn_demo)
    assert client.get(reverse("market:order_cancel", args=[order.pk])).status_code == 200
    assert left_kg(wave) == 2_980
    response = client.post(reverse("market:order_cancel", args=[order.pk]))
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert left_kg(wave) == 3_000
    page = client.get(reverse("market:order_detail", args=[order.pk]))
    assert reverse("market:order_cancel", args=[order.pk]) not in page.content.decode()


def test_my_orders_lists_only_mine(login, personas, wave, rice, colleague):
    order = order_placed(personas, wave, rice)
    page = login(personas.asn_demo).get(reverse("market:my_orders"))
    assert re.findall(r'data-order="(\d+)"', page.content.decode()) == [str(order.pk)]
    page = login(colleague).get(reverse("market:my_orders"))
    assert order.code not in page.content.decode()


def test_another_buyer_gets_404_on_my_order(login, personas, wave, rice, colleague):
    order = order_placed(personas, wave, rice)
    for user in (colleague, personas.pic_kemenkop, personas.pusat):
        client = login(user)
        for name in ("market:order_detail", "market:order_change", "market:order_cancel"):
            assert client.get(reverse(name, args=[order.pk])).status_code == 404, (user, name)
        assert client.post(reverse("market:order_cancel", args=[order.pk])).status_code == 404
    assert Order.objects.get().status == Order.Status.PLACED


def test_pics_and_sellers_get_404_on_a_wave_for_civil_servants(login, personas, wave, rice):
    for user in (personas.pic_kemenkop, personas.koperasi_tanimulus):
        client = login(user)
        assert client.get(reverse("market:wave_order", args=[wave.pk])).status_code == 404
        response = client.post(
            reverse("market:wave_order", args=[wave.pk]), order_form(wave, rice, "k", **{"10": 1})
        )
        assert response.status_code == 404
        assert client.post(reverse("market:wave_order_total", args=[wave.pk])).status_code == 404
        page = client.get(reverse("market:buyer_waves"))
        assert f'data-wave="{wave.pk}"' not in page.content.decode()
    assert not Order.objects.exists()


def test_buyer_pages_need_a_signed_in_user(client, wave):
    response = client.get(reverse("market:wave_order", args=[wave.pk]))
    assert response.status_code == 302 and "/akun/" in response.url
