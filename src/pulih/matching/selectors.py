"""Reads of institutional demand, always scoped to the user: demands with their coverage
per delivery point, allocation runs and their lines, purchase orders with deliveries;
and the producers that can take part in a run, with what each can still make."""

from typing import NamedTuple

from django.db.models import F, Sum
from django.utils import timezone

from pulih.production.models import Declaration
from pulih.production.supply import allocatable_declarations, capacity_until
from pulih.wilayah import geo
from pulih.wilayah.models import Province

from .models import AllocationRun, Delivery, Demand, PurchaseOrder, PurchaseOrderLine

UNCONFIRMED = (AllocationRun.Status.OPTIMAL, AllocationRun.Status.SHORTFALL)


def demand_list(*, user, status=None):
    demands = Demand.objects.visible_to(user).select_related("buyer", "product_type")
    if status:
        demands = demands.filter(status=status)
    return demands


def demand_get(*, user, pk):
    return Demand.objects.select_related("buyer", "product_type").get_visible_or_404(user, pk=pk)


def point_coverage(demand):
    """Per delivery point of the demand: asked, ordered (on orders not cancelled),
    accepted and rejected at the quality check, expected (still owed by open orders) and
    missing — neither accepted nor expected, what a re-allocation would cover."""
    points = list(demand.points.all())
    done = {
        (row["order_id"], row["point_id"]): (row["a"], row["r"])
        for row in Delivery.objects.filter(order__demand=demand)
        .values("order_id", "point_id")
        .annotate(a=Sum("accepted"), r=Sum("rejected"))
    }
    zero = {"ordered": 0, "accepted": 0, "rejected": 0, "expected": 0}
    rows = {p.pk: {"point": p, "asked": p.quantity, **zero} for p in points}
    for (_order, point_id), (accepted, rejected) in done.items():
        rows[point_id]["accepted"] += accepted
        rows[point_id]["rejected"] += rejected
    lines = PurchaseOrderLine.objects.filter(order__demand=demand).exclude(
        order__status=PurchaseOrder.Status.CANCELLED
    )
    for order_id, point_id, quantity in lines.values_list("order_id", "point_id", "quantity"):
        accepted, rejected = done.get((order_id, point_id), (0, 0))
        rows[point_id]["ordered"] += quantity
        rows[point_id]["expected"] += max(quantity - accepted - rejected, 0)
    for row in rows.values():
        row["missing"] = max(row["asked"] - row["accepted"] - row["expected"], 0)
    return list(rows.values())


def coverage_total(rows):
    keys = ("asked", "ordered", "accepted", "rejected", "expected", "missing")
    return {key: sum(row[key] for row in rows) for key in keys}


def run_list(*, demand):
    return demand.runs.select_related("run_by", "confirmed_by")


def run_get(*, user, pk):
    return AllocationRun.objects.select_related(
        "demand__buyer", "demand__product_type", "run_by", "confirmed_by"
    ).get_visible_or_404(user, pk=pk)


def province_names(codes):
    return dict(Province.objects.filter(code__in=set(codes)).values_list("code", "name"))


def run_detail(run):
    """The run's lines grouped by producer (business, province, its total, its lines),
    and per point what the run has to cover, what it gives and what stays short."""
    lines = list(
        run.lines.select_related("declaration__business", "point").order_by(
            "declaration__business__name", "declaration_id", "point_id"
        )
    )
    provinces = province_names(line.declaration.province_code for line in lines)
    producers = {}
    for line in lines:
        declaration = line.declaration
        producer = producers.setdefault(
            declaration.pk,
            {
                "declaration": declaration,
                "business": declaration.business,
                "province": provinces.get(declaration.province_code, ""),
                "lines": [],
                "total": 0,
                "cost": 0,
            },
        )
        producer["lines"].append(line)
        producer["total"] += line.final_quantity
        producer["cost"] += line.final_quantity * float(line.unit_cost)
    given = {}
    for line in lines:
        given[line.point_id] = given.get(line.point_id, 0) + line.final_quantity
    # What a re-allocation had to cover is known only while it is open (what is missing
    # now); once confirmed or discarded its message keeps what stayed short.
    known = not run.reallocation or run.status in UNCONFIRMED
    needs = run_needs(run) if known else {p: None for p in run.demand.points.all()}
    points = [
        {
            "point": point,
            "need": need,
            "given": given.get(point.pk, 0),
            "short": max(need - given.get(point.pk, 0), 0) if known else 0,
        }
        for point, need in needs.items()
        if need or given.get(point.pk)
    ]
    return {
        "producers": list(producers.values()),
        "points": points,
        "lines": lines,
        "saving": run.greedy_cost - run.total_cost,
    }


def order_list(*, user, demand=None, status=None):
    orders = PurchaseOrder.objects.visible_to(user).select_related(
        "business", "demand", "declaration__product_type"
    )
    if demand is not None:
        orders = orders.filter(demand=demand)
    if status:
        orders = orders.filter(status=status)
    return orders


def order_get(*, user, pk):
    return PurchaseOrder.objects.select_related(
        "business", "demand__buyer", "demand__product_type", "declaration__product_type", "run"
    ).get_visible_or_404(user, pk=pk)


def order_lines(order):
    """Each point of the order: ordered, accepted, rejected, and still owed."""
    done = {
        row["point_id"]: (row["a"], row["r"])
        for row in order.deliveries.values("point_id").annotate(
            a=Sum("accepted"), r=Sum("rejected")
        )
    }
    rows = []
    for line in order.lines.select_related("point"):
        accepted, rejected = done.get(line.point_id, (0, 0))
        outstanding = line.quantity - accepted - rejected
        if order.status == PurchaseOrder.Status.CANCELLED:
            outstanding = 0
        rows.append(
            {
                "line": line,
                "point": line.point,
                "quantity": line.quantity,
                "accepted": accepted,
                "rejected": rejected,
                "outstanding": max(outstanding, 0),
            }
        )
    return rows


def payable(order):
    """What the order may be paid so far: the units accepted times its unit price."""
    return order.accepted * order.unit_price


# Producers that can take part in a run -------------------------------------------------


class Candidate(NamedTuple):
    """A producer that can take part in a run: its declaration, what it can make before
    the deadline, how much of that other orders hold, its location and its price."""

    declaration: Declaration
    capacity: int
    committed: int
    position: tuple
    price: int

    @property
    def free(self):
        return self.capacity - self.committed


def committed_by_declaration():
    """{declaration id: units still expected from it on orders that are not cancelled}."""
    live = PurchaseOrder.objects.exclude(status=PurchaseOrder.Status.CANCELLED)
    rows = live.values("declaration_id").annotate(
        units=Sum(F("quantity") - F("accepted") - F("rejected"))
    )
    return {row["declaration_id"]: max(row["units"] or 0, 0) for row in rows}


def candidates(*, demand, today):
    """The producers that can deliver to `demand`, and the others counted by why not:
    curated (and licensed when the demand requires it), priced at most the buyer's offer,
    with capacity left before the deadline once their other orders are counted."""
    eligible = allocatable_declarations(
        product_type=demand.product_type,
        requires_licence=demand.requires_licence,
        deadline=demand.deadline,
    ).select_related("business")
    excluded = {}
    curated = Declaration.objects.filter(
        product_type=demand.product_type, status=Declaration.Status.CURATED
    )
    unlicensed = curated.count() - eligible.count()
    if unlicensed:
        excluded["no_granted_licence"] = unlicensed
    committed = committed_by_declaration()
    found = []
    for declaration in eligible.order_by("pk"):
        candidate, reason = _candidate(declaration, demand, today, committed)
        if candidate is not None:
            found.append(candidate)
        else:
            excluded[reason] = excluded.get(reason, 0) + 1
    return found, excluded


def _candidate(declaration, demand, today, committed):
    """(the Candidate, None) when an allocatable declaration can take part in a run of
    `demand`, else (None, the code of why not)."""
    if declaration.unit_price and declaration.unit_price > demand.unit_price:
        return None, "price_above_offer"
    capacity = capacity_until(declaration, today=today, deadline=demand.deadline)
    held = committed.get(declaration.pk, 0)
    business = declaration.business
    position = geo.position(
        latitude=business.latitude,
        longitude=business.longitude,
        region_code=business.province_code or declaration.province_code,
    )
    if capacity <= 0:
        return None, "no_capacity_before_deadline"
    if capacity <= held:
        return None, "committed_elsewhere"
    if position is None:
        return None, "no_position"
    price = declaration.unit_price or demand.unit_price
    return Candidate(declaration, capacity, held, position, price), None


def left_out_reason(*, declaration, demand, today):
    """Why `declaration` cannot take part in a run of `demand` now: "not_curated" (it was
    withdrawn or its curation changed) or one of the codes `candidates` counts; None when
    it can."""
    if declaration.status != Declaration.Status.CURATED:
        return "not_curated"
    eligible = allocatable_declarations(
        product_type=demand.product_type,
        requires_licence=demand.requires_licence,
        deadline=demand.deadline,
    )
    if not eligible.filter(pk=declaration.pk).exists():
        return "no_granted_licence"
    return _candidate(declaration, demand, today, committed_by_declaration())[1]


def held_for_demand(demand):
    """{declaration id: units} each producer has supplied to `demand` or still owes it:
    what was accepted from its orders, plus what its orders not cancelled still expect."""
    held = {}
    orders = PurchaseOrder.objects.filter(demand=demand).values_list(
        "declaration_id", "status", "quantity", "accepted", "rejected"
    )
    for pk, status, quantity, accepted, rejected in orders:
        units = accepted if status == PurchaseOrder.Status.CANCELLED else quantity - rejected
        held[pk] = held.get(pk, 0) + units
    return held


def usable_by_candidate(*, demand, found, share):
    """{declaration id: units} each candidate may take in a run of `demand`: what it can
    still make before the deadline and, under a share cap, no more than that share of the
    whole demand less what it already supplied or owes to it. The cap is a share of the
    demand, not of the run: a re-allocation of a few missing units would otherwise cap
    every producer at a share of those few."""
    if not share:
        return {c.declaration.pk: c.free for c in found}
    cap = demand.quantity * share // 100
    held = held_for_demand(demand)
    return {
        c.declaration.pk: max(min(c.free, cap - held.get(c.declaration.pk, 0)), 0) for c in found
    }


def point_position(point):
    return geo.position(
        latitude=point.latitude, longitude=point.longitude, region_code=point.region_code
    )


def run_needs(run):
    """{point: units} a run has to cover: the points' quantities, or for a re-allocation
    of a run not yet confirmed what is missing now."""
    points = list(run.demand.points.all())
    if not run.reallocation:
        return {point: point.quantity for point in points}
    missing = {row["point"].pk: row["missing"] for row in point_coverage(run.demand)}
    return {point: missing.get(point.pk, 0) for point in points}


def usable_capacity(*, run, today=None):
    """{declaration id: units} each producer could take in this run now: its capacity
    before the deadline less its other orders, within the run's share cap."""
    found, _excluded = candidates(demand=run.demand, today=today or timezone.localdate())
    return usable_by_candidate(demand=run.demand, found=found, share=run.max_share_percent)
