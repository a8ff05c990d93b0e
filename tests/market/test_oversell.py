"""A wave never sells more than its stock, and one submission never makes two orders,
however many buyers press "order" at the same moment.

The races need a database where transactions really run side by side: PostgreSQL. On
SQLite, which runs one writer at a time, the same guarantees are checked sequentially.
"""

import contextlib
import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.db.models import F, Sum
from django.utils import timezone

from pulih.accounts.models import Role
from pulih.accounts.services import user_create
from pulih.market import ordering
from pulih.market.models import Order, OrderLine
from tests.fixtures_market import make_wave

KG = 1000
THREADS = 16
ORDERS_PER_THREAD = 5
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL"
)


@pytest.fixture
def unlimited(settings):
    """Rate limits out of the way: these tests are about stock, not about pacing."""
    settings.MARKET_ORDERS_PER_MINUTE = 1_000
    settings.MARKET_LIVE_ORDERS_PER_WAVE = 1_000


def small_wave(personas, rice, stock_kg):
    now = timezone.now()
    return make_wave(
        personas,
        rice,
        [("Klaster Gedung Smesco", personas.pic_kemenkop)],
        opens=now - datetime.timedelta(hours=1),
        closes=now + datetime.timedelta(hours=1),
        stock_kg=stock_kg,
    )


def buyers(personas, count):
    return [
        user_create(
            username=f"asn-{i}",
            role=Role.ASN,
            organisation=personas.asn_demo.organisation,
            nip="198504122010012003",
        )
        for i in range(count)
    ]


def pack(rice, kg):
    return rice.packs.get(size_milli=kg * KG)


def sold_milli(wave):
    lines = OrderLine.objects.filter(order__wave=wave, order__status=Order.Status.PLACED)
    return lines.aggregate(total=Sum(F("quantity") * F("size_milli")))["total"] or 0


def run_together(work, arguments):
    """Run `work` once per argument, each in its own thread and database connection,
    all starting at the same moment; return what each returned or raised."""
    start = threading.Barrier(len(arguments))
    outcomes = []

    def run(argument):
        try:
            start.wait()
            outcomes.append(work(argument))
        except Exception as error:  # the test decides which failures are refusals
            outcomes.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_wave_never_sells_more_than_stock_under_concurrent_orders(personas, rice, unlimited):
    """16 buyers each try 5 orders of 10 kg at once; 300 kg sell exactly, to 30 orders."""
    wave = small_wave(personas, rice, stock_kg=300)
    point, ten = wave.drop_off_points.get(), pack(rice, 10)

    def order_five_times(buyer):
        placed = []
        for _ in range(ORDERS_PER_THREAD):
            try:
                order, _ = ordering.order_place(
                    user=buyer, wave=wave, drop_off=point, items={ten.pk: 1}, fulfilment="collect"
                )
                placed.append(order.pk)
            except ValidationError:
                placed.append(None)
        return placed

    outcomes = run_together(order_five_times, buyers(personas, THREADS))
    assert not [o for o in outcomes if isinstance(o, Exception)]
    placed = [pk for outcome in outcomes for pk in outcome if pk]
    offer = wave.offers.get()
    assert len(placed) == Order.objects.filter(wave=wave).count() == 30
    assert offer.remaining_milli == 0
    assert sold_milli(wave) == offer.stock_milli - offer.remaining_milli == 300 * KG


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_mixed_packs_never_oversell(personas, rice, unlimited):
    """Orders of one to three packs of 5, 10 and 20 kg race for 555 kg."""
    wave = small_wave(personas, rice, stock_kg=555)
    point = wave.drop_off_points.get()
    mixes = [{pack(rice, 5).pk: 1, pack(rice, 20).pk: 1}, {pack(rice, 10).pk: 3}]

    def order_mixes(buyer):
        for i in range(ORDERS_PER_THREAD):
            with contextlib.suppress(ValidationError):
                ordering.order_place(
                    user=buyer, wave=wave, drop_off=point, items=mixes[i % 2], fulfilment="ojek"
                )

    outcomes = run_together(order_mixes, buyers(personas, THREADS))
    assert not [o for o in outcomes if isinstance(o, Exception)]
    offer = wave.offers.get()
    assert offer.remaining_milli >= 0
    assert sold_milli(wave) == offer.stock_milli - offer.remaining_milli


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_with_one_key_make_one_order(personas, rice, unlimited):
    """A buyer's double click and retries: eight submissions with one key at once."""
    wave = small_wave(personas, rice, stock_kg=300)
    point, ten = wave.drop_off_points.get(), pack(rice, 10)

    def submit(_):
        return ordering.order_place(
            user=personas.asn_demo,
            wave=wave,
            drop_off=point,
            items={ten.pk: 2},
            fulfilment="collect",
            idempotency_key="tombol-pesan-1",
        )

    outcomes = run_together(submit, range(8))
    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert len({order.pk for order, _ in outcomes}) == 1
    assert [created for _, created in outcomes].count(True) == 1
    assert Order.objects.count() == 1
    assert wave.offers.get().remaining_milli == 280 * KG


@pytest.mark.django_db
def test_wave_never_sells_more_than_stock_one_order_after_another(personas, rice, unlimited):
    wave = small_wave(personas, rice, stock_kg=300)
    point, ten = wave.drop_off_points.get(), pack(rice, 10)
    placed = refused = 0
    for buyer in buyers(personas, 8):
        for _ in range(ORDERS_PER_THREAD):
            try:
                ordering.order_place(
                    user=buyer, wave=wave, drop_off=point, items={ten.pk: 1}, fulfilment="collect"
                )
                placed += 1
            except ValidationError:
                refused += 1
    offer = wave.offers.get()
    assert (placed, refused) == (30, 10)
    assert offer.remaining_milli == 0
    assert sold_milli(wave) == offer.stock_milli == 300 * KG
