"""A buyer's demand and its delivery points, checked before anything is written, and its
cancellation."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from pulih.accounts.models import Organisation, Role
from pulih.core import formats
from pulih.wilayah.selectors import LEVEL_MODELS

from ..models import AllocationRun, DeliveryPoint, Demand, PurchaseOrder
from ..selectors import UNCONFIRMED
from .common import (
    MIN_LOT_OUT_OF_RANGE,
    REASON_REQUIRED,
    SHARE_OUT_OF_RANGE,
    _is_central,
    _lot_valid,
    _share_below_lot,
    _share_valid,
    _today,
    _whole,
)

# Organisations that place institutional orders: buyers, and curators such as Karya
# Nusantara that order from the producers they curate, ministries and dinas.
ORDERING_KINDS = (
    Organisation.Kind.BUYER,
    Organisation.Kind.CURATOR,
    Organisation.Kind.MINISTRY,
    Organisation.Kind.DINAS,
)

MAX_QUANTITY = 100_000_000
MAX_UNIT_PRICE = 1_000_000_000
MAX_TRANSPORT_RATE = Decimal("999999.9999")

QUANTITY_NOT_POSITIVE = gettext_lazy("The quantity must be at least 1.")
QUANTITY_TOO_LARGE = gettext_lazy("The quantity is too large: at most 100,000,000.")
PRICE_NEGATIVE = gettext_lazy("The price cannot be negative.")
PRICE_TOO_LARGE = gettext_lazy("The price is too large.")
RATE_INVALID = gettext_lazy("The transport cost must be a number, zero or more.")
TITLE_REQUIRED = gettext_lazy("Give the demand a title.")
DEADLINE_NOT_AFTER_TODAY = gettext_lazy("The deadline must be after today (%(today)s).")
BUYER_NOT_YOURS = gettext_lazy("You can only post demands for your own organisation.")
BUYER_NOT_ORDERING = gettext_lazy(
    "%(organisation)s does not place institutional orders: the buyer must be a buyer, "
    "curator, ministry or dinas organisation."
)
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
DEMAND_NOT_CANCELLABLE = gettext_lazy("This demand is %(status)s: it cannot be cancelled.")
ORDERS_STILL_LIVE = gettext_lazy(
    "This demand still has purchase orders to deliver: cancel those first, each with its "
    "reason, then the demand."
)


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
    when its product has a licence kind. The buyer must be an organisation that orders
    (`ORDERING_KINDS`), whoever posts."""
    if not _is_central(user):
        if user.role != Role.PEMBELI or not user.organisation_id:
            raise PermissionDenied
        if buyer.pk != user.organisation_id:
            raise ValidationError({"buyer": BUYER_NOT_YOURS})
    today = _today(today)
    errors = {}
    if buyer.kind not in ORDERING_KINDS:
        errors["buyer"] = BUYER_NOT_ORDERING % {"organisation": buyer.name}
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
    elif not quantity_error and "max_share_percent" not in errors:
        unworkable = _share_below_lot(quantity, max_share_percent, min_lot)
        if unworkable:
            errors["min_lot"] = unworkable
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
        found = len(errors)
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
        if len(errors) > found:
            continue  # the row is built only from checked values
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


def demand_cancel(*, user, demand, reason):
    """Cancel a demand (central officers, or the buyer its own): nothing more is allocated
    to it and its open runs are discarded. Refused while purchase orders still have
    something to deliver: each is cancelled first, with its own reason, so that no
    producer keeps making for a demand that no longer exists. The reason is kept."""
    if not _is_central(user) and not (
        user.role == Role.PEMBELI and user.organisation_id == demand.buyer_id
    ):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    with transaction.atomic():
        demand = Demand.objects.select_for_update().get(pk=demand.pk)
        if demand.status in (Demand.Status.FULFILLED, Demand.Status.CANCELLED):
            raise ValidationError(
                DEMAND_NOT_CANCELLABLE % {"status": demand.get_status_display().lower()}
            )
        live = (PurchaseOrder.Status.ISSUED, PurchaseOrder.Status.PARTLY_DELIVERED)
        if demand.orders.filter(status__in=live).exists():
            raise ValidationError(ORDERS_STILL_LIVE)
        demand.runs.filter(status__in=UNCONFIRMED).update(status=AllocationRun.Status.DISCARDED)
        demand.status = Demand.Status.CANCELLED
        demand.cancel_reason = reason.strip()[:500]
        demand.save(update_fields=["status", "cancel_reason"])
    return demand
