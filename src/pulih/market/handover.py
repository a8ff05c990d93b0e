"""Handover and payment at the drop-off point, reconciliation per PIC, and settlement to
the sellers.

Once a wave's window has closed, the PIC of each drop-off point (titik antar) hands the
orders over: collected by the buyer, given to the ojek online the buyer sent (the
driver's name and phone are recorded), or not collected (it can still be collected
later). The PIC takes the payments, in cash or by transfer, never more than is still
owed. Nothing is handed over or paid while the window is open, because until then the
buyer may still change or cancel the order. Reconciliation sets what each point should
receive beside what it did; the wave's organiser then pays each seller what the wave
owes it, and the wave is settled when every seller is paid in full.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pulih.accounts.models import Role
from pulih.core import formats
from pulih.core.ids import parse_phone, problems_text

from .models import OFFICERS, DropOffPoint, Order, OrderPayment, SellerSettlement, Wave
from .products import quantity_text

OUTCOMES = (Order.Status.COLLECTED, Order.Status.WITH_OJEK, Order.Status.NOT_COLLECTED)
HANDED_OVER = (Order.Status.COLLECTED, Order.Status.WITH_OJEK)
LIVE = ~Q(status=Order.Status.CANCELLED)
LIVE_ORDERS = ~Q(orders__status=Order.Status.CANCELLED)

OUTCOME_UNKNOWN = _("Choose collected, handed to an ojek or not collected.")
HANDOVER_BEFORE_CLOSE = _(
    "Orders are handed over once ordering has closed, on %(closes)s: until then the buyer "
    "may still change the order."
)
PAYMENT_BEFORE_CLOSE = _(
    "Payments are recorded once ordering has closed, on %(closes)s: until then the buyer "
    "may still change the order."
)
ORDER_CANCELLED = _("This order was cancelled.")
ALREADY_HANDED_OVER = _("This order was already handed over: %(status)s.")
ALREADY_NOT_COLLECTED = _("This order is already marked not collected.")
DRIVER_NAME_REQUIRED = _("Give the ojek driver's name.")
DRIVER_PHONE_REQUIRED = _("Give the ojek driver's phone number.")
METHOD_UNKNOWN = _("Choose cash or transfer.")
AMOUNT_NOT_POSITIVE = _("The amount must be a whole number of Rupiah above zero.")
ORDER_PAID = _("This order is already paid in full.")
ABOVE_OUTSTANDING = _("At most %(outstanding)s is still to be paid on this order.")
SELLER_PAID = _("%(seller)s has already been paid in full.")
ABOVE_DUE = _("At most %(remaining)s is still owed to %(seller)s.")
PAID_ON_REQUIRED = _("Give the date of the payment.")
PAID_ON_FUTURE = _("The payment date cannot be after today.")


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_central(user):
    return user.is_superuser or user.role == Role.PUSAT


# Handover and payment ------------------------------------------------------------------


def order_hand_over(*, user, order, outcome, driver_name="", driver_phone="", now=None):
    """Record what happened to an order at its drop-off point; only that point's PIC may.
    `handed_over_at/by` say when and by whom the outcome was recorded."""
    now = now or timezone.now()
    with transaction.atomic():
        order = _locked(order)
        if order.drop_off.pic_id != user.pk:
            raise PermissionDenied
        if outcome not in OUTCOMES:
            raise ValidationError({"outcome": OUTCOME_UNKNOWN})
        _window_closed(order, now, HANDOVER_BEFORE_CLOSE)
        if order.status == Order.Status.CANCELLED:
            raise ValidationError(ORDER_CANCELLED)
        if order.status in HANDED_OVER:
            raise ValidationError(ALREADY_HANDED_OVER % {"status": order.get_status_display()})
        if order.status == outcome == Order.Status.NOT_COLLECTED:
            raise ValidationError(ALREADY_NOT_COLLECTED)
        name, phone = "", ""
        if outcome == Order.Status.WITH_OJEK:
            name, phone = _driver(driver_name, driver_phone)
        order.status = outcome
        order.ojek_driver_name, order.ojek_driver_phone = name, phone
        order.handed_over_at, order.handed_over_by = now, user
        order.save(
            update_fields=[
                "status",
                "ojek_driver_name",
                "ojek_driver_phone",
                "handed_over_at",
                "handed_over_by",
                "updated_at",
            ]
        )
    return order


def _locked(order):
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("wave", "drop_off")
        .get(pk=order.pk)
    )


def _window_closed(order, now, message):
    if now < order.wave.closes_at:
        raise ValidationError(message % {"closes": formats.datetime_(order.wave.closes_at)})


def _driver(name, phone):
    name, phone = (name or "").strip(), (phone or "").strip()
    errors = {}
    if not name:
        errors["driver_name"] = DRIVER_NAME_REQUIRED
    if not phone:
        errors["driver_phone"] = DRIVER_PHONE_REQUIRED
    else:
        result = parse_phone(phone)
        if result.valid:
            phone = result.e164
        else:
            errors["driver_phone"] = problems_text(result.errors, get_language() or "id")
    if errors:
        raise ValidationError(errors)
    return name, phone


def order_payment_record(*, user, order, method, amount, reference="", now=None):
    """Money taken for an order by the PIC of its point (or a central officer): never more
    than is still owed; the order is partly paid, then paid."""
    now = now or timezone.now()
    with transaction.atomic():
        order = _locked(order)
        if not (_is_central(user) or order.drop_off.pic_id == user.pk):
            raise PermissionDenied
        if order.status == Order.Status.CANCELLED:
            raise ValidationError(ORDER_CANCELLED)
        _window_closed(order, now, PAYMENT_BEFORE_CLOSE)
        errors = {}
        if method not in OrderPayment.Method.values:
            errors["method"] = METHOD_UNKNOWN
        if not _whole(amount) or amount <= 0:
            errors["amount"] = AMOUNT_NOT_POSITIVE
        elif not order.outstanding:
            errors["amount"] = ORDER_PAID
        elif amount > order.outstanding:
            errors["amount"] = ABOVE_OUTSTANDING % {
                "outstanding": formats.rupiah(order.outstanding)
            }
        if errors:
            raise ValidationError(errors)
        payment = OrderPayment.objects.create(
            order=order,
            method=method,
            amount=amount,
            reference=(reference or "").strip(),
            recorded_by=user,
        )
        paid_in_full = order.amount_paid + amount >= order.total
        Order.objects.filter(pk=order.pk).update(
            amount_paid=F("amount_paid") + amount,
            payment_status=Order.Payment.PAID if paid_in_full else Order.Payment.PARTLY_PAID,
            updated_at=now,
        )
        order.refresh_from_db(fields=["amount_paid", "payment_status", "updated_at"])
    return payment


# Settlement to sellers -----------------------------------------------------------------


def pays_sellers(user, wave):
    """Central officers, and officers of the wave's organiser, pay the sellers."""
    organiser = user.role in OFFICERS and user.organisation_id == wave.organiser_id
    return _is_central(user) or organiser


def seller_settlement_pay(*, user, settlement, amount, paid_on, reference=""):
    """Record a payment to a seller of what the wave owes it, never more than is still
    owed; once every seller is paid in full the closed wave is settled."""
    today = timezone.localdate()
    with transaction.atomic():
        settlement = (
            SellerSettlement.objects.select_for_update(of=("self",))
            .select_related("wave", "seller")
            .get(pk=settlement.pk)
        )
        if not pays_sellers(user, settlement.wave):
            raise PermissionDenied
        remaining = settlement.amount_due - settlement.amount_paid
        seller = settlement.seller.name
        errors = {}
        if not _whole(amount) or amount <= 0:
            errors["amount"] = AMOUNT_NOT_POSITIVE
        elif remaining <= 0:
            errors["amount"] = SELLER_PAID % {"seller": seller}
        elif amount > remaining:
            errors["amount"] = ABOVE_DUE % {
                "remaining": formats.rupiah(remaining),
                "seller": seller,
            }
        if paid_on is None:
            errors["paid_on"] = PAID_ON_REQUIRED
        elif paid_on > today:
            errors["paid_on"] = PAID_ON_FUTURE
        if errors:
            raise ValidationError(errors)
        SellerSettlement.objects.filter(pk=settlement.pk).update(
            amount_paid=F("amount_paid") + amount,
            paid_on=paid_on,
            reference=(reference or "").strip(),
        )
        settlement.refresh_from_db(fields=["amount_paid", "paid_on", "reference"])
        wave = settlement.wave
        owed = wave.settlements.filter(amount_paid__lt=F("amount_due")).exists()
        if wave.status == Wave.Status.CLOSED and not owed:
            Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.SETTLED)
    return settlement


# Reads ---------------------------------------------------------------------------------


def pic_points(*, user):
    """The drop-off points the user is PIC of, newest wave first, with their figures."""
    return (
        DropOffPoint.objects.filter(pic=user)
        .select_related("wave")
        .annotate(
            order_count=Count("orders", filter=LIVE_ORDERS),
            expected=Sum("orders__total", filter=LIVE_ORDERS, default=0),
            received=Sum("orders__amount_paid", filter=LIVE_ORDERS, default=0),
        )
        .order_by("-wave__opens_at", "cluster", "pk")
    )


def pic_point_get(*, user, pk):
    """One of the user's drop-off points; any other does not exist for the user."""
    point = DropOffPoint.objects.select_related("wave").filter(pic=user, pk=pk).first()
    if point is None:
        raise Http404
    return point


def pic_orders(*, point, query="", status=None):
    """The orders of a drop-off point by buyer, found by confirmation code or name."""
    orders = point.orders.prefetch_related("lines__pack__product").order_by("buyer_name", "code")
    query = (query or "").strip()
    if query:
        orders = orders.filter(Q(code__iexact=query) | Q(buyer_name__icontains=query))
    if status in Order.Status.values:
        orders = orders.filter(status=status)
    return orders


def pic_order_get(*, user, pk, point=None):
    """An order of one of the user's drop-off points (of `point` when given)."""
    orders = Order.objects.filter(drop_off__pic=user)
    if point is not None:
        orders = orders.filter(drop_off=point)
    order = (
        orders.select_related("wave", "drop_off", "institution", "handed_over_by")
        .prefetch_related("lines__pack__product")
        .filter(pk=pk)
        .first()
    )
    if order is None:
        raise Http404
    return order


def payable_order_get(*, user, pk):
    """An order whose payments the user records: a PIC's own point's, any for central
    officers."""
    if _is_central(user):
        return Order.objects.get_visible_or_404(user, pk=pk)
    return pic_order_get(user=user, pk=pk)


def packs_text(order):
    """The packs of an order in one line: "2 × 10 kg"."""
    return ", ".join(
        f"{line.quantity} × {quantity_text(line.size_milli, line.pack.product.unit)}"
        for line in order.lines.all()
    )


def reconciliation_wave_get(*, user, pk):
    """A wave whose reconciliation the user reads: officers of its region and its PICs."""
    if not (user.is_superuser or user.role in OFFICERS or user.role == Role.PIC):
        raise Http404
    return Wave.objects.get_visible_or_404(user, pk=pk)


def settlement_wave_get(*, user, pk):
    """A wave whose settlements to sellers the user reads: officers of its region."""
    if not (user.is_superuser or user.role in OFFICERS):
        raise Http404
    return Wave.objects.get_visible_or_404(user, pk=pk)


def settlement_list(*, wave):
    return wave.settlements.select_related("seller")


FIGURES = (
    "orders",
    "expected",
    "cash",
    "transfer",
    "received",
    "outstanding",
    "collected",
    "with_ojek",
    "not_collected",
    "waiting",
)


def reconciliation(*, user, wave):
    """Per drop-off point and its PIC, and overall: the orders (cancelled ones left out),
    what they should bring in, what was received in cash and by transfer, what is still
    outstanding, and how many were collected, handed to an ojek, not collected or are
    still waiting. A PIC sees only its own points; officers every point of the wave."""
    if not Wave.objects.visible_to(user).filter(pk=wave.pk).exists():
        raise PermissionDenied
    points = wave.drop_off_points.select_related("pic").order_by("cluster", "pk")
    if user.role == Role.PIC and not user.is_superuser:
        points = points.filter(pic=user)
    elif not (user.is_superuser or user.role in OFFICERS):
        raise PermissionDenied
    points = list(points)
    orders = (
        Order.objects.filter(wave=wave, drop_off__in=points)
        .filter(LIVE)
        .values("drop_off")
        .annotate(
            orders=Count("pk"),
            expected=Sum("total"),
            collected=Count("pk", filter=Q(status=Order.Status.COLLECTED)),
            with_ojek=Count("pk", filter=Q(status=Order.Status.WITH_OJEK)),
            not_collected=Count("pk", filter=Q(status=Order.Status.NOT_COLLECTED)),
            waiting=Count("pk", filter=Q(status=Order.Status.PLACED)),
        )
    )
    by_point = {row.pop("drop_off"): row for row in orders}
    payments = (
        OrderPayment.objects.filter(order__wave=wave, order__drop_off__in=points)
        .exclude(order__status=Order.Status.CANCELLED)
        .values("order__drop_off", "method")
        .annotate(amount=Sum("amount"))
    )
    for row in payments:
        figures = by_point.setdefault(row["order__drop_off"], {})
        figures[row["method"]] = row["amount"]
    rows = []
    overall = dict.fromkeys(FIGURES, 0)
    for point in points:
        row = {key: by_point.get(point.pk, {}).get(key) or 0 for key in FIGURES}
        row["received"] = row["cash"] + row["transfer"]
        row["outstanding"] = row["expected"] - row["received"]
        for key in FIGURES:
            overall[key] += row[key]
        rows.append({"point": point, "pic": point.pic, **row})
    return {"wave": wave, "points": rows, "overall": overall}
