"""Splitting an institutional demand across producers at least cost.

Pure computation (numpy and OR-Tools, no database): the caller gathers the producers with
their capacity until the deadline and the delivery points, and stores the lines.

Every producer can serve every point, so this is a transportation problem. The largest
quantity that can be allocated is known before solving: the demand, or all usable capacity
if that is less (with a minimum lot: the capacity of the largest producers that fit in the
demand at one lot each). The flow is asked to move exactly that much, which puts "allocate
as much as possible" first without weighing unmet demand against cost (no big-M penalty
whose size would have to beat every augmenting path); where the shortfall falls is then
part of the least-cost answer.

Costs are whole sen (1/100 Rp) per unit: price × 100 plus transport × 100 rounded. The
optimum is exact at that scale, the greedy baseline is priced the same way, and a line's
`unit_cost` is that rounded figure in Rp.

Without a minimum lot the optimum is a min-cost flow (OR-Tools' `SimpleMinCostFlow`, a
cost-scaling push-relabel algorithm). On all 660,000 arcs of 330 producers × 2,000 points
it takes 1.0–1.6 s on the benchmark machine, so it is solved on a few arcs and priced:
node potentials of the restricted optimum (shortest distances in its residual graph) give
every left-out arc its reduced cost, arcs that price out negative are added and the flow
solved again; when none does, the flow is optimal on all arcs. The first arcs are each
point's cheapest producers after correcting every price by the producer's potential in a
coarse problem (points merged by map cell), which usually leaves two more rounds of a few
hundred arcs.

A minimum lot (each producer gets nothing or at least the lot) makes it a mixed-integer
problem with one open/closed choice per producer. The lot-free flow is its relaxation (the
LP relaxation of the usual MIP, with Σ x ≤ capacity × y and Σ x ≥ lot × y, is exactly that
flow); if it already gives every producer nothing or at least the lot, it is the answer.
Otherwise a best-first branch and bound picks a producer left between nothing and the lot
and solves two flows: one with it closed, one with it given at least the lot (a lower bound
on its arc from the source). The first node popped that breaks no lot is optimal. Solving
the MIP with SCIP instead was tried: 330 binaries with even 26,000 arcs took 37 s, and all
660,000 arcs cannot be built through Python in the time. Limits: each node is a flow of
0.2–0.5 s and the tree is exponential in the worst case; on the benchmark a binding lot
needed 2–22 nodes (1–9 s). After `LOT_SEARCH_SECONDS` (or the caller's `time_limit`) the
search stops and returns the best split found that meets the lot, and `method` is
`LOT_SEARCH_STOPPED`: not proven optimal.
"""

import heapq
import itertools
import math
import time
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from pulih.wilayah.geo import EARTH_RADIUS_KM

SEN = 100  # cost unit: 1/100 Rp
# Cheapest producers per point in the first candidate arcs; pricing adds what is missing.
CANDIDATES = 12
# Size of the map cells points are merged by to estimate the producers' potentials.
CELL_DEGREES = 1.0
LOT_SEARCH_SECONDS = 60
LOT_SEARCH_STOPPED = "branch and bound (min lot), best found in the time limit"


@dataclass(frozen=True)
class Producer:
    key: int  # the declaration's id
    capacity: int  # units it can deliver by the deadline, commitments already netted out
    unit_price: int  # Rp per unit
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Point:
    key: int  # the delivery point's id
    quantity: int
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Line:
    producer: int  # Producer.key
    point: int  # Point.key
    quantity: int
    distance_km: float
    unit_cost: float  # Rp per unit: price + transport rate × distance, to the sen


@dataclass
class Allocation:
    lines: list[Line]
    # "optimal": all demand met at least cost; "shortfall": capacity is short, as much as
    # possible is allocated, at least cost.
    status: str
    allocated: int
    shortfall: int
    shortfall_by_point: dict[int, int]  # only the points left short
    total_cost: int  # Rp, rounded, of the allocated lines
    capacity: int  # usable capacity after the share cap and the lot
    capacity_by_producer: dict[int, int]
    solve_seconds: float  # distances, model and solve
    method: str  # "min-cost flow", "branch and bound (min lot)" or "greedy"


@dataclass
class _Problem:
    producers: list
    points: list
    capacity: np.ndarray  # usable, after the share cap and the lot
    quantity: np.ndarray
    distance: np.ndarray
    cost: np.ndarray  # sen per unit, producers × points
    min_lot: int
    price: np.ndarray
    transport_rate: float


def distances_km(producers, points) -> np.ndarray:
    """Great-circle distances (haversine), producers × points, in km."""
    return _haversine(
        np.array([p.latitude for p in producers], dtype=float),
        np.array([p.longitude for p in producers], dtype=float),
        np.array([p.latitude for p in points], dtype=float),
        np.array([p.longitude for p in points], dtype=float),
    )


def _haversine(lat1, lon1, lat2, lon2):
    lat1, lon1 = np.radians(lat1)[:, None], np.radians(lon1)[:, None]
    lat2, lon2 = np.radians(lat2)[None, :], np.radians(lon2)[None, :]
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def allocate(
    producers,
    points,
    *,
    transport_rate: float,
    max_share_percent: int | None = None,
    min_lot: int | None = None,
    time_limit: float | None = None,
) -> Allocation:
    """The least-cost split of the points' quantities over the producers, after allocating
    as much as capacity allows; see the module docstring for how. `time_limit` (seconds)
    bounds the minimum-lot search, `LOT_SEARCH_SECONDS` when None. The share cap is a
    share of the points' quantity."""
    started = time.perf_counter()
    problem = _problem(producers, points, transport_rate, max_share_percent, min_lot)
    capacity, quantity = problem.capacity, problem.quantity
    target = _largest_allocation(capacity, int(quantity.sum()), problem.min_lot)
    flows, method = np.zeros(problem.cost.shape, dtype=np.int64), "min-cost flow"
    if target:
        candidates = _first_candidates(problem, target)
        zero = np.zeros_like(capacity)
        flows, arcs = _transport(problem.cost, capacity, zero, quantity, target, candidates)
        if problem.min_lot and _broken(flows, problem.min_lot).size:
            seconds = LOT_SEARCH_SECONDS if time_limit is None else time_limit
            flows, method = _min_lot_search(problem, target, flows, arcs, seconds)
    return _allocation(problem, flows, method, started)


def greedy(
    producers,
    points,
    *,
    transport_rate: float,
    max_share_percent: int | None = None,
    min_lot: int | None = None,
) -> Allocation:
    """What an officer would do by hand: the largest points first, each filled from its
    cheapest producers (price + transport) that have capacity left. With a minimum lot,
    producers left below it are dropped and the split redone without them until every
    producer used has at least the lot (so it may allocate less than `allocate`)."""
    started = time.perf_counter()
    problem = _problem(producers, points, transport_rate, max_share_percent, min_lot)
    capacity = problem.capacity.copy()
    while True:
        flows = _greedy_flows(problem.cost, capacity, problem.quantity)
        totals = flows.sum(axis=1)
        short = (totals > 0) & (totals < problem.min_lot)
        if not short.any():
            return _allocation(problem, flows, "greedy", started)
        capacity[short] = 0


def _problem(producers, points, transport_rate, max_share_percent, min_lot):
    producers, points = list(producers), list(points)
    transport_rate = float(transport_rate)  # a model's DecimalField gives a Decimal
    if not math.isfinite(transport_rate) or transport_rate < 0:
        raise ValueError("transport_rate must be a non-negative number")
    if max_share_percent is not None and max_share_percent < 0:
        raise ValueError("max_share_percent must not be negative")
    if min_lot is not None and min_lot < 0:
        raise ValueError("min_lot must not be negative")
    for name, items in (("producer", producers), ("point", points)):
        if len({item.key for item in items}) != len(items):
            raise ValueError(f"{name} keys must be unique")
        for item in items:
            if not (math.isfinite(item.latitude) and math.isfinite(item.longitude)):
                raise ValueError(f"{name} {item.key} has no valid coordinates")
    if any(p.capacity < 0 or p.unit_price < 0 for p in producers):
        raise ValueError("producer capacity and unit price must not be negative")
    if any(p.quantity < 0 for p in points):
        raise ValueError("point quantity must not be negative")
    quantity = np.array([p.quantity for p in points], dtype=np.int64)
    capacity = np.array([p.capacity for p in producers], dtype=np.int64)
    if max_share_percent is not None:
        capacity = np.minimum(capacity, int(quantity.sum()) * max_share_percent // 100)
    lot = min_lot or 0
    capacity[capacity < lot] = 0
    distance = distances_km(producers, points)
    price = np.array([p.unit_price for p in producers], dtype=np.int64)
    cost = _unit_costs(price, distance, transport_rate)
    return _Problem(
        producers, points, capacity, quantity, distance, cost, lot, price, transport_rate
    )


def _unit_costs(price, distance, transport_rate):
    return price[:, None] * SEN + np.rint(distance * (transport_rate * SEN)).astype(np.int64)


def _largest_allocation(capacity, demand, min_lot):
    """Every producer can serve every point, so the most that can be allocated is the
    demand or the capacity; with a lot, only demand // lot producers fit, the largest."""
    if min_lot:
        capacity = np.sort(capacity)[::-1][: demand // min_lot]
    return min(demand, int(capacity.sum()))


def _first_candidates(problem, target):
    """Each point's cheapest producers once every producer's price is corrected by its
    potential in a coarse problem, plus the arcs of one feasible flow so that the restricted
    problem always has a solution. Without the correction every point would pick the same
    few cheapest producers, which can serve only some of them."""
    cost, capacity = problem.cost, problem.capacity
    if cost.shape[0] <= CANDIDATES:
        return np.ones(cost.shape, dtype=bool)
    potential = _coarse_potentials(problem, target)
    candidates = np.zeros(cost.shape, dtype=bool)
    cheapest = np.argpartition(cost + potential[:, None], CANDIDATES - 1, axis=0)[:CANDIDATES]
    np.put_along_axis(candidates, cheapest, True, axis=0)
    sent = _feasible_split(capacity, np.zeros_like(capacity), target)
    return candidates | _north_west_arcs(sent, problem.quantity)


def _coarse_potentials(problem, target):
    """The producers' potentials in the problem with the points merged by map cell
    (`CELL_DEGREES`), solved on all its arcs: a few hundred cells instead of the points."""
    latitude = np.array([p.latitude for p in problem.points])
    longitude = np.array([p.longitude for p in problem.points])
    cells = np.floor(np.stack([latitude, longitude]) / CELL_DEGREES)
    cell = np.unique(cells, axis=1, return_inverse=True)[1].ravel()
    members = np.bincount(cell)
    distance = _haversine(
        np.array([p.latitude for p in problem.producers]),
        np.array([p.longitude for p in problem.producers]),
        np.bincount(cell, latitude) / members,
        np.bincount(cell, longitude) / members,
    )
    cost = _unit_costs(problem.price, distance, problem.transport_rate)
    quantity = np.bincount(cell, problem.quantity).astype(np.int64)
    everything = np.ones(cost.shape, dtype=bool)
    zero = np.zeros_like(problem.capacity)
    _, (potential, _) = _restricted_flow(cost, problem.capacity, zero, quantity, target, everything)
    return potential


def _north_west_arcs(sent, quantity):
    """The arcs of the north-west corner rule: producers in order send `sent` to the points
    in order, each point filled before the next."""
    sent_until, received_until = np.cumsum(sent), np.cumsum(quantity)
    total = int(sent_until[-1])
    starts = np.union1d(np.concatenate([[0], sent_until]), received_until)
    starts = starts[starts < total]
    arcs = np.zeros((len(sent), len(quantity)), dtype=bool)
    producer = np.searchsorted(sent_until, starts, side="right")
    arcs[producer, np.searchsorted(received_until, starts, side="right")] = True
    return arcs


def _greedy_flows(cost, capacity, quantity):
    """Largest points first, each from its cheapest producers with capacity left."""
    flows = np.zeros(cost.shape, dtype=np.int64)
    if not cost.size:
        return flows
    remaining = capacity.copy()
    order = np.argsort(cost, axis=0, kind="stable")
    for j in np.argsort(-quantity, kind="stable"):
        if quantity[j] == 0:
            break
        producers = order[:, j]
        left = remaining[producers]
        before = np.cumsum(left) - left
        take = np.clip(quantity[j] - before, 0, left)
        flows[producers, j] = take
        remaining[producers] -= take
        if not remaining.any():
            break
    return flows


def _transport(cost, capacity, lower, quantity, target, candidates):
    """The least-cost integral flow moving exactly `target` units, each producer between
    `lower` and `capacity`, priced against all arcs; `candidates` must hold a feasible
    flow. Returns the flows and the arcs priced in."""
    live = (capacity > 0)[:, None] & (quantity > 0)[None, :]
    while True:
        flows, potentials = _restricted_flow(cost, capacity, lower, quantity, target, candidates)
        producer_potential, point_potential = potentials
        reduced = cost + producer_potential[:, None] - point_potential[None, :]
        priced_out = (reduced < 0) & ~candidates & live
        if not priced_out.any():
            return flows, candidates
        candidates = candidates | priced_out


def _restricted_flow(cost, capacity, lower, quantity, target, candidates):
    producers, points = cost.shape
    rows, cols = np.nonzero(candidates)
    sink = producers + points + 1  # node 0 is the source
    producer_nodes = np.arange(1, producers + 1)
    point_nodes = np.arange(producers + 1, producers + points + 1)
    arc_capacity = np.minimum(capacity[rows], quantity[cols])
    network = min_cost_flow.SimpleMinCostFlow()
    network.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.zeros(producers, dtype=np.int64), rows + 1, point_nodes]),
        np.concatenate([producer_nodes, cols + producers + 1, np.full(points, sink)]),
        np.concatenate([capacity - lower, arc_capacity, quantity]),
        np.concatenate(
            [
                np.zeros(producers, dtype=np.int64),
                cost[rows, cols],
                np.zeros(points, dtype=np.int64),
            ]
        ),
    )
    network.set_nodes_supplies(
        np.arange(sink + 1),
        np.concatenate(
            [[target - int(lower.sum())], lower, np.zeros(points, dtype=np.int64), [-target]]
        ),
    )
    status = network.solve()
    if status != network.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    arc_flows = network.flows(np.arange(producers, producers + len(rows)))
    flows = np.zeros(cost.shape, dtype=np.int64)
    flows[rows, cols] = arc_flows
    potentials = _potentials(
        cost[rows, cols], rows, cols, arc_flows, arc_capacity, flows, capacity, lower, quantity
    )
    return flows, potentials


def _potentials(arc_cost, rows, cols, arc_flows, arc_capacity, flows, capacity, lower, quantity):
    """Node potentials of an optimal flow: shortest distances in its residual graph from a
    root joined to every node at no cost (Bellman-Ford, vectorised). Every residual arc then
    has a reduced cost cost + π(tail) − π(head) ≥ 0."""
    producers, points = flows.shape
    sent, received = flows.sum(axis=1), flows.sum(axis=0)
    source_out, source_in = sent < capacity, sent > lower
    sink_in, sink_out = received < quantity, received > 0
    forward, backward = arc_flows < arc_capacity, arc_flows > 0
    f_rows, f_cols, f_cost = rows[forward], cols[forward], arc_cost[forward]
    b_rows, b_cols, b_cost = rows[backward], cols[backward], arc_cost[backward]
    source = sink = 0
    at_producer = np.zeros(producers, dtype=np.int64)
    at_point = np.zeros(points, dtype=np.int64)
    while True:
        before_producer, before_point = at_producer.copy(), at_point.copy()
        before = (source, sink)
        np.minimum(at_producer, np.where(source_out, source, 0), out=at_producer)
        if source_in.any():
            source = min(source, int(at_producer[source_in].min()))
        np.minimum.at(at_point, f_cols, at_producer[f_rows] + f_cost)
        np.minimum.at(at_producer, b_rows, at_point[b_cols] - b_cost)
        if sink_in.any():
            sink = min(sink, int(at_point[sink_in].min()))
        np.minimum(at_point, np.where(sink_out, sink, 0), out=at_point)
        if (
            before == (source, sink)
            and np.array_equal(before_producer, at_producer)
            and np.array_equal(before_point, at_point)
        ):
            return at_producer, at_point


def _min_lot_search(problem, target, relaxed, arcs, seconds):
    """Exact split with a minimum lot: best-first branch and bound on the producers the
    relaxation leaves between nothing and the lot, each closed in one branch and given at
    least the lot in the other (see the module docstring); after `seconds`, the best
    split found."""
    deadline = time.perf_counter() + seconds
    closed = np.zeros(len(problem.capacity), dtype=bool)
    # Nodes keep their flows packed (the nonzero cells): a dense matrix is megabytes.
    nodes = [(_cost(problem, relaxed), 0, closed, closed, _pack(relaxed))]
    created = itertools.count(1)
    best = None  # (cost, flows) of the cheapest split seen that meets the lot
    while nodes:
        _, _, closed, opened, packed = heapq.heappop(nodes)
        flows = _unpack(packed, problem.cost.shape)
        broken = _broken(flows, problem.min_lot)
        if not broken.size:
            return flows, "branch and bound (min lot)"
        if time.perf_counter() > deadline:
            break
        producer = broken[np.argmax(flows[broken].sum(axis=1))]
        for child_closed, child_opened in (
            (_with(closed, producer), opened),
            (closed, _with(opened, producer)),
        ):
            child = _lot_node(problem, target, child_closed, child_opened, arcs)
            if child is None:
                continue
            child_flows, arcs = child
            cost = _cost(problem, child_flows)
            if best is not None and cost >= best[0]:
                continue
            if not _broken(child_flows, problem.min_lot).size:
                best = (cost, child_flows)
            node = (cost, next(created), child_closed, child_opened, _pack(child_flows))
            heapq.heappush(nodes, node)
    if best is None:
        opened = np.zeros(len(problem.capacity), dtype=bool)
        opened[_largest_fitting(problem)] = True
        best = (0, _lot_node(problem, target, ~opened, opened, arcs)[0])
    return best[1], LOT_SEARCH_STOPPED


def _lot_node(problem, target, closed, opened, arcs):
    """(flows, arcs) of the least-cost split with the `closed` producers given nothing and
    the `opened` ones at least the lot (the others anything up to their capacity); None
    when no such split moves `target`."""
    capacity = np.where(closed, 0, problem.capacity)
    lower = np.where(opened, problem.min_lot, 0)
    if lower.sum() > target or capacity.sum() < target:
        return None
    arcs = arcs | _north_west_arcs(_feasible_split(capacity, lower, target), problem.quantity)
    return _transport(problem.cost, capacity, lower, problem.quantity, target, arcs)


def _largest_fitting(problem):
    """The producers that can hold the most at one lot each within the demand."""
    fitting = np.argsort(-problem.capacity, kind="stable")
    fitting = fitting[: int(problem.quantity.sum()) // problem.min_lot]
    return fitting[problem.capacity[fitting] > 0]


def _feasible_split(capacity, lower, target):
    """Producers' totals moving `target`: each its lower bound, then in order up to capacity."""
    room = capacity - lower
    return lower + np.clip(target - int(lower.sum()) - (np.cumsum(room) - room), 0, room)


def _broken(flows, min_lot):
    totals = flows.sum(axis=1)
    return np.flatnonzero((totals > 0) & (totals < min_lot))


def _pack(flows):
    cells = np.flatnonzero(flows)
    return cells, flows.ravel()[cells]


def _unpack(packed, shape):
    flows = np.zeros(shape, dtype=np.int64)
    flows.ravel()[packed[0]] = packed[1]
    return flows


def _with(mask, index):
    mask = mask.copy()
    mask[index] = True
    return mask


def _cost(problem, flows):
    return int((flows * problem.cost).sum())


def _allocation(problem, flows, method, started):
    points, producers = problem.points, problem.producers
    received = flows.sum(axis=0) if flows.size else np.zeros(len(points), dtype=np.int64)
    rows, cols = np.nonzero(flows)
    quantities, costs = flows[rows, cols], problem.cost[rows, cols]
    distance = problem.distance[rows, cols]
    lines = [
        Line(
            producer=producers[i].key,
            point=points[j].key,
            quantity=int(q),
            distance_km=float(d),
            unit_cost=c / SEN,
        )
        for i, j, q, d, c in zip(
            rows.tolist(),
            cols.tolist(),
            quantities.tolist(),
            distance.tolist(),
            costs.tolist(),
            strict=True,
        )
    ]
    allocated = int(quantities.sum())
    demand = int(problem.quantity.sum())
    short = problem.quantity - received
    sen = int((quantities * costs).sum())
    return Allocation(
        lines=lines,
        status="optimal" if allocated == demand else "shortfall",
        allocated=allocated,
        shortfall=demand - allocated,
        shortfall_by_point={points[j].key: int(short[j]) for j in np.flatnonzero(short)},
        total_cost=(sen + SEN // 2) // SEN,
        capacity=int(problem.capacity.sum()),
        capacity_by_producer={
            p.key: int(c) for p, c in zip(producers, problem.capacity, strict=True)
        },
        solve_seconds=time.perf_counter() - started,
        method=method,
    )
