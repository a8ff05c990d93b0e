"""The drop-off point over JSON: a PIC's points and their orders, handover and payment,
and a wave's reconciliation.

A PIC sees only its own drop-off points and their orders: any other is 404, and so are
these endpoints to buyers and sellers. Payments are recorded by the PIC of the order's
point or by a central officer. The reconciliation is for the wave's officers (every
point) and its PICs (their own). Refusals are 422 with the message.
"""

from django.http import Http404
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from pulih.accounts.models import Role

from . import handover
from .api_pic_schemas import (
    DropOffPointOut,
    HandoverIn,
    PaymentIn,
    PaymentOut,
    PicOrderFilters,
    PicOrderOut,
    ReconciliationOut,
)

router = Router(tags=["market: drop-off points"])

MAX_LIMIT = 500


def _pic(request):
    if request.user.role != Role.PIC:
        raise Http404


@router.get("/drop-off-points", response=list[DropOffPointOut])
def drop_off_point_list(request):
    """The drop-off points the caller is PIC of, with their orders' expected and received
    money."""
    _pic(request)
    return handover.pic_points(user=request.user)


@router.get("/drop-off-points/{int:point_id}/orders", response=list[PicOrderOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def drop_off_point_orders(request, point_id: int, filters: Query[PicOrderFilters]):
    """The point's orders by code; `q` finds a confirmation code or part of a buyer's name."""
    _pic(request)
    point = handover.pic_point_get(user=request.user, pk=point_id)
    return handover.pic_orders(point=point, query=filters.q, status=filters.status)


@router.post("/orders/{int:order_id}/handover", response=PicOrderOut)
def order_hand_over(request, order_id: int, payload: HandoverIn):
    """Collected, handed to an ojek (driver's name and phone) or not collected; only
    after ordering has closed, and only by the PIC of the order's point."""
    _pic(request)
    order = handover.pic_order_get(user=request.user, pk=order_id)
    handover.order_hand_over(user=request.user, order=order, **payload.dict())
    return handover.pic_order_get(user=request.user, pk=order_id)


@router.post("/orders/{int:order_id}/payments", response={201: PaymentOut})
def order_payment_record(request, order_id: int, payload: PaymentIn):
    """Cash or a transfer taken for the order, at most what is still outstanding."""
    order = handover.payable_order_get(user=request.user, pk=order_id)
    payment = handover.order_payment_record(user=request.user, order=order, **payload.dict())
    return Status(201, payment)


@router.get("/waves/{int:wave_id}/reconciliation", response=ReconciliationOut)
def wave_reconciliation(request, wave_id: int):
    """Per drop-off point and overall: orders, expected, received in cash and by transfer,
    outstanding, and how the orders were handed over."""
    wave = handover.reconciliation_wave_get(user=request.user, pk=wave_id)
    return handover.reconciliation(user=request.user, wave=wave)
