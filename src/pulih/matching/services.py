"""Every write of institutional demand: a buyer's demand, the allocation runs that split it
across curated producers and the officer's adjustments, the purchase orders a confirmed
run issues, deliveries with their quality check (QC), the re-allocation of what is
missing, cancellation and payment.

Producers are paid their own declared price per unit: it is the price the allocation
minimised the cost with, so the order pays what the choice of producer assumed. A producer
that declared no price is offered the buyer's price, in the allocation and in its order.
The buyer's unit price is what the buyer offered for the demand as a whole.

Run messages and line reasons are sentences written in the language of the officer who
ran the allocation, from the figures of that moment, so they stay true to it later.
"""

import time
from decimal import Decimal, InvalidOperation

import numpy
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pulih.accounts.models import Role
from pulih.core import formats
from pulih.production.models import Declaration
from pulih.wilayah.selectors import LEVEL_MODELS

from . import solver
from .models import (
    AllocationLine,
    AllocationRun,
    Delivery,
    DeliveryPoint,
    Demand,
    PurchaseOrder,
    PurchaseOrderLine,
)
from .selectors import (
    UNCONFIRMED,
    candidates,
    point_coverage,
    point_position,
    run_needs,
    usable_capacity,
)

MAX_QUANTITY = 100_000_000
MAX_UNIT_PRICE = 1_000_000_000
MAX_TRANSPORT_RATE = Decimal("999999.9999")
# A run's message names the points most short, up to this many.
SHORT_POINTS_NAMED = 10

QUANTITY_NOT_POSITIVE = gettext_lazy("The quantity must be at least 1.")
QUANTITY_TOO_LARGE = gettext_lazy("The quantity is too large: at most 100,000,000.")
PRICE_NEGATIVE = gettext_lazy("The price cannot be negative.")
PRICE_TOO_LARGE = gettext_lazy("The price is too large.")
RATE_INVALID = gettext_lazy("The transport cost must be a number, zero or more.")
TITLE_REQUIRED = gettext_lazy("Give the demand a title.")
DEADLINE_NOT_AFTER_TODAY = gettext_lazy("The deadline must be after today (%(today)s).")
BUYER_NOT_YOURS = gettext_lazy("You can only post demands for your own organisation.")
PRODUCT_INACTIVE = gettext_lazy("This product is no longer in the catalogue.")
NO_POINTS = gettext_lazy("Give at least one delivery point.")
POINTS_NOT_SUMMING = gettext_lazy(
    "The delivery points add up to %(total)s, not the %(quantity)s asked."
)
POINT_NAME_MISSING = gettext_lazy("Delivery point %(n)s needs a name.")
POINT_QUANTITY = gettext_lazy("Delivery point %(n)s needs a quantity of at least 1.")
POINT_REGION_UNKNOWN = gettext_lazy(
    "Delivery point %(n)s: %(code)s is not a known region code (e.g. 31.71 or 19.01.01)."
)
POINT_COORDINATES_PAIR = gettext_lazy(
    "Delivery point %(n)s: give both latitude and longitude, or neither."
)
POINT_COORDINATES_RANGE = gettext_lazy(
    "Delivery point %(n)s: latitude must lie between -90 and 90 and longitude between -180 and 180."
)
SHARE_OUT_OF_RANGE = gettext_lazy("The largest share of one producer must be from 1 to 100 %.")
MIN_LOT_OUT_OF_RANGE = gettext_lazy(
    "The smallest order per producer must be at least 1 and at most the %(quantity)s to allocate."
)
DEADLINE_PASSED = gettext_lazy(
    "The deadline of this demand (%(deadline)s) is not after today: no producer can deliver "
    "in time."
)
DEMAND_CLOSED = gettext_lazy("This demand is %(status)s: nothing more is allocated to it.")
ALREADY_ORDERED = gettext_lazy(
    "This demand already has purchase orders: re-allocate what is missing instead."
)
NOT_ORDERED_YET = gettext_lazy("Nothing is ordered for this demand yet: run the allocation.")
NOTHING_MISSING = gettext_lazy(
    "Nothing is missing: every point's quantity is accepted or still expected from an order."
)
RUN_NOT_OPEN = gettext_lazy("This run is %(status)s: it can no longer be changed or confirmed.")
LINE_UNKNOWN = gettext_lazy("Line %(line)s is not part of this run.")
QUANTITY_NEGATIVE = gettext_lazy("Quantities must be whole numbers, zero or more.")
ABOVE_CAPACITY = gettext_lazy(
    "%(producer)s can make at most %(capacity)s before the deadline; its lines ask %(total)s."
)
BELOW_MIN_LOT = gettext_lazy(
    "%(producer)s would get %(total)s, less than the smallest order of %(lot)s: give it "
    "at least that or nothing."
)
ABOVE_NEED = gettext_lazy("%(point)s needs %(need)s; its lines give %(total)s.")
SHORTFALL_NOT_ACCEPTED = gettext_lazy(
    "This run leaves %(short)s short. Tick “accept the shortfall” to order what exists, or "
    "run the allocation again with other options."
)
NOTHING_TO_ORDER = gettext_lazy("Nothing to order: no producer has a quantity in this run.")
CAPACITY_CHANGED = gettext_lazy(
    "%(producer)s can now make only %(capacity)s before the deadline (other orders took "
    "its capacity): adjust the run or run the allocation again."
)
NUMBER_TAKEN = gettext_lazy("Another order was issued at the same moment: confirm again.")
ORDER_CANCELLED = gettext_lazy("This order is cancelled.")
POINT_NOT_ON_ORDER = gettext_lazy("This order delivers nothing to that point.")
DELIVERY_EMPTY = gettext_lazy("Record at least one unit, accepted or rejected.")
DELIVERY_TOO_MANY = gettext_lazy(
    "Only %(outstanding)s are still expected at this point on this order."
)
DELIVERY_IN_FUTURE = gettext_lazy("The delivery date cannot be after today.")
QC_NOTE_REQUIRED = gettext_lazy("Say why units were rejected at the quality check.")
REASON_REQUIRED = gettext_lazy("Give the reason for cancelling.")
ORDER_DELIVERED = gettext_lazy("A fully delivered order cannot be cancelled.")
PAYMENT_STEP = gettext_lazy(
    "The payment goes unpaid → invoiced → paid; it cannot go from %(current)s to %(new)s."
)
NOTHING_ACCEPTED = gettext_lazy("Nothing of this order has passed the quality check yet.")
PAID_TOO_MUCH = gettext_lazy(
    "At most %(payable)s can be paid: the units accepted times the unit price."
)
PAID_NOT_POSITIVE = gettext_lazy("The amount paid must be more than zero.")
PAID_IN_FUTURE = gettext_lazy("The payment date cannot be after today.")

# Why producers were left out of a run, in the words of the run's message.
EXCLUDED = {
    "no_granted_licence": gettext_lazy("curated but without a granted licence"),
    "no_capacity_before_deadline": gettext_lazy("cannot make anything before the deadline"),
    "committed_elsewhere": gettext_lazy("capacity already taken by other orders"),
    "no_position": gettext_lazy("no known location"),
}


def _is_central(user):
    return user.is_superuser or user.role == Role.PUSAT


def _central_only(user):
    if not _is_central(user):
        raise PermissionDenied


def _today(today):
    return today or timezone.localdate()


def _whole(value):
    """Whether `value` is a whole number (not a bool, a float or a text)."""
    return isinstance(value, int) and not isinstance(value, bool)


# Demands -------------------------------------------------------------------------------


def demand_create(
    *,
    user,
    buyer,
    product_type,
    title,
    quantity,
    unit_price,
    deadline,
    points,
    specification="",
    transport_rate=0,
    requires_licence=None,
    max_share_percent=None,
    min_lot=None,
    today=None,
):
    """A buyer's demand and its delivery points. A buyer posts for its own organisation,
    a central officer for any. `points` are dicts {name, region_code, quantity, address,
    latitude, longitude}; without coordinates a point's distance is counted from its
    province's capital. Without `requires_licence`, a demand requires a granted licence
    when its product has a licence kind."""
    if not _is_central(user):
        if user.role != Role.PEMBELI or not user.organisation_id:
            raise PermissionDenied
        if buyer.pk != user.organisation_id:
            raise ValidationError({"buyer": BUYER_NOT_YOURS})
    today = _today(today)
    errors = {}
    if not (title or "").strip():
        errors["title"] = TITLE_REQUIRED
    if not product_type.active:
        errors["product_type"] = PRODUCT_INACTIVE
    quantity_error = _quantity_error(quantity)
    if quantity_error:
        errors["quantity"] = quantity_error
    if not _whole(unit_price) or unit_price < 0:
        errors["unit_price"] = PRICE_NEGATIVE
    elif unit_price > MAX_UNIT_PRICE:
        errors["unit_price"] = PRICE_TOO_LARGE
    rate = _rate(transport_rate)
    if rate is None:
        errors["transport_rate"] = RATE_INVALID
    if deadline <= today:
        errors["deadline"] = DEADLINE_NOT_AFTER_TODAY % {"today": formats.date(today)}
    if max_share_percent is not None and not _share_valid(max_share_percent):
        errors["max_share_percent"] = SHARE_OUT_OF_RANGE
    if min_lot is not None and not quantity_error and not _lot_valid(min_lot, quantity):
        errors["min_lot"] = MIN_LOT_OUT_OF_RANGE % {"quantity": formats.number(quantity)}
    rows, point_errors = _points_checked(points)
    if point_errors:
        errors["points"] = point_errors
    elif not quantity_error and sum(row["quantity"] for row in rows) != quantity:
        errors["points"] = POINTS_NOT_SUMMING % {
            "total": formats.number(sum(row["quantity"] for row in rows)),
            "quantity": formats.number(quantity),
        }
    if errors:
        raise ValidationError(errors)
    if requires_licence is None:
        requires_licence = bool(product_type.licence_kind)
    with transaction.atomic():
        demand = Demand.objects.create(
            buyer=buyer,
            product_type=product_type,
            title=title.strip(),
            specification=specification or "",
            quantity=quantity,
            unit_price=unit_price,
            deadline=deadline,
            transport_rate=rate,
            requires_licence=requires_licence,
            max_share_percent=max_share_percent,
            min_lot=min_lot,
            created_by=user,
        )
        DeliveryPoint.objects.bulk_create([DeliveryPoint(demand=demand, **row) for row in rows])
    return demand


def _quantity_error(quantity):
    if not _whole(quantity) or quantity < 1:
        return QUANTITY_NOT_POSITIVE
    if quantity > MAX_QUANTITY:
        return QUANTITY_TOO_LARGE
    return None


def _rate(value):
    try:
        rate = Decimal(str(value if value is not None else 0))
    except InvalidOperation:
        return None
    if not rate.is_finite() or rate < 0 or rate > MAX_TRANSPORT_RATE:
        return None
    return rate.quantize(Decimal("0.0001"))


def _share_valid(share):
    return _whole(share) and 1 <= share <= 100


def _lot_valid(lot, quantity):
    return _whole(lot) and 1 <= lot <= quantity


def _region_exists(code):
    depth = code.count(".")
    return depth < len(LEVEL_MODELS) and LEVEL_MODELS[depth].objects.filter(code=code).exists()


def _points_checked(points):
    """The points as DeliveryPoint fields, and every problem found in them."""
    if not points:
        return [], [NO_POINTS]
    rows, errors = [], []
    for n, point in enumerate(points, start=1):
        name = (point.get("name") or "").strip()
        code = (point.get("region_code") or "").strip()
        quantity = point.get("quantity")
        latitude, longitude = point.get("latitude"), point.get("longitude")
        if not name:
            errors.append(POINT_NAME_MISSING % {"n": n})
        if not _whole(quantity) or quantity < 1 or quantity > MAX_QUANTITY:
            errors.append(POINT_QUANTITY % {"n": n})
        if not code or not _region_exists(code):
            errors.append(POINT_REGION_UNKNOWN % {"n": n, "code": code or "—"})
        if (latitude is None) != (longitude is None):
            errors.append(POINT_COORDINATES_PAIR % {"n": n})
        elif latitude is not None and not _coordinates_valid(latitude, longitude):
            errors.append(POINT_COORDINATES_RANGE % {"n": n})
        rows.append(
            {
                "name": name,
                "region_code": code,
                "province_code": code[:2],
                "address": (point.get("address") or "").strip(),
                "latitude": _coordinate(latitude),
                "longitude": _coordinate(longitude),
                "quantity": quantity,
            }
        )
    return rows, errors


def _coordinates_valid(latitude, longitude):
    try:
        return -90 <= float(latitude) <= 90 and -180 <= float(longitude) <= 180
    except (TypeError, ValueError):
        return False


def _coordinate(value):
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.000001"))


# Allocation ----------------------------------------------------------------------------


def _options(demand, quantity, max_share_percent, min_lot):
    """The fairness options of a run: those given (checked), else the demand's own."""
    errors = {}
    if max_share_percent is not None and not _share_valid(max_share_percent):
        errors["max_share_percent"] = SHARE_OUT_OF_RANGE
    if min_lot is not None and not _lot_valid(min_lot, quantity):
        errors["min_lot"] = MIN_LOT_OUT_OF_RANGE % {"quantity": formats.number(quantity)}
    if errors:
        raise ValidationError(errors)
    share = max_share_percent if max_share_percent is not None else demand.max_share_percent
    lot = min_lot if min_lot is not None else demand.min_lot
    return share, min(lot, quantity) if lot else None


def allocation_run(*, user, demand, today=None, max_share_percent=None, min_lot=None):
    """Split the demand across the producers that can deliver it, at least cost (price
    plus distance × transport rate), and store the run with a reason for each line.
    Demand above all capacity is not an error: the run is SHORTFALL and says what is
    short, per point."""
    _central_only(user)
    with transaction.atomic():
        demand = _demand_locked(demand, today)
        if demand.status == Demand.Status.ORDERED:
            raise ValidationError(ALREADY_ORDERED)
        needs = {point: point.quantity for point in demand.points.all()}
        return _run(user, demand, needs, False, _today(today), max_share_percent, min_lot)


def shortfall_reallocate(*, user, demand, today=None, max_share_percent=None, min_lot=None):
    """A run for what is still missing at each point: its quantity less what was accepted
    and what open orders still owe. Units rejected at the quality check and those of
    cancelled orders are missing again."""
    _central_only(user)
    with transaction.atomic():
        demand = _demand_locked(demand, today)
        if demand.status != Demand.Status.ORDERED:
            raise ValidationError(NOT_ORDERED_YET)
        missing = {row["point"].pk: row["missing"] for row in point_coverage(demand)}
        needs = {p: missing[p.pk] for p in demand.points.all() if missing.get(p.pk)}
        if not needs:
            raise ValidationError(NOTHING_MISSING)
        return _run(user, demand, needs, True, _today(today), max_share_percent, min_lot)


def _demand_locked(demand, today):
    """The demand, locked for the rest of the transaction, if it may be allocated."""
    demand = Demand.objects.select_for_update().select_related("product_type").get(pk=demand.pk)
    if demand.status in (Demand.Status.FULFILLED, Demand.Status.CANCELLED):
        raise ValidationError(DEMAND_CLOSED % {"status": demand.get_status_display().lower()})
    if demand.deadline <= _today(today):
        raise ValidationError(DEADLINE_PASSED % {"deadline": formats.date(demand.deadline)})
    return demand


def _run(user, demand, needs, reallocation, today, max_share_percent, min_lot):
    quantity = sum(needs.values())
    share, lot = _options(demand, quantity, max_share_percent, min_lot)
    found, excluded = candidates(demand=demand, today=today)
    run = AllocationRun(
        demand=demand,
        reallocation=reallocation,
        quantity=quantity,
        max_share_percent=share,
        min_lot=lot,
        producers=len(found),
        excluded=excluded,
        run_by=user,
        counted_on=_today(today),
    )
    if not found:
        run.status = AllocationRun.Status.SHORTFALL
        run.shortfall = quantity
        run.message = _no_producer_message(excluded)
        run.save()
        return run
    points = [p for p in needs if needs[p] > 0]
    producers = [
        solver.Producer(
            key=c.declaration.pk,
            capacity=c.free,
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
    options = {"transport_rate": rate, "max_share_percent": share, "min_lot": lot}
    started = time.perf_counter()
    allocation = solver.allocate(producers, solver_points, **options)
    run.solve_ms = round((time.perf_counter() - started) * 1000)
    run.greedy_cost = solver.greedy(producers, solver_points, **options).total_cost
    run.status = (
        AllocationRun.Status.SHORTFALL if allocation.shortfall else AllocationRun.Status.OPTIMAL
    )
    run.allocated, run.shortfall = allocation.allocated, allocation.shortfall
    run.capacity, run.total_cost = allocation.capacity, allocation.total_cost
    lines = _lines(run, found, points, positions, producers, solver_points, allocation)
    run.message = run_message(run=run, needs=needs, lines=lines)
    run.save()
    AllocationLine.objects.bulk_create(lines)
    return run


def _lines(run, found, points, positions, producers, solver_points, allocation):
    """The run's lines, each with the reason for its quantity."""
    by_key = {c.declaration.pk: c for c in found}
    point_by_key = {p.pk: p for p in points}
    index = {c.declaration.pk: i for i, c in enumerate(found)}
    column = {p.pk: j for j, p in enumerate(points)}
    rate = float(run.demand.transport_rate)
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


def line_reason(*, candidate, line, rate, estimated, rank, count, used, usable, share):
    """Why a producer got this quantity for this point, in the officer's words: what a
    unit costs delivered, how it ranks for the point, and what bounded its quantity."""
    figures = {
        "cost": formats.rupiah(round(line.unit_cost)),
        "price": formats.rupiah(candidate.price),
        "km": formats.number(round(line.distance_km)),
        "rate": f"Rp {formats.number(rate, digits=2)}",
    }
    if rate:
        parts = [
            _("%(cost)s per unit delivered (price %(price)s + %(km)s km × %(rate)s)") % figures
        ]
    else:
        parts = [_("%(price)s per unit, %(km)s km away (transport not costed)") % figures]
    if estimated:
        parts.append(_("distance estimated from the province capital"))
    if rank == 1:
        parts.append(_("cheapest for this point"))
    else:
        parts.append(
            _("ranked %(rank)s of %(count)s by cost for this point")
            % {"rank": formats.number(rank), "count": formats.number(count)}
        )
    if share and usable < candidate.free and used >= usable:
        parts.append(
            _("share cap of %(percent)s %% reached (%(units)s units)")
            % {"percent": share, "units": formats.number(usable)}
        )
    elif used >= candidate.free:
        parts.append(
            _("all %(capacity)s of its capacity before the deadline used")
            % {"capacity": formats.number(candidate.free)}
        )
    else:
        parts.append(
            _("%(used)s of its %(capacity)s capacity before the deadline used")
            % {"used": formats.number(used), "capacity": formats.number(candidate.free)}
        )
    if candidate.committed:
        parts.append(
            _("%(units)s more already on its other orders")
            % {"units": formats.number(candidate.committed)}
        )
    return "; ".join(parts)


def _excluded_text(excluded):
    return "; ".join(
        f"{EXCLUDED.get(code, code)}: {formats.number(count)}" for code, count in excluded.items()
    )


def _no_producer_message(excluded):
    text = _("No curated producer can deliver before the deadline.")
    if not excluded:
        return " ".join([text, _("No producer of this product is curated yet.")])
    return " ".join([text, _("Left out: %(reasons)s.") % {"reasons": _excluded_text(excluded)}])


def run_message(*, run, needs, lines):
    """The run in one or two sentences: asked (or missing), what can be made before the
    deadline and by how many producers, what is short and where, who was left out."""
    figures = {
        "asked": formats.number(run.quantity),
        "allocated": formats.number(run.allocated),
        "short": formats.number(run.shortfall),
        "deadline": formats.date(run.demand.deadline),
    }
    given = {}
    for line in lines:
        given[line.point_id] = given.get(line.point_id, 0) + line.final_quantity
    used = len({line.declaration_id for line in lines if line.final_quantity})
    first = _("%(asked)s still missing") if run.reallocation else _("%(asked)s asked")
    made = ngettext(
        "%(allocated)s can be made before %(deadline)s by %(used)s producer",
        "%(allocated)s can be made before %(deadline)s by %(used)s producers",
        used,
    ) % {**figures, "used": formats.number(used)}
    parts = [first % figures, made]
    if run.shortfall:
        parts.append(_("%(short)s short") % figures)
    text = "; ".join(parts) + "."
    short = sorted(
        ((need - given.get(point.pk, 0), point.name) for point, need in needs.items()),
        key=lambda item: -item[0],
    )
    short = [f"{name} {formats.number(units)}" for units, name in short if units > 0]
    if short:
        named = ", ".join(short[:SHORT_POINTS_NAMED])
        if len(short) > SHORT_POINTS_NAMED:
            more = len(short) - SHORT_POINTS_NAMED
            named = _("%(points)s and %(count)s more") % {
                "points": named,
                "count": formats.number(more),
            }
        text += " " + _("Short at: %(points)s.") % {"points": named}
    if run.excluded:
        text += " " + _("Left out: %(reasons)s.") % {"reasons": _excluded_text(run.excluded)}
    return text


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
            pk = int(key) if str(key).isdigit() else None
            if pk not in lines:
                errors.append(LINE_UNKNOWN % {"line": key})
            elif not _whole(value) or value < 0:
                errors.append(QUANTITY_NEGATIVE)
            else:
                lines[pk].adjusted_quantity = value
        if errors:
            raise ValidationError({"quantities": errors})
        changed = [lines[int(key)] for key in quantities]
        errors = _adjust_errors(run, lines.values(), changed, today)
        if errors:
            raise ValidationError({"quantities": errors})
        AllocationLine.objects.bulk_update(changed, ["adjusted_quantity"])
        _totals(run, list(lines.values()))
        run.message += " " + _("Quantities adjusted by %(user)s.") % {"user": user}
        run.save()
    return run


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


def allocation_confirm(*, user, run, accept_shortfall=False, today=None):
    """Issue one purchase order per producer of the run, with a line per point, and mark
    the run confirmed and the demand's other open runs discarded. A run that leaves units
    short is confirmed only when the shortfall is accepted. The demand is locked, so two
    officers cannot confirm twice; the producers too, so two demands cannot both take
    the same capacity."""
    _central_only(user)
    today = _today(today)
    try:
        with transaction.atomic():
            return _confirm(user, run, accept_shortfall, today)
    except IntegrityError as exc:
        raise ValidationError(NUMBER_TAKEN) from exc


def _confirm(user, run, accept_shortfall, today):
    demand = Demand.objects.select_for_update().get(pk=run.demand_id)
    run = AllocationRun.objects.select_related("demand").get(pk=run.pk)
    if run.status not in UNCONFIRMED:
        raise ValidationError(RUN_NOT_OPEN % {"status": run.get_status_display().lower()})
    if demand.status in (Demand.Status.FULFILLED, Demand.Status.CANCELLED):
        raise ValidationError(DEMAND_CLOSED % {"status": demand.get_status_display().lower()})
    if demand.deadline <= today:
        raise ValidationError(DEADLINE_PASSED % {"deadline": formats.date(demand.deadline)})
    if demand.status == Demand.Status.ORDERED and not run.reallocation:
        raise ValidationError(ALREADY_ORDERED)
    if run.shortfall and not accept_shortfall:
        raise ValidationError(
            {"accept_shortfall": SHORTFALL_NOT_ACCEPTED % {"short": formats.number(run.shortfall)}}
        )
    lines = [
        line
        for line in run.lines.select_related("declaration__business", "point")
        if line.final_quantity > 0
    ]
    if not lines:
        raise ValidationError(NOTHING_TO_ORDER)
    by_producer = {}
    for line in lines:
        by_producer.setdefault(line.declaration_id, []).append(line)
    # Producers in key order, so two confirmations sharing producers wait, not deadlock.
    list(Declaration.objects.select_for_update().filter(pk__in=by_producer).order_by("pk"))
    _check_still_possible(run, by_producer, today)
    orders = _orders_issue(run, by_producer, today)
    now = timezone.now()
    run.status, run.confirmed_by, run.confirmed_at = AllocationRun.Status.CONFIRMED, user, now
    if run.shortfall:
        run.message += " " + _(
            "Confirmed with %(short)s still short: re-allocate it when capacity appears."
        ) % {"short": formats.number(run.shortfall)}
    run.save()
    demand.runs.filter(status__in=UNCONFIRMED).update(status=AllocationRun.Status.DISCARDED)
    demand.status = Demand.Status.ORDERED
    demand.save(update_fields=["status"])
    return orders


def _check_still_possible(run, by_producer, today):
    """Refuse a run that other orders overtook since it ran: a point given more than it
    still needs, or a producer more than its capacity left."""
    given = {}
    for lines in by_producer.values():
        for line in lines:
            given[line.point_id] = given.get(line.point_id, 0) + line.final_quantity
    for point, need in run_needs(run).items():
        if given.get(point.pk, 0) > need:
            raise ValidationError(
                ABOVE_NEED
                % {
                    "point": point.name,
                    "need": formats.number(need),
                    "total": formats.number(given[point.pk]),
                }
            )
    free = {c.declaration.pk: c.free for c in candidates(demand=run.demand, today=today)[0]}
    for pk, lines in by_producer.items():
        if sum(line.final_quantity for line in lines) > free.get(pk, 0):
            raise ValidationError(
                CAPACITY_CHANGED
                % {
                    "producer": lines[0].declaration.business.name,
                    "capacity": formats.number(free.get(pk, 0)),
                }
            )


def _orders_issue(run, by_producer, today):
    prefix = f"PO/{today:%Y}/{today:%m}/"
    taken = PurchaseOrder.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    serial = max((int(n.rsplit("/", 1)[1]) for n in taken), default=0)
    orders = []
    for pk in sorted(by_producer):
        lines = by_producer[pk]
        declaration = lines[0].declaration
        business = declaration.business
        quantity = sum(line.final_quantity for line in lines)
        serial += 1
        order = PurchaseOrder(
            number=f"{prefix}{serial:04d}",
            demand=run.demand,
            run=run,
            declaration=declaration,
            business=business,
            quantity=quantity,
            unit_price=lines[0].unit_price,
            amount=quantity * lines[0].unit_price,
        )
        for field in ("province_code", "regency_code", "district_code", "village_code"):
            setattr(order, field, getattr(business, field))
        order.save()
        PurchaseOrderLine.objects.bulk_create(
            [
                PurchaseOrderLine(order=order, point=line.point, quantity=line.final_quantity)
                for line in lines
            ]
        )
        orders.append(order)
    return orders


# Orders --------------------------------------------------------------------------------


def _buyer_or_central(user, order):
    if _is_central(user):
        return
    if user.role == Role.PEMBELI and user.organisation_id == order.demand.buyer_id:
        return
    raise PermissionDenied


def delivery_record(
    *, user, order, point, delivered_on, accepted, rejected=0, qc_note="", today=None
):
    """A shipment of an order to one of its points and its quality check: the accepted
    and rejected units together may not exceed what the order still owes that point, and
    rejected units need a note. Rejected units are missing again (see
    `shortfall_reallocate`); the demand is fulfilled once every point has its quantity
    accepted."""
    with transaction.atomic():
        order = PurchaseOrder.objects.select_for_update().select_related("demand").get(pk=order.pk)
        _buyer_or_central(user, order)
        if order.status == PurchaseOrder.Status.CANCELLED:
            raise ValidationError(ORDER_CANCELLED)
        line = order.lines.filter(point_id=getattr(point, "pk", point)).first()
        if line is None:
            raise ValidationError({"point": POINT_NOT_ON_ORDER})
        errors = {}
        if not _whole(accepted) or accepted < 0:
            errors["accepted"] = QUANTITY_NEGATIVE
        if not _whole(rejected) or rejected < 0:
            errors["rejected"] = QUANTITY_NEGATIVE
        if delivered_on > _today(today):
            errors["delivered_on"] = DELIVERY_IN_FUTURE
        if errors:
            raise ValidationError(errors)
        done = order.deliveries.filter(point_id=line.point_id).aggregate(
            a=Sum("accepted"), r=Sum("rejected")
        )
        outstanding = line.quantity - (done["a"] or 0) - (done["r"] or 0)
        if accepted + rejected == 0:
            errors["accepted"] = DELIVERY_EMPTY
        elif accepted + rejected > outstanding:
            errors["accepted"] = DELIVERY_TOO_MANY % {"outstanding": formats.number(outstanding)}
        if rejected and not (qc_note or "").strip():
            errors["qc_note"] = QC_NOTE_REQUIRED
        if errors:
            raise ValidationError(errors)
        delivery = Delivery.objects.create(
            order=order,
            point=line.point,
            delivered_on=delivered_on,
            accepted=accepted,
            rejected=rejected,
            qc_note=(qc_note or "").strip(),
            recorded_by=user,
        )
        order.accepted += accepted
        order.rejected += rejected
        order.status = (
            PurchaseOrder.Status.DELIVERED
            if order.accepted + order.rejected >= order.quantity
            else PurchaseOrder.Status.PARTLY_DELIVERED
        )
        order.save(update_fields=["accepted", "rejected", "status"])
        demand = Demand.objects.select_for_update().get(pk=order.demand_id)
        if all(row["accepted"] >= row["point"].quantity for row in point_coverage(demand)):
            demand.status = Demand.Status.FULFILLED
            demand.save(update_fields=["status"])
    return delivery


def order_cancel(*, user, order, reason):
    """Cancel an order not fully delivered (central officers): what it still owed is
    missing again and can be re-allocated."""
    _central_only(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    with transaction.atomic():
        order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
        if order.status == PurchaseOrder.Status.CANCELLED:
            raise ValidationError(ORDER_CANCELLED)
        if order.status == PurchaseOrder.Status.DELIVERED:
            raise ValidationError(ORDER_DELIVERED)
        order.status = PurchaseOrder.Status.CANCELLED
        order.cancel_reason = reason
        order.save(update_fields=["status", "cancel_reason"])
    return order


PAYMENT_NEXT = {
    PurchaseOrder.Payment.UNPAID: {PurchaseOrder.Payment.INVOICED},
    PurchaseOrder.Payment.INVOICED: {PurchaseOrder.Payment.PAID},
    # Paid again records a later, larger amount (after later deliveries were accepted).
    PurchaseOrder.Payment.PAID: {PurchaseOrder.Payment.PAID},
}


def order_payment_update(
    *, user, order, payment_status, paid_amount=None, paid_on=None, today=None
):
    """Move an order's payment on: invoiced, then paid. What is paid defaults to the units
    accepted times the unit price and can never exceed it."""
    with transaction.atomic():
        order = PurchaseOrder.objects.select_for_update().select_related("demand").get(pk=order.pk)
        _buyer_or_central(user, order)
        if payment_status not in PAYMENT_NEXT.get(order.payment_status, set()):
            labels = dict(PurchaseOrder.Payment.choices)
            raise ValidationError(
                {
                    "payment_status": PAYMENT_STEP
                    % {
                        "current": str(labels[order.payment_status]).lower(),
                        "new": str(labels.get(payment_status, payment_status)).lower(),
                    }
                }
            )
        if order.accepted == 0:
            raise ValidationError({"payment_status": NOTHING_ACCEPTED})
        order.payment_status = payment_status
        if payment_status == PurchaseOrder.Payment.PAID:
            payable = order.accepted * order.unit_price
            amount = payable if paid_amount is None else paid_amount
            errors = {}
            if not _whole(amount) or amount <= 0:
                errors["paid_amount"] = PAID_NOT_POSITIVE
            elif amount > payable:
                errors["paid_amount"] = PAID_TOO_MUCH % {"payable": formats.rupiah(payable)}
            paid_on = paid_on or _today(today)
            if paid_on > _today(today):
                errors["paid_on"] = PAID_IN_FUTURE
            if errors:
                raise ValidationError(errors)
            order.paid_amount, order.paid_on = amount, paid_on
        order.save(update_fields=["payment_status", "paid_amount", "paid_on"])
    return order
