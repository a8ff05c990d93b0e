"""The demo's first wave: Koperasi Tani Mulus's rice, ordered by Kemenkop's civil servants
on 7–8 April 2020 (2.9 t) and handed over at the clusters' drop-off points on 10 April.

The demo is loaded once for the module, inside a transaction rolled back at its end:
each test runs in a savepoint of it.
"""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone, translation

from pulih.accounts.models import User
from pulih.core.ids import parse_nip
from pulih.market.closing import wave_totals
from pulih.market.demo import RICE_NAME, WAVE_TITLE, market_demo_counts, market_demo_create
from pulih.market.handover import pic_points
from pulih.market.models import Order, OrderPayment, Product, Wave

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield market_demo_create()
        transaction.set_rollback(True)


@pytest.fixture
def wave(demo):
    return Wave.objects.get(title=WAVE_TITLE)


def test_the_first_wave_took_2_9_tonnes_of_rice(demo, wave):
    assert demo["created"] is True
    assert (demo["kg"], demo["tonnes"]) == (2_900, 2.9)
    with translation.override("id"):
        assert wave_totals(wave=wave)["weight_text"] == "2,9 t"
    assert wave.offers.get().product.name == RICE_NAME


def test_orders_came_in_on_7_and_8_april_and_went_out_on_10_april(wave):
    assert wave.distribution_on == datetime.date(2020, 4, 10)
    assert wave.status == Wave.Status.CLOSED
    ordered = {timezone.localdate(o.created_at) for o in wave.orders.all()}
    assert ordered == {datetime.date(2020, 4, 7), datetime.date(2020, 4, 8)}
    handed = {timezone.localdate(o.handed_over_at) for o in wave.orders.all()}
    assert handed == {datetime.date(2020, 4, 10)}


def test_every_buyer_is_a_civil_servant_with_a_valid_nip(wave):
    orders = list(wave.orders.all())
    assert all(parse_nip(o.nip, today=datetime.date(2020, 4, 7)).valid for o in orders)
    assert len({o.nip for o in orders}) == len(orders)
    asn_demo = User.objects.get(username="asn-demo")
    (mine,) = wave.orders.filter(buyer=asn_demo)
    assert mine.total_milli == 20_000 and mine.total == 220_000


def test_some_orders_went_home_with_an_ojek_and_the_driver_is_recorded(demo, wave):
    assert demo["ojek"] > 0
    for order in wave.orders.filter(status=Order.Status.WITH_OJEK):
        assert order.fulfilment == Order.Fulfilment.OJEK
        assert order.ojek_driver_name and order.ojek_driver_phone.startswith("+62")


def test_most_were_collected_a_few_not(demo):
    assert demo["collected"] > demo["ojek"] > 0
    assert 0 < demo["not_collected"] < demo["ojek"] + demo["collected"]


def test_pics_took_cash_and_transfers_and_some_orders_are_unpaid(demo, wave):
    assert demo["paid"] > 0 and demo["unpaid"] > 0
    payments = OrderPayment.objects.filter(order__wave=wave)
    assert set(payments.values_list("method", flat=True)) == {"cash", "transfer"}
    assert all(p.recorded_by_id == p.order.drop_off.pic_id for p in payments)
    assert demo["orders"] == demo["paid"] + demo["partly_paid"] + demo["unpaid"]


def test_pic_kemenkop_sees_only_the_orders_of_its_drop_off_point(personas, wave):
    seen = Order.objects.visible_to(personas.pic_kemenkop)
    assert 0 < seen.count() < wave.orders.count()
    assert set(seen.values_list("drop_off__cluster", flat=True)) == {"Klaster Gedung Smesco"}
    (point,) = pic_points(user=personas.pic_kemenkop).filter(wave=wave)
    assert point.order_count == seen.count()


def test_the_gallery_has_other_umkm_products_with_contacts(demo):
    assert demo["gallery_products"] >= 5
    public = Product.objects.filter(public=True).exclude(name=RICE_NAME)
    assert public.exclude(whatsapp="").count() >= 5
    assert public.exclude(marketplace_links=[]).exists()
    assert public.filter(province_code="19").exists()


def test_running_the_demo_again_changes_nothing(demo):
    counted = (Order.objects.count(), Product.objects.count(), User.objects.count())
    again = market_demo_create()
    assert again == {**market_demo_counts(), "created": False}
    assert {**again, "created": True} == demo
    assert (Order.objects.count(), Product.objects.count(), User.objects.count()) == counted
