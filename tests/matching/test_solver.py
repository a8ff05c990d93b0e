"""The allocation solver: how an institutional demand is split over producers. Pure
computation, no database. Small instances are checked against a reference model solved
independently (SCIP with a binary per producer, or a dense min-cost flow), in the same
cost unit (sen, 1/100 Rp)."""

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.graph.python import min_cost_flow
from ortools.linear_solver import pywraplp

from pulih.matching import solver
from pulih.matching.solver import Point, Producer, allocate, distances_km, greedy
from pulih.wilayah.geo import capitals, distance_km

# Province capitals used as places: Pangkalpinang, Surabaya, Makassar, Medan.
BANGKA, SURABAYA, MAKASSAR, MEDAN = (capitals()[code][1:] for code in ("19", "35", "73", "12"))


def producer(key, capacity, price, place, shift=0.0):
    return Producer(key, capacity, price, place[0] + shift, place[1] + shift)


def point(key, quantity, place, shift=0.0):
    return Point(key, quantity, place[0] + shift, place[1] + shift)


def loads(result):
    totals = {}
    for line in result.lines:
        totals[line.producer] = totals.get(line.producer, 0) + line.quantity
    return totals


def received(result):
    totals = {}
    for line in result.lines:
        totals[line.point] = totals.get(line.point, 0) + line.quantity
    return totals


def sen(result):
    """The total cost in sen, from the lines."""
    return sum(line.quantity * round(line.unit_cost * 100) for line in result.lines)


def unit_cost_sen(p, q, rate):
    return p.unit_price * 100 + round(
        distance_km((p.latitude, p.longitude), (q.latitude, q.longitude)) * rate * 100
    )


def reference(producers, points, rate, share=None, lot=None):
    """(most units that can be allocated, least cost in sen) by SCIP: first the most units,
    then the least cost at that quantity."""
    demand = sum(q.quantity for q in points)
    solver = pywraplp.Solver.CreateSolver("SCIP")
    x = {}
    for p in producers:
        cap = p.capacity if share is None else min(p.capacity, demand * share // 100)
        open_ = solver.BoolVar(f"y{p.key}")
        for q in points:
            x[p.key, q.key] = solver.IntVar(0, q.quantity, f"x{p.key}_{q.key}")
        sent = solver.Sum(x[p.key, q.key] for q in points)
        solver.Add(sent <= cap * open_)
        if lot:
            solver.Add(sent >= lot * open_)
    for q in points:
        solver.Add(solver.Sum(x[p.key, q.key] for p in producers) <= q.quantity)
    exact = pywraplp.MPSolverParameters()
    exact.SetDoubleParam(exact.RELATIVE_MIP_GAP, 0.0)
    total = solver.Sum(x.values())
    solver.Maximize(total)
    assert solver.Solve(exact) == solver.OPTIMAL
    most = round(solver.Objective().Value())
    solver.Add(total == most)
    solver.Minimize(
        solver.Sum(x[p.key, q.key] * unit_cost_sen(p, q, rate) for p in producers for q in points)
    )
    assert solver.Solve(exact) == solver.OPTIMAL
    return most, round(solver.Objective().Value())


def dense_flow_cost(producers, points, rate):
    """Least cost in sen of moving min(demand, capacity) over every arc at once."""
    demand = sum(q.quantity for q in points)
    target = min(demand, sum(p.capacity for p in producers))
    network = min_cost_flow.SimpleMinCostFlow()
    n, m = len(producers), len(points)
    sink = n + m + 1
    for i, p in enumerate(producers):
        network.add_arc_with_capacity_and_unit_cost(0, i + 1, p.capacity, 0)
        for j, q in enumerate(points):
            network.add_arc_with_capacity_and_unit_cost(
                i + 1, n + 1 + j, q.quantity, unit_cost_sen(p, q, rate)
            )
    for j, q in enumerate(points):
        network.add_arc_with_capacity_and_unit_cost(n + 1 + j, sink, q.quantity, 0)
    network.set_node_supply(0, target)
    network.set_node_supply(sink, -target)
    assert network.solve() == network.OPTIMAL
    return target, network.optimal_cost()


def test_nearby_producer_gets_the_nearby_point():
    producers = [producer(1, 100, 3000, BANGKA), producer(2, 100, 3000, SURABAYA)]
    points = [point(10, 60, BANGKA, 0.1), point(20, 70, SURABAYA, 0.1)]
    result = allocate(producers, points, transport_rate=0.5)
    assert result.status == "optimal"
    assert {(line.producer, line.point, line.quantity) for line in result.lines} == {
        (1, 10, 60),
        (2, 20, 70),
    }
    assert result.total_cost == round(sen(result) / 100)


def test_cheapest_producer_fills_what_it_can_and_the_next_the_rest():
    producers = [
        producer(1, 50, 2500, SURABAYA),
        producer(2, 1000, 4000, SURABAYA, 0.2),
        producer(3, 1000, 3000, MAKASSAR),
    ]
    points = [point(10, 120, SURABAYA, 0.1)]
    result = allocate(producers, points, transport_rate=0.05)
    assert loads(result) == {1: 50, 3: 70}


def test_unit_cost_is_price_plus_transport_for_the_distance():
    producers = [producer(1, 10, 3000, MEDAN)]
    points = [point(10, 10, MAKASSAR)]
    line = allocate(producers, points, transport_rate=0.05).lines[0]
    km = distance_km(MEDAN, MAKASSAR)
    assert line.distance_km == pytest.approx(km, rel=1e-9)
    assert line.unit_cost == pytest.approx(3000 + 0.05 * km, abs=0.005)


def test_transport_rate_may_be_a_decimal_as_stored_on_the_demand():
    producers = [producer(1, 10, 3000, MEDAN)]
    points = [point(10, 10, MAKASSAR)]
    stored = allocate(producers, points, transport_rate=Decimal("0.0500"))
    assert stored.total_cost == allocate(producers, points, transport_rate=0.05).total_cost


def test_distances_match_the_great_circle_distance_of_each_pair():
    producers = [producer(1, 1, 1, BANGKA), producer(2, 1, 1, MEDAN)]
    points = [point(10, 1, SURABAYA), point(20, 1, MAKASSAR), point(30, 1, BANGKA)]
    matrix = distances_km(producers, points)
    assert matrix.shape == (2, 3)
    for i, p in enumerate(producers):
        for j, q in enumerate(points):
            expected = distance_km((p.latitude, p.longitude), (q.latitude, q.longitude))
            assert matrix[i, j] == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_no_producer_gets_more_than_its_capacity():
    producers = [producer(k, 30 + 7 * k, 2500 + 100 * k, BANGKA, k * 0.3) for k in range(1, 6)]
    points = [point(10 + k, 40, SURABAYA, k * 0.2) for k in range(5)]
    result = allocate(producers, points, transport_rate=0.05)
    assert result.allocated == 200
    for key, load in loads(result).items():
        assert load <= result.capacity_by_producer[key] == 30 + 7 * key


def test_shortfall_is_reported_where_it_costs_least_to_leave_it():
    producers = [producer(1, 10, 3000, BANGKA)]
    points = [point(10, 10, BANGKA, 0.1), point(20, 5, MEDAN)]
    result = allocate(producers, points, transport_rate=0.5)
    assert result.status == "shortfall"
    assert (result.allocated, result.shortfall) == (10, 5)
    assert result.shortfall_by_point == {20: 5}
    assert result.capacity == 10
    assert received(result) == {10: 10}


def test_demand_above_all_capacity_allocates_all_capacity_and_never_fails():
    producers = [producer(k, 100, 3000, SURABAYA, k * 0.1) for k in range(1, 4)]
    points = [point(10 + k, 400, MAKASSAR, k * 0.1) for k in range(3)]
    result = allocate(producers, points, transport_rate=0.05)
    assert (result.status, result.allocated, result.shortfall) == ("shortfall", 300, 900)
    assert sum(result.shortfall_by_point.values()) == 900
    assert loads(result) == {1: 100, 2: 100, 3: 100}


def test_share_cap_limits_every_producer_to_its_share_of_the_demand():
    producers = [producer(1, 1000, 2500, SURABAYA), producer(2, 1000, 4000, SURABAYA)]
    points = [point(10, 100, SURABAYA, 0.1)]
    result = allocate(producers, points, transport_rate=0.05, max_share_percent=60)
    assert result.capacity_by_producer == {1: 60, 2: 60}
    assert loads(result) == {1: 60, 2: 40}
    short = allocate(producers, points, transport_rate=0.05, max_share_percent=30)
    assert (short.status, short.allocated, short.shortfall) == ("shortfall", 60, 40)


def test_min_lot_gives_each_producer_nothing_or_at_least_the_lot():
    producers = [producer(1, 40, 3000, BANGKA), producer(2, 40, 3000, SURABAYA)]
    points = [point(10, 20, BANGKA, 0.1), point(20, 20, SURABAYA, 0.1)]
    free = allocate(producers, points, transport_rate=0.5)
    assert loads(free) == {1: 20, 2: 20}
    result = allocate(producers, points, transport_rate=0.5, min_lot=30)
    assert result.status == "optimal"
    assert result.method.startswith("branch and bound")
    assert list(loads(result).values()) == [40]
    assert sen(result) == reference(producers, points, 0.5, lot=30)[1]


def test_min_lot_search_stopped_by_time_still_meets_the_lot(monkeypatch):
    monkeypatch.setattr(solver, "LOT_SEARCH_SECONDS", 0)
    producers = [producer(1, 40, 3000, BANGKA), producer(2, 40, 3000, SURABAYA)]
    points = [point(10, 20, BANGKA, 0.1), point(20, 20, SURABAYA, 0.1)]
    result = allocate(producers, points, transport_rate=0.5, min_lot=30)
    assert result.method == "branch and bound (min lot), best found in the time limit"
    assert (result.allocated, list(loads(result).values())) == (40, [40])


def test_producer_below_the_min_lot_is_not_used():
    producers = [producer(1, 20, 2500, SURABAYA), producer(2, 100, 4000, SURABAYA)]
    points = [point(10, 50, SURABAYA, 0.1)]
    result = allocate(producers, points, transport_rate=0.05, min_lot=25)
    assert result.capacity_by_producer == {1: 0, 2: 100}
    assert loads(result) == {2: 50}


def test_min_lot_above_the_demand_leaves_everything_short():
    producers = [producer(1, 100, 3000, SURABAYA)]
    points = [point(10, 20, SURABAYA), point(20, 10, BANGKA)]
    result = allocate(producers, points, transport_rate=0.05, min_lot=50)
    assert (result.status, result.allocated, result.lines) == ("shortfall", 0, [])
    assert result.shortfall_by_point == {10: 20, 20: 10}


def test_no_producers_leaves_every_point_short():
    result = allocate([], [point(10, 5, BANGKA), point(20, 0, MEDAN)], transport_rate=0.05)
    assert (result.status, result.allocated, result.shortfall) == ("shortfall", 0, 5)
    assert result.shortfall_by_point == {10: 5}
    assert (result.capacity, result.capacity_by_producer, result.total_cost) == (0, {}, 0)


def test_no_points_or_zero_quantities_allocate_nothing():
    producers = [producer(1, 100, 3000, BANGKA), producer(2, 0, 3000, MEDAN)]
    for points in ([], [point(10, 0, SURABAYA)]):
        result = allocate(producers, points, transport_rate=0.05, min_lot=10)
        assert (result.status, result.allocated, result.shortfall, result.lines) == (
            "optimal",
            0,
            0,
            [],
        )
        assert result.shortfall_by_point == {}
        assert greedy(producers, points, transport_rate=0.05).allocated == 0


@pytest.mark.parametrize(
    ("producers", "points", "options"),
    [
        ([producer(1, -1, 3000, BANGKA)], [point(10, 5, BANGKA)], {}),
        ([producer(1, 5, -3000, BANGKA)], [point(10, 5, BANGKA)], {}),
        ([producer(1, 5, 3000, BANGKA)], [point(10, -5, BANGKA)], {}),
        ([producer(1, 5, 3000, BANGKA)], [point(10, 5, BANGKA)], {"transport_rate": -1}),
        ([producer(1, 5, 3000, BANGKA)], [point(10, 5, BANGKA)], {"max_share_percent": -5}),
        ([producer(1, 5, 3000, BANGKA)], [point(10, 5, BANGKA)], {"min_lot": -1}),
        ([producer(1, 5, 3000, BANGKA)], [Point(10, 5, float("nan"), 106.0)], {}),
        ([producer(1, 5, 3000, BANGKA), producer(1, 5, 3000, MEDAN)], [point(10, 5, BANGKA)], {}),
    ],
)
def test_negative_or_malformed_input_is_refused(producers, points, options):
    options = {"transport_rate": 0.05, **options}
    with pytest.raises(ValueError):
        allocate(producers, points, **options)
    with pytest.raises(ValueError):
        greedy(producers, points, **options)


def test_greedy_fills_the_largest_point_first_from_its_cheapest_producer():
    producers = [producer(1, 50, 3000, BANGKA), producer(2, 100, 3000, SURABAYA)]
    points = [point(10, 30, SURABAYA, 0.1), point(20, 100, SURABAYA, 0.2)]
    result = greedy(producers, points, transport_rate=0.5)
    assert result.method == "greedy"
    assert {(line.producer, line.point, line.quantity) for line in result.lines} == {
        (2, 20, 100),
        (1, 10, 30),
    }
    assert allocate(producers, points, transport_rate=0.5).total_cost < result.total_cost


def test_greedy_with_min_lot_drops_producers_left_below_it():
    producers = [producer(1, 45, 2500, SURABAYA), producer(2, 100, 4000, SURABAYA)]
    points = [point(10, 50, SURABAYA, 0.1)]
    result = greedy(producers, points, transport_rate=0.05, min_lot=10)
    assert (loads(result), result.shortfall) == ({1: 45}, 5)
    best = allocate(producers, points, transport_rate=0.05, min_lot=10)
    assert (loads(best), best.shortfall) == ({1: 40, 2: 10}, 0)


@st.composite
def instances(draw):
    """A few producers and points anywhere in Indonesia, with options."""
    place = st.tuples(st.floats(-8.5, 5.5), st.floats(95.0, 141.0))
    producers = [
        Producer(key, draw(st.integers(0, 40)), draw(st.integers(2500, 4500)), *draw(place))
        for key in range(1, draw(st.integers(0, 5)) + 1)
    ]
    points = [
        Point(key, draw(st.integers(0, 40)), *draw(place))
        for key in range(101, draw(st.integers(0, 5)) + 101)
    ]
    rate = draw(st.sampled_from([0.0, 0.05, 1.0, 25.0]))
    share = draw(st.none() | st.integers(0, 100))
    lot = draw(st.none() | st.integers(0, 30))
    return producers, points, rate, share, lot


@settings(max_examples=150, deadline=None)
@given(instances())
def test_allocation_is_the_most_that_fits_at_the_least_cost(instance):
    producers, points, rate, share, lot = instance
    result = allocate(producers, points, transport_rate=rate, max_share_percent=share, min_lot=lot)
    demand = sum(q.quantity for q in points)
    usable = result.capacity_by_producer
    for p in producers:
        cap = p.capacity if share is None else min(p.capacity, demand * share // 100)
        assert usable[p.key] == (cap if cap >= (lot or 0) else 0)
    for key, load in loads(result).items():
        assert load <= usable[key]
        assert load >= (lot or 0)
    got = received(result)
    for q in points:
        assert got.get(q.key, 0) + result.shortfall_by_point.get(q.key, 0) == q.quantity
    assert all(short > 0 for short in result.shortfall_by_point.values())
    assert result.allocated + result.shortfall == demand
    assert result.status == ("optimal" if result.shortfall == 0 else "shortfall")
    assert (result.allocated, sen(result)) == reference(producers, points, rate, share, lot)
    assert result.total_cost == (sen(result) + 50) // 100


@settings(max_examples=150, deadline=None)
@given(instances())
def test_optimum_never_costs_more_than_greedy(instance):
    producers, points, rate, share, lot = instance
    options = {"transport_rate": rate, "max_share_percent": share, "min_lot": lot}
    best, baseline = allocate(producers, points, **options), greedy(producers, points, **options)
    for key, load in loads(baseline).items():
        assert (lot or 0) <= load <= baseline.capacity_by_producer[key]
    assert baseline.allocated <= best.allocated
    if not lot:
        assert baseline.allocated == best.allocated
    if baseline.allocated == best.allocated:
        assert sen(best) <= sen(baseline)
        assert best.total_cost <= baseline.total_cost


def spread(count, seed, quantity):
    """`count` places scattered around capitals, with whole quantities adding to `quantity`."""
    rng = np.random.default_rng(seed)
    places = list(capitals().values())
    chosen = rng.integers(0, len(places), size=count)
    weights = rng.lognormal(size=count)
    parts = np.floor(weights / weights.sum() * quantity).astype(int)
    parts[: quantity - parts.sum()] += 1
    return [
        (int(parts[k]), places[c][1] + rng.normal(0, 0.5), places[c][2] + rng.normal(0, 0.5))
        for k, c in enumerate(chosen)
    ]


@pytest.mark.parametrize(("capacity", "rate"), [(13_000, 0.05), (8_000, 2.0)])
def test_many_producers_and_points_get_the_same_optimum_as_the_dense_flow(capacity, rate):
    """Large enough that only a few arcs are solved at first and the rest priced in."""
    rng = np.random.default_rng(3)
    producers = [
        Producer(k + 1, size, int(rng.integers(2500, 4501)), lat, lon)
        for k, (size, lat, lon) in enumerate(spread(60, 1, capacity))
    ]
    points = [
        Point(k + 1, size, lat, lon) for k, (size, lat, lon) in enumerate(spread(300, 2, 10_000))
    ]
    result = allocate(producers, points, transport_rate=rate)
    assert (result.allocated, sen(result)) == dense_flow_cost(producers, points, rate)
    assert all(load <= result.capacity_by_producer[key] for key, load in loads(result).items())
    assert sen(result) <= sen(greedy(producers, points, transport_rate=rate))


def test_many_producers_with_a_min_lot_get_the_same_optimum_as_the_mip():
    rng = np.random.default_rng(5)
    producers = [
        Producer(k + 1, size, int(rng.integers(2500, 4501)), lat, lon)
        for k, (size, lat, lon) in enumerate(spread(25, 4, 1_300))
    ]
    points = [
        Point(k + 1, size, lat, lon) for k, (size, lat, lon) in enumerate(spread(40, 6, 1_000))
    ]
    for lot in (30, 60, 90):
        result = allocate(producers, points, transport_rate=0.5, min_lot=lot)
        assert all(load >= lot for load in loads(result).values())
        assert (result.allocated, sen(result)) == reference(producers, points, 0.5, lot=lot)


def test_the_callers_time_limit_bounds_the_min_lot_search():
    producers = [producer(1, 40, 3000, BANGKA), producer(2, 40, 3000, SURABAYA)]
    points = [point(10, 20, BANGKA, 0.1), point(20, 20, SURABAYA, 0.1)]
    result = allocate(producers, points, transport_rate=0.5, min_lot=30, time_limit=0)
    assert result.method == solver.LOT_SEARCH_STOPPED
    assert (result.allocated, list(loads(result).values())) == (40, [40])
    assert allocate(producers, points, transport_rate=0.5, min_lot=30).method == (
        "branch and bound (min lot)"
    )
