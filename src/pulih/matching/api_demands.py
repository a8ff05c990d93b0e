"""Institutional demand over JSON: demands with their coverage per point, allocation runs
(run, adjust, confirm, re-allocate the shortfall), purchase orders, deliveries with their
quality check, cancellation and payment.

Conventions of the other APIs: reads go through `selectors`, so an object outside the
caller's scope is 404 whatever the method; writes go through `services`, whose refusals
are 422 with the message, or 403 when the caller's role may not. Demands and runs exist
for central officers and buyers (their own); orders also for officers of the producers'
region and sellers (their own). To any other role these endpoints do not exist (404).
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from pulih.accounts.models import Organisation, Role
from pulih.production.models import ProductType

from . import selectors, services
from .api_schemas import (
    AdjustIn,
    ConfirmIn,
    DeliveryIn,
    DeliveryOut,
    DemandCancelIn,
    DemandDetailOut,
    DemandFilters,
    DemandIn,
    DemandOut,
    OrderDetailOut,
    OrderFilters,
    OrderOut,
    OrderPatchIn,
    RunIn,
    RunOut,
)

router = Router(tags=["demands and allocation"])

MAX_LIMIT = 500
DEMAND_ROLES = (Role.PUSAT, Role.PEMBELI)
ORDER_ROLES = (Role.PUSAT, Role.PROVINSI, Role.KABKOTA, Role.PENDAMPING, Role.PEMBELI, Role.PENJUAL)
NOT_FOUND = _("Not found.")
UNKNOWN_PRODUCT = _("Unknown product type.")
BUYER_REQUIRED = _("Name the buyer organisation.")
NOTHING_TO_CHANGE = _("Give a status to cancel, or a payment status.")


def _allow(request, roles):
    user = request.user
    if not (user.is_superuser or user.role in roles):
        raise Http404


def _demand(request, demand_id):
    _allow(request, DEMAND_ROLES)
    return selectors.demand_get(user=request.user, pk=demand_id)


def _run(request, run_id):
    _allow(request, DEMAND_ROLES)
    return selectors.run_get(user=request.user, pk=run_id)


def _order(request, order_id):
    _allow(request, ORDER_ROLES)
    return selectors.order_get(user=request.user, pk=order_id)


# Demands -------------------------------------------------------------------------------


@router.get("/demands", response=list[DemandOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def demand_list(request, filters: Query[DemandFilters]):
    """Central officers see every demand, a buyer its organisation's."""
    _allow(request, DEMAND_ROLES)
    return selectors.demand_list(user=request.user, status=filters.status)


@router.post("/demands", response={201: DemandDetailOut})
def demand_create(request, payload: DemandIn):
    """A buyer posts for its own organisation, a central officer for any (`buyer_id`).
    Bad input is 422 with a message per field; `points` errors name the point."""
    _allow(request, DEMAND_ROLES)
    fields = payload.dict()
    buyer_id = fields.pop("buyer_id")
    if buyer_id is None and request.user.role == Role.PEMBELI:
        buyer_id = request.user.organisation_id
    buyer = Organisation.objects.filter(pk=buyer_id).first() if buyer_id else None
    product = ProductType.objects.filter(code=fields.pop("product_type")).first()
    errors = {}
    if buyer is None:
        errors["buyer_id"] = NOT_FOUND if buyer_id else BUYER_REQUIRED
    if product is None:
        errors["product_type"] = UNKNOWN_PRODUCT
    if errors:
        raise ValidationError(errors)
    demand = services.demand_create(user=request.user, buyer=buyer, product_type=product, **fields)
    return Status(201, _demand(request, demand.pk))


@router.get("/demands/{int:demand_id}", response=DemandDetailOut)
def demand_detail(request, demand_id: int):
    """The demand, each point's coverage, its runs and its orders."""
    return _demand(request, demand_id)


@router.post("/demands/{int:demand_id}/cancel", response=DemandDetailOut)
def demand_cancel(request, demand_id: int, payload: DemandCancelIn):
    """Cancel the demand (central officers, or its buyer) with a reason; 422 while
    purchase orders still have something to deliver."""
    demand = _demand(request, demand_id)
    services.demand_cancel(user=request.user, demand=demand, reason=payload.reason)
    return _demand(request, demand_id)


@router.post("/demands/{int:demand_id}/runs", response={201: RunOut})
def run_create(request, demand_id: int, payload: RunIn | None = None):
    """Allocate the whole demand (central officers). Demand above the capacity is not an
    error: the run's status is "shortfall" and its message says what is short."""
    demand = _demand(request, demand_id)
    options = payload.dict(exclude_none=True) if payload else {}
    run = services.allocation_run(user=request.user, demand=demand, **options)
    return Status(201, _run(request, run.pk))


@router.post("/demands/{int:demand_id}/reallocate", response={201: RunOut})
def demand_reallocate(request, demand_id: int, payload: RunIn | None = None):
    """Allocate what is missing at each point: rejected at QC, on cancelled orders, never
    ordered; 422 when nothing is missing."""
    demand = _demand(request, demand_id)
    options = payload.dict(exclude_none=True) if payload else {}
    run = services.shortfall_reallocate(user=request.user, demand=demand, **options)
    return Status(201, _run(request, run.pk))


# Runs ----------------------------------------------------------------------------------


@router.get("/runs/{int:run_id}", response=RunOut)
def run_detail(request, run_id: int):
    return _run(request, run_id)


@router.patch("/runs/{int:run_id}", response=RunOut)
def run_adjust(request, run_id: int, payload: AdjustIn):
    """New quantities for some lines of a run not yet confirmed (0 drops a line)."""
    run = _run(request, run_id)
    quantities = {line.id: line.quantity for line in payload.lines}
    services.allocation_adjust(user=request.user, run=run, quantities=quantities)
    return _run(request, run_id)


@router.post("/runs/{int:run_id}/confirm", response={201: list[OrderOut]})
def run_confirm(request, run_id: int, payload: ConfirmIn | None = None):
    """Issue one purchase order per producer of the run; the demand's other open runs
    are discarded. A run confirmed already, or discarded, is 422."""
    run = _run(request, run_id)
    accept = payload.accept_shortfall if payload else False
    orders = services.allocation_confirm(user=request.user, run=run, accept_shortfall=accept)
    return Status(201, orders)


# Orders --------------------------------------------------------------------------------


@router.get("/orders", response=list[OrderOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def order_list(request, filters: Query[OrderFilters]):
    """A buyer's demands' orders, a seller's own, officers' those of their region's
    producers (central officers all)."""
    _allow(request, ORDER_ROLES)
    orders = selectors.order_list(user=request.user, status=filters.status)
    if filters.demand_id is not None:
        orders = orders.filter(demand_id=filters.demand_id)
    return orders


@router.get("/orders/{int:order_id}", response=OrderDetailOut)
def order_detail(request, order_id: int):
    return _order(request, order_id)


@router.post("/orders/{int:order_id}/deliveries", response={201: DeliveryOut})
def delivery_record(request, order_id: int, payload: DeliveryIn):
    """A delivery to one of the order's points and its quality check (central officers
    and the buyer)."""
    order = _order(request, order_id)
    fields = payload.dict()
    fields["point"] = fields.pop("point_id")
    delivery = services.delivery_record(user=request.user, order=order, **fields)
    return Status(201, delivery)


@router.patch("/orders/{int:order_id}", response=OrderDetailOut)
def order_update(request, order_id: int, payload: OrderPatchIn):
    """Cancel the order (central officers) or move its payment on (central officers and
    the buyer)."""
    order = _order(request, order_id)
    if payload.status == "cancelled":
        services.order_cancel(user=request.user, order=order, reason=payload.reason)
    elif payload.payment_status:
        services.order_payment_update(
            user=request.user,
            order=order,
            payment_status=payload.payment_status,
            paid_amount=payload.paid_amount,
            paid_on=payload.paid_on,
        )
    else:
        raise ValidationError(NOTHING_TO_CHANGE)
    return _order(request, order_id)
