"""A civil servant orders rice in a wave: the rules of who may buy, what and when, and
that every refusal leaves the stock and the orders as they were.

asn-demo (Kemenkop, NIP 198504122010012003) buys; `colleague` is another Kemenkop civil
servant; the wave offers 3,000 kg of Koperasi Tani Mulus rice in 5/10/20 kg packs at
Rp 11,000/kg, for Kemenkop's civil servants only, at Gedung Smesco (pic-kemenkop) and
Gedung Kemenkop (`other_pic`).
"""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone, translation

from pulih.accounts.models import Organisation, Role
from pulih.accounts.services import user_create
from pulih.core import formats
from pulih.core.ids import parse_nip, problems_text
from pulih.market import ordering
from pulih.market.models import Order, OrderLine, Pack, Product
from tests.fixtures_market import make_wave

pytestmark = pytest.mark.django_db

KG = 1000
NIP = "198504122010012003"


@pytest.fixture
def colleague(personas):
    return user_create(
        username="asn-rekan",
        role=Role.ASN,
        first_name="Rekan",
        organisation=personas.asn_demo.organisation,
        nip="199001012015031001",
    )


def packs(rice):
    return {pack.size_milli // KG: pack for pack in rice.packs.all()}


def smesco(wave):
    return wave.drop_off_points.get(cluster="Klaster Gedung Smesco")


def place(personas, wave, items, **arguments):
    return ordering.order_place(
        **{
            "user": personas.asn_demo,
            "wave": wave,
            "drop_off": smesco(wave),
            "items": items,
            "fulfilment": "collect",
            **arguments,
        }
    )


def left_kg(wave):
    return wave.offers.get().remaining_milli / KG


def refused(function, *args, language="id", **kwargs):
    """The messages of the refusal of `function(*args, **kwargs)`, in `language`."""
    with translation.override(language):
        with pytest.raises(ValidationError) as caught:
            function(*args, **kwargs)
        return caught.value.messages


def test_civil_servant_orders_two_ten_kg_packs_for_collection(personas, wave, rice):
    order, created = place(personas, wave, [(packs(rice)[10], 2)])
    assert created
    assert re.fullmatch(r"PS-[2-9A-HJKMNP-Z]{6}", order.code)
    assert (order.total, order.total_milli) == (220_000, 20 * KG)
    assert order.buyer_kind == Order.BuyerKind.CIVIL_SERVANT
    assert order.nip == NIP
    assert order.institution == personas.asn_demo.organisation
    assert order.buyer_name == "Aparatur Sipil Negara"
    assert order.status == Order.Status.PLACED
    line = order.lines.get()
    assert (line.quantity, line.unit_price, line.amount) == (2, 110_000, 220_000)
    assert left_kg(wave) == 2_980


def test_packs_can_be_named_by_id_and_twice(personas, wave, rice):
    five, twenty = packs(rice)[5].pk, packs(rice)[20].pk
    order, _ = place(personas, wave, [(five, 1), (twenty, 1), (five, 2)])
    assert {line.pack_id: line.quantity for line in order.lines.all()} == {five: 3, twenty: 1}
    assert order.total == 15 * 11_000 + 20 * 11_000
    assert left_kg(wave) == 3_000 - 35


def test_the_price_is_the_packs_price_at_the_time(personas, wave, rice):
    ten = packs(rice)[10]
    Pack.objects.filter(pk=ten.pk).update(price=120_000)
    order, _ = place(personas, wave, {ten.pk: 1})
    assert order.total == 120_000


def test_confirmation_codes_differ(personas, wave, rice, colleague):
    first, _ = place(personas, wave, {packs(rice)[5].pk: 1})
    second, _ = place(personas, wave, {packs(rice)[5].pk: 1}, user=colleague)
    assert first.code != second.code


def assert_nothing_written(wave):
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()
    assert left_kg(wave) == 3_000


def test_ordering_before_the_wave_opens_or_after_it_closes_is_refused(
    personas, wave, rice, closed_wave
):
    for when, target in [
        (wave.opens_at - datetime.timedelta(minutes=1), wave),
        (None, closed_wave),
    ]:
        with translation.override("en"):
            expected = ordering.WAVE_NOT_OPEN % {
                "opens": formats.datetime_(target.opens_at),
                "closes": formats.datetime_(target.closes_at),
            }
        messages = refused(
            place, personas, target, {packs(rice)[10].pk: 1}, now=when, language="en"
        )
        assert messages == [expected]
    assert_nothing_written(wave)
    assert closed_wave.offers.get().remaining_milli == 3_000 * KG


def test_a_draft_wave_takes_no_order(personas, rice, other_pic):
    now = timezone.now()
    draft = make_wave(
        personas,
        rice,
        [("Klaster Gedung Smesco", personas.pic_kemenkop)],
        opens=now - datetime.timedelta(hours=1),
        closes=now + datetime.timedelta(hours=1),
        status="draft",
    )
    assert refused(place, personas, draft, {packs(rice)[10].pk: 1})
    assert not Order.objects.exists()


def test_more_than_the_stock_left_is_refused_and_nothing_is_taken(personas, rice):
    now = timezone.now()
    small = make_wave(
        personas,
        rice,
        [("Klaster Gedung Smesco", personas.pic_kemenkop)],
        opens=now - datetime.timedelta(hours=1),
        closes=now + datetime.timedelta(hours=1),
        stock_kg=30,
    )
    five, twenty = packs(rice)[5], packs(rice)[20]
    with translation.override("id"):
        expected = str(ordering.STOCK_SHORT % {"left": "30 kg", "product": rice.name})
    assert refused(place, personas, small, [(five, 3), (twenty, 1)]) == [expected]
    assert not Order.objects.exists()
    assert small.offers.get().remaining_milli == 30 * KG
    order, _ = place(personas, small, [(five, 2), (twenty, 1)])
    assert small.offers.get().remaining_milli == 0
    with translation.override("en"):
        expected = str(ordering.STOCK_SHORT % {"left": "0 kg", "product": rice.name})
    assert refused(place, personas, small, [(five, 1)], language="en") == [expected]
    assert Order.objects.get() == order


def test_an_invalid_nip_is_refused_with_its_reason(personas, wave, rice):
    for language in ("id", "en"):
        expected = problems_text(parse_nip("19850412").errors, language)
        messages = refused(
            place, personas, wave, {packs(rice)[10].pk: 1}, nip="19850412", language=language
        )
        assert messages == [expected]
    assert_nothing_written(wave)


def test_a_civil_servant_without_a_nip_is_asked_for_it(personas, wave, rice):
    nameless = user_create(
        username="asn-tanpa-nip", role=Role.ASN, organisation=personas.asn_demo.organisation
    )
    messages = refused(place, personas, wave, {packs(rice)[10].pk: 1}, user=nameless)
    with translation.override("id"):
        assert messages == [str(ordering.NIP_REQUIRED)]
    assert_nothing_written(wave)


def test_a_drop_off_point_of_another_wave_is_refused(personas, wave, rice, closed_wave):
    elsewhere = closed_wave.drop_off_points.get()
    for point in (elsewhere, elsewhere.pk, 10**30, "x"):
        messages = refused(place, personas, wave, {packs(rice)[10].pk: 1}, drop_off=point)
        with translation.override("id"):
            assert messages == [str(ordering.DROP_OFF_NOT_IN_WAVE)]
    assert_nothing_written(wave)


@pytest.mark.parametrize("quantity", [0, -1, 2.5, "2", True, None])
def test_a_quantity_that_is_not_a_whole_number_of_packs_is_refused(personas, wave, rice, quantity):
    messages = refused(place, personas, wave, {packs(rice)[10].pk: quantity})
    with translation.override("id"):
        assert messages == [str(ordering.QUANTITY_NOT_WHOLE)]
    assert_nothing_written(wave)


def test_an_absurd_number_of_packs_is_refused(personas, wave, rice):
    for items in ({packs(rice)[5].pk: 10**12}, {packs(rice)[5].pk: 15, packs(rice)[10].pk: 6}):
        messages = refused(place, personas, wave, items)
        with translation.override("id"):
            assert messages == [str(ordering.TOO_MANY_PACKS % {"most": 20})]
    assert refused(place, personas, wave, {})
    assert_nothing_written(wave)


def test_a_tampered_price_is_refused(personas, wave, rice):
    ten = packs(rice)[10]
    with translation.override("id"):
        expected = [str(ordering.PRICE_CHANGED)]
    assert refused(place, personas, wave, {ten.pk: 2}, expected_total=2) == expected
    tampered = {ten.pk: 1_000}
    assert refused(place, personas, wave, {ten.pk: 2}, expected_prices=tampered) == (expected)
    assert_nothing_written(wave)
    order, _ = place(
        personas, wave, {ten.pk: 2}, expected_total=220_000, expected_prices={ten.pk: 110_000}
    )
    assert order.total == 220_000


def test_a_pack_not_offered_in_the_wave_is_refused(personas, wave, rice):
    masks = Product.objects.create(
        seller=personas.umkm_masker.organisation,
        name="Masker Kain",
        category="kesehatan",
        unit="pcs",
        price_per_unit=5_000,
    )
    box = Pack.objects.create(product=masks, size_milli=10 * KG, price=50_000)
    inactive = packs(rice)[20]
    inactive.active = False
    inactive.save()
    for pack in (box, inactive, 10**40):
        messages = refused(place, personas, wave, [(pack, 1)])
        with translation.override("id"):
            assert messages == [str(ordering.PACK_NOT_OFFERED)]
    assert_nothing_written(wave)


def test_a_civil_servant_of_an_unlisted_institution_is_refused(personas, wave, rice):
    other = Organisation.objects.create(name="Kementerian Lain", kind=Organisation.Kind.MINISTRY)
    messages = refused(place, personas, wave, {packs(rice)[10].pk: 1}, institution=other)
    with translation.override("id"):
        names = personas.asn_demo.organisation.name
        assert messages == [str(ordering.INSTITUTION_NOT_LISTED % {"names": names})]
    assert_nothing_written(wave)


def test_sellers_and_pics_cannot_buy_in_a_wave_for_civil_servants(personas, wave, rice):
    for user in (personas.koperasi_tanimulus, personas.pic_kemenkop):
        messages = refused(place, personas, wave, {packs(rice)[10].pk: 1}, user=user)
        with translation.override("id"):
            assert messages == [str(ordering.NOT_FOR_YOU)]
    assert_nothing_written(wave)


def test_anyone_signed_in_buys_in_a_wave_for_the_public(personas, wave, rice):
    wave.for_public = True
    wave.save()
    order, _ = place(personas, wave, {packs(rice)[5].pk: 1}, user=personas.pic_kemenkop)
    assert (order.buyer_kind, order.nip, order.institution) == (Order.BuyerKind.PUBLIC, "", None)


def test_state_enterprise_staff_buy_with_a_listed_company(personas, wave, rice):
    pertamina = Organisation.objects.create(
        name="PT Pertamina (Persero)", kind=Organisation.Kind.STATE_ENTERPRISE
    )
    staff = user_create(username="pegawai-bumn", role=Role.ASN, organisation=pertamina)
    wave.for_state_enterprise_staff = True
    wave.save()
    messages = refused(place, personas, wave, {packs(rice)[5].pk: 1}, user=staff)
    assert messages and not Order.objects.exists()
    wave.institutions.add(pertamina)
    order, _ = place(personas, wave, {packs(rice)[5].pk: 1}, user=staff)
    assert (order.buyer_kind, order.institution) == (Order.BuyerKind.STATE_ENTERPRISE, pertamina)
    assert ordering.waves_for_buyer(user=staff).get() == wave


def test_an_invalid_phone_is_refused(personas, wave, rice):
    messages = refused(place, personas, wave, {packs(rice)[5].pk: 1}, phone="abc")
    assert len(messages) == 1
    assert_nothing_written(wave)
    order, _ = place(personas, wave, {packs(rice)[5].pk: 1}, phone="0812-3456-7890")
    assert order.phone == "+6281234567890"


def test_a_full_drop_off_point_takes_no_more_orders(personas, wave, rice, colleague):
    point = smesco(wave)
    point.capacity = 1
    point.save()
    first, _ = place(personas, wave, {packs(rice)[5].pk: 1})
    messages = refused(place, personas, wave, {packs(rice)[5].pk: 1}, user=colleague)
    with translation.override("id"):
        assert messages == [str(ordering.DROP_OFF_FULL % {"point": point.cluster})]
    ordering.order_cancel(user=personas.asn_demo, order=first)
    place(personas, wave, {packs(rice)[5].pk: 1}, user=colleague)


def test_a_retried_submission_returns_the_first_order(personas, wave, rice):
    first, created = place(personas, wave, {packs(rice)[10].pk: 2}, idempotency_key="klik-1")
    again, created_again = place(personas, wave, {packs(rice)[10].pk: 2}, idempotency_key="klik-1")
    assert created and not created_again
    assert again == first
    assert Order.objects.count() == 1
    assert left_kg(wave) == 2_980
    # Even after the wave closes, a retry finds its order.
    late = wave.closes_at + datetime.timedelta(hours=1)
    assert place(personas, wave, {}, idempotency_key="klik-1", now=late) == (first, False)


def test_an_idempotency_key_is_the_buyers_own(personas, wave, rice, colleague, closed_wave):
    mine, _ = place(personas, wave, {packs(rice)[10].pk: 1}, idempotency_key="k")
    theirs, created = place(
        personas, wave, {packs(rice)[10].pk: 1}, idempotency_key="k", user=colleague
    )
    assert created and theirs != mine
    messages = refused(place, personas, closed_wave, {}, idempotency_key="k")
    with translation.override("id"):
        assert messages == [str(ordering.KEY_OTHER_WAVE)]
    assert refused(place, personas, wave, {}, idempotency_key="k" * 101)


def test_a_buyer_has_at_most_three_placed_orders_in_a_wave(personas, wave, rice):
    for _ in range(3):
        place(personas, wave, {packs(rice)[5].pk: 1})
    with translation.override("id"), pytest.raises(ordering.RateLimited) as caught:
        place(personas, wave, {packs(rice)[5].pk: 1})
    with translation.override("id"):
        assert caught.value.messages == [str(ordering.TOO_MANY_LIVE % {"count": 3})]
    assert Order.objects.count() == 3
    ordering.order_cancel(user=personas.asn_demo, order=Order.objects.first())
    place(personas, wave, {packs(rice)[5].pk: 1})


def test_a_buyer_places_a_limited_number_of_orders_a_minute(personas, wave, rice, settings):
    settings.MARKET_ORDERS_PER_MINUTE = 2
    settings.MARKET_LIVE_ORDERS_PER_WAVE = 100
    place(personas, wave, {packs(rice)[5].pk: 1})
    place(personas, wave, {packs(rice)[5].pk: 1})
    with translation.override("id"), pytest.raises(ordering.RateLimited) as caught:
        place(personas, wave, {packs(rice)[5].pk: 1})
    with translation.override("id"):
        assert caught.value.messages == [str(ordering.TOO_FAST)]
    assert left_kg(wave) == 2_990


def test_changing_the_packs_takes_and_gives_back_stock(personas, wave, rice):
    five, ten, twenty = packs(rice)[5], packs(rice)[10], packs(rice)[20]
    order, _ = place(personas, wave, {ten.pk: 2})
    changed = ordering.order_change(
        user=personas.asn_demo, order=order, items={five.pk: 1, twenty.pk: 3}
    )
    assert (changed.total, changed.total_milli) == (65 * 11_000, 65 * KG)
    assert {line.pack_id: line.quantity for line in changed.lines.all()} == {
        five.pk: 1,
        twenty.pk: 3,
    }
    assert left_kg(wave) == 3_000 - 65
    ordering.order_change(user=personas.asn_demo, order=order, items={five.pk: 1})
    assert left_kg(wave) == 2_995
    order.refresh_from_db()
    assert order.total == 55_000


def test_changing_the_drop_off_point_and_fulfilment(personas, wave, rice, other_pic):
    order, _ = place(personas, wave, {packs(rice)[10].pk: 1})
    kemenkop = wave.drop_off_points.get(pic=other_pic)
    ordering.order_change(
        user=personas.asn_demo, order=order, drop_off=kemenkop.pk, fulfilment="ojek"
    )
    order.refresh_from_db()
    assert (order.drop_off, order.fulfilment) == (kemenkop, Order.Fulfilment.OJEK)
    assert left_kg(wave) == 2_990
    assert refused(ordering.order_change, user=personas.asn_demo, order=order, fulfilment="drone")


def test_a_change_beyond_the_stock_changes_nothing(personas, rice):
    now = timezone.now()
    small = make_wave(
        personas,
        rice,
        [("Klaster Gedung Smesco", personas.pic_kemenkop)],
        opens=now - datetime.timedelta(hours=1),
        closes=now + datetime.timedelta(hours=1),
        stock_kg=50,
    )
    order, _ = place(personas, small, {packs(rice)[10].pk: 2})
    messages = refused(
        ordering.order_change,
        user=personas.asn_demo,
        order=order,
        items={packs(rice)[20].pk: 3},
        fulfilment="ojek",
    )
    with translation.override("id"):
        assert messages == [str(ordering.STOCK_SHORT % {"left": "30 kg", "product": rice.name})]
    order.refresh_from_db()
    assert (order.total, order.fulfilment) == (220_000, Order.Fulfilment.COLLECT)
    assert [(line.pack_id, line.quantity) for line in order.lines.all()] == [
        (packs(rice)[10].pk, 2)
    ]
    assert small.offers.get().remaining_milli == 30 * KG


def test_only_the_buyer_changes_or_cancels_an_order(personas, wave, rice, colleague):
    order, _ = place(personas, wave, {packs(rice)[10].pk: 1})
    with pytest.raises(PermissionDenied):
        ordering.order_change(user=colleague, order=order, fulfilment="ojek")
    with pytest.raises(PermissionDenied):
        ordering.order_cancel(user=colleague, order=order)
    assert Order.objects.get().status == Order.Status.PLACED


def test_cancelling_gives_the_stock_back(personas, wave, rice):
    order, _ = place(personas, wave, {packs(rice)[10].pk: 2, packs(rice)[5].pk: 1})
    assert left_kg(wave) == 2_975
    cancelled = ordering.order_cancel(user=personas.asn_demo, order=order)
    assert cancelled.status == Order.Status.CANCELLED and cancelled.cancelled_at
    assert left_kg(wave) == 3_000
    messages = refused(ordering.order_cancel, user=personas.asn_demo, order=order)
    with translation.override("id"):
        status = Order.Status.CANCELLED.label.lower()
        assert messages == [str(ordering.NOT_PLACED % {"status": status})]
    assert left_kg(wave) == 3_000


def test_after_the_wave_closes_orders_stay_as_they_are(personas, wave, rice):
    order, _ = place(personas, wave, {packs(rice)[10].pk: 2})
    late = wave.closes_at + datetime.timedelta(minutes=1)
    with translation.override("id"):
        expected = [str(ordering.WAVE_CLOSED)]
    assert refused(ordering.order_cancel, user=personas.asn_demo, order=order, now=late) == expected
    assert (
        refused(
            ordering.order_change,
            user=personas.asn_demo,
            order=order,
            items={packs(rice)[5].pk: 1},
            now=late,
        )
        == expected
    )
    assert not ordering.order_is_changeable(order, now=late)
    assert left_kg(wave) == 2_980


def test_the_public_detail_of_a_wave(personas, wave, rice):
    place(personas, wave, {packs(rice)[20].pk: 1})
    with translation.override("id"):
        detail = ordering.wave_public_detail(wave)
    (offer,) = detail["offers"]
    assert offer["product"] == rice.name
    assert offer["seller"] == "Koperasi Tani Mulus"
    assert (offer["remaining_milli"], offer["remaining_text"]) == (2_980 * KG, "2,98 t")
    assert [(p["size_text"], p["price"]) for p in offer["packs"]] == [
        ("5 kg", 55_000),
        ("10 kg", 110_000),
        ("20 kg", 220_000),
    ]
    assert [p["cluster"] for p in detail["drop_off_points"]] == [
        "Klaster Gedung Kemenkop",
        "Klaster Gedung Smesco",
    ]
    assert "pic" not in str(detail["drop_off_points"]).lower()
    assert detail["is_open"]


def test_waves_for_a_buyer_are_the_open_ones_of_their_audience(
    personas, wave, closed_wave, colleague
):
    assert list(ordering.waves_for_buyer(user=personas.asn_demo)) == [wave]
    assert not ordering.waves_for_buyer(user=personas.pic_kemenkop).exists()
    assert not ordering.waves_for_buyer(user=personas.koperasi_tanimulus).exists()
    wave.for_public = True
    wave.save()
    assert list(ordering.waves_for_buyer(user=personas.koperasi_tanimulus)) == [wave]


def test_my_orders_are_only_mine(personas, wave, rice, colleague):
    mine, _ = place(personas, wave, {packs(rice)[5].pk: 1})
    place(personas, wave, {packs(rice)[5].pk: 1}, user=colleague)
    assert list(ordering.my_orders(user=personas.asn_demo)) == [mine]
    assert ordering.order_get(user=personas.asn_demo, pk=mine.pk) == mine
    for user in (colleague, personas.pic_kemenkop, personas.pusat):
        with pytest.raises(Http404):
            ordering.order_get(user=user, pk=mine.pk)
