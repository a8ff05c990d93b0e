"""Wave pages: pusat runs Kemenkop's national rice wave from its page; the others see what
their role needs of it.

Who sees what: every officer sees the national wave, but only pusat changes it (a
province officer gets 403); prov_jateng gets 404 for Bangka Belitung's own wave;
koperasi-tanimulus sees the wave it offers in, with its own offers; umkm-masker sees none;
pic-kemenkop sees the wave with its own drop-off point only; civil servants, curators and
institutional buyers have no wave pages (404).
"""

import datetime

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from pulih.market import products, waves
from pulih.market.models import Wave, WaveProduct

pytestmark = pytest.mark.django_db

KG = 1000


def manage(wave):
    return reverse("market:wave_manage", args=[wave.pk])


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def wave_form(**fields):
    opens = timezone.now() + datetime.timedelta(days=1)
    return {
        "title": "Gelombang Kedua",
        "organiser": "",
        "province_code": "",
        "opens_at": local(opens),
        "closes_at": local(opens + datetime.timedelta(days=1)),
        "distribution_on": (opens + datetime.timedelta(days=3)).date().isoformat(),
        "for_civil_servants": "on",
        "max_packs_per_order": "20",
        **fields,
    }


@pytest.fixture
def babel_wave(personas):
    now = timezone.now()
    return Wave.objects.create(
        title="Gelombang Babel",
        organiser=personas.prov_babel.organisation,
        province_code="19",
        opens_at=now,
        closes_at=now + datetime.timedelta(days=1),
        distribution_on=(now + datetime.timedelta(days=2)).date(),
    )


def test_each_role_sees_its_waves_in_the_list(personas, login, wave, prov_jateng, other_pic):
    url = reverse("market:wave_list")
    for user in (
        personas.pusat,
        personas.prov_babel,
        prov_jateng,
        personas.kab_bangka,
        personas.koperasi_tanimulus,
        personas.pic_kemenkop,
        other_pic,
    ):
        page = login(user).get(url)
        assert page.status_code == 200
        assert f'data-wave="{wave.pk}"' in page.content.decode()
    assert f'data-wave="{wave.pk}"' not in login(personas.umkm_masker).get(url).content.decode()
    for user in (personas.asn_demo, personas.kurator, personas.pembeli_kf):
        assert login(user).get(url).status_code == 404
        assert login(user).get(manage(wave)).status_code == 404


def test_a_central_officer_creates_a_wave_on_its_page(personas, login):
    client = login(personas.pusat)
    organiser = personas.pusat.organisation
    response = client.post(reverse("market:wave_create"), wave_form(organiser=organiser.pk))
    wave = Wave.objects.get(title="Gelombang Kedua")
    assert response.url == manage(wave)
    assert (wave.status, wave.province_code, wave.organiser) == ("draft", "", organiser)


def test_a_backwards_window_shows_the_reason(personas, login):
    client = login(personas.prov_babel)
    opens = timezone.now() + datetime.timedelta(days=2)
    data = wave_form(
        organiser=personas.prov_babel.organisation.pk,
        opens_at=local(opens),
        closes_at=local(opens - datetime.timedelta(hours=3)),
    )
    with translation.override("id"):
        page = client.post(reverse("market:wave_create"), data).content.decode()
        assert str(waves.WINDOW_BACKWARDS) in page
    assert not Wave.objects.exists()


def test_the_wave_page_shows_stock_sold_and_remaining(personas, login, wave):
    WaveProduct.objects.filter(wave=wave).update(remaining_milli=F("remaining_milli") - 100 * KG)
    page = login(personas.pusat).get(manage(wave)).content.decode()
    assert 'data-stock="3000000"' in page
    assert 'data-sold="100000"' in page
    assert 'data-remaining="2900000"' in page
    assert 'id="offer-form"' in page and 'data-action="close"' in page


def test_stock_below_what_is_sold_shows_the_reason_and_stays(personas, login, wave, rice):
    WaveProduct.objects.filter(wave=wave).update(remaining_milli=F("remaining_milli") - 100 * KG)
    url = reverse("market:wave_offer_add", args=[wave.pk])
    with translation.override("id"):
        response = login(personas.pusat).post(url, {"product": rice.pk, "stock": "50"})
        message = waves.STOCK_BELOW_SOLD % {"sold": products.quantity_text(100 * KG, "kg")}
    assert response.status_code == 422
    assert message in response.content.decode()
    assert wave.offers.get().stock_milli == 3_000 * KG
    login(personas.pusat).post(url, {"product": rice.pk, "stock": "3500"})
    assert wave.offers.get().stock_milli == 3_500 * KG


def test_a_drop_off_point_needs_a_pic(personas, login, wave, other_pic):
    client = login(personas.pusat)
    url = reverse("market:drop_off_add", args=[wave.pk])
    point = {"cluster": "Klaster Menara", "address": "Jl. Menara, Jakarta", "region_code": ""}
    assert client.post(url, {**point, "pic": personas.asn_demo.pk}).status_code == 422
    assert not wave.drop_off_points.filter(cluster="Klaster Menara").exists()
    assert client.post(url, {**point, "pic": other_pic.pk}).status_code == 302
    assert wave.drop_off_points.get(cluster="Klaster Menara").pic == other_pic


def test_a_draft_is_published_then_closed_from_its_page(personas, login, wave):
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.DRAFT)
    client = login(personas.pusat)
    client.post(reverse("market:wave_publish", args=[wave.pk]))
    assert Wave.objects.get(pk=wave.pk).status == Wave.Status.PUBLISHED
    client.post(reverse("market:wave_close", args=[wave.pk]))
    assert Wave.objects.get(pk=wave.pk).status == Wave.Status.CLOSED
    page = client.get(manage(wave)).content.decode()
    assert 'data-document="po"' in page and 'data-document="pick-list-xlsx"' in page
    assert 'id="offer-form"' not in page


def test_a_province_officer_may_not_change_a_national_wave(personas, login, wave, rice):
    client = login(personas.prov_babel)
    page = client.get(manage(wave)).content.decode()
    assert 'id="offer-form"' not in page and 'data-action="close"' not in page
    offer = reverse("market:wave_offer_add", args=[wave.pk])
    assert client.post(offer, {"product": rice.pk, "stock": "10"}).status_code == 403
    assert client.get(reverse("market:wave_update", args=[wave.pk])).status_code == 403
    assert client.post(reverse("market:wave_close", args=[wave.pk])).status_code == 403
    point = wave.drop_off_points.first()
    assert client.get(reverse("market:drop_off_update", args=[point.pk])).status_code == 403
    assert Wave.objects.get(pk=wave.pk).status == Wave.Status.PUBLISHED
    assert wave.offers.get().stock_milli == 3_000 * KG


def test_another_provinces_wave_is_not_found(personas, login, babel_wave, prov_jateng, rice):
    assert login(personas.prov_babel).get(manage(babel_wave)).status_code == 200
    client = login(prov_jateng)
    assert client.get(manage(babel_wave)).status_code == 404
    for name in ("wave_update", "wave_publish", "wave_close"):
        assert client.post(reverse(f"market:{name}", args=[babel_wave.pk])).status_code == 404
    offer = reverse("market:wave_offer_add", args=[babel_wave.pk])
    assert client.post(offer, {"product": rice.pk, "stock": "1"}).status_code == 404
    assert login(personas.kab_bangka).post(offer, {"stock": "1"}).status_code == 404


def test_a_seller_and_a_pic_see_their_own_part_of_the_wave(personas, login, wave, other_pic):
    seller_page = login(personas.koperasi_tanimulus).get(manage(wave)).content.decode()
    assert "Beras Premium Tani Mulus" in seller_page
    assert 'id="offer-form"' not in seller_page
    pic_page = login(personas.pic_kemenkop).get(manage(wave)).content.decode()
    assert "Klaster Gedung Smesco" in pic_page
    assert "Klaster Gedung Kemenkop" not in pic_page
    assert login(personas.umkm_masker).get(manage(wave)).status_code == 404
