"""Purchase orders: those a confirmed run issues, one per producer, then their deliveries
with the quality check, cancellation and payment.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pulih.accounts.models import Role
from pulih.core import formats
from pulih.production.models import Declaration

from ..models import AllocationRun, Delivery, Demand, PurchaseOrder, PurchaseOrderLine
from ..selectors import UNCONFIRMED, candidates, left_out_reason, point_coverage, run_needs
from .common import (
    ABOVE_NEED,
    ALREADY_ORDERED,
    DEADLINE_PASSED,
    DEMAND_CLOSED,
    QUANTITY_NEGATIVE,
    REASON_REQUIRED,
    RUN_NOT_OPEN,
    _central_only,
    _is_central,
    _moment,
    _today,
    _whole,
)
from .reasons import EXCLUDED

SHORTFALL_NOT_ACCEPTED = gettext_lazy(
    "This run leaves %(short)s short. Tick “accept the shortfall” to order what exists, or "
    "run the allocation again with other options."
)
NOTHING_TO_ORDER = gettext_lazy("Nothing to order: no producer has a quantity in this run.")
CAPACITY_CHANGED = gettext_lazy(
    "%(producer)s can now make only %(capacity)s before the deadline (other orders took "
    "its capacity): adjust the run or run the allocation again."
)
CAPACITY_SHRUNK = gettext_lazy(
    "%(producer)s can now make only %(capacity)s before the deadline: adjust the run or run "
    "the allocation again."
)
NO_LONGER_CURATED = gettext_lazy(
    "%(producer)s is no longer curated (its declaration is now %(status)s): adjust the run "
    "or run the allocation again."
)
PRODUCER_LEFT_OUT = gettext_lazy(
    "%(producer)s can no longer take part in this demand (%(reason)s): adjust the run or run "
    "the allocation again."
)
NUMBER_TAKEN = gettext_lazy("Another order was issued at the same moment: confirm again.")
ORDER_CANCELLED = gettext_lazy("This order is cancelled.")
POINT_NOT_ON_ORDER = gettext_lazy("This order delivers nothing to that point.")
DELIVERY_EMPTY = gettext_lazy("Record at least one unit, accepted or rejected.")
DELIVERY_TOO_MANY = gettext_lazy(
    "Only %(outstanding)s are still expected at this point on this order."
)
DELIVERY_IN_FUTURE = gettext_lazy("The delivery date cannot be after today.")
DELIVERY_BEFORE_ORDER = gettext_lazy(
    "The delivery date cannot be before the order was issued (%(issued)s)."
)
QC_NOTE_REQUIRED = gettext_lazy("Say why units were rejected at the quality check.")
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
PAID_BEFORE_ORDER = gettext_lazy(
    "The payment date cannot be before the order was issued (%(issued)s)."
)
PAID_BELOW_RECORDED = gettext_lazy(
    "%(paid)s is already recorded as paid: the amount cannot be lowered."
)


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
    now = _moment(today)
    orders = _orders_issue(run, by_producer, today, now)
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
    found = {c.declaration.pk: c for c in candidates(demand=run.demand, today=today)[0]}
    for pk, lines in by_producer.items():
        if sum(line.final_quantity for line in lines) > (found[pk].free if pk in found else 0):
            raise ValidationError(_no_longer_possible(run, lines[0].declaration, found, today))


def _no_longer_possible(run, declaration, found, today):
    """Why a producer cannot have its lines any more, in the officer's words."""
    producer = declaration.business.name
    if declaration.pk in found:
        candidate = found[declaration.pk]
        message = CAPACITY_CHANGED if candidate.committed else CAPACITY_SHRUNK
        return message % {"producer": producer, "capacity": formats.number(candidate.free)}
    reason = left_out_reason(declaration=declaration, demand=run.demand, today=today)
    if reason == "not_curated":
        status = declaration.get_status_display().lower()
        return NO_LONGER_CURATED % {"producer": producer, "status": status}
    return PRODUCER_LEFT_OUT % {"producer": producer, "reason": EXCLUDED.get(reason, reason)}


def _orders_issue(run, by_producer, today, issued):
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
    # `issued_at` is stamped with the real moment on insert; an order issued on another
    # day (the demo's) carries that day, which its deliveries and payment are checked by.
    PurchaseOrder.objects.filter(pk__in=[order.pk for order in orders]).update(issued_at=issued)
    for order in orders:
        order.issued_at = issued
    return orders


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
    accepted. The delivery date lies between the order's issue and today."""
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
        elif delivered_on < _issued_on(order):
            errors["delivered_on"] = DELIVERY_BEFORE_ORDER % {
                "issued": formats.date(_issued_on(order))
            }
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
    accepted times the unit price and can never exceed it, nor go below what is already
    recorded paid; it is paid between the order's issue and today."""
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
            elif amount < order.paid_amount:
                errors["paid_amount"] = PAID_BELOW_RECORDED % {
                    "paid": formats.rupiah(order.paid_amount)
                }
            paid_on = paid_on or _today(today)
            if paid_on > _today(today):
                errors["paid_on"] = PAID_IN_FUTURE
            elif paid_on < _issued_on(order):
                errors["paid_on"] = PAID_BEFORE_ORDER % {"issued": formats.date(_issued_on(order))}
            if errors:
                raise ValidationError(errors)
            order.paid_amount, order.paid_on = amount, paid_on
        order.save(update_fields=["payment_status", "paid_amount", "paid_on"])
    return order


def _issued_on(order):
    return timezone.localdate(order.issued_at)
