"""Products and their packs: what a cooperative or UMKM sells, listed by the seller itself
or by an officer of the seller's area.

A pack's price is the price per unit times its size, rounded to whole Rupiah, so 5 kg of
rice at Rp 11,000 per kg is Rp 55,000; a new price re-prices every pack. An order keeps
the price of its moment on its lines, so a new price never changes what a buyer owes.
Pack sizes are given in the product's unit (5, 10, 20 or 0.25) and kept in thousandths.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from urllib.parse import urlsplit

from babel.numbers import format_decimal
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pulih.accounts.models import Organisation, Role
from pulih.core import formats
from pulih.core.ids import parse_phone, problems_text
from pulih.core.images import image_checked
from pulih.core.scope import Level, code_in_scope
from pulih.wilayah.selectors import LEVEL_MODELS

from .models import OFFICERS, SELLER_KINDS, Category, Pack, Product, Unit

MILLI = 1000
# Rp 100 million for one kg, litre or piece is no staple's price: a typing slip.
MAX_PRICE_PER_UNIT = 100_000_000
# A pack of at most 1,000 of its unit: a tonne of rice.
MAX_PACK_UNITS = 1_000
MAX_SIZES = 10
MAX_LINKS = 10
MAX_LINK_LENGTH = 500
MAX_NAME = 200
MAX_DESCRIPTION = 5_000
MANAGERS = {*OFFICERS, Role.PENJUAL}
UPDATABLE = {
    "name",
    "category",
    "unit",
    "price_per_unit",
    "pack_sizes",
    "description",
    "whatsapp",
    "marketplace_links",
    "public",
    "active",
    "photo",
    "region_code",
}

NAME_REQUIRED = _("Give the product a name of at most 200 characters.")
CATEGORY_UNKNOWN = _("Choose one of the listed categories.")
UNIT_UNKNOWN = _("Choose kg, litre or piece as the unit.")
UNIT_FIXED = _("The unit cannot change once the product is offered in a wave.")
PRICE_NOT_POSITIVE = _("The price per unit must be a whole number of Rupiah above zero.")
PRICE_TOO_LARGE = _("The price per unit is too large: at most Rp 100,000,000.")
NO_SIZES = _("Give at least one pack size.")
TOO_MANY_SIZES = _("A product has at most 10 pack sizes.")
SIZE_INVALID = _(
    "A pack size must be a number above zero with at most three decimals, e.g. 5 or 0.25 "
    "(not %(size)s)."
)
SIZE_TOO_LARGE = _("A pack holds at most 1,000 of the product's unit (not %(size)s).")
SIZES_REPEATED = _("Each pack size may be given once only (%(size)s is repeated).")
SELLER_NOT_A_SELLER = _("The seller must be a cooperative or a business (UMKM).")
WHATSAPP_INVALID = _("The WhatsApp number is not valid: %(reason)s.")
TOO_MANY_LINKS = _("Give at most 10 marketplace links.")
LINK_INVALID = _(
    "A marketplace link must be a web address starting with http:// or https:// (not %(link)s)."
)
DESCRIPTION_TOO_LONG = _("The description is too long: at most 5,000 characters.")
REGION_UNKNOWN = _("%(code)s is not a known region code (e.g. 32.12 or 32.12.01).")
REGION_MISSING = _("Give the product's region: its seller has none.")
REGION_OUTSIDE_SELLER = _("The product's region must lie within its seller's (%(code)s).")


# Writes --------------------------------------------------------------------------------


def product_create(
    *,
    user,
    seller,
    name,
    category,
    unit,
    price_per_unit,
    pack_sizes,
    description="",
    whatsapp="",
    marketplace_links=(),
    public=True,
    photo=None,
    region_code="",
) -> Product:
    """A product with its packs. A seller lists its own organisation's products; an
    officer those of sellers in its area. The region is `region_code` (within the
    seller's) or else the seller's own."""
    _manager_check(user, seller)
    errors = {}
    if seller.kind not in SELLER_KINDS:
        errors["seller"] = SELLER_NOT_A_SELLER
    fields = _fields_checked(
        {
            "name": name,
            "category": category,
            "unit": unit,
            "price_per_unit": price_per_unit,
            "description": description,
            "whatsapp": whatsapp,
            "marketplace_links": marketplace_links,
            "public": public,
            "photo": photo,
        },
        errors,
    )
    sizes = _sizes_checked(pack_sizes, errors)
    region = _region_checked(seller, region_code, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        product = Product(seller=seller, created_by=user, **fields)
        product.set_region(region)
        product.save()
        _packs_write(product, sizes)
    return product


def product_update(*, user, product, **fields) -> Product:
    """Change some of a product's fields (those of `product_create` but the seller, and
    `active`). `pack_sizes` replaces the packs; a new price re-prices them; `photo=False`
    removes the photo."""
    unknown = set(fields) - UPDATABLE
    if unknown:
        raise TypeError(f"product_update() got unexpected fields {sorted(unknown)}")
    _manager_check(user, product.seller)
    errors = {}
    sizes = fields.pop("pack_sizes", None)
    region_code = fields.pop("region_code", None)
    cleaned = _fields_checked(fields, errors)
    if sizes is not None:
        sizes = _sizes_checked(sizes, errors)
    region = None if region_code is None else _region_checked(product.seller, region_code, errors)
    if cleaned.get("unit", product.unit) != product.unit and product.offers.exists():
        errors["unit"] = UNIT_FIXED
    if errors:
        raise ValidationError(errors)
    old_photo = product.photo.name if "photo" in cleaned else ""
    with transaction.atomic():
        for field, value in cleaned.items():
            setattr(product, field, value)
        if region is not None:
            product.set_region(region)
        product.save()
        if sizes is not None:
            _packs_write(product, sizes)
        elif "price_per_unit" in cleaned:
            active = product.packs.filter(active=True).values_list("size_milli", flat=True)
            _packs_write(product, list(active))
        if old_photo and old_photo != product.photo.name:
            storage = product.photo.storage
            transaction.on_commit(lambda: storage.delete(old_photo))
    return product


def pack_sizes_set(*, user, product, sizes) -> list[Pack]:
    """The product's packs are exactly `sizes` from now on, priced at its price per unit.
    Packs of other sizes are kept inactive: orders placed in them still point at them."""
    _manager_check(user, product.seller)
    errors = {}
    sizes = _sizes_checked(sizes, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _packs_write(product, sizes)
    return list(product.packs.filter(active=True))


def pack_price(price_per_unit, size_milli):
    """Price per unit × size, to the nearest Rupiah (halves up): 0.25 kg at Rp 11,000 is
    Rp 2,750."""
    exact = Decimal(price_per_unit) * size_milli / MILLI
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _packs_write(product, sizes):
    existing = {pack.size_milli: pack for pack in product.packs.all()}
    changed, new = [], []
    for size in sizes:
        price = pack_price(product.price_per_unit, size)
        pack = existing.get(size)
        if pack is None:
            new.append(Pack(product=product, size_milli=size, price=price))
        else:
            pack.price, pack.active = price, True
            changed.append(pack)
    for size, pack in existing.items():
        if size not in sizes:
            pack.price, pack.active = pack_price(product.price_per_unit, size), False
            changed.append(pack)
    Pack.objects.bulk_update(changed, ["price", "active"])
    Pack.objects.bulk_create(new)


def _manager_check(user, seller):
    if not seller_manageable(user, seller):
        raise PermissionDenied


def seller_manageable(user, seller):
    """A seller manages its own organisation's products, an officer those of sellers
    whose region lies in its area, a central officer any."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.scope_level == Level.NATION:
        return True
    if user.role == Role.PENJUAL:
        return seller.pk == user.organisation_id
    return user.role in OFFICERS and code_in_scope(user, seller.region_code)


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _fields_checked(fields, errors):
    """The fields given, cleaned; every problem found goes into `errors`."""
    cleaned = {}
    for field, value in fields.items():
        checker = CHECKERS.get(field)
        if checker is None:
            cleaned[field] = value
            continue
        try:
            cleaned[field] = checker(value)
        except ValidationError as error:
            errors[field] = error.messages
    if cleaned.get("photo", False) is None:
        del cleaned["photo"]
    return cleaned


def _name(value):
    name = (value or "").strip()
    if not name or len(name) > MAX_NAME:
        raise ValidationError(NAME_REQUIRED)
    return name


def _choice(choices, message):
    def check(value):
        if value not in choices.values:
            raise ValidationError(message)
        return value

    return check


def _price(value):
    if not _whole(value) or value <= 0:
        raise ValidationError(PRICE_NOT_POSITIVE)
    if value > MAX_PRICE_PER_UNIT:
        raise ValidationError(PRICE_TOO_LARGE)
    return value


def _description(value):
    text = (value or "").strip()
    if len(text) > MAX_DESCRIPTION:
        raise ValidationError(DESCRIPTION_TOO_LONG)
    return text


def _whatsapp(value):
    if not (value or "").strip():
        return ""
    result = parse_phone(value)
    if not result.valid:
        reason = problems_text(result.errors, get_language())
        raise ValidationError(WHATSAPP_INVALID % {"reason": reason})
    return result.e164


def _links(value):
    links = [link.strip() for link in (value or []) if link and link.strip()]
    if len(links) > MAX_LINKS:
        raise ValidationError(TOO_MANY_LINKS)
    for link in links:
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or not parts.netloc or len(link) > MAX_LINK_LENGTH:
            raise ValidationError(LINK_INVALID % {"link": link[:80]})
    return links


def _photo(value):
    """None: no photo given; False: remove it; a file: checked and renamed."""
    if value is None or value is False:
        return value if value is None else ""
    return image_checked(value)


CHECKERS = {
    "name": _name,
    "category": _choice(Category, CATEGORY_UNKNOWN),
    "unit": _choice(Unit, UNIT_UNKNOWN),
    "price_per_unit": _price,
    "description": _description,
    "whatsapp": _whatsapp,
    "marketplace_links": _links,
    "public": bool,
    "active": bool,
    "photo": _photo,
}


def quantity_milli(value):
    """A quantity in a unit ("0.25", "2,5", 5, Decimal) as whole thousandths; None if it
    is not a number above zero with at most three decimals."""
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not number.is_finite() or number <= 0:
        return None
    milli = number * MILLI
    if milli != milli.to_integral_value():
        return None
    return int(milli)


def _sizes_checked(sizes, errors):
    """Pack sizes in thousandths of the unit, smallest first."""
    sizes = list(sizes or [])
    if not sizes:
        errors["pack_sizes"] = NO_SIZES
        return []
    if len(sizes) > MAX_SIZES:
        errors["pack_sizes"] = TOO_MANY_SIZES
        return []
    result, problems = [], []
    for size in sizes:
        milli = quantity_milli(size)
        if milli is None:
            problems.append(SIZE_INVALID % {"size": str(size)[:20]})
        elif milli > MAX_PACK_UNITS * MILLI:
            problems.append(SIZE_TOO_LARGE % {"size": str(size)[:20]})
        elif milli in result:
            problems.append(SIZES_REPEATED % {"size": str(size)[:20]})
        else:
            result.append(milli)
    if problems:
        errors["pack_sizes"] = problems
    return sorted(result)


def region_exists(code):
    depth = code.count(".")
    return depth < len(LEVEL_MODELS) and LEVEL_MODELS[depth].objects.filter(code=code).exists()


def _region_checked(seller, code, errors):
    code = (code or "").strip() or seller.region_code
    if not code:
        errors["region_code"] = REGION_MISSING
    elif not region_exists(code):
        errors["region_code"] = REGION_UNKNOWN % {"code": code[:20]}
    elif seller.region_code and not (
        code == seller.region_code or code.startswith(seller.region_code + ".")
    ):
        errors["region_code"] = REGION_OUTSIDE_SELLER % {"code": seller.region_code}
    return code


# Reads ---------------------------------------------------------------------------------


def quantity_text(milli, unit):
    """Thousandths of a unit as people write them: "2,9 t", "250 kg", "1,5 liter"."""
    amount = Decimal(milli) / MILLI
    if unit == Unit.KG:
        return formats.weight(amount)
    number = format_decimal(amount, format="#,##0.###", locale=formats.babel_locale())
    return f"{number} {Unit(unit).label}"


def _active_packs():
    return Prefetch("packs", queryset=Pack.objects.filter(active=True), to_attr="active_packs")


def _products():
    return Product.objects.select_related("seller").prefetch_related(_active_packs())


def product_list(*, user):
    """Products the user sees: a seller its own, officers those of their area."""
    return _products().visible_to(user)


def product_get(*, user, pk):
    product = _products().get_visible_or_404(user, pk=pk)
    for pack in product.active_packs:
        pack.size_text = quantity_text(pack.size_milli, product.unit)
    return product


def seller_choices(*, user):
    """The cooperatives and businesses the user may list products for."""
    sellers = Organisation.objects.filter(kind__in=SELLER_KINDS)
    if not user.is_authenticated or not user.is_active:
        return sellers.none()
    if user.is_superuser or user.scope_level == Level.NATION:
        return sellers
    if user.role == Role.PENJUAL:
        return sellers.filter(pk=user.organisation_id)
    if user.role not in OFFICERS:
        return sellers.none()
    codes = {
        Level.PROVINCE: [user.province_code],
        Level.REGENCY: [user.regency_code],
        Level.DISTRICTS: user.district_codes(),
    }.get(user.scope_level, [])
    within = Q(pk__in=[])
    for code in filter(None, codes):
        within |= Q(region_code=code) | Q(region_code__startswith=f"{code}.")
    return sellers.filter(within)
