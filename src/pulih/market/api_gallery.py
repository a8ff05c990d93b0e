"""The public gallery and the PLUT consignment over JSON, at /api/v1/market.

`GET /gallery` and `GET /gallery/{id}` need no sign-in and carry no personal data; a
product that is not public or not active is not found (404).

The consignment endpoints follow `consignment`: officers of a province and the centre
record receipts, sales, returns and settlements; a regency's officers and a seller read
(403 on the writes); other roles find no endpoint (404), nor anyone an item outside their
scope. Refusals are 422 with the message.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.pagination import LimitOffsetPagination, paginate

from pulih.accounts.models import Organisation

from . import consignment, gallery
from .api_gallery_schemas import (
    ConsignmentFilters,
    ConsignmentItemOut,
    GalleryFilters,
    GalleryPage,
    GalleryProductOut,
    ReceiveIn,
    ReturnIn,
    SellIn,
    SettleIn,
    SettlementOut,
)
from .models import SELLER_KINDS, Product

router = Router(tags=["market: gallery and consignment"])

MAX_LIMIT = 500


def _reader(request):
    user = request.user
    if not (user.is_superuser or user.role in consignment.READERS):
        raise Http404


def _seller(seller_id):
    return get_object_or_404(Organisation, pk=seller_id, kind__in=SELLER_KINDS)


# Gallery -------------------------------------------------------------------------------


@router.get("/gallery", response=GalleryPage, auth=None)
def gallery_list(request, filters: Query[GalleryFilters]):
    """Public active products by name; `count` is the number matching the filters."""
    fields = filters.dict(exclude_none=True)
    limit, offset = fields.pop("limit"), fields.pop("offset")
    products = gallery.gallery_products(**fields)
    return {
        "count": products.count(),
        "items": [gallery.gallery_card(p) for p in products[offset : offset + limit]],
    }


@router.get("/gallery/{int:product_id}", response=GalleryProductOut, auth=None)
def gallery_product(request, product_id: int):
    return gallery.gallery_card(gallery.gallery_product_get(pk=product_id))


# Consignment ---------------------------------------------------------------------------


@router.get("/consignment", response=list[ConsignmentItemOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def consignment_list(request, filters: Query[ConsignmentFilters]):
    """The PLUT items the caller sees, with stock on hand and unsettled sales."""
    _reader(request)
    seller = _seller(filters.seller_id) if filters.seller_id else None
    return consignment.consignment_items(
        user=request.user, province=filters.province or "", seller=seller
    )


@router.post("/consignment/receive", response=ConsignmentItemOut)
def consignment_receive(request, payload: ReceiveIn):
    """Items a seller left with the gallery; the first receipt makes the item."""
    _reader(request)
    fields = payload.dict(exclude={"product_id"})
    fields["province_code"] = fields["province_code"] or ""
    product = get_object_or_404(Product.objects.visible_to(request.user), pk=payload.product_id)
    item = consignment.consignment_receive(user=request.user, product=product, **fields)
    return consignment.consignment_item_get(user=request.user, pk=item.pk)


@router.post("/consignment/{int:item_id}/sell", response=ConsignmentItemOut)
def consignment_sell(request, item_id: int, payload: SellIn):
    """A sale in the gallery; never more than on hand."""
    _reader(request)
    item = consignment.consignment_item_get(user=request.user, pk=item_id)
    consignment.consignment_sell(user=request.user, item=item, **payload.dict())
    return consignment.consignment_item_get(user=request.user, pk=item.pk)


@router.post("/consignment/{int:item_id}/return", response=ConsignmentItemOut)
def consignment_return(request, item_id: int, payload: ReturnIn):
    """Items handed back to the seller; never more than on hand."""
    _reader(request)
    item = consignment.consignment_item_get(user=request.user, pk=item_id)
    consignment.consignment_return(user=request.user, item=item, **payload.dict())
    return consignment.consignment_item_get(user=request.user, pk=item.pk)


@router.get("/consignment/settlements", response=list[SettlementOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def consignment_settlement_list(request, filters: Query[ConsignmentFilters]):
    _reader(request)
    seller = _seller(filters.seller_id) if filters.seller_id else None
    return consignment.consignment_settlements(
        user=request.user, province=filters.province or "", seller=seller
    )


@router.post("/consignment/settle", response=SettlementOut)
def consignment_settle(request, payload: SettleIn):
    """Pay the seller every unsettled sale of the gallery, less the commission."""
    _reader(request)
    return consignment.consignment_settle(
        user=request.user,
        province_code=payload.province_code or "",
        seller=_seller(payload.seller_id),
        paid_on=payload.paid_on,
        reference=payload.reference,
    )
