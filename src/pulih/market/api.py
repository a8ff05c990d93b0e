"""The buyer's API: the waves, one wave's offers and drop-off points, and the buyer's own
orders — place (with an optional `Idempotency-Key` header: a repeated key answers 200 with
the first order instead of making a second), read, change and cancel.

Refusals of the ordering rules are 422 with the message in the caller's language; too
many orders from one buyer is 429. A wave that is not for the caller, and an order that is
not the caller's own, is 404. Handlers stay lean: ordering is benchmarked under load.
"""

from django.urls import reverse
from ninja import Router, Status

from . import ordering
from .api_schemas import (
    BuyerOrderChangeIn,
    BuyerOrderIn,
    BuyerOrderOut,
    BuyerWaveDetailOut,
    BuyerWaveOut,
    Message,
)

router = Router(tags=["market: waves and orders"])


def _items(items):
    return [(item.pack, item.quantity) for item in items]


def _order_out(request, order, lines=None):
    """The order as the API shows it; `lines` with their packs and products, if not
    prefetched (`ordering.order_get`)."""
    point = order.drop_off
    return {
        "id": order.pk,
        "code": order.code,
        "url": request.build_absolute_uri(reverse("market:order_detail", args=[order.pk])),
        "wave_id": order.wave_id,
        "wave": order.wave.title,
        "status": order.status,
        "buyer_kind": order.buyer_kind,
        "buyer_name": order.buyer_name,
        "nip": order.nip,
        "institution_id": order.institution_id,
        "institution": order.institution.name if order.institution else "",
        "phone": order.phone,
        "fulfilment": order.fulfilment,
        "drop_off": {
            "id": point.pk,
            "cluster": point.cluster,
            "address": point.address,
            "pic": str(point.pic),
            "pic_phone": point.pic.phone,
        },
        "lines": [
            {
                "pack_id": line.pack_id,
                "product": line.pack.product.name,
                "size_milli": line.size_milli,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "amount": line.amount,
            }
            for line in (order.lines.all() if lines is None else lines)
        ],
        "total": order.total,
        "total_milli": order.total_milli,
        "payment_status": order.payment_status,
        "amount_paid": order.amount_paid,
        "created_at": order.created_at,
        "changeable": ordering.order_is_changeable(order),
    }


@router.get("/waves", response=list[BuyerWaveOut])
def wave_list(request):
    """Published waves the caller works with or may buy in."""
    return [ordering.wave_summary(wave) for wave in ordering.waves_visible(user=request.user)]


@router.get("/waves/{int:wave_id}", response=BuyerWaveDetailOut)
def wave_detail(request, wave_id: int):
    """The wave's products with packs, prices and stock left, and its drop-off points."""
    return ordering.wave_public_detail(ordering.wave_visible_get(user=request.user, pk=wave_id))


@router.post(
    "/waves/{int:wave_id}/orders", response={200: BuyerOrderOut, 201: BuyerOrderOut, 429: Message}
)
def order_create(request, wave_id: int, payload: BuyerOrderIn):
    """Place an order. Prices are the server's: `price_total` and the items' `price`, if
    sent, must be the prices now."""
    wave = ordering.wave_for_buyer(user=request.user, pk=wave_id)
    try:
        order, created = ordering.order_place(
            user=request.user,
            wave=wave,
            drop_off=payload.drop_off,
            items=_items(payload.items),
            fulfilment=payload.fulfilment,
            nip=payload.nip,
            institution=payload.institution,
            buyer_name=payload.buyer_name,
            phone=payload.phone,
            idempotency_key=request.headers.get("Idempotency-Key", ""),
            expected_total=payload.price_total,
            expected_prices={item.pack: item.price for item in payload.items},
        )
    except ordering.RateLimited as limited:
        return Status(429, {"message": limited.messages[0]})
    if not created:
        order = ordering.order_get(user=request.user, pk=order.pk)
        return Status(200, _order_out(request, order))
    # A new order holds its wave, drop-off point (with the PIC) and institution already.
    lines = order.lines.select_related("pack__product").order_by("pk")
    return Status(201, _order_out(request, order, lines))


@router.get("/orders/{int:order_id}", response=BuyerOrderOut)
def order_detail(request, order_id: int):
    return _order_out(request, ordering.order_get(user=request.user, pk=order_id))


@router.patch("/orders/{int:order_id}", response=BuyerOrderOut)
def order_change(request, order_id: int, payload: BuyerOrderChangeIn):
    """Change the packs, the drop-off point or the fulfilment while the wave is open; the
    packs are priced anew, and items' `price`, if sent, must be the prices now."""
    order = ordering.order_get(user=request.user, pk=order_id)
    ordering.order_change(
        user=request.user,
        order=order,
        items=None if payload.items is None else _items(payload.items),
        drop_off=payload.drop_off,
        fulfilment=payload.fulfilment,
        expected_prices={item.pack: item.price for item in payload.items or []},
    )
    return _order_out(request, ordering.order_get(user=request.user, pk=order_id))


@router.delete("/orders/{int:order_id}", response=BuyerOrderOut)
def order_cancel(request, order_id: int):
    """Cancel the order until the wave closes; its packs go back to the stock."""
    order = ordering.order_get(user=request.user, pk=order_id)
    ordering.order_cancel(user=request.user, order=order)
    return _order_out(request, ordering.order_get(user=request.user, pk=order_id))
