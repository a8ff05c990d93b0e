"""Order waves: Kemenkop's national wave of rice with drop-off points and their PICs.

Who may: pusat runs national waves (and any); prov-babel runs Bangka Belitung's waves
only and sees, but may not change, national ones; kab-bangka, sellers, PICs and civil
servants run none.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone, translation

from pulih.core import formats
from pulih.market import products, waves
from pulih.market.models import Wave, WaveProduct

pytestmark = pytest.mark.django_db

KG = 1000


@pytest.fixture
def kemenkop(personas):
    return personas.pusat.organisation


def window(days_from_now=1):
    opens = timezone.now() + datetime.timedelta(days=days_from_now)
    return {
        "opens_at": opens,
        "closes_at": opens + datetime.timedelta(days=1),
        "distribution_on": (opens + datetime.timedelta(days=3)).date(),
    }


def wave_new(user, organised_by, **fields):
    values = {"title": "Gelombang Kedua", "organiser": organised_by, **window(), **fields}
    return waves.wave_create(user=user, **values)


def refusal(call):
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value


def test_a_central_officer_opens_a_national_draft_wave(personas, kemenkop):
    wave = wave_new(personas.pusat, kemenkop, institutions=[kemenkop])
    assert (wave.status, wave.province_code) == (Wave.Status.DRAFT, "")
    assert list(wave.institutions.all()) == [kemenkop]
    assert wave.created_by == personas.pusat


def test_a_province_officer_runs_waves_of_its_province_only(personas):
    dinas = personas.prov_babel.organisation
    assert wave_new(personas.prov_babel, dinas).province_code == "19"
    with translation.override("id"):
        error = refusal(lambda: wave_new(personas.prov_babel, dinas, province_code="33"))
        assert error.message_dict["province_code"] == [str(waves.PROVINCE_NOT_YOURS)]
    for user in (personas.kab_bangka, personas.koperasi_tanimulus, personas.asn_demo):
        with pytest.raises(PermissionDenied):
            wave_new(user, dinas)


@pytest.mark.parametrize("language", ["id", "en"])
def test_bad_wave_input_is_refused_with_a_clear_message(personas, kemenkop, language):
    opens = timezone.now() + datetime.timedelta(days=2)
    backwards = {"opens_at": opens, "closes_at": opens - datetime.timedelta(hours=1)}
    late = {"distribution_on": (opens - datetime.timedelta(days=5)).date()}
    with translation.override(language):
        cases = [
            (backwards, "closes_at", str(waves.WINDOW_BACKWARDS)),
            (
                late,
                "distribution_on",
                waves.DISTRIBUTION_BEFORE_CLOSE
                % {"day": formats.date(timezone.localdate(window()["closes_at"]))},
            ),
            ({"for_civil_servants": False}, "for_civil_servants", str(waves.NO_AUDIENCE)),
            ({"max_packs_per_order": 0}, "max_packs_per_order", str(waves.MAX_PACKS_OUT_OF_RANGE)),
            ({"title": " "}, "title", str(waves.TITLE_REQUIRED)),
            (
                {"organiser": personas.koperasi_tanimulus.organisation},
                "organiser",
                str(waves.ORGANISER_KIND),
            ),
        ]
        for fields, field, message in cases:
            error = refusal(lambda fields=fields: wave_new(personas.pusat, kemenkop, **fields))
            assert error.message_dict[field] == [message]
    assert not Wave.objects.exists()


def test_a_province_officer_sees_but_may_not_change_a_national_wave(personas, wave):
    assert wave in Wave.objects.visible_to(personas.prov_babel)
    with pytest.raises(PermissionDenied):
        waves.wave_update(user=personas.prov_babel, wave=wave, title="Diubah")
    with pytest.raises(PermissionDenied):
        waves.wave_offer_set(user=personas.prov_babel, wave=wave, product=wave_rice(wave), stock=1)
    waves.wave_update(user=personas.pusat, wave=wave, title="Gelombang Pertama")
    assert Wave.objects.get(pk=wave.pk).title == "Gelombang Pertama"


def wave_rice(wave):
    return wave.offers.get().product


def sold(wave, kg):
    """As if buyers had ordered `kg` of the wave's rice."""
    WaveProduct.objects.filter(wave=wave).update(remaining_milli=F("remaining_milli") - kg * KG)


def test_more_stock_raises_what_remains_by_as_much(personas, wave):
    sold(wave, 500)
    offer = waves.wave_offer_set(
        user=personas.pusat, wave=wave, product=wave_rice(wave), stock=3500
    )
    assert (offer.stock_milli, offer.remaining_milli) == (3_500 * KG, 3_000 * KG)
    offer = waves.wave_offer_set(
        user=personas.pusat, wave=wave, product=wave_rice(wave), stock="600"
    )
    assert (offer.stock_milli, offer.remaining_milli) == (600 * KG, 100 * KG)


@pytest.mark.parametrize("language", ["id", "en"])
def test_stock_below_what_is_sold_is_refused_and_unchanged(personas, wave, language):
    sold(wave, 500)
    with translation.override(language):
        error = refusal(
            lambda: waves.wave_offer_set(
                user=personas.pusat, wave=wave, product=wave_rice(wave), stock=499
            )
        )
        message = waves.STOCK_BELOW_SOLD % {"sold": products.quantity_text(500 * KG, "kg")}
        assert error.message_dict["stock"] == [message]
    offer = wave.offers.get()
    assert (offer.stock_milli, offer.remaining_milli) == (3_000 * KG, 2_500 * KG)


@pytest.mark.parametrize("stock", [0, -10, "tiga", "0.0001", 10**8])
def test_a_bad_stock_is_refused(personas, wave, stock):
    with pytest.raises(ValidationError) as caught:
        waves.wave_offer_set(user=personas.pusat, wave=wave, product=wave_rice(wave), stock=stock)
    assert "stock" in caught.value.message_dict
    assert wave.offers.get().stock_milli == 3_000 * KG


def test_a_new_offer_starts_with_all_its_stock_remaining(personas, wave):
    sehati = personas.umkm_masker.organisation
    masks = products.product_create(
        user=personas.umkm_masker,
        seller=sehati,
        name="Masker Kain 3 Lapis",
        category="kesehatan",
        unit="pcs",
        price_per_unit=5_000,
        pack_sizes=[10],
    )
    offer = waves.wave_offer_set(user=personas.pusat, wave=wave, product=masks, stock=2_000)
    assert (offer.stock_milli, offer.remaining_milli) == (2_000 * KG, 2_000 * KG)
    assert wave.offers.count() == 2


def test_a_closed_wave_takes_no_new_offer_or_point(personas, closed_wave, other_pic):
    Wave.objects.filter(pk=closed_wave.pk).update(status=Wave.Status.CLOSED)
    closed_wave.refresh_from_db()
    with translation.override("id"):
        error = refusal(
            lambda: waves.wave_offer_set(
                user=personas.pusat, wave=closed_wave, product=wave_rice(closed_wave), stock=5000
            )
        )
        assert error.messages == [
            waves.WAVE_NOT_EDITABLE % {"status": closed_wave.get_status_display()}
        ]
    with pytest.raises(ValidationError):
        waves.drop_off_add(
            user=personas.pusat, wave=closed_wave, cluster="Baru", address="Jakarta", pic=other_pic
        )


def test_the_pic_of_a_drop_off_point_must_be_a_pic(personas, wave):
    with translation.override("en"):
        error = refusal(
            lambda: waves.drop_off_add(
                user=personas.pusat,
                wave=wave,
                cluster="Klaster Gedung Menara",
                address="Jl. Gatot Subroto, Jakarta",
                pic=personas.asn_demo,
            )
        )
        assert error.message_dict["pic"] == [str(waves.PIC_NOT_A_PIC)]
    assert wave.drop_off_points.count() == 2


def test_drop_off_points_are_checked(personas, wave, other_pic):
    def add(**fields):
        values = {"cluster": "Klaster Baru", "address": "Jl. Baru", "pic": other_pic, **fields}
        return refusal(lambda: waves.drop_off_add(user=personas.pusat, wave=wave, **values))

    with translation.override("id"):
        taken = add(cluster="klaster gedung smesco")
        assert taken.message_dict["cluster"] == [
            waves.CLUSTER_TAKEN % {"cluster": "klaster gedung smesco"}
        ]
        assert add(capacity=0).message_dict["capacity"] == [str(waves.CAPACITY_INVALID)]
        assert add(address="").message_dict["address"] == [str(waves.ADDRESS_REQUIRED)]
        assert "region_code" in add(region_code="31.99").message_dict
    point = waves.drop_off_add(
        user=personas.pusat,
        wave=wave,
        cluster="Klaster Menara",
        address="Jl. Menara",
        pic=other_pic,
        region_code="31.74",
        capacity=50,
    )
    waves.drop_off_update(user=personas.pusat, drop_off=point, pic=personas.pic_kemenkop)
    point.refresh_from_db()
    assert point.pic == personas.pic_kemenkop


def test_publishing_needs_an_offer_and_a_drop_off_point(personas, kemenkop, rice, other_pic):
    wave = wave_new(personas.pusat, kemenkop)
    with translation.override("id"):
        error = refusal(lambda: waves.wave_publish(user=personas.pusat, wave=wave))
        assert error.messages == [str(waves.NO_OFFERS), str(waves.NO_DROP_OFF)]
    waves.wave_offer_set(user=personas.pusat, wave=wave, product=rice, stock=3_000)
    waves.drop_off_add(
        user=personas.pusat, wave=wave, cluster="Klaster Smesco", address="Jakarta", pic=other_pic
    )
    assert waves.wave_publish(user=personas.pusat, wave=wave).status == Wave.Status.PUBLISHED
    with pytest.raises(ValidationError):
        waves.wave_publish(user=personas.pusat, wave=wave)


def test_who_sees_which_wave(personas, wave, prov_jateng, other_pic):
    babel_wave = Wave.objects.create(
        title="Gelombang Babel",
        organiser=personas.prov_babel.organisation,
        province_code="19",
        **window(),
    )
    assert set(waves.wave_list(user=personas.prov_babel)) == {wave, babel_wave}
    assert set(waves.wave_list(user=prov_jateng)) == {wave}
    assert list(waves.wave_list(user=personas.koperasi_tanimulus)) == [wave]
    assert not waves.wave_list(user=personas.umkm_masker).exists()
    assert list(waves.wave_list(user=other_pic)) == [wave]
    # A PIC with two points of one wave sees it once.
    waves.drop_off_add(
        user=personas.pusat, wave=wave, cluster="Klaster Lain", address="Jakarta", pic=other_pic
    )
    assert waves.wave_get(user=other_pic, pk=wave.pk) == wave
    assert waves.wave_list(user=other_pic).count() == 1
