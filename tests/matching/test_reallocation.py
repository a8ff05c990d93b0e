"""Re-allocating what is missing under the demand's fairness options: the share cap is a
share of the whole demand, less what each producer already supplied or owes to it, and a
re-allocation has no smallest order unless the officer sets one.

Ten producers in Bangka with 10,000 each before the deadline, `p1` the cheapest
(Rp 2,000) and each next one Rp 10 dearer. Kimia Farma's demand of 15,000 to Jakarta
carries the Karya Nusantara demo's options: at most 15 % (2,250) per producer and at
least 500 per order. The first run gives p1–p6 2,250 each and p7 1,500.
"""

import pytest
from django.core.exceptions import ValidationError

from pulih.matching import services
from pulih.matching.models import AllocationRun

from .test_demands import TODAY, demand_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("messages_in_english")]


@pytest.fixture
def producers(make_producer):
    return [
        make_producer("19.01.01", capacity=10_000, price=2_000 + 10 * n, name=f"P{n + 1}")
        for n in range(10)
    ]


@pytest.fixture
def orders(personas, producers):
    """The demand allocated and confirmed; p1's 2,250 delivered with 300 rejected."""
    demand = demand_post(personas.pusat, 15_000, max_share_percent=15, min_lot=500)
    run = services.allocation_run(user=personas.pusat, demand=demand, today=TODAY)
    orders = services.allocation_confirm(user=personas.pusat, run=run, today=TODAY)
    first = next(o for o in orders if o.declaration == producers[0])
    services.delivery_record(
        user=personas.pusat,
        order=first,
        point=demand.points.get(),
        delivered_on=TODAY,
        accepted=1_950,
        rejected=300,
        qc_note="Jahitan lepas",
        today=TODAY,
    )
    return {o.declaration_id: o for o in orders}


def reallocate(user, demand, **options):
    return services.shortfall_reallocate(user=user, demand=demand, today=TODAY, **options)


def test_first_run_caps_each_producer_at_its_share(producers, orders):
    quantities = [orders[p.pk].quantity if p.pk in orders else 0 for p in producers]
    assert quantities == [2_250] * 6 + [1_500, 0, 0, 0]


def test_units_rejected_at_qc_are_reallocated_under_the_share_of_the_whole_demand(
    personas, producers, orders
):
    demand = orders[producers[0].pk].demand
    run = reallocate(personas.pusat, demand)
    assert (run.quantity, run.allocated, run.shortfall) == (300, 300, 0)
    assert run.status == AllocationRun.Status.OPTIMAL
    assert (run.max_share_percent, run.min_lot) == (15, None)
    # p1 holds 1,950 accepted: 300 of its share is left, and it is the cheapest.
    assert [(line.declaration_id, line.quantity) for line in run.lines.all()] == [
        (producers[0].pk, 300)
    ]
    assert "share cap of 15 % reached (2.250 units)" in run.lines.get().reason
    # p2–p6 already hold their 2,250.
    assert run.excluded == {"share_reached": 5}
    assert "Left out: already holds its largest share of this demand: 5." in run.message
    (order,) = services.allocation_confirm(user=personas.pusat, run=run, today=TODAY)
    assert (order.declaration, order.quantity) == (producers[0], 300)


def test_adjusting_a_reallocation_keeps_within_the_share_left(personas, producers, orders):
    run = reallocate(personas.pusat, orders[producers[0].pk].demand)
    line = run.lines.get()
    with pytest.raises(ValidationError) as error:
        services.allocation_adjust(
            user=personas.pusat, run=run, quantities={line.pk: 301}, today=TODAY
        )
    assert error.value.message_dict["quantities"][0] == (
        "P1 can make at most 300 before the deadline; its lines ask 301."
    )


def test_officer_may_set_a_smallest_order_for_a_reallocation(personas, producers, orders):
    demand = orders[producers[0].pk].demand
    with pytest.raises(ValidationError) as error:
        reallocate(personas.pusat, demand, min_lot=500)
    assert error.value.message_dict == {
        "min_lot": [
            "The smallest order per producer must be at least 1 and at most the 300 to allocate."
        ]
    }
    run = reallocate(personas.pusat, demand, min_lot=300)
    assert (run.min_lot, run.allocated) == (300, 300)


def test_share_cap_below_the_smallest_order_is_refused(personas, producers):
    demand = demand_post(personas.pusat, 10_000)
    with pytest.raises(ValidationError) as error:
        services.allocation_run(
            user=personas.pusat, demand=demand, today=TODAY, max_share_percent=4, min_lot=500
        )
    assert error.value.message_dict == {
        "min_lot": [
            "One producer may get at most 400 (4 % of 10.000), less than the smallest order "
            "of 500: no producer could be given anything. Raise the largest share or lower "
            "the smallest order."
        ]
    }
    assert not AllocationRun.objects.exists()
