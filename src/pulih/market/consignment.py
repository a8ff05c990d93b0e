"""PLUT consignment: the province's PLUT KUMKM gallery sells products its UMKM leave with it
(titip jual), and pays each seller what sold, less the gallery's commission.

An item is one product in one province's gallery, with its price and commission. Its
stock on hand is what was received less what was sold and returned; a sale or a return
never takes more than is on hand (the item row is locked while it is counted). A
settlement pays a seller all its sales not yet settled in that gallery: gross, commission
(the sum of each sale times its item's commission, rounded to the Rupiah once), net. The
sales are linked to the settlement, so a sale is never paid twice.

Who: the province's officers run their gallery, central officers every gallery; a
regency's officers and field assistants read their UMKM's items; a seller reads its own
items and settlements. Everyone else finds nothing (404).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulih.accounts.models import Organisation, Role
from pulih.core import formats
from pulih.core.scope import province_for_write
from pulih.wilayah.models import Province

from .models import (
    OFFICERS,
    ConsignmentItem,
    ConsignmentMovement,
    ConsignmentSettlement,
    Product,
)

Kind = ConsignmentMovement.Kind
WRITERS = {Role.PUSAT, Role.PROVINSI}
READERS = {*OFFICERS, Role.PENJUAL}
MAX_QUANTITY = 1_000_000
MAX_PRICE = 1_000_000_000

OTHER_PROVINCE = _("You keep the PLUT gallery of your own province only.")
UNKNOWN_PROVINCE = _("Choose the province whose PLUT gallery this is.")
PRODUCT_OF_OTHER_PROVINCE = _(
    "A province's PLUT gallery takes the products of that province's UMKM only."
)
QUANTITY_INVALID = _("The quantity must be a whole number of items from 1 to %(max)s.")
PRICE_INVALID = _("The price must be a whole number of Rupiah from 1 to %(max)s.")
COMMISSION_INVALID = _("The commission is a percentage from 0 to 100.")
COMMISSION_WITH_UNSETTLED = _(
    "This item has sales not settled yet at %(percent)s%%: settle them before changing the "
    "commission."
)
DATE_IN_FUTURE = _("The date cannot be in the future.")
NOT_ENOUGH_TO_SELL = _("Only %(on_hand)s on hand: %(quantity)s cannot be sold.")
NOT_ENOUGH_TO_RETURN = _("Only %(on_hand)s on hand: %(quantity)s cannot be returned.")
NOTHING_TO_SETTLE = _("%(seller)s has no unsettled sales in this PLUT gallery.")


def _writer(user):
    if not (user.is_superuser or user.role in WRITERS):
        raise PermissionDenied


def _province(user, province_code):
    province = province_for_write(user, province_code, OTHER_PROVINCE)
    if not province or not Province.objects.filter(code=province).exists():
        raise ValidationError({"province_code": UNKNOWN_PROVINCE})
    return province


def _quantity(quantity):
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        quantity = 0
    if not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationError(
            {"quantity": QUANTITY_INVALID % {"max": formats.number(MAX_QUANTITY)}}
        )


def _price(price):
    if isinstance(price, bool) or not isinstance(price, int):
        price = 0
    if not 1 <= price <= MAX_PRICE:
        raise ValidationError({"price": PRICE_INVALID % {"max": formats.rupiah(MAX_PRICE)}})


def _percent(percent):
    try:
        percent = Decimal(str(percent))
    except ArithmeticError as exc:
        raise ValidationError({"commission_percent": COMMISSION_INVALID}) from exc
    if not percent.is_finite() or not 0 <= percent <= 100 or percent != round(percent, 2):
        raise ValidationError({"commission_percent": COMMISSION_INVALID})
    return percent


def _date(on, field="on"):
    if on > timezone.localdate():
        raise ValidationError({field: DATE_IN_FUTURE})


def commission_of(sales):
    """The commission on (amount, percent) pairs, rounded half up to the Rupiah once."""
    total = sum((Decimal(amount) * Decimal(percent) for amount, percent in sales), Decimal(0))
    return int((total / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def on_hand(item):
    counted = item.movements.aggregate(
        received=Coalesce(Sum("quantity", filter=Q(kind=Kind.RECEIVED)), 0),
        gone=Coalesce(Sum("quantity", filter=~Q(kind=Kind.RECEIVED)), 0),
    )
    return counted["received"] - counted["gone"]


@transaction.atomic
def consignment_receive(
    *, user, province_code, product, quantity, on, price=None, commission_percent=None
) -> ConsignmentItem:
    """Record items the seller left with the province's PLUT gallery. The first receipt
    of a product makes its item, at `price` (the product's price per unit when left out)
    and `commission_percent` (0 when left out); a later one may change them for the sales
    to come."""
    _writer(user)
    province = _province(user, province_code)
    product = Product.objects.get_visible_or_404(user, pk=product.pk)
    if product.province_code != province:
        raise ValidationError({"product": PRODUCT_OF_OTHER_PROVINCE})
    _quantity(quantity)
    _date(on)
    if price is not None:
        _price(price)
    percent = _percent(commission_percent) if commission_percent is not None else None
    item, created = ConsignmentItem.objects.get_or_create(
        province_code=province,
        product=product,
        defaults={
            "price": product.price_per_unit if price is None else price,
            "commission_percent": percent or 0,
            "created_by": user,
        },
    )
    item = ConsignmentItem.objects.select_for_update().get(pk=item.pk)
    if not created:
        if percent is not None and percent != item.commission_percent:
            if item.movements.filter(kind=Kind.SOLD, settlement__isnull=True).exists():
                raise ValidationError(
                    {
                        "commission_percent": COMMISSION_WITH_UNSETTLED
                        % {"percent": formats.number(item.commission_percent, digits=2)}
                    }
                )
            item.commission_percent = percent
        if price is not None:
            item.price = price
        item.save(update_fields=["price", "commission_percent"])
    ConsignmentMovement.objects.create(
        item=item, kind=Kind.RECEIVED, quantity=quantity, on=on, recorded_by=user
    )
    return item


def _take(*, user, item, quantity, on, kind, refused, price=None):
    """Sell or return `quantity` of the item, never more than is on hand."""
    _writer(user)
    ConsignmentItem.objects.get_visible_or_404(user, pk=item.pk)
    _quantity(quantity)
    _date(on)
    if price is not None:
        _price(price)
    item = ConsignmentItem.objects.select_for_update().get(pk=item.pk)
    available = on_hand(item)
    if quantity > available:
        raise ValidationError(
            {
                "quantity": refused
                % {"on_hand": formats.number(available), "quantity": formats.number(quantity)}
            }
        )
    amount = (item.price if price is None else price) * quantity if kind == Kind.SOLD else 0
    return ConsignmentMovement.objects.create(
        item=item, kind=kind, quantity=quantity, on=on, amount=amount, recorded_by=user
    )


@transaction.atomic
def consignment_sell(*, user, item, quantity, on, price=None) -> ConsignmentMovement:
    """Record a sale in the gallery, at the item's price unless another is given."""
    return _take(
        user=user,
        item=item,
        quantity=quantity,
        on=on,
        kind=Kind.SOLD,
        refused=NOT_ENOUGH_TO_SELL,
        price=price,
    )


@transaction.atomic
def consignment_return(*, user, item, quantity, on) -> ConsignmentMovement:
    """Record items handed back to the seller."""
    return _take(
        user=user,
        item=item,
        quantity=quantity,
        on=on,
        kind=Kind.RETURNED,
        refused=NOT_ENOUGH_TO_RETURN,
    )


@transaction.atomic
def consignment_settle(
    *, user, province_code, seller, paid_on, reference=""
) -> ConsignmentSettlement:
    """Pay the seller every sale of the province's gallery not settled yet, less the
    commission. The sales are locked and linked to the settlement: paid once only."""
    _writer(user)
    province = _province(user, province_code)
    _date(paid_on, "paid_on")
    sales = list(
        ConsignmentMovement.objects.select_for_update(of=("self",))
        .filter(
            kind=Kind.SOLD,
            settlement__isnull=True,
            item__province_code=province,
            item__product__seller=seller,
        )
        .select_related("item")
    )
    if not sales:
        raise ValidationError(NOTHING_TO_SETTLE % {"seller": seller.name})
    gross = sum(sale.amount for sale in sales)
    commission = commission_of((sale.amount, sale.item.commission_percent) for sale in sales)
    settlement = ConsignmentSettlement(
        province_code=province,
        seller=seller,
        gross=gross,
        commission=commission,
        net=gross - commission,
        paid_on=paid_on,
        reference=(reference or "").strip(),
        recorded_by=user,
    )
    settlement.full_clean(exclude=["seller", "recorded_by"])
    settlement.save()
    ConsignmentMovement.objects.filter(pk__in=[sale.pk for sale in sales]).update(
        settlement=settlement
    )
    return settlement


# Reads ---------------------------------------------------------------------------------


def _province_name():
    return Subquery(Province.objects.filter(code=OuterRef("province_code")).values("name")[:1])


def _counted(items):
    def total(field, **kinds):
        return Coalesce(Sum(f"movements__{field}", filter=Q(**kinds)), 0)

    return items.annotate(
        received=total("quantity", movements__kind=Kind.RECEIVED),
        sold=total("quantity", movements__kind=Kind.SOLD),
        returned=total("quantity", movements__kind=Kind.RETURNED),
        sales_amount=total("amount", movements__kind=Kind.SOLD),
        unsettled_amount=total(
            "amount", movements__kind=Kind.SOLD, movements__settlement__isnull=True
        ),
    ).annotate(on_hand=F("received") - F("sold") - F("returned"))


def consignment_items(*, user, province="", seller=None):
    """The items the user sees, with received, sold, returned, on hand, sales amount and
    the amount not settled yet."""
    items = ConsignmentItem.objects.visible_to(user)
    if province:
        items = items.filter(province_code=province)
    if seller is not None:
        items = items.filter(product__seller=seller)
    return _counted(
        items.select_related("product__seller").annotate(province_name=_province_name())
    ).order_by("province_code", "product__name", "pk")


def consignment_item_get(*, user, pk):
    try:
        return consignment_items(user=user).get(pk=pk)
    except (ConsignmentItem.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def consignment_movements(*, item):
    return item.movements.select_related("recorded_by", "settlement").order_by("on", "pk")


@dataclass(frozen=True)
class Balance:
    """What a province's gallery owes a seller for the sales not settled yet."""

    province_code: str
    province_name: str
    seller: Organisation
    gross: int
    commission: int
    net: int


def consignment_balances(*, user, province=""):
    """Per gallery and seller, the unsettled sales: gross, commission and net."""
    sales = ConsignmentMovement.objects.filter(
        kind=Kind.SOLD,
        settlement__isnull=True,
        item__in=ConsignmentItem.objects.visible_to(user),
    )
    if province:
        sales = sales.filter(item__province_code=province)
    grouped = defaultdict(list)
    for row in sales.values(
        "item__province_code", "item__product__seller", "item__commission_percent"
    ).annotate(amount=Sum("amount")):
        key = (row["item__province_code"], row["item__product__seller"])
        grouped[key].append((row["amount"], row["item__commission_percent"]))
    sellers = Organisation.objects.in_bulk({seller for _province, seller in grouped})
    names = dict(Province.objects.values_list("code", "name"))
    balances = []
    for (province_code, seller_id), amounts in grouped.items():
        gross = sum(amount for amount, _percent in amounts)
        commission = commission_of(amounts)
        balances.append(
            Balance(
                province_code=province_code,
                province_name=names.get(province_code, province_code),
                seller=sellers[seller_id],
                gross=gross,
                commission=commission,
                net=gross - commission,
            )
        )
    return sorted(balances, key=lambda b: (b.province_code, b.seller.name))


def consignment_settlements(*, user, province="", seller=None):
    """The settlements of sales of items the user sees."""
    visible = ConsignmentMovement.objects.filter(
        settlement=OuterRef("pk"), item__in=ConsignmentItem.objects.visible_to(user)
    )
    settlements = ConsignmentSettlement.objects.filter(Exists(visible))
    if province:
        settlements = settlements.filter(province_code=province)
    if seller is not None:
        settlements = settlements.filter(seller=seller)
    return (
        settlements.select_related("seller")
        .annotate(province_name=_province_name())
        .order_by("-paid_on", "-pk")
    )
