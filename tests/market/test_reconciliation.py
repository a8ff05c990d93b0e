"""Reconciliation of a wave per drop-off point and PIC, and the settlement to its sellers.

Who sees what: pusat and province officers every point of a national wave (prov_jateng
nothing of a Bangka Belitung wave); pic-kemenkop only its own point's line; buyers and
sellers nothing. Central officers and the organiser's officers pay the sellers.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from pulih.accounts.models import Role
from pulih.accounts.services import user_create
from pulih.core import formats
from pulih.market import handover
from pulih.market.models import Order, SellerSettlement, Wave

from .test_handover import KEMENKOP, SMESCO, order_make, window_close

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed_over(personas, wave, other_pic):
    """At Smesco: collected and paid in cash, handed to an ojek and paid by transfer, not
    collected and unpaid, and a cancelled order. At Gedung Kemenkop: collected and partly
    paid, and one still waiting."""
    smesco = wave.drop_off_points.get(cluster=SMESCO)
    kemenkop = wave.drop_off_points.get(cluster=KEMENKOP)
    buyer = personas.asn_demo
    window_close(wave)
    pic = personas.pic_kemenkop

    def hand(user, order, outcome, paid=0, method="cash", **driver):
        handover.order_hand_over(user=user, order=order, outcome=outcome, **driver)
        if paid:
            handover.order_payment_record(user=user, order=order, method=method, amount=paid)

    hand(pic, order_make(smesco, buyer=buyer), Order.Status.COLLECTED, 220_000)
    hand(
        pic,
        order_make(smesco, buyer=buyer, packs=((5, 1),), fulfilment="ojek"),
        Order.Status.WITH_OJEK,
        55_000,
        "transfer",
        driver_name="Joko",
        driver_phone="081298765432",
    )
    hand(pic, order_make(smesco, buyer=buyer, packs=((20, 1),)), Order.Status.NOT_COLLECTED)
    order_make(smesco, buyer=buyer, packs=((10, 1),), status=Order.Status.CANCELLED)
    hand(other_pic, order_make(kemenkop, buyer=buyer, packs=((10, 1),)), "collected", 50_000)
    order_make(kemenkop, buyer=buyer, packs=((5, 1),))
    return wave


def figures(**values):
    keys = handover.FIGURES
    return {key: values.get(key, 0) for key in keys}


SMESCO_FIGURES = figures(
    orders=3,
    expected=495_000,
    cash=220_000,
    transfer=55_000,
    received=275_000,
    outstanding=220_000,
    collected=1,
    with_ojek=1,
    not_collected=1,
)
KEMENKOP_FIGURES = figures(
    orders=2,
    expected=165_000,
    cash=50_000,
    received=50_000,
    outstanding=115_000,
    collected=1,
    waiting=1,
)


def lines(result):
    return {
        row["point"].cluster: {key: row[key] for key in handover.FIGURES}
        for row in result["points"]
    }


def test_officer_sees_expected_received_and_outstanding_per_pic(personas, handed_over):
    result = handover.reconciliation(user=personas.pusat, wave=handed_over)
    assert lines(result) == {SMESCO: SMESCO_FIGURES, KEMENKOP: KEMENKOP_FIGURES}
    assert [row["pic"] for row in result["points"]][1] == personas.pic_kemenkop
    assert result["overall"] == figures(
        orders=5,
        expected=660_000,
        cash=270_000,
        transfer=55_000,
        received=325_000,
        outstanding=335_000,
        collected=2,
        with_ojek=1,
        not_collected=1,
        waiting=1,
    )


def test_pic_sees_only_its_own_line(personas, handed_over):
    result = handover.reconciliation(user=personas.pic_kemenkop, wave=handed_over)
    assert lines(result) == {SMESCO: SMESCO_FIGURES}
    assert result["overall"] == SMESCO_FIGURES


def test_a_province_officer_of_another_province_sees_nothing_of_a_provincial_wave(
    personas, prov_jateng, handed_over
):
    Wave.objects.filter(pk=handed_over.pk).update(province_code="19")
    assert lines(handover.reconciliation(user=personas.prov_babel, wave=handed_over))
    with pytest.raises(PermissionDenied):
        handover.reconciliation(user=prov_jateng, wave=handed_over)


def test_buyers_and_sellers_have_no_reconciliation(personas, handed_over):
    for user in (personas.asn_demo, personas.koperasi_tanimulus):
        with pytest.raises(PermissionDenied):
            handover.reconciliation(user=user, wave=handed_over)


def test_a_wave_without_orders_reconciles_to_zero(personas, wave):
    result = handover.reconciliation(user=personas.pusat, wave=wave)
    assert result["overall"] == figures()
    assert len(result["points"]) == 2


# Settlement to sellers -----------------------------------------------------------------


@pytest.fixture
def owed(personas, wave):
    """The closed wave owes Koperasi Tani Mulus Rp 660.000 for 60 kg of rice."""
    window_close(wave)
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.CLOSED)
    return SellerSettlement.objects.create(
        wave=wave,
        seller=personas.koperasi_tanimulus.organisation,
        sold_milli=60_000,
        amount_due=660_000,
    )


def settle(user, settlement, amount, paid_on=None, **fields):
    return handover.seller_settlement_pay(
        user=user,
        settlement=settlement,
        amount=amount,
        paid_on=paid_on or timezone.localdate(),
        **fields,
    )


def test_central_officer_pays_a_seller_in_two_parts_and_the_wave_is_settled(personas, owed):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    settle(personas.pusat, owed, 400_000, paid_on=yesterday, reference="SP2D 001")
    owed.wave.refresh_from_db()
    assert owed.wave.status == Wave.Status.CLOSED
    paid = settle(personas.pusat, owed, 260_000, reference="SP2D 002")
    assert (paid.amount_paid, paid.paid_on, paid.reference) == (
        660_000,
        timezone.localdate(),
        "SP2D 002",
    )
    owed.wave.refresh_from_db()
    assert owed.wave.status == Wave.Status.SETTLED


def refusal(call):
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


def test_a_seller_is_never_paid_more_than_it_is_owed(personas, owed):
    seller = owed.seller.name
    with translation.override("id"):
        errors = refusal(lambda: settle(personas.pusat, owed, 660_001))
        remaining = formats.rupiah(660_000)
        assert errors == {
            "amount": [handover.ABOVE_DUE % {"remaining": remaining, "seller": seller}]
        }
        settle(personas.pusat, owed, 660_000)
        errors = refusal(lambda: settle(personas.pusat, owed, 1))
        assert errors == {"amount": [handover.SELLER_PAID % {"seller": seller}]}
    owed.refresh_from_db()
    assert owed.amount_paid == 660_000


def test_settlement_dates_and_amounts_are_checked(personas, owed):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with translation.override("en"):
        errors = refusal(lambda: settle(personas.pusat, owed, -5, paid_on=tomorrow))
        assert errors == {
            "amount": [str(handover.AMOUNT_NOT_POSITIVE)],
            "paid_on": [str(handover.PAID_ON_FUTURE)],
        }
        errors = refusal(
            lambda: handover.seller_settlement_pay(
                user=personas.pusat, settlement=owed, amount=1, paid_on=None
            )
        )
        assert errors == {"paid_on": [str(handover.PAID_ON_REQUIRED)]}
    owed.refresh_from_db()
    assert owed.amount_paid == 0


def test_the_organisers_officer_pays_and_other_officers_may_not(personas, owed):
    organiser_officer = user_create(
        username="petugas-kemenkop-dki",
        role=Role.PROVINSI,
        province_code="31",
        organisation=owed.wave.organiser,
    )
    settle(organiser_officer, owed, 100_000)
    for user in (personas.prov_babel, personas.pic_kemenkop, personas.koperasi_tanimulus):
        with pytest.raises(PermissionDenied):
            settle(user, owed, 100_000)
    owed.refresh_from_db()
    assert owed.amount_paid == 100_000
