"""Handover at the drop-off point: the PIC marks an order collected, handed to the ojek
the buyer sent, or not collected, once ordering has closed.

Who may: pic-kemenkop hands over the orders of its point (Klaster Gedung Smesco) only;
`other_pic` (Klaster Gedung Kemenkop), pusat and the buyer may not.

Orders are made here with the models, as the ordering page would leave them: lines of
packs, the offer's remaining stock taken.
"""

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone, translation

from pulih.core import formats
from pulih.core.ids import parse_phone, problems_text
from pulih.market import handover
from pulih.market.models import Order, OrderLine, WaveProduct

pytestmark = pytest.mark.django_db

KG = 1000
SMESCO, KEMENKOP = "Klaster Gedung Smesco", "Klaster Gedung Kemenkop"
CODES = itertools.count(1)


def order_make(point, *, buyer, packs=((10, 2),), fulfilment="collect", name="", status=None):
    """An order of `packs` ((kg, how many), …) at `point`, as the ordering page leaves it."""
    wave = point.wave
    offer = wave.offers.select_related("product").get()
    order = Order.objects.create(
        wave=wave,
        drop_off=point,
        code=f"T{next(CODES):06d}",
        buyer=buyer,
        buyer_kind=Order.BuyerKind.CIVIL_SERVANT,
        buyer_name=name or str(buyer),
        nip=buyer.nip,
        institution=buyer.organisation,
        phone="+6281234567001",
        fulfilment=fulfilment,
        status=status or Order.Status.PLACED,
    )
    total = milli = 0
    for kg, quantity in packs:
        pack = offer.product.packs.get(size_milli=kg * KG)
        OrderLine.objects.create(
            order=order,
            offer=offer,
            pack=pack,
            quantity=quantity,
            size_milli=pack.size_milli,
            unit_price=pack.price,
            amount=pack.price * quantity,
        )
        total += pack.price * quantity
        milli += pack.size_milli * quantity
    WaveProduct.objects.filter(pk=offer.pk).update(remaining_milli=F("remaining_milli") - milli)
    order.total, order.total_milli = total, milli
    order.save(update_fields=["total", "total_milli"])
    return order


def window_close(wave):
    """Move the wave's window into the past: ordering closed an hour ago."""
    now = timezone.now()
    wave.opens_at = now - datetime.timedelta(days=2)
    wave.closes_at = now - datetime.timedelta(hours=1)
    wave.save(update_fields=["opens_at", "closes_at"])
    return wave


@pytest.fixture
def smesco(wave):
    return wave.drop_off_points.get(cluster=SMESCO)


@pytest.fixture
def buyer(personas):
    return personas.asn_demo


@pytest.fixture
def placed(smesco, buyer):
    """2 × 10 kg of rice for collection at Smesco: Rp 220.000."""
    return order_make(smesco, buyer=buyer)


@pytest.fixture
def closed(wave):
    return window_close(wave)


def test_pic_marks_an_order_collected_once_ordering_has_closed(personas, placed, closed):
    order = handover.order_hand_over(
        user=personas.pic_kemenkop, order=placed, outcome=Order.Status.COLLECTED
    )
    order.refresh_from_db()
    assert order.status == Order.Status.COLLECTED
    assert order.handed_over_by == personas.pic_kemenkop
    assert order.handed_over_at is not None
    assert order.ojek_driver_name == ""


def test_nothing_is_handed_over_while_ordering_is_open(personas, placed, wave):
    with translation.override("id"):
        with pytest.raises(ValidationError) as refused:
            handover.order_hand_over(
                user=personas.pic_kemenkop, order=placed, outcome=Order.Status.COLLECTED
            )
        closes = formats.datetime_(wave.closes_at)
        assert refused.value.messages == [handover.HANDOVER_BEFORE_CLOSE % {"closes": closes}]
    placed.refresh_from_db()
    assert placed.status == Order.Status.PLACED
    assert placed.handed_over_at is None


def test_handover_counts_from_the_close_of_the_window(personas, placed, wave):
    order = handover.order_hand_over(
        user=personas.pic_kemenkop,
        order=placed,
        outcome=Order.Status.COLLECTED,
        now=wave.closes_at,
    )
    assert order.status == Order.Status.COLLECTED


def test_ojek_handover_records_the_driver_and_a_normalised_phone(personas, placed, closed):
    handover.order_hand_over(
        user=personas.pic_kemenkop,
        order=placed,
        outcome=Order.Status.WITH_OJEK,
        driver_name=" Joko Gojek ",
        driver_phone="0812-3456-7890",
    )
    placed.refresh_from_db()
    assert placed.status == Order.Status.WITH_OJEK
    assert placed.ojek_driver_name == "Joko Gojek"
    assert placed.ojek_driver_phone == "+6281234567890"


def test_ojek_without_a_driver_is_refused_with_both_fields_named(personas, placed, closed):
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            handover.order_hand_over(
                user=personas.pic_kemenkop, order=placed, outcome=Order.Status.WITH_OJEK
            )
        errors = refused.value.message_dict
        assert errors["driver_name"] == [str(handover.DRIVER_NAME_REQUIRED)]
        assert errors["driver_phone"] == [str(handover.DRIVER_PHONE_REQUIRED)]
    placed.refresh_from_db()
    assert placed.status == Order.Status.PLACED


def test_an_invalid_driver_phone_is_refused_with_its_reason(personas, placed, closed):
    with translation.override("id"):
        with pytest.raises(ValidationError) as refused:
            handover.order_hand_over(
                user=personas.pic_kemenkop,
                order=placed,
                outcome=Order.Status.WITH_OJEK,
                driver_name="Joko",
                driver_phone="0812",
            )
        reason = problems_text(parse_phone("0812").errors, "id")
        assert refused.value.message_dict == {"driver_phone": [reason]}
    placed.refresh_from_db()
    assert (placed.status, placed.ojek_driver_name) == (Order.Status.PLACED, "")


def test_a_not_collected_order_can_still_be_collected_later(personas, placed, closed):
    pic = personas.pic_kemenkop
    handover.order_hand_over(user=pic, order=placed, outcome=Order.Status.NOT_COLLECTED)
    placed.refresh_from_db()
    assert placed.status == Order.Status.NOT_COLLECTED
    with translation.override("id"):
        with pytest.raises(ValidationError) as refused:
            handover.order_hand_over(user=pic, order=placed, outcome=Order.Status.NOT_COLLECTED)
        assert refused.value.messages == [str(handover.ALREADY_NOT_COLLECTED)]
    handover.order_hand_over(user=pic, order=placed, outcome=Order.Status.COLLECTED)
    placed.refresh_from_db()
    assert placed.status == Order.Status.COLLECTED


def test_a_handed_over_order_is_not_handed_over_again(personas, placed, closed):
    pic = personas.pic_kemenkop
    handover.order_hand_over(user=pic, order=placed, outcome=Order.Status.COLLECTED)
    with translation.override("id"):
        with pytest.raises(ValidationError) as refused:
            handover.order_hand_over(user=pic, order=placed, outcome=Order.Status.NOT_COLLECTED)
        expected = handover.ALREADY_HANDED_OVER % {"status": Order.Status.COLLECTED.label}
        assert refused.value.messages == [expected]
    placed.refresh_from_db()
    assert placed.status == Order.Status.COLLECTED


def test_a_cancelled_order_is_not_handed_over(personas, smesco, buyer, closed):
    order = order_make(smesco, buyer=buyer, status=Order.Status.CANCELLED)
    with translation.override("id"):
        with pytest.raises(ValidationError) as refused:
            handover.order_hand_over(
                user=personas.pic_kemenkop, order=order, outcome=Order.Status.COLLECTED
            )
        assert refused.value.messages == [str(handover.ORDER_CANCELLED)]


def test_an_unknown_outcome_is_refused(personas, placed, closed):
    with translation.override("id"):
        with pytest.raises(ValidationError) as refused:
            handover.order_hand_over(user=personas.pic_kemenkop, order=placed, outcome="placed")
        assert refused.value.message_dict == {"outcome": [str(handover.OUTCOME_UNKNOWN)]}


def test_only_the_pic_of_the_orders_point_hands_it_over(personas, placed, other_pic, closed):
    for user in (other_pic, personas.pusat, personas.asn_demo):
        with pytest.raises(PermissionDenied):
            handover.order_hand_over(user=user, order=placed, outcome=Order.Status.COLLECTED)
    placed.refresh_from_db()
    assert placed.status == Order.Status.PLACED


def test_order_maker_takes_the_stock_it_orders(placed, wave):
    assert placed.total == 220_000
    assert wave.offers.get().remaining_milli == 3_000 * KG - 20 * KG
