"""Raw-material suppliers verified by the industry ministry (Kemenperin): recording them
with the materials they supply and their monthly capacity, their verification, and the
reads of them.

The list is national and kept by central officers (pusat); every officer reads it,
because matching a producer to a supplier looks across provinces. Other roles see none.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pulih.accounts.models import Role
from pulih.core.ids import parse_phone, problems_text
from pulih.wilayah.models import District, Regency, Village

from .models import Supplier, SupplierMaterial

# Within what the capacity column holds on every database.
MAX_CAPACITY = 1_000_000_000
# Models of the region codes a supplier may be placed in, by the number of dots.
REGION_MODELS = {1: Regency, 2: District, 3: Village}
EDITABLE = (
    "name",
    "region_code",
    "address",
    "latitude",
    "longitude",
    "contact_name",
    "contact_phone",
    "materials",
)

NAME_REQUIRED = _("Give the supplier's name.")
UNKNOWN_REGION = _("Unknown region code: give the code of a regency/city, district or village.")
COORDINATES_TOGETHER = _("Give both latitude and longitude, or neither.")
LATITUDE_RANGE = _("The latitude must be a number between -90 and 90.")
LONGITUDE_RANGE = _("The longitude must be a number between -180 and 180.")
MATERIALS_REQUIRED = _("Name at least one material the supplier supplies.")
CAPACITY_POSITIVE = _("The capacity per month of %(material)s must be a whole number above zero.")
CAPACITY_TOO_LARGE = _("The capacity per month of %(material)s may be at most 1,000,000,000.")
MATERIAL_TWICE = _("%(material)s is listed twice.")
VERIFIER_REQUIRED = _("Name who verified the supplier (e.g. Kemenperin, Ditjen IKMA).")
VERIFIED_IN_FUTURE = _("The verification date cannot be in the future.")
UNKNOWN_FIELD = _("This field cannot be changed: %(field)s.")


def _central(user):
    """Only central officers keep the list of suppliers."""
    if not (user.is_superuser or user.role == Role.PUSAT):
        raise PermissionDenied


def _region(code):
    code = (code or "").strip()
    model = REGION_MODELS.get(code.count("."))
    if model is None or not model.objects.filter(code=code).exists():
        raise ValidationError({"region_code": UNKNOWN_REGION})
    return code


def _coordinate(value, limit, message, field):
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError({field: message}) from exc
    if not number.is_finite() or abs(number) > limit:
        raise ValidationError({field: message})
    return number.quantize(Decimal("0.000001"))


def _coordinates(latitude, longitude):
    latitude = _coordinate(latitude, 90, LATITUDE_RANGE, "latitude")
    longitude = _coordinate(longitude, 180, LONGITUDE_RANGE, "longitude")
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": COORDINATES_TOGETHER})
    return latitude, longitude


def _phone(phone):
    phone = (phone or "").strip()
    if not phone:
        return ""
    result = parse_phone(phone)
    if not result.valid:
        raise ValidationError(
            {"contact_phone": problems_text(result.errors, get_language() or "id")}
        )
    return result.e164


def _materials(materials):
    """[(Material, capacity)] checked: at least one, each once, capacities above zero
    and at most MAX_CAPACITY."""
    checked, seen = [], set()
    for material, capacity in materials:
        if material.pk in seen:
            raise ValidationError({"materials": MATERIAL_TWICE % {"material": material.name}})
        seen.add(material.pk)
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity <= 0:
            raise ValidationError({"materials": CAPACITY_POSITIVE % {"material": material.name}})
        if capacity > MAX_CAPACITY:
            raise ValidationError({"materials": CAPACITY_TOO_LARGE % {"material": material.name}})
        checked.append((material, capacity))
    if not checked:
        raise ValidationError({"materials": MATERIALS_REQUIRED})
    return checked


def _fill(supplier, *, name, region_code, address, latitude, longitude, contact_name, phone):
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": NAME_REQUIRED})
    supplier.name = name
    supplier.set_region(_region(region_code))
    supplier.address = (address or "").strip()
    supplier.latitude, supplier.longitude = _coordinates(latitude, longitude)
    supplier.contact_name = (contact_name or "").strip()
    supplier.contact_phone = _phone(phone)
    supplier.full_clean()


def _materials_set(supplier, materials):
    supplier.materials.all().delete()
    SupplierMaterial.objects.bulk_create(
        SupplierMaterial(supplier=supplier, material=material, monthly_capacity=capacity)
        for material, capacity in materials
    )


def supplier_region_code(supplier):
    """The most precise region code the supplier was placed in."""
    return (
        supplier.village_code
        or supplier.district_code
        or supplier.regency_code
        or supplier.province_code
    )


@transaction.atomic
def supplier_create(
    *,
    user,
    name,
    region_code,
    materials,
    address="",
    latitude=None,
    longitude=None,
    contact_name="",
    contact_phone="",
) -> Supplier:
    """A supplier awaiting verification, with what it supplies: `materials` is an
    iterable of (Material, monthly capacity)."""
    _central(user)
    materials = _materials(materials)
    supplier = Supplier()
    _fill(
        supplier,
        name=name,
        region_code=region_code,
        address=address,
        latitude=latitude,
        longitude=longitude,
        contact_name=contact_name,
        phone=contact_phone,
    )
    supplier.save()
    _materials_set(supplier, materials)
    return supplier


@transaction.atomic
def supplier_update(*, user, supplier, **fields) -> Supplier:
    """Change a supplier's fields (`EDITABLE`); `materials`, when given, replaces the
    whole list of materials and capacities."""
    _central(user)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError(UNKNOWN_FIELD % {"field": ", ".join(sorted(unknown))})
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    materials = _materials(fields.pop("materials")) if "materials" in fields else None
    current = {
        "name": supplier.name,
        "region_code": supplier_region_code(supplier),
        "address": supplier.address,
        "latitude": supplier.latitude,
        "longitude": supplier.longitude,
        "contact_name": supplier.contact_name,
        "phone": supplier.contact_phone,
    }
    if "contact_phone" in fields:
        fields["phone"] = fields.pop("contact_phone")
    _fill(supplier, **{**current, **fields})
    supplier.save()
    if materials is not None:
        _materials_set(supplier, materials)
    return supplier


@transaction.atomic
def supplier_verify(*, user, supplier, verified: bool, verified_by, verified_on=None) -> Supplier:
    """Record the industry ministry's verification: verified, or not verified. Matching
    proposes verified suppliers only (`matching.materials`)."""
    _central(user)
    verified_by = (verified_by or "").strip()
    today = timezone.localdate()
    verified_on = verified_on or today
    if not verified_by:
        raise ValidationError({"verified_by": VERIFIER_REQUIRED})
    if verified_on > today:
        raise ValidationError({"verified_on": VERIFIED_IN_FUTURE})
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    supplier.status = Supplier.Status.VERIFIED if verified else Supplier.Status.REJECTED
    supplier.verified_by = verified_by
    supplier.verified_on = verified_on
    supplier.full_clean()
    supplier.save(update_fields=["status", "verified_by", "verified_on"])
    return supplier


# Reads ---------------------------------------------------------------------------------


def supplier_list(*, user, status="", material=None, province="", name=""):
    """The suppliers the user sees, filtered; `material` is a Material (or its id)."""
    suppliers = Supplier.objects.visible_to(user)
    if status:
        suppliers = suppliers.filter(status=status)
    if material:
        suppliers = suppliers.filter(materials__material=material)
    if province:
        suppliers = suppliers.filter(province_code=province)
    if name:
        suppliers = suppliers.filter(name__icontains=name.strip())
    return suppliers.prefetch_related(
        Prefetch("materials", SupplierMaterial.objects.select_related("material"))
    ).order_by("name", "pk")


def supplier_get(*, user, pk):
    return Supplier.objects.prefetch_related(
        Prefetch("materials", SupplierMaterial.objects.select_related("material"))
    ).get_visible_or_404(user, pk=pk)
