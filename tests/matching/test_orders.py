"""From a confirmed run to paid producers: purchase orders, deliveries with their quality
check, the shortfall re-allocated, cancellation and payment.

Producers: `bangka` (Sungailiat, 10,000 a month at Rp 3,000) and `semarang` (Semarang
Tengah, 8,000 at Rp 2,800). Kimia Farma's demand of 15,000 goes to Jakarta (10,000) and
Pangkalpinang (5,000). pusat runs and confirms; pembeli-kf records deliveries and
payments of its own demand's orders.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pulih.matching import services
from pulih.matching.models import AllocationRun, Demand, PurchaseOrder
from pulih.matching.selectors import point_coverage
from pulih.production.models import Declaration, Licence

from .test_demands import DEADLINE, JAKARTA, PANGKALPINANG, TODAY, demand_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("messages_in_english")]


@pytest.fixture
def bangka(make_producer):
    return make_producer("19.01.01", capacity=10_000, price=3_000, name="Konveksi Bangka")


@pytest.fixture
def semarang(make_producer):
    return make_producer("33.74.01", capacity=8_000, price=2_800, name="Konveksi Semarang")


@pytest.fixture
def demand(personas, bangka, semarang):
    points = [{**JAKARTA, "quantity": 10_000}, {**PANGKALPINANG, "quantity": 5_000}]
    return demand_post(personas.pusat, 15_000, points=points, transport_rate=0.5)


def run_of(user, demand, **options):
    return services.allocation_run(user=user, demand=demand, today=TODAY, **options)


def confirm(user, run, **options):
    return services.allocation_confirm(user=user, run=run, today=TODAY, **options)


def refused(call):
    with pytest.raises(ValidationError) as error:
        call()
    return error.value


@pytest.fixture
def orders(personas, demand):
    return confirm(personas.pusat, run_of(personas.pusat, demand))


def deliver(user, order, point, accepted, rejected=0, note=""):
    return services.delivery_record(
        user=user,
        order=order,
        point=point,
        delivered_on=TODAY,
        accepted=accepted,
        rejected=rejected,
        qc_note=note,
        today=TODAY,
    )


def test_confirm_issues_one_order_per_producer_with_its_lines(personas, demand, bangka, orders):
    assert len(orders) == 2
    assert [o.number for o in orders] == ["PO/2020/04/0001", "PO/2020/04/0002"]
    run = AllocationRun.objects.get()
    for order in orders:
        lines = list(run.lines.filter(declaration=order.declaration))
        assert order.quantity == sum(line.quantity for line in lines)
        assert {(ol.point_id, ol.quantity) for ol in order.lines.all()} == {
            (line.point_id, line.quantity) for line in lines
        }
        # Each producer is paid its own declared price.
        assert order.unit_price == order.declaration.unit_price
        assert order.amount == order.quantity * order.unit_price
        assert order.business == order.declaration.business
    bangka_order = next(o for o in orders if o.declaration == bangka)
    assert (bangka_order.province_code, bangka_order.district_code) == ("19", "19.01.01")
    assert sum(o.quantity for o in orders) == 15_000
    run.refresh_from_db()
    demand.refresh_from_db()
    assert run.status == AllocationRun.Status.CONFIRMED
    assert run.confirmed_by == personas.pusat
    assert demand.status == Demand.Status.ORDERED


def test_numbers_continue_in_the_month(personas, demand, orders, bangka):
    other = demand_post(personas.pusat, 100)
    (order,) = confirm(personas.pusat, run_of(personas.pusat, other))
    assert order.number == "PO/2020/04/0003"


def test_confirming_discards_the_other_runs(personas, demand):
    first = run_of(personas.pusat, demand)
    second = run_of(personas.pusat, demand, max_share_percent=60)
    confirm(personas.pusat, second)
    first.refresh_from_db()
    assert first.status == AllocationRun.Status.DISCARDED
    error = refused(lambda: confirm(personas.pusat, first))
    assert error.messages == ["This run is discarded: it can no longer be changed or confirmed."]


def test_a_run_cannot_be_confirmed_twice(personas, demand):
    run = run_of(personas.pusat, demand)
    confirm(personas.pusat, run)
    error = refused(lambda: confirm(personas.pusat, run))
    assert error.messages == ["This run is confirmed: it can no longer be changed or confirmed."]
    assert PurchaseOrder.objects.count() == 2


def test_an_ordered_demand_is_not_allocated_again_from_scratch(personas, demand, orders):
    error = refused(lambda: run_of(personas.pusat, demand))
    assert error.messages == [
        "This demand already has purchase orders: re-allocate what is missing instead."
    ]


def test_only_central_officers_confirm(personas, demand):
    run = run_of(personas.pusat, demand)
    with pytest.raises(PermissionDenied):
        services.allocation_confirm(user=personas.pembeli_kf, run=run, today=TODAY)
    assert not PurchaseOrder.objects.exists()


def test_a_short_run_is_confirmed_only_when_the_shortfall_is_accepted(personas, bangka):
    demand = demand_post(personas.pusat, 25_000)
    run = run_of(personas.pusat, demand)
    error = refused(lambda: confirm(personas.pusat, run))
    assert error.message_dict["accept_shortfall"] == [
        "This run leaves 15.000 short. Tick “accept the shortfall” to order what exists, or "
        "run the allocation again with other options."
    ]
    assert not PurchaseOrder.objects.exists()
    (order,) = confirm(personas.pusat, run, accept_shortfall=True)
    assert order.quantity == 10_000
    run.refresh_from_db()
    assert run.message.endswith(
        "Confirmed with 15.000 still short: re-allocate it when capacity appears."
    )


def test_a_run_without_producers_orders_nothing(personas):
    demand = demand_post(personas.pusat, 1_000)
    run = run_of(personas.pusat, demand)
    error = refused(lambda: confirm(personas.pusat, run, accept_shortfall=True))
    assert error.messages == ["Nothing to order: no producer has a quantity in this run."]
    demand.refresh_from_db()
    assert demand.status == Demand.Status.OPEN


def test_capacity_taken_by_another_demand_meanwhile_is_refused(personas, bangka):
    first = run_of(personas.pusat, demand_post(personas.pusat, 8_000))
    second = run_of(personas.pusat, demand_post(personas.pusat, 8_000))
    confirm(personas.pusat, first)
    error = refused(lambda: confirm(personas.pusat, second))
    assert error.messages == [
        "Konveksi Bangka can now make only 2.000 before the deadline (other orders took its "
        "capacity): adjust the run or run the allocation again."
    ]
    assert PurchaseOrder.objects.count() == 1


def test_delivery_with_qc_reject_then_the_rejected_units_are_reallocated(
    personas, demand, orders, bangka, semarang
):
    jakarta = demand.points.get(name="Gudang Jakarta")
    order = next(o for o in orders if o.lines.filter(point=jakarta).exists())
    line = order.lines.get(point=jakarta)
    deliver(personas.pembeli_kf, order, jakarta, line.quantity - 700, 700, "Tali telinga putus")
    order.refresh_from_db()
    assert (order.accepted, order.rejected) == (line.quantity - 700, 700)
    assert order.status in (PurchaseOrder.Status.PARTLY_DELIVERED, PurchaseOrder.Status.DELIVERED)
    coverage = {row["point"].name: row for row in point_coverage(demand)}
    assert coverage["Gudang Jakarta"]["missing"] == 700
    assert coverage["Gudang Pangkalpinang"]["missing"] == 0
    run = services.shortfall_reallocate(user=personas.pusat, demand=demand, today=TODAY)
    assert run.reallocation is True
    assert (run.quantity, run.allocated) == (700, 700)
    assert {(line.point_id, line.quantity) for line in run.lines.all()} == {(jakarta.pk, 700)}
    assert run.message.startswith("700 still missing; 700 can be made")
    new_orders = confirm(personas.pusat, run)
    assert sum(o.quantity for o in new_orders) == 700
    error = refused(
        lambda: services.shortfall_reallocate(user=personas.pusat, demand=demand, today=TODAY)
    )
    assert error.messages == [
        "Nothing is missing: every point's quantity is accepted or still expected from an order."
    ]


def test_reallocation_before_any_order_is_refused(personas, demand):
    error = refused(
        lambda: services.shortfall_reallocate(user=personas.pusat, demand=demand, today=TODAY)
    )
    assert error.messages == ["Nothing is ordered for this demand yet: run the allocation."]


def test_demand_is_fulfilled_when_every_point_has_its_quantity_accepted(personas, demand, orders):
    for order in orders:
        for line in order.lines.all():
            deliver(personas.pusat, order, line.point, line.quantity)
    demand.refresh_from_db()
    assert demand.status == Demand.Status.FULFILLED
    assert {o.status for o in PurchaseOrder.objects.all()} == {PurchaseOrder.Status.DELIVERED}


@pytest.mark.parametrize(
    ("accepted", "rejected", "note", "field", "message"),
    [
        (0, 0, "", "accepted", "Record at least one unit, accepted or rejected."),
        (-5, 0, "", "accepted", "Quantities must be whole numbers, zero or more."),
        (0, 10, "", "qc_note", "Say why units were rejected at the quality check."),
        (999_999, 0, "", "accepted", "Only "),
    ],
)
def test_bad_delivery_is_refused_and_nothing_written(
    personas, orders, accepted, rejected, note, field, message
):
    order = orders[0]
    point = order.lines.first().point
    error = refused(lambda: deliver(personas.pusat, order, point, accepted, rejected, note))
    assert error.message_dict[field][0].startswith(message)
    order.refresh_from_db()
    assert (order.accepted, order.rejected, order.deliveries.count()) == (0, 0, 0)


def test_delivery_beyond_what_is_owed_names_what_is_left(personas, orders):
    order = orders[0]
    line = order.lines.first()
    deliver(personas.pusat, order, line.point, line.quantity - 10)
    error = refused(lambda: deliver(personas.pusat, order, line.point, 11))
    assert error.message_dict["accepted"] == [
        "Only 10 are still expected at this point on this order."
    ]


def test_delivery_to_a_point_the_order_does_not_serve_is_refused(personas, demand, orders):
    order = next(o for o in orders if o.lines.count() == 1)
    other = demand.points.exclude(pk=order.lines.get().point_id).get()
    error = refused(lambda: deliver(personas.pusat, order, other, 1))
    assert error.message_dict == {"point": ["This order delivers nothing to that point."]}


def test_delivery_date_in_the_future_is_refused(personas, orders):
    order = orders[0]
    with pytest.raises(ValidationError) as error:
        services.delivery_record(
            user=personas.pusat,
            order=order,
            point=order.lines.first().point,
            delivered_on=DEADLINE,
            accepted=1,
            today=TODAY,
        )
    assert error.value.message_dict == {
        "delivered_on": ["The delivery date cannot be after today."]
    }


@pytest.mark.parametrize("persona", ["umkm_masker", "prov_babel", "kab_bangka"])
def test_only_the_buyer_or_central_officers_record_deliveries(personas, orders, persona):
    order = orders[0]
    with pytest.raises(PermissionDenied):
        deliver(getattr(personas, persona), order, order.lines.first().point, 1)


def test_cancelled_order_gives_back_what_it_owed(personas, demand, orders):
    order = orders[0]
    line = order.lines.first()
    deliver(personas.pusat, order, line.point, 100)
    services.order_cancel(user=personas.pusat, order=order, reason="Produsen berhenti")
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.CANCELLED
    assert order.cancel_reason == "Produsen berhenti"
    missing = sum(row["missing"] for row in point_coverage(demand))
    assert missing == order.quantity - 100
    error = refused(lambda: deliver(personas.pusat, order, line.point, 1))
    assert error.messages == ["This order is cancelled."]


def test_cancel_needs_a_reason_and_not_a_delivered_order(personas, orders):
    order = orders[0]
    error = refused(lambda: services.order_cancel(user=personas.pusat, order=order, reason=" "))
    assert error.message_dict == {"reason": ["Give the reason for cancelling."]}
    for line in order.lines.all():
        deliver(personas.pusat, order, line.point, line.quantity)
    error = refused(lambda: services.order_cancel(user=personas.pusat, order=order, reason="x"))
    assert error.messages == ["A fully delivered order cannot be cancelled."]
    with pytest.raises(PermissionDenied):
        services.order_cancel(user=personas.pembeli_kf, order=order, reason="x")


def pay(user, order, status, **fields):
    return services.order_payment_update(
        user=user, order=order, payment_status=status, today=TODAY, **fields
    )


def test_payment_goes_invoiced_then_paid_for_the_accepted_units(personas, orders):
    order = orders[0]
    line = order.lines.first()
    error = refused(lambda: pay(personas.pembeli_kf, order, "invoiced"))
    assert error.message_dict == {
        "payment_status": ["Nothing of this order has passed the quality check yet."]
    }
    deliver(personas.pembeli_kf, order, line.point, 1_000, 50, "Kotor")
    error = refused(lambda: pay(personas.pembeli_kf, order, "paid"))
    assert error.message_dict["payment_status"] == [
        "The payment goes unpaid → invoiced → paid; it cannot go from unpaid to paid."
    ]
    pay(personas.pembeli_kf, order, "invoiced")
    error = refused(lambda: pay(personas.pembeli_kf, order, "paid", paid_amount=10**9))
    assert error.message_dict["paid_amount"] == [
        f"At most Rp {1_000 * order.unit_price:,} can be paid: the units accepted times the "
        "unit price.".replace(",", ".")
    ]
    order = pay(personas.pembeli_kf, order, "paid")
    assert order.payment_status == PurchaseOrder.Payment.PAID
    assert (order.paid_amount, order.paid_on) == (1_000 * order.unit_price, TODAY)
    error = refused(lambda: pay(personas.pembeli_kf, order, "invoiced"))
    assert "cannot go from paid to invoiced" in error.messages[0]


def test_sellers_do_not_set_payments(personas, orders):
    with pytest.raises(PermissionDenied):
        pay(personas.umkm_masker, orders[0], "invoiced")


def test_a_recorded_payment_cannot_be_lowered(personas, orders):
    order = orders[0]
    line = order.lines.first()
    deliver(personas.pembeli_kf, order, line.point, 1_000)
    pay(personas.pembeli_kf, order, "invoiced")
    pay(personas.pembeli_kf, order, "paid")
    deliver(personas.pembeli_kf, order, line.point, 500)
    error = refused(lambda: pay(personas.pembeli_kf, order, "paid", paid_amount=500))
    assert error.message_dict["paid_amount"] == [
        f"Rp {1_000 * order.unit_price:,} is already recorded as paid: the amount cannot be "
        "lowered.".replace(",", ".")
    ]
    order.refresh_from_db()
    assert order.paid_amount == 1_000 * order.unit_price
    order = pay(personas.pembeli_kf, order, "paid")
    assert order.paid_amount == 1_500 * order.unit_price


def test_delivery_and_payment_dates_lie_between_the_issue_and_today(personas, orders):
    order = orders[0]
    point = order.lines.first().point
    assert timezone.localdate(order.issued_at) == TODAY
    before = TODAY - datetime.timedelta(days=1)
    error = refused(
        lambda: services.delivery_record(
            user=personas.pusat,
            order=order,
            point=point,
            delivered_on=before,
            accepted=1,
            today=TODAY,
        )
    )
    assert error.message_dict == {
        "delivered_on": ["The delivery date cannot be before the order was issued (10 April 2020)."]
    }
    deliver(personas.pusat, order, point, 10)
    pay(personas.pusat, order, "invoiced")
    error = refused(lambda: pay(personas.pusat, order, "paid", paid_on=before))
    assert error.message_dict == {
        "paid_on": ["The payment date cannot be before the order was issued (10 April 2020)."]
    }
    order.refresh_from_db()
    assert (order.payment_status, order.paid_amount) == (PurchaseOrder.Payment.INVOICED, 0)


def test_confirming_names_why_a_producer_can_no_longer_take_part(personas, bangka):
    runs = [run_of(personas.pusat, demand_post(personas.pusat, 2_000)) for _ in range(4)]
    bangka.status = Declaration.Status.WITHDRAWN
    bangka.save()
    error = refused(lambda: confirm(personas.pusat, runs[0]))
    assert error.messages == [
        "Konveksi Bangka is no longer curated (its declaration is now withdrawn): adjust the "
        "run or run the allocation again."
    ]
    bangka.status, bangka.unit_price = Declaration.Status.CURATED, 3_500
    bangka.save()
    error = refused(lambda: confirm(personas.pusat, runs[1]))
    assert error.messages == [
        "Konveksi Bangka can no longer take part in this demand (price above the buyer's "
        "offer): adjust the run or run the allocation again."
    ]
    # Twenty-five days of lead time leave five of the thirty: 1,666 units.
    bangka.unit_price, bangka.lead_time_days = 3_000, 25
    bangka.save()
    error = refused(lambda: confirm(personas.pusat, runs[2]))
    assert error.messages == [
        "Konveksi Bangka can now make only 1.666 before the deadline: adjust the run or run "
        "the allocation again."
    ]
    bangka.lead_time_days = 30
    bangka.save()
    error = refused(lambda: confirm(personas.pusat, runs[3]))
    assert error.messages == [
        "Konveksi Bangka can no longer take part in this demand (cannot make anything before "
        "the deadline): adjust the run or run the allocation again."
    ]
    assert not PurchaseOrder.objects.exists()


def test_confirming_names_a_lost_licence(personas, make_producer):
    medis = make_producer("19.01.01", "masker-medis", capacity=5_000, name="Medis Berizin")
    licence = Licence.objects.create(
        business=medis.business,
        product_type=medis.product_type,
        kind="izin_edar_akd",
        number="KEMENKES RI AKD 20401020001",
        issuer="Kementerian Kesehatan",
        status=Licence.Status.GRANTED,
        granted_on=TODAY - datetime.timedelta(days=10),
    )
    run = run_of(personas.pusat, demand_post(personas.pusat, 1_000, product="masker-medis"))
    assert run.allocated == 1_000
    licence.status = Licence.Status.REJECTED
    licence.save()
    error = refused(lambda: confirm(personas.pusat, run))
    assert error.messages == [
        "Medis Berizin can no longer take part in this demand (curated but without a granted "
        "licence): adjust the run or run the allocation again."
    ]
