"""Order waves (gelombang): the order window and distribution day, who may buy, the
products offered with each seller's stock, the drop-off points with their PICs, and
publishing. Closing and the documents of a closed wave are in `closing`.

Central officers run national waves (and may run any); a province's officers run their
province's. Every officer sees the national waves and its province's, but changes only
those it runs. Stock is given in the product's unit (3,000 kg) and kept in thousandths.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulih.accounts.models import Organisation, Role
from pulih.core import formats
from pulih.core.scope import province_for_write
from pulih.wilayah.models import Province

from .models import OFFICERS, DropOffPoint, Order, Product, Wave, WaveProduct
from .products import MILLI, REGION_UNKNOWN, quantity_milli, quantity_text, region_exists

MAX_PACKS_PER_ORDER = 200
MAX_STOCK_UNITS = 10_000_000
MAX_TITLE = 200
MAX_ADDRESS = 300
ORGANISER_KINDS = (
    Organisation.Kind.MINISTRY,
    Organisation.Kind.DINAS,
    Organisation.Kind.STATE_ENTERPRISE,
)
EDITABLE = (Wave.Status.DRAFT, Wave.Status.PUBLISHED)
WAVE_FIELDS = {
    "title",
    "organiser",
    "opens_at",
    "closes_at",
    "distribution_on",
    "for_civil_servants",
    "for_state_enterprise_staff",
    "for_public",
    "institutions",
    "max_packs_per_order",
}
DROP_OFF_FIELDS = {"cluster", "address", "pic", "region_code", "capacity"}

TITLE_REQUIRED = _("Give the wave a title of at most 200 characters.")
ORGANISER_KIND = _(
    "The organiser must be a ministry, a regional office (dinas) or a state-owned company."
)
WINDOW_BACKWARDS = _("Orders must open before they close.")
DISTRIBUTION_BEFORE_CLOSE = _(
    "The distribution day cannot be before the day orders close (%(day)s)."
)
NO_AUDIENCE = _(
    "Choose who may buy: civil servants, employees of state-owned companies or the public."
)
MAX_PACKS_OUT_OF_RANGE = _("The most packs in one order must be a whole number from 1 to 200.")
PROVINCE_NOT_YOURS = _("You can only run waves of your own province.")
PROVINCE_UNKNOWN = _("%(code)s is not a province code.")
WAVE_NOT_EDITABLE = _("This wave is %(status)s: it can no longer be changed.")
WAVE_NOT_DRAFT = _("Only a draft wave can be published; this one is %(status)s.")
NO_OFFERS = _("Offer at least one product before publishing.")
NO_DROP_OFF = _("Add at least one drop-off point before publishing.")
PRODUCT_INACTIVE = _("This product is no longer active.")
PRODUCT_NO_PACKS = _("This product has no packs to sell.")
STOCK_INVALID = _("The stock must be a number above zero with at most three decimals.")
STOCK_TOO_LARGE = _("The stock is too large: at most 10,000,000 of the product's unit.")
STOCK_BELOW_SOLD = _("The stock cannot be less than what is already sold: %(sold)s.")
PIC_NOT_A_PIC = _("The PIC must be an active user with the drop-off PIC role.")
CLUSTER_REQUIRED = _("Give the cluster a name of at most 200 characters.")
CLUSTER_TAKEN = _("This wave already has a drop-off point for %(cluster)s.")
ADDRESS_REQUIRED = _("Give the drop-off point's address, at most 300 characters.")
CAPACITY_INVALID = _("The capacity must be a whole number of orders, at least 1.")
CAPACITY_BELOW_ORDERS = _(
    "The capacity cannot be less than the %(count)s orders this point already has."
)


def wave_manageable(user, wave):
    """Whether the user runs the wave: central officers any, a province officer its
    province's."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role == Role.PUSAT:
        return True
    return (
        user.role == Role.PROVINSI
        and bool(wave.province_code)
        and wave.province_code == user.province_code
    )


def _manage_check(user, wave):
    if not wave_manageable(user, wave):
        raise PermissionDenied


def _editable_check(wave):
    if wave.status not in EDITABLE:
        raise ValidationError(WAVE_NOT_EDITABLE % {"status": wave.get_status_display()})


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _aware(moment):
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


# Waves ---------------------------------------------------------------------------------


def wave_create(
    *,
    user,
    title,
    organiser,
    opens_at,
    closes_at,
    distribution_on,
    for_civil_servants=True,
    for_state_enterprise_staff=False,
    for_public=False,
    institutions=(),
    max_packs_per_order=20,
    province_code="",
) -> Wave:
    """A draft wave: national (no province) by central officers, a province's by its
    officers. Orders open before they close, and close no later than distribution day."""
    province = province_for_write(user, (province_code or "").strip(), PROVINCE_NOT_YOURS)
    fields = {
        "title": title,
        "organiser": organiser,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "distribution_on": distribution_on,
        "for_civil_servants": for_civil_servants,
        "for_state_enterprise_staff": for_state_enterprise_staff,
        "for_public": for_public,
        "max_packs_per_order": max_packs_per_order,
    }
    errors = {}
    fields = _wave_checked(fields, errors)
    if province and not Province.objects.filter(code=province).exists():
        errors["province_code"] = PROVINCE_UNKNOWN % {"code": province[:10]}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        wave = Wave.objects.create(province_code=province, created_by=user, **fields)
        wave.institutions.set(institutions)
    return wave


def wave_update(*, user, wave, **fields) -> Wave:
    """Change some of the fields of `wave_create` (not the province) while the wave is a
    draft or taking orders."""
    unknown = set(fields) - WAVE_FIELDS
    if unknown:
        raise TypeError(f"wave_update() got unexpected fields {sorted(unknown)}")
    _manage_check(user, wave)
    _editable_check(wave)
    institutions = fields.pop("institutions", None)
    merged = {field: getattr(wave, field) for field in WAVE_FIELDS - {"institutions"}}
    merged.update(fields)
    errors = {}
    merged = _wave_checked(merged, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for field, value in merged.items():
            setattr(wave, field, value)
        wave.save()
        if institutions is not None:
            wave.institutions.set(institutions)
    return wave


def _wave_checked(fields, errors):
    title = (fields["title"] or "").strip()
    if not title or len(title) > MAX_TITLE:
        errors["title"] = TITLE_REQUIRED
    if fields["organiser"].kind not in ORGANISER_KINDS:
        errors["organiser"] = ORGANISER_KIND
    opens_at, closes_at = _aware(fields["opens_at"]), _aware(fields["closes_at"])
    if opens_at >= closes_at:
        errors["closes_at"] = WINDOW_BACKWARDS
    closing_day = timezone.localdate(closes_at)
    if fields["distribution_on"] < closing_day:
        errors["distribution_on"] = DISTRIBUTION_BEFORE_CLOSE % {"day": formats.date(closing_day)}
    audiences = ("for_civil_servants", "for_state_enterprise_staff", "for_public")
    if not any(fields[audience] for audience in audiences):
        errors["for_civil_servants"] = NO_AUDIENCE
    most = fields["max_packs_per_order"]
    if not _whole(most) or not 1 <= most <= MAX_PACKS_PER_ORDER:
        errors["max_packs_per_order"] = MAX_PACKS_OUT_OF_RANGE
    return {
        **fields,
        "title": title,
        "opens_at": opens_at,
        "closes_at": closes_at,
        **{audience: bool(fields[audience]) for audience in audiences},
    }


def wave_publish(*, user, wave) -> Wave:
    """Open a draft wave to its buyers; it needs a product on offer and a drop-off point."""
    _manage_check(user, wave)
    if wave.status != Wave.Status.DRAFT:
        raise ValidationError(WAVE_NOT_DRAFT % {"status": wave.get_status_display()})
    errors = []
    if not wave.offers.filter(stock_milli__gt=0).exists():
        errors.append(NO_OFFERS)
    if not wave.drop_off_points.exists():
        errors.append(NO_DROP_OFF)
    if errors:
        raise ValidationError(errors)
    published = Wave.objects.filter(pk=wave.pk, status=Wave.Status.DRAFT).update(
        status=Wave.Status.PUBLISHED
    )
    wave.refresh_from_db()
    if not published:
        raise ValidationError(WAVE_NOT_DRAFT % {"status": wave.get_status_display()})
    return wave


# Offers --------------------------------------------------------------------------------


def wave_offer_set(*, user, wave, product, stock) -> WaveProduct:
    """Offer a product in the wave with `stock` of its unit, or set the stock of an offer.
    What was sold stays sold: the remaining stock moves by as much as the stock, and a
    stock below what is sold is refused, in one conditional UPDATE."""
    _manage_check(user, wave)
    _editable_check(wave)
    errors = {}
    if not product.active:
        errors["product"] = PRODUCT_INACTIVE
    elif not product.packs.filter(active=True).exists():
        errors["product"] = PRODUCT_NO_PACKS
    milli = quantity_milli(stock)
    if milli is None:
        errors["stock"] = STOCK_INVALID
    elif milli > MAX_STOCK_UNITS * MILLI:
        errors["stock"] = STOCK_TOO_LARGE
    if errors:
        raise ValidationError(errors)
    offers = WaveProduct.objects.filter(wave=wave, product=product)
    if not offers.exists():
        try:
            with transaction.atomic():
                return WaveProduct.objects.create(
                    wave=wave, product=product, stock_milli=milli, remaining_milli=milli
                )
        except IntegrityError:
            pass  # offered at the same moment by someone else: set its stock below
    changed = offers.filter(remaining_milli__gte=F("stock_milli") - milli).update(
        remaining_milli=F("remaining_milli") + milli - F("stock_milli"), stock_milli=milli
    )
    offer = offers.get()
    if not changed:
        sold = offer.stock_milli - offer.remaining_milli
        raise ValidationError(
            {"stock": STOCK_BELOW_SOLD % {"sold": quantity_text(sold, product.unit)}}
        )
    return offer


# Drop-off points -----------------------------------------------------------------------


def drop_off_add(*, user, wave, cluster, address, pic, region_code="", capacity=None):
    """A cluster's drop-off point with its PIC, who hands over its orders and takes the
    payments."""
    _manage_check(user, wave)
    _editable_check(wave)
    errors = {}
    fields = _drop_off_checked(
        wave,
        {
            "cluster": cluster,
            "address": address,
            "pic": pic,
            "region_code": region_code,
            "capacity": capacity,
        },
        errors,
    )
    if errors:
        raise ValidationError(errors)
    return DropOffPoint.objects.create(wave=wave, **fields)


def drop_off_update(*, user, drop_off, **fields) -> DropOffPoint:
    """Change some of a drop-off point's fields (those of `drop_off_add`); the capacity
    cannot fall below the orders it already has."""
    unknown = set(fields) - DROP_OFF_FIELDS
    if unknown:
        raise TypeError(f"drop_off_update() got unexpected fields {sorted(unknown)}")
    wave = drop_off.wave
    _manage_check(user, wave)
    _editable_check(wave)
    merged = {field: getattr(drop_off, field) for field in DROP_OFF_FIELDS}
    merged.update(fields)
    errors = {}
    merged = _drop_off_checked(wave, merged, errors, drop_off=drop_off)
    if errors:
        raise ValidationError(errors)
    for field, value in merged.items():
        setattr(drop_off, field, value)
    drop_off.save()
    return drop_off


def _drop_off_checked(wave, fields, errors, drop_off=None):
    cluster = (fields["cluster"] or "").strip()
    address = (fields["address"] or "").strip()
    region_code = (fields["region_code"] or "").strip()
    capacity, pic = fields["capacity"], fields["pic"]
    if not cluster or len(cluster) > 200:
        errors["cluster"] = CLUSTER_REQUIRED
    else:
        others = wave.drop_off_points.filter(cluster__iexact=cluster)
        if drop_off is not None:
            others = others.exclude(pk=drop_off.pk)
        if others.exists():
            errors["cluster"] = CLUSTER_TAKEN % {"cluster": cluster}
    if not address or len(address) > MAX_ADDRESS:
        errors["address"] = ADDRESS_REQUIRED
    if pic is None or pic.role != Role.PIC or not pic.is_active:
        errors["pic"] = PIC_NOT_A_PIC
    if region_code and not region_exists(region_code):
        errors["region_code"] = REGION_UNKNOWN % {"code": region_code[:20]}
    if capacity is not None:
        if not _whole(capacity) or capacity < 1:
            errors["capacity"] = CAPACITY_INVALID
        elif drop_off is not None:
            count = live_orders(drop_off.orders).count()
            if capacity < count:
                errors["capacity"] = CAPACITY_BELOW_ORDERS % {"count": formats.number(count)}
    return {
        "cluster": cluster,
        "address": address,
        "pic": pic,
        "region_code": region_code,
        "capacity": capacity,
    }


def live_orders(orders):
    return orders.exclude(status=Order.Status.CANCELLED)


# Reads ---------------------------------------------------------------------------------


def wave_list(*, user):
    """Officers the national waves and their province's; a seller the waves it offers in;
    a PIC those with its drop-off points. A wave joined to several offers or points of
    the user is listed once."""
    return Wave.objects.visible_to(user).distinct().select_related("organiser")


def wave_get(*, user, pk):
    wave = wave_list(user=user).filter(pk=pk).first()
    if wave is None:
        raise Http404
    return wave


def wave_offers(*, wave, user):
    """The wave's offers with their stock, sold and remaining in the product's unit; a
    seller sees only its own."""
    offers = wave.offers.select_related("product__seller").order_by(
        "product__seller__name", "product__name"
    )
    if user.role == Role.PENJUAL and not user.is_superuser:
        offers = offers.filter(product__seller_id=user.organisation_id)
    offers = list(offers)
    for offer in offers:
        unit = offer.product.unit
        offer.sold_milli = offer.stock_milli - offer.remaining_milli
        offer.stock_text = quantity_text(offer.stock_milli, unit)
        offer.sold_text = quantity_text(offer.sold_milli, unit)
        offer.remaining_text = quantity_text(offer.remaining_milli, unit)
    return offers


def wave_drop_offs(*, wave, user):
    """The wave's drop-off points with their PIC and live orders; a PIC sees only its own."""
    points = wave.drop_off_points.select_related("pic").annotate(
        order_count=Count("orders", filter=~Q(orders__status=Order.Status.CANCELLED))
    )
    if user.role == Role.PIC and not user.is_superuser:
        points = points.filter(pic=user)
    return points


def offerable_products(*, user):
    """Active products with packs the user may offer in a wave: those it sees."""
    return (
        Product.objects.visible_to(user)
        .filter(active=True, packs__active=True)
        .distinct()
        .select_related("seller")
    )


def drop_off_get(*, user, pk):
    """A drop-off point: officers those of the waves they see, a PIC its own."""
    points = DropOffPoint.objects.select_related("wave", "pic")
    point = None
    if user.is_superuser or user.role in OFFICERS:
        visible = Wave.objects.visible_to(user).values("pk")
        point = points.filter(pk=pk, wave__in=visible).first()
    elif user.role == Role.PIC:
        point = points.filter(pk=pk, pic=user).first()
    if point is None:
        raise Http404
    return point


def window_text(wave):
    """ "7 April 2020 08.00 – 8 April 2020 17.00"."""
    return f"{formats.datetime_(wave.opens_at)} – {formats.datetime_(wave.closes_at)}"
