"""Products, waves and closing over JSON: what sellers and officers do on the product and
wave pages. `GET /waves` and `GET /waves/{id}` are the buyers', in `api`; the writes of
those two paths are added to the buyers' router there, since Django sends a path to one
router only.

Conventions of the other APIs: reads go through the selectors, so an object outside the
caller's scope is 404 whatever the method; writes go through the services, whose
refusals are 422 with the message, or 403 when the caller sees the object but may not
change it (a province officer and a national wave). Products are for sellers and
officers, wave writes for officers, totals also for sellers (their own), pick lists for
officers and the point's PIC; to any other role these endpoints do not exist (404).
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from pulih.accounts.models import Organisation, Role, User
from pulih.core.audit import access_log_record

from . import closing, products, waves
from .api import router as buyers_router
from .api_manage_schemas import (
    DropOffIn,
    DropOffOut,
    OfferIn,
    OfferOut,
    PickListRowOut,
    ProductIn,
    ProductOut,
    ProductPatchIn,
    TotalsOut,
    WaveIn,
    WaveOut,
    WavePatchIn,
)
from .models import OFFICERS

TAGS = ["market: products, waves, closing"]
router = Router(tags=TAGS)

MAX_LIMIT = 500
PRODUCT_ROLES = {*OFFICERS, Role.PENJUAL}
NOT_FOUND = _("Not found.")
SELLER_REQUIRED = _("Name the seller organisation.")


def _allow(request, roles):
    user = request.user
    if not (user.is_superuser or user.role in roles):
        raise Http404


def _product(request, product_id):
    _allow(request, PRODUCT_ROLES)
    return products.product_get(user=request.user, pk=product_id)


def _wave(request, wave_id, roles=OFFICERS):
    _allow(request, roles)
    return waves.wave_get(user=request.user, pk=wave_id)


def _organisations(ids, field):
    """The organisations of `ids`, or a 422 naming the field when one is unknown."""
    found = list(Organisation.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({field: NOT_FOUND})
    return found


def _with_organisations(fields):
    """The payload's organisation ids as the organisations the services take."""
    if fields.get("organiser_id") is not None:
        fields["organiser"] = _organisations([fields["organiser_id"]], "organiser_id")[0]
    if fields.get("institution_ids") is not None:
        fields["institutions"] = _organisations(fields["institution_ids"], "institution_ids")
    fields.pop("organiser_id", None)
    fields.pop("institution_ids", None)
    return fields


# Products ------------------------------------------------------------------------------


@router.get("/products", response=list[ProductOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def product_list(request):
    """A seller's own products; officers those of their area."""
    _allow(request, PRODUCT_ROLES)
    return products.product_list(user=request.user)


@router.post("/products", response={201: ProductOut})
def product_create(request, payload: ProductIn):
    """A seller lists for its own organisation, an officer for a seller of its area
    (`seller_id`). Bad input is 422 with a message per field."""
    _allow(request, PRODUCT_ROLES)
    fields = payload.dict()
    seller_id = fields.pop("seller_id")
    if seller_id is None and request.user.role == Role.PENJUAL:
        seller_id = request.user.organisation_id
    seller = products.seller_choices(user=request.user).filter(pk=seller_id).first()
    if seller is None:
        raise ValidationError({"seller_id": NOT_FOUND if seller_id else SELLER_REQUIRED})
    product = products.product_create(user=request.user, seller=seller, **fields)
    return Status(201, _product(request, product.pk))


@router.get("/products/{int:product_id}", response=ProductOut)
def product_detail(request, product_id: int):
    return _product(request, product_id)


@router.patch("/products/{int:product_id}", response=ProductOut)
def product_update(request, product_id: int, payload: ProductPatchIn):
    """Change the fields given; a new price re-prices the packs, `pack_sizes` replaces
    them."""
    product = _product(request, product_id)
    fields = payload.dict(exclude_unset=True)
    products.product_update(user=request.user, product=product, **fields)
    return _product(request, product_id)


# Waves ---------------------------------------------------------------------------------


# Django sends a path to one router only, so the writes of /waves and /waves/{id} join
# the buyers' reads of the same paths on their router (`api`).
@buyers_router.post("/waves", response={201: WaveOut}, tags=TAGS)
def wave_create(request, payload: WaveIn):
    """A draft wave: national by central officers, a province's by its officers (others
    403)."""
    _allow(request, OFFICERS)
    fields = _with_organisations(payload.dict())
    wave = waves.wave_create(user=request.user, **fields)
    return Status(201, _wave(request, wave.pk))


@buyers_router.patch("/waves/{int:wave_id}", response=WaveOut, tags=TAGS)
def wave_update(request, wave_id: int, payload: WavePatchIn):
    """Change the fields given while the wave is a draft or taking orders."""
    wave = _wave(request, wave_id)
    fields = _with_organisations(payload.dict(exclude_unset=True))
    waves.wave_update(user=request.user, wave=wave, **fields)
    return _wave(request, wave_id)


@router.post("/waves/{int:wave_id}/offers", response={201: OfferOut})
def wave_offer_set(request, wave_id: int, payload: OfferIn):
    """Offer a product (one the caller sees) with its stock, or set an offer's stock; a
    stock below what is sold is 422."""
    wave = _wave(request, wave_id)
    product = products.product_list(user=request.user).filter(pk=payload.product_id).first()
    if product is None:
        raise ValidationError({"product_id": NOT_FOUND})
    offer = waves.wave_offer_set(user=request.user, wave=wave, product=product, stock=payload.stock)
    return Status(201, offer)


@router.post("/waves/{int:wave_id}/drop-off-points", response={201: DropOffOut})
def drop_off_add(request, wave_id: int, payload: DropOffIn):
    """A drop-off point and its PIC (a user of the PIC role)."""
    wave = _wave(request, wave_id)
    fields = payload.dict()
    fields["pic"] = User.objects.filter(pk=fields.pop("pic_id")).first()
    point = waves.drop_off_add(user=request.user, wave=wave, **fields)
    return Status(201, point)


@router.post("/waves/{int:wave_id}/publish", response=WaveOut)
def wave_publish(request, wave_id: int):
    wave = _wave(request, wave_id)
    waves.wave_publish(user=request.user, wave=wave)
    return _wave(request, wave_id)


@router.post("/waves/{int:wave_id}/close", response=WaveOut)
def wave_close(request, wave_id: int):
    """Close the wave (early only by the organiser's officers) and work out what each
    seller is owed; closing again changes nothing."""
    wave = _wave(request, wave_id)
    closing.wave_close(user=request.user, wave=wave)
    return _wave(request, wave_id)


@router.get("/waves/{int:wave_id}/totals", response=TotalsOut)
def wave_totals(request, wave_id: int):
    """Orders not cancelled, per seller and product: packs by size, quantity (kg and
    tonnes), Rupiah. A seller gets its own products only."""
    wave = _wave(request, wave_id, roles=PRODUCT_ROLES)
    user = request.user
    own = user.organisation if user.role == Role.PENJUAL and not user.is_superuser else None
    totals = closing.wave_totals(wave=wave, seller=own)
    return {
        "status": wave.status,
        "orders": totals["orders"],
        "packs": totals["packs"],
        "kg": totals["kg"],
        "tonnes": totals["tonnes"],
        "amount": totals["amount"],
        "sellers": [_seller_total(group) for group in totals["sellers"]],
    }


def _seller_total(group):
    return {
        "seller_id": group["seller"].pk,
        "seller": group["seller"].name,
        "kg": group["kg"],
        "tonnes": group["tonnes"],
        "amount": group["amount"],
        "products": [
            {
                "product_id": entry["product"].pk,
                "product": entry["product"].name,
                "unit": entry["unit"],
                "packs": [
                    {
                        "size": pack["size_milli"] / products.MILLI,
                        "packs": pack["packs"],
                        "amount": pack["amount"],
                    }
                    for pack in entry["packs"]
                ],
                "pack_count": entry["pack_count"],
                "quantity": entry["quantity_milli"] / products.MILLI,
                "kg": entry["kg"],
                "tonnes": entry["tonnes"],
                "amount": entry["amount"],
            }
            for entry in group["products"]
        ],
    }


@router.get("/drop-off-points/{int:drop_off_id}/pick-list", response=list[PickListRowOut])
def pick_list(request, drop_off_id: int):
    """The point's orders to hand over (not cancelled), once the wave is closed (422
    before): officers of the wave and the point's PIC."""
    _allow(request, {*OFFICERS, Role.PIC})
    drop_off = waves.drop_off_get(user=request.user, pk=drop_off_id)
    if not closing.documents_ready(drop_off.wave):
        raise ValidationError(closing.NOT_CLOSED_YET)
    access_log_record(request=request, obj=drop_off, channel="api")
    return [
        {
            "order_id": row["order"].pk,
            "code": row["code"],
            "buyer_name": row["buyer_name"],
            "nip": row["nip"],
            "institution": row["institution"],
            "phone": row["phone"],
            "packs": [
                {
                    "product": pack["product"],
                    "size": pack["size_text"],
                    "quantity": pack["quantity"],
                    "amount": pack["amount"],
                }
                for pack in row["packs"]
            ],
            "amount": row["amount"],
            "amount_paid": row["amount_paid"],
            "outstanding": row["outstanding"],
            "paid": row["paid"],
            "payment_status": row["order"].payment_status,
            "fulfilment": row["order"].fulfilment,
            "status": row["order"].status,
        }
        for row in closing.pick_list(drop_off=drop_off)
    ]
