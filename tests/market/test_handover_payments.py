"""Payments at the drop-off point: the PIC takes cash or a transfer for an order, never
more than is still owed; a central officer may record one too.

Who may: pic-kemenkop for the orders of its point, pusat for any; `other_pic` and the
buyer may not.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from pulih.core import formats
from pulih.market import handover
from pulih.market.models import Order, OrderPayment

from .test_handover import SMESCO, order_make, window_close

pytestmark = pytest.mark.django_db


@pytest.fixture
def smesco(wave):
    return wave.drop_off_points.get(cluster=SMESCO)


@pytest.fixture
def placed(smesco, personas):
    """2 × 10 kg of rice for collection at Smesco: Rp 220.000."""
    return order_make(smesco, buyer=personas.asn_demo)


@pytest.fixture
def closed(wave):
    return window_close(wave)


def pay(user, order, amount, method="cash", **fields):
    return handover.order_payment_record(
        user=user, order=order, method=method, amount=amount, **fields
    )


def refusal(call, language="id"):
    """The reasons a service refused, per field, in `language`."""
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            call()
        return refused.value.message_dict


def test_partly_paid_in_cash_then_paid_in_full_by_transfer(personas, placed, closed):
    pic = personas.pic_kemenkop
    first = pay(pic, placed, 100_000)
    assert first.order.payment_status == Order.Payment.PARTLY_PAID
    assert first.order.outstanding == 120_000
    second = pay(pic, placed, 120_000, method="transfer", reference="BNI 0042")
    placed.refresh_from_db()
    assert (placed.amount_paid, placed.payment_status) == (220_000, Order.Payment.PAID)
    assert second.reference == "BNI 0042"
    assert second.recorded_by == pic
    methods = list(placed.payments.values_list("method", "amount"))
    assert methods == [("cash", 100_000), ("transfer", 120_000)]


def test_the_pic_cannot_take_more_than_is_outstanding(personas, placed, closed):
    pay(personas.pic_kemenkop, placed, 200_000)
    with translation.override("id"):
        errors = refusal(lambda: pay(personas.pic_kemenkop, placed, 20_001))
        outstanding = formats.rupiah(20_000)
        assert errors == {"amount": [handover.ABOVE_OUTSTANDING % {"outstanding": outstanding}]}
    placed.refresh_from_db()
    assert placed.amount_paid == 200_000
    assert placed.payments.count() == 1


def test_a_paid_order_takes_no_more_money(personas, placed, closed):
    pay(personas.pic_kemenkop, placed, 220_000)
    with translation.override("id"):
        errors = refusal(lambda: pay(personas.pic_kemenkop, placed, 1))
        assert errors == {"amount": [str(handover.ORDER_PAID)]}


@pytest.mark.parametrize("amount", [0, -50_000, 1.5, "220000", True])
def test_an_amount_that_is_not_a_positive_whole_rupiah_is_refused(personas, placed, closed, amount):
    with translation.override("en"):
        errors = refusal(lambda: pay(personas.pic_kemenkop, placed, amount), "en")
        assert errors == {"amount": [str(handover.AMOUNT_NOT_POSITIVE)]}
    assert not OrderPayment.objects.exists()


def test_an_unknown_method_is_refused(personas, placed, closed):
    with translation.override("id"):
        errors = refusal(lambda: pay(personas.pic_kemenkop, placed, 1_000, method="qris"))
        assert errors == {"method": [str(handover.METHOD_UNKNOWN)]}


def test_no_payment_is_taken_while_ordering_is_open(personas, placed, wave):
    with translation.override("id"):
        with pytest.raises(ValidationError) as refused:
            pay(personas.pic_kemenkop, placed, 220_000)
        closes = formats.datetime_(wave.closes_at)
        assert refused.value.messages == [handover.PAYMENT_BEFORE_CLOSE % {"closes": closes}]
    placed.refresh_from_db()
    assert placed.payment_status == Order.Payment.UNPAID


def test_a_cancelled_order_takes_no_payment(personas, smesco, closed):
    order = order_make(smesco, buyer=personas.asn_demo, status=Order.Status.CANCELLED)
    with translation.override("id"):
        with pytest.raises(ValidationError) as refused:
            pay(personas.pic_kemenkop, order, 1_000)
        assert refused.value.messages == [str(handover.ORDER_CANCELLED)]


def test_a_central_officer_may_record_a_payment(personas, placed, closed):
    payment = pay(personas.pusat, placed, 220_000, method="transfer")
    assert payment.order.payment_status == Order.Payment.PAID
    assert payment.recorded_by == personas.pusat


def test_another_pic_a_buyer_and_a_province_officer_may_not(personas, placed, other_pic, closed):
    for user in (other_pic, personas.asn_demo, personas.prov_babel):
        with pytest.raises(PermissionDenied):
            pay(user, placed, 1_000)
    assert not OrderPayment.objects.exists()
