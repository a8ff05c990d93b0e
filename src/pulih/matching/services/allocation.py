"""Allocation runs: a demand (or what is still missing of it) split across curated
producers at least cost, and the officer's adjustments of a run not yet confirmed.

The solver runs outside any transaction: the candidates are read, the split solved, and
only then, in a short transaction, the demand is locked, checked again and the run
stored. A long solve therefore holds no write lock that other officers would wait on.
"""

import time
from decimal import Decimal

import numpy
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pulih.core import formats

from .. import solver
from ..models import AllocationLine, AllocationRun, Demand
from ..selectors import (
    UNCONFIRMED,
    candidates,
    point_coverage,
    point_position,
    run_needs,
    usable_by_candidate,
    usable_capacity,
)
from .common import (
    ABOVE_NEED,
    ALREADY_ORDERED,
    DEADLINE_PASSED,
    DEMAND_CLOSED,
    MIN_LOT_OUT_OF_RANGE,
    QUANTITY_NEGATIVE,
    RUN_NOT_OPEN,
    SHARE_OUT_OF_RANGE,
    _central_only,
    _lot_valid,
    _share_below_lot,
    _share_valid,
    _today,
    _whole,
)
from .reasons import _no_producer_message, line_reason, run_message

# How long a request waits for the smallest-order search before taking the best split
# found (the solver alone allows `solver.LOT_SEARCH_SECONDS`).
SOLVE_SECONDS = 5

NOT_ORDERED_YET = gettext_lazy("Nothing is ordered for this demand yet: run the allocation.")
NOTHING_MISSING = gettext_lazy(
    "Nothing is missing: every point's quantity is accepted or still expected from an order."
)
LINE_UNKNOWN = gettext_lazy("Line %(line)s is not part of this run.")
ABOVE_CAPACITY = gettext_lazy(
    "%(producer)s can make at most %(capacity)s before the deadline; its lines ask %(total)s."
)
BELOW_MIN_LOT = gettext_lazy(
    "%(producer)s would get %(total)s, less than the smallest order of %(lot)s: give it "
    "at least that or nothing."
)


def _options(demand, quantity, reallocation, max_share_percent, min_lot):
    """The fairness options of a run: those given (checked), else the demand's own. A
    re-allocation has no smallest order unless the officer gives one: the demand's would
    usually be more than the few units missing."""
    errors = {}
    if max_share_percent is not None and not _share_valid(max_share_percent):
        errors["max_share_percent"] = SHARE_OUT_OF_RANGE
    if min_lot is not None and not _lot_valid(min_lot, quantity):
        errors["min_lot"] = MIN_LOT_OUT_OF_RANGE % {"quantity": formats.number(quantity)}
    if errors:
        raise ValidationError(errors)
    share = max_share_percent if max_share_percent is not None else demand.max_share_percent
    lot = min_lot if min_lot is not None else (None if reallocation else demand.min_lot)
    unworkable = _share_below_lot(demand.quantity, share, lot)
    if unworkable:
        raise ValidationError({"min_lot": unworkable})
    return share, lot


def allocation_run(*, user, demand, today=None, max_share_percent=None, min_lot=None):
    """Split the demand across the producers that can deliver it, at least cost (price
    plus distance × transport rate), and store the run with a reason for each line.
    Demand above all capacity is not an error: the run is SHORTFALL and says what is
    short, per point."""
    _central_only(user)
    today = _today(today)
    demand = _demand_allocatable(demand, today, reallocation=False)
    needs = {point: point.quantity for point in demand.points.all()}
    run, lines = _solve(user, demand, needs, False, today, max_share_percent, min_lot)
    return _stored(run, lines, today)


def shortfall_reallocate(*, user, demand, today=None, max_share_percent=None, min_lot=None):
    """A run for what is still missing at each point: its quantity less what was accepted
    and what open orders still owe. Units rejected at the quality check and those of
    cancelled orders are missing again. The share cap stays a share of the whole demand,
    less what each producer already supplied or owes to it."""
    _central_only(user)
    today = _today(today)
    demand = _demand_allocatable(demand, today, reallocation=True)
    missing = {row["point"].pk: row["missing"] for row in point_coverage(demand)}
    needs = {p: missing[p.pk] for p in demand.points.all() if missing.get(p.pk)}
    if not needs:
        raise ValidationError(NOTHING_MISSING)
    run, lines = _solve(user, demand, needs, True, today, max_share_percent, min_lot)
    return _stored(run, lines, today)


def _demand_allocatable(demand, today, *, reallocation, lock=False):
    """The demand read again (locked for the rest of the transaction when `lock`), if a
    run of this kind may be made for it."""
    demands = Demand.objects.select_related("product_type")
    if lock:
        demands = demands.select_for_update()
    demand = demands.get(pk=demand.pk)
    if demand.status in (Demand.Status.FULFILLED, Demand.Status.CANCELLED):
        raise ValidationError(DEMAND_CLOSED % {"status": demand.get_status_display().lower()})
    if demand.deadline <= today:
        raise ValidationError(DEADLINE_PASSED % {"deadline": formats.date(demand.deadline)})
    if reallocation and demand.status != Demand.Status.ORDERED:
        raise ValidationError(NOT_ORDERED_YET)
    if not reallocation and demand.status == Demand.Status.ORDERED:
        raise ValidationError(ALREADY_ORDERED)
    return demand


def _stored(run, lines, today):
    """Store a solved run and its lines once the demand, locked, may still be allocated:
    it may have been ordered, cancelled or fulfilled while the solver ran."""
    with transaction.atomic():
        _demand_allocatable(run.demand, today, reallocation=run.reallocation, lock=True)
        run.save()
        AllocationLine.objects.bulk_create(lines)
    return run


def _within_options(found, excluded, usable, share, lot):
    """The candidates that can still take something under the share cap and at least
    one smallest order; the others are added to `excluded` by why not."""
    kept, excluded = [], dict(excluded)
    for candidate in found:
        units = usable[candidate.declaration.pk]
        if share and units <= 0:
            reason = "share_reached"
        elif lot and units < lot:
            reason = "below_min_lot"
        else:
            kept.append(candidate)
            continue
        excluded[reason] = excluded.get(reason, 0) + 1
    return kept, excluded


def _solve(user, demand, needs, reallocation, today, max_share_percent, min_lot):
    """The run (not yet stored) and its lines: the solver's split of `needs`."""
    quantity = sum(needs.values())
    share, lot = _options(demand, quantity, reallocation, max_share_percent, min_lot)
    found, excluded = candidates(demand=demand, today=today)
    usable = usable_by_candidate(demand=demand, found=found, share=share)
    found, excluded = _within_options(found, excluded, usable, share, lot)
    run = AllocationRun(
        demand=demand,
        reallocation=reallocation,
        quantity=quantity,
        max_share_percent=share,
        min_lot=lot,
        producers=len(found),
        excluded=excluded,
        run_by=user,
        counted_on=today,
    )
    if not found:
        run.status = AllocationRun.Status.SHORTFALL
        run.shortfall = quantity
        run.message = _no_producer_message(excluded)
        return run, []
    points = [p for p in needs if needs[p] > 0]
    # The share cap is already in each producer's usable capacity.
    producers = [
        solver.Producer(
            key=c.declaration.pk,
            capacity=usable[c.declaration.pk],
            unit_price=c.price,
            latitude=c.position[0],
            longitude=c.position[1],
        )
        for c in found
    ]
    positions = {p.pk: point_position(p) for p in points}
    solver_points = [
        solver.Point(
            key=p.pk,
            quantity=needs[p],
            latitude=positions[p.pk][0],
            longitude=positions[p.pk][1],
        )
        for p in points
    ]
    rate = float(demand.transport_rate)
    options = {"transport_rate": rate, "min_lot": lot}
    started = time.perf_counter()
    allocation = solver.allocate(producers, solver_points, **options, time_limit=SOLVE_SECONDS)
    run.solve_ms = round((time.perf_counter() - started) * 1000)
    run.greedy_cost = solver.greedy(producers, solver_points, **options).total_cost
    run.status = (
        AllocationRun.Status.SHORTFALL if allocation.shortfall else AllocationRun.Status.OPTIMAL
    )
    run.allocated, run.shortfall = allocation.allocated, allocation.shortfall
    run.capacity, run.total_cost = allocation.capacity, allocation.total_cost
    lines = _lines(run, found, points, positions, producers, solver_points, allocation)
    run.message = run_message(run=run, needs=needs, lines=lines)
    if allocation.method == solver.LOT_SEARCH_STOPPED:
        run.message += " " + _(
            "The smallest order made the search stop after %(seconds)s seconds: this is the "
            "cheapest split found in that time, not proven the least cost."
        ) % {"seconds": formats.number(SOLVE_SECONDS)}
    return run, lines


def _lines(run, found, points, positions, producers, solver_points, allocation):
    """The run's lines, each with the reason for its quantity."""
    by_key = {c.declaration.pk: c for c in found}
    point_by_key = {p.pk: p for p in points}
    index = {c.declaration.pk: i for i, c in enumerate(found)}
    column = {p.pk: j for j, p in enumerate(points)}
    rate = float(run.demand.transport_rate)
    share = run.max_share_percent
    cap = run.demand.quantity * share // 100 if share else None
    costs = (
        numpy.array([c.price for c in found], dtype=float)[:, None]
        + numpy.asarray(solver.distances_km(producers, solver_points), dtype=float) * rate
    )
    used = {}
    for line in allocation.lines:
        used[line.producer] = used.get(line.producer, 0) + line.quantity
    lines = []
    for line in allocation.lines:
        if line.quantity <= 0:
            continue
        candidate, point = by_key[line.producer], point_by_key[line.point]
        j = column[line.point]
        rank = 1 + int((costs[:, j] < costs[index[line.producer], j] - 1e-9).sum())
        estimated = candidate.position[2] or positions[point.pk][2]
        reason = line_reason(
            candidate=candidate,
            line=line,
            rate=rate,
            estimated=estimated,
            rank=rank,
            count=len(found),
            used=used[line.producer],
            usable=allocation.capacity_by_producer.get(line.producer, candidate.free),
            share=run.max_share_percent,
            cap=cap,
        )
        lines.append(
            AllocationLine(
                run=run,
                declaration=candidate.declaration,
                point=point,
                quantity=line.quantity,
                unit_price=candidate.price,
                distance_km=Decimal(str(round(line.distance_km, 1))),
                distance_estimated=estimated,
                unit_cost=Decimal(str(round(line.unit_cost, 2))),
                reason=reason,
            )
        )
    return lines


def allocation_adjust(*, user, run, quantities, today=None):
    """Change the quantities of some lines of a run not yet confirmed ({line id: units};
    0 drops a line). No producer may get more than it can make before the deadline (its
    share cap included) nor less than the smallest order unless nothing, and no point
    more than it needs. The run's totals and message follow."""
    _central_only(user)
    with transaction.atomic():
        Demand.objects.select_for_update().filter(pk=run.demand_id).first()
        run = AllocationRun.objects.select_related("demand").get(pk=run.pk)
        if run.status not in UNCONFIRMED:
            raise ValidationError(RUN_NOT_OPEN % {"status": run.get_status_display().lower()})
        lines = {
            line.pk: line for line in run.lines.select_related("declaration__business", "point")
        }
        errors = []
        for key, value in quantities.items():
            pk = _line_pk(key)
            if pk not in lines:
                errors.append(LINE_UNKNOWN % {"line": key})
            elif not _whole(value) or value < 0:
                errors.append(QUANTITY_NEGATIVE)
            else:
                lines[pk].adjusted_quantity = value
        if errors:
            raise ValidationError({"quantities": errors})
        changed = [lines[_line_pk(key)] for key in quantities]
        errors = _adjust_errors(run, lines.values(), changed, today)
        if errors:
            raise ValidationError({"quantities": errors})
        AllocationLine.objects.bulk_update(changed, ["adjusted_quantity"])
        _totals(run, list(lines.values()))
        run.message += " " + _("Quantities adjusted by %(user)s.") % {"user": user}
        run.save()
    return run


def _line_pk(key):
    """A line id given as a number or as its digits, else None."""
    if _whole(key):
        return key
    text = str(key)
    try:
        return int(text) if text.isdecimal() else None
    except ValueError:  # more digits than Python converts
        return None


def _adjust_errors(run, lines, changed, today):
    """What the adjusted quantities break, for the producers and points they touch."""
    producers = {line.declaration_id for line in changed}
    points = {line.point_id for line in changed}
    per_producer, per_point = {}, {}
    for line in lines:
        per_producer[line.declaration_id] = per_producer.get(line.declaration_id, 0) + (
            line.final_quantity
        )
        per_point[line.point_id] = per_point.get(line.point_id, 0) + line.final_quantity
    usable = usable_capacity(run=run, today=today)
    names = {line.declaration_id: line.declaration.business.name for line in lines}
    errors = []
    for pk in sorted(producers):
        total = per_producer[pk]
        if total > usable.get(pk, 0):
            errors.append(
                ABOVE_CAPACITY
                % {
                    "producer": names[pk],
                    "capacity": formats.number(usable.get(pk, 0)),
                    "total": formats.number(total),
                }
            )
        elif run.min_lot and 0 < total < run.min_lot:
            errors.append(
                BELOW_MIN_LOT
                % {
                    "producer": names[pk],
                    "total": formats.number(total),
                    "lot": formats.number(run.min_lot),
                }
            )
    for point, need in run_needs(run).items():
        if point.pk in points and per_point.get(point.pk, 0) > need:
            errors.append(
                ABOVE_NEED
                % {
                    "point": point.name,
                    "need": formats.number(need),
                    "total": formats.number(per_point[point.pk]),
                }
            )
    return errors


def _totals(run, lines):
    """The run's allocated, shortfall, cost, status and message from its lines."""
    run.allocated = sum(line.final_quantity for line in lines)
    run.shortfall = max(run.quantity - run.allocated, 0)
    run.total_cost = round(sum(line.final_quantity * float(line.unit_cost) for line in lines))
    run.status = AllocationRun.Status.SHORTFALL if run.shortfall else AllocationRun.Status.OPTIMAL
    run.message = run_message(run=run, needs=run_needs(run), lines=lines)
