"""The officer's adjustment of a run before confirming it: quantities within each
producer's capacity (and share cap and smallest order) and each point's need; the totals,
status and message follow; a refused adjustment changes nothing.

Producers: `murah` (Rp 2,000) and `mahal` (Rp 3,000), both in Bangka with 10,000 a
month; the demand of 12,000 goes to Jakarta.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pulih.matching import services
from pulih.matching.models import AllocationRun

from .test_demands import TODAY, demand_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("messages_in_english")]


@pytest.fixture
def murah(make_producer):
    return make_producer("19.01.01", capacity=10_000, price=2_000, name="Murah")


@pytest.fixture
def mahal(make_producer):
    return make_producer("19.01.02", capacity=10_000, price=3_000, name="Mahal")


@pytest.fixture
def run(personas, murah, mahal):
    demand = demand_post(personas.pusat, 12_000)
    return services.allocation_run(user=personas.pusat, demand=demand, today=TODAY)


def line_of(run, declaration):
    return run.lines.get(declaration=declaration)


def adjust(user, run, quantities):
    return services.allocation_adjust(user=user, run=run, quantities=quantities, today=TODAY)


def refused(run, quantities):
    with pytest.raises(ValidationError) as error:
        adjust(run.run_by, run, quantities)
    return error.value.message_dict["quantities"]


def test_solver_gives_the_cheaper_producer_all_it_can(run, murah, mahal):
    assert line_of(run, murah).quantity == 10_000
    assert line_of(run, mahal).quantity == 2_000


def test_moving_units_between_producers_updates_the_run(personas, run, murah, mahal):
    cheap, dear = line_of(run, murah), line_of(run, mahal)
    before = run.total_cost
    run = adjust(personas.pusat, run, {cheap.pk: 6_000, dear.pk: 6_000})
    assert (run.allocated, run.shortfall, run.status) == (12_000, 0, AllocationRun.Status.OPTIMAL)
    assert run.total_cost == before + 4_000 * 1_000
    cheap.refresh_from_db()
    assert (cheap.quantity, cheap.adjusted_quantity, cheap.final_quantity) == (10_000, 6_000, 6_000)
    assert run.message.endswith("Quantities adjusted by Petugas Pusat.")


def test_lowering_a_quantity_leaves_a_shortfall(personas, run, mahal):
    run = adjust(personas.pusat, run, {line_of(run, mahal).pk: 0})
    assert (run.allocated, run.shortfall, run.status) == (10_000, 2_000, "shortfall")
    assert "Short at: Gudang Jakarta 2.000." in run.message


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"murah": 10_001},
            "Murah can make at most 10.000 before the deadline; its lines ask 10.001.",
        ),
        ({"mahal": 2_500}, "Gudang Jakarta needs 12.000; its lines give 12.500."),
        ({"mahal": -1}, "Quantities must be whole numbers, zero or more."),
    ],
)
def test_adjustment_beyond_the_rules_is_refused_and_nothing_changes(
    run, murah, mahal, change, message
):
    lines = {"murah": line_of(run, murah), "mahal": line_of(run, mahal)}
    assert message in refused(run, {lines[name].pk: value for name, value in change.items()})
    for line in lines.values():
        line.refresh_from_db()
        assert line.adjusted_quantity is None
    run.refresh_from_db()
    assert run.allocated == 12_000


def test_a_line_of_another_run_is_refused(personas, run, murah):
    other = services.allocation_run(user=personas.pusat, demand=run.demand, today=TODAY)
    assert refused(run, {line_of(other, murah).pk: 1}) == [
        f"Line {line_of(other, murah).pk} is not part of this run."
    ]


def test_share_cap_and_smallest_order_hold_in_adjustments(personas, murah, mahal):
    demand = demand_post(personas.pusat, 12_000)
    run = services.allocation_run(
        user=personas.pusat, demand=demand, today=TODAY, max_share_percent=60, min_lot=1_000
    )
    # 60 % of 12,000: neither may go above 7,200, nor below 1,000 unless to nothing.
    assert refused(run, {line_of(run, murah).pk: 7_201, line_of(run, mahal).pk: 4_799}) == [
        "Murah can make at most 7.200 before the deadline; its lines ask 7.201."
    ]
    assert refused(run, {line_of(run, mahal).pk: 500}) == [
        "Mahal would get 500, less than the smallest order of 1.000: give it at least that "
        "or nothing."
    ]


def test_a_confirmed_run_cannot_be_adjusted(personas, run, murah):
    services.allocation_confirm(user=personas.pusat, run=run, today=TODAY)
    with pytest.raises(ValidationError) as error:
        adjust(personas.pusat, run, {line_of(run, murah).pk: 1})
    assert error.value.messages == [
        "This run is confirmed: it can no longer be changed or confirmed."
    ]


def test_the_adjusted_quantities_are_what_is_ordered(personas, run, murah, mahal):
    adjust(personas.pusat, run, {line_of(run, murah).pk: 7_000, line_of(run, mahal).pk: 5_000})
    orders = services.allocation_confirm(user=personas.pusat, run=run, today=TODAY)
    assert {o.declaration_id: o.quantity for o in orders} == {murah.pk: 7_000, mahal.pk: 5_000}


def test_only_central_officers_adjust(personas, run, murah):
    with pytest.raises(PermissionDenied):
        adjust(personas.pembeli_kf, run, {line_of(run, murah).pk: 1})
