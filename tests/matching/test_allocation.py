"""Allocation runs: a demand split across curated producers by capacity before the
deadline, licence and cost, with a reason for each line; demand above capacity reported
as a shortfall, never as a failure, and nothing ordered by a run alone.

Producers (made with `make_producer`, no lead time unless told): `bangka` in Sungailiat
(19.01.01) and `semarang` in Semarang Tengah (33.74.01), cloth masks, 10,000 and 8,000 a
month. The deadline is 30 days after TODAY, so each can make one month's capacity.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from pulih.matching import services, solver
from pulih.matching.models import AllocationRun, PurchaseOrder
from pulih.matching.services import allocation
from pulih.production.models import Declaration, Licence

from .test_demands import DEADLINE, JAKARTA, PANGKALPINANG, TODAY, demand_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("messages_in_english")]


@pytest.fixture
def bangka(make_producer):
    return make_producer("19.01.01", capacity=10_000, price=3_000, name="Konveksi Bangka")


@pytest.fixture
def semarang(make_producer):
    return make_producer("33.74.01", capacity=8_000, price=2_800, name="Konveksi Semarang")


def run(user, demand, **options):
    return services.allocation_run(user=user, demand=demand, today=TODAY, **options)


def totals(run):
    """Units per producer's business name."""
    result = {}
    for line in run.lines.select_related("declaration__business"):
        name = line.declaration.business.name
        result[name] = result.get(name, 0) + line.quantity
    return result


def test_allocation_meets_the_quantity_within_each_capacity(personas, bangka, semarang):
    points = [{**JAKARTA, "quantity": 10_000}, {**PANGKALPINANG, "quantity": 5_000}]
    demand = demand_post(personas.pusat, 15_000, points=points, transport_rate=0.5)
    result = run(personas.pusat, demand)
    assert result.status == AllocationRun.Status.OPTIMAL
    assert (result.allocated, result.shortfall, result.producers) == (15_000, 0, 2)
    units = totals(result)
    assert sum(units.values()) == 15_000
    assert units["Konveksi Bangka"] <= 10_000 and units["Konveksi Semarang"] <= 8_000
    for point in demand.points.all():
        assert sum(line.quantity for line in result.lines.filter(point=point)) == point.quantity
    assert 0 < result.total_cost <= result.greedy_cost
    assert result.message.startswith(
        "15.000 asked; 15.000 can be made before 10 May 2020 by 2 producers."
    )
    assert not PurchaseOrder.objects.exists()


def test_each_line_says_why(personas, bangka, semarang):
    demand = demand_post(personas.pusat, 9_000, points=[{**PANGKALPINANG, "quantity": 9_000}])
    demand.transport_rate = 1
    demand.save()
    result = run(personas.pusat, demand)
    lines = {line.declaration_id: line for line in result.lines.all()}
    near = lines[bangka.pk]
    # Bangka is next door to Pangkalpinang: cheapest delivered, all its capacity used.
    assert near.quantity == 9_000
    assert near.distance_estimated is True
    assert near.reason.startswith("Rp 3.0")
    assert "per unit delivered (price Rp 3.000 + " in near.reason
    assert "distance estimated from the province capital" in near.reason
    assert "cheapest for this point" in near.reason
    assert "9.000 of its 10.000 capacity before the deadline used" in near.reason
    assert semarang.pk not in lines


def test_a_full_producer_and_the_next_cheapest_are_explained(personas, bangka, semarang):
    demand = demand_post(personas.pusat, 15_000, points=[{**PANGKALPINANG, "quantity": 15_000}])
    demand.transport_rate = 1
    demand.save()
    result = run(personas.pusat, demand)
    lines = {line.declaration_id: line for line in result.lines.all()}
    assert lines[bangka.pk].quantity == 10_000
    assert "all 10.000 of its capacity before the deadline used" in lines[bangka.pk].reason
    assert lines[semarang.pk].quantity == 5_000
    assert "ranked 2 of 2 by cost for this point" in lines[semarang.pk].reason


def test_demand_above_all_capacity_reports_the_shortfall(personas, bangka, semarang):
    points = [{**JAKARTA, "quantity": 60_000}, {**PANGKALPINANG, "quantity": 40_000}]
    demand = demand_post(personas.pusat, 100_000, points=points)
    result = run(personas.pusat, demand)
    assert result.status == AllocationRun.Status.SHORTFALL
    assert (result.allocated, result.shortfall, result.capacity) == (18_000, 82_000, 18_000)
    assert result.message.startswith(
        "100.000 asked; 18.000 can be made before 10 May 2020 by 2 producers; 82.000 short."
    )
    assert "Short at: " in result.message
    assert not PurchaseOrder.objects.exists()


def test_no_curated_producer_gives_a_shortfall_run_without_lines(personas, make_producer):
    make_producer("19.01.01", status=Declaration.Status.DECLARED)
    demand = demand_post(personas.pusat, 1_000)
    result = run(personas.pusat, demand)
    assert result.status == AllocationRun.Status.SHORTFALL
    assert (result.allocated, result.shortfall, result.producers) == (0, 1_000, 0)
    assert result.message == (
        "No curated producer can deliver before the deadline. "
        "No producer of this product is curated yet."
    )
    assert not result.lines.exists()


def test_producers_that_cannot_make_anything_in_time_are_left_out(personas, make_producer):
    make_producer("19.01.01", capacity=10_000, lead_time_days=30)
    make_producer("19.01.02", capacity=0)
    demand = demand_post(personas.pusat, 1_000)
    result = run(personas.pusat, demand)
    assert result.excluded == {"no_capacity_before_deadline": 2}
    assert result.message == (
        "No curated producer can deliver before the deadline. "
        "Left out: cannot make anything before the deadline: 2."
    )


def test_lead_time_shortens_the_capacity_before_the_deadline(personas, make_producer):
    # 20 days of lead time leave 10 of the 30 days: a third of a month's 9,000.
    make_producer("19.01.01", capacity=9_000, lead_time_days=20)
    demand = demand_post(personas.pusat, 5_000)
    result = run(personas.pusat, demand)
    assert (result.allocated, result.shortfall, result.capacity) == (3_000, 2_000, 3_000)


def test_deadline_already_passed_is_refused_and_nothing_written(personas, bangka):
    demand = demand_post(personas.pusat, 1_000)
    with pytest.raises(ValidationError) as error:
        services.allocation_run(user=personas.pusat, demand=demand, today=DEADLINE)
    assert error.value.messages == [
        "The deadline of this demand (10 May 2020) is not after today: no producer can "
        "deliver in time."
    ]
    assert not AllocationRun.objects.exists()


@pytest.mark.parametrize("persona", ["pembeli_kf", "prov_babel", "kurator", "umkm_masker"])
def test_only_central_officers_run_the_allocation(personas, bangka, persona):
    demand = demand_post(personas.pusat, 1_000)
    with pytest.raises(PermissionDenied):
        services.allocation_run(user=getattr(personas, persona), demand=demand, today=TODAY)
    assert not AllocationRun.objects.exists()


def test_medical_masks_go_only_to_producers_with_a_granted_licence(personas, make_producer):
    licensed = make_producer("19.01.01", "masker-medis", capacity=5_000, name="Medis Berizin")
    make_producer("19.01.02", "masker-medis", capacity=5_000, name="Medis Tanpa Izin")
    Licence.objects.create(
        business=licensed.business,
        product_type=licensed.product_type,
        kind="izin_edar_akd",
        number="KEMENKES RI AKD 20401020001",
        issuer="Kementerian Kesehatan",
        status=Licence.Status.GRANTED,
        granted_on=TODAY - datetime.timedelta(days=10),
        expires_on=DEADLINE + datetime.timedelta(days=365),
    )
    demand = demand_post(personas.pusat, 8_000, product="masker-medis")
    result = run(personas.pusat, demand)
    assert totals(result) == {"Medis Berizin": 5_000}
    assert result.excluded == {"no_granted_licence": 1}
    assert "Left out: curated but without a granted licence: 1." in result.message


def test_a_licence_only_applied_for_gets_no_medical_demand(personas, make_producer):
    applied = make_producer("19.01.01", "masker-medis", capacity=5_000)
    Licence.objects.create(
        business=applied.business,
        kind="izin_edar_akd",
        issuer="Kementerian Kesehatan",
        status=Licence.Status.APPLIED,
    )
    demand = demand_post(personas.pusat, 1_000, product="masker-medis")
    result = run(personas.pusat, demand)
    assert result.allocated == 0
    assert result.excluded == {"no_granted_licence": 1}


def test_share_cap_spreads_the_demand(personas, make_producer):
    cheap = make_producer("19.01.01", capacity=10_000, price=2_000, name="Murah")
    make_producer("19.01.02", capacity=10_000, price=3_000, name="Mahal")
    demand = demand_post(personas.pusat, 10_000)
    result = run(personas.pusat, demand, max_share_percent=60)
    assert totals(result) == {"Murah": 6_000, "Mahal": 4_000}
    assert result.max_share_percent == 60
    line = result.lines.get(declaration=cheap)
    assert "share cap of 60 % reached (6.000 units)" in line.reason


def test_minimum_lot_keeps_small_orders_out(personas, make_producer):
    make_producer("19.01.01", capacity=900, price=2_000, name="Kecil")
    make_producer("19.01.02", capacity=10_000, price=3_000, name="Besar")
    demand = demand_post(personas.pusat, 5_000)
    result = run(personas.pusat, demand, min_lot=1_000)
    assert totals(result) == {"Besar": 5_000}


def test_fairness_options_out_of_range_are_refused(personas, bangka):
    demand = demand_post(personas.pusat, 1_000)
    with pytest.raises(ValidationError) as error:
        run(personas.pusat, demand, max_share_percent=0, min_lot=2_000)
    assert set(error.value.message_dict) == {"max_share_percent", "min_lot"}
    assert not AllocationRun.objects.exists()


def test_capacity_nets_out_what_other_orders_still_owe(personas, bangka):
    first = demand_post(personas.pusat, 6_000)
    (order,) = services.allocation_confirm(
        user=personas.pusat, run=run(personas.pusat, first), today=TODAY
    )
    point = first.points.get()
    services.delivery_record(
        user=personas.pusat,
        order=order,
        point=point,
        delivered_on=TODAY,
        accepted=2_000,
        rejected=1_000,
        qc_note="Jahitan lepas",
        today=TODAY,
    )
    # 6,000 ordered, 3,000 delivered: 3,000 still owed of its 10,000.
    second = demand_post(personas.pusat, 9_000)
    result = run(personas.pusat, second)
    assert (result.allocated, result.shortfall) == (7_000, 2_000)
    assert "3.000 more already on its other orders" in result.lines.get().reason


def test_a_producer_with_all_capacity_on_other_orders_is_left_out(personas, bangka):
    first = demand_post(personas.pusat, 10_000)
    services.allocation_confirm(user=personas.pusat, run=run(personas.pusat, first), today=TODAY)
    second = demand_post(personas.pusat, 1_000)
    result = run(personas.pusat, second)
    assert result.excluded == {"committed_elsewhere": 1}
    assert "capacity already taken by other orders: 1" in result.message


def test_cancelled_orders_free_the_capacity(personas, bangka):
    first = demand_post(personas.pusat, 10_000)
    (order,) = services.allocation_confirm(
        user=personas.pusat, run=run(personas.pusat, first), today=TODAY
    )
    services.order_cancel(user=personas.pusat, order=order, reason="Pembeli membatalkan")
    result = run(personas.pusat, demand_post(personas.pusat, 1_000))
    assert result.allocated == 1_000


def test_coordinates_make_the_distance_exact(personas, make_producer):
    producer = make_producer("19.01.01")
    producer.business.latitude, producer.business.longitude = -1.86, 106.11
    producer.business.save()
    point = {**JAKARTA, "quantity": 1_000, "latitude": -6.2, "longitude": 106.8}
    result = run(personas.pusat, demand_post(personas.pusat, 1_000, points=[point]))
    line = result.lines.get()
    assert line.distance_estimated is False
    assert 470 < line.distance_km < 500
    assert "estimated" not in line.reason


def test_the_message_names_the_ten_points_most_short(personas, make_producer):
    make_producer("19.01.01", capacity=30)
    points = [{**JAKARTA, "name": f"Titik {n}", "quantity": 1_000 * n} for n in range(1, 13)]
    demand = demand_post(personas.pusat, sum(p["quantity"] for p in points), points=points)
    result = run(personas.pusat, demand)
    short = result.message.split("Short at: ")[1]
    assert short.startswith("Titik 12 ")
    assert short.endswith(" and 2 more.")


def test_producers_priced_above_the_offer_are_left_out(personas, make_producer):
    cheap = make_producer("19.01.01", capacity=5_000, price=2_800, name="Murah")
    make_producer("19.01.02", capacity=10_000, price=3_100, name="Mahal")
    demand = demand_post(personas.pusat, 8_000)  # Rp 3,000 a unit offered
    result = run(personas.pusat, demand)
    assert totals(result) == {"Murah": 5_000}
    assert (result.allocated, result.shortfall) == (5_000, 3_000)
    assert result.excluded == {"price_above_offer": 1}
    assert "Left out: price above the buyer's offer: 1." in result.message
    # The producer is paid its own price, below the offer.
    (order,) = services.allocation_confirm(
        user=personas.pusat, run=result, today=TODAY, accept_shortfall=True
    )
    assert (order.declaration, order.unit_price) == (cheap, 2_800)


def test_the_smallest_order_search_stops_in_time_and_the_run_says_so(
    personas, make_producer, monkeypatch
):
    monkeypatch.setattr(allocation, "SOLVE_SECONDS", 0)
    make_producer("19.01.01", capacity=600, price=2_000, name="Satu")
    make_producer("19.01.02", capacity=600, price=2_100, name="Dua")
    # Least cost without the lot is 600 + 400: the search must close or open "Dua".
    result = run(personas.pusat, demand_post(personas.pusat, 1_000), min_lot=500)
    assert result.allocated == 1_000
    assert all(units >= 500 for units in totals(result).values())
    assert result.message.endswith(
        "The smallest order made the search stop after 0 seconds: this is the cheapest split "
        "found in that time, not proven the least cost."
    )


def test_without_a_time_limit_hit_the_run_says_nothing_of_it(personas, make_producer):
    make_producer("19.01.01", capacity=600, price=2_000, name="Satu")
    make_producer("19.01.02", capacity=600, price=2_100, name="Dua")
    result = run(personas.pusat, demand_post(personas.pusat, 1_000), min_lot=500)
    assert totals(result) == {"Satu": 500, "Dua": 500}
    assert "not proven" not in result.message


@pytest.mark.django_db(transaction=True)
def test_the_solver_runs_outside_any_transaction(personas, bangka, monkeypatch):
    # The real solver, watched: no database lock may be held while it works.
    in_transaction = []
    allocate = solver.allocate

    def watched(*args, **kwargs):
        in_transaction.append(connection.in_atomic_block)
        return allocate(*args, **kwargs)

    monkeypatch.setattr(solver, "allocate", watched)
    result = run(personas.pusat, demand_post(personas.pusat, 1_000))
    assert in_transaction == [False]
    assert result.allocated == 1_000


def test_a_demand_cancelled_while_the_solver_runs_gets_no_run(personas, bangka, monkeypatch):
    demand = demand_post(personas.pusat, 1_000)
    allocate = solver.allocate

    def cancelled_meanwhile(*args, **kwargs):
        services.demand_cancel(user=personas.pembeli_kf, demand=demand, reason="Tidak jadi")
        return allocate(*args, **kwargs)

    monkeypatch.setattr(solver, "allocate", cancelled_meanwhile)
    with pytest.raises(ValidationError) as error:
        run(personas.pusat, demand)
    assert error.value.messages == ["This demand is cancelled: nothing more is allocated to it."]
    assert not AllocationRun.objects.exists()
