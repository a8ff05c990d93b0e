"""Licences and raw-material suppliers over JSON, at /api/v1/production/.

Conventions of the other APIs: reads go through the selectors, so a licence or supplier
outside the caller's scope is 404 whatever the method; writes go through the services,
whose refusals are 422 with the message, or 403 when the caller's role may not (a seller
recording the ministry's decision, an officer other than a central one changing a
supplier). A business named in a body but outside the caller's scope is a field error.

Licences are the work of officers (their area's) and sellers (their own businesses'),
suppliers of officers; to any other role these endpoints do not exist (404).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import P, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from pulih.accounts.models import Role

from . import licences, suppliers
from .models import OFFICERS, Licence, LicenceKind, Material, ProductType, Supplier

router = Router(tags=["licences and suppliers"])

MAX_LIMIT = 500
NOT_FOUND = _("Not found.")
LICENCE_ROLES = (*OFFICERS, Role.PENJUAL)

Kind = Literal[tuple(LicenceKind.values)]
LicenceStatus = Literal[tuple(Licence.Status.values)]
SupplierStatus = Literal[tuple(Supplier.Status.values)]
ProvinceCode = Annotated[str, Field(pattern=r"^[0-9]{2}$")]
Text200 = Annotated[str, Field(max_length=200)]
Text500 = Annotated[str, Field(max_length=500)]


def _allow(request, roles):
    user = request.user
    if not (user.is_superuser or user.role in roles):
        raise Http404


def _by_code(model, code, field):
    """A catalogue entry named by its code in a body, or a field error."""
    found = model.objects.filter(code=code).first()
    if found is None:
        raise ValidationError({field: NOT_FOUND})
    return found


# Schemas -------------------------------------------------------------------------------


class LicenceOut(Schema):
    """`product_type` is empty for a licence that covers everything the business makes."""

    id: int
    business_id: int
    business_name: str = Field(alias="business.name")
    product_type: str
    kind: str
    number: str
    issuer: str
    status: str
    applied_on: date | None
    granted_on: date | None
    expires_on: date | None
    note: str
    province_code: str
    regency_code: str
    updated_at: datetime

    @staticmethod
    def resolve_product_type(licence):
        return licence.product_type.code if licence.product_type_id else ""


class ExpiringLicenceOut(LicenceOut):
    days_left: int


class ExpiringOut(Schema):
    """`soon`: granted licences expiring within `within_days` of `today`; `expired`: those
    already expired and not renewed. `days_left` is negative once expired."""

    today: date
    within_days: int
    soon: list[ExpiringLicenceOut]
    expired: list[ExpiringLicenceOut]


class LicenceFilters(Schema):
    kind: Kind | None = None
    status: LicenceStatus | None = None
    province: ProvinceCode | None = None
    product: str | None = Field(None, max_length=40)


class LicenceFields(Schema):
    kind: Kind
    issuer: Text200
    status: LicenceStatus = Licence.Status.APPLIED
    number: str = Field("", max_length=100)
    product_type: str = Field("", max_length=40)
    applied_on: date | None = None
    granted_on: date | None = None
    expires_on: date | None = None
    note: Text500 = ""


class LicenceIn(LicenceFields):
    """`product_type`: the code of a product type, or empty for all the business makes.
    Only central, province and regency officers record a granted or rejected licence."""

    business_id: int


class LicencePatch(Schema):
    kind: Kind | None = None
    issuer: Text200 | None = None
    status: LicenceStatus | None = None
    number: str | None = Field(None, max_length=100)
    product_type: str | None = Field(None, max_length=40)
    applied_on: date | None = None
    granted_on: date | None = None
    expires_on: date | None = None
    note: Text500 | None = None


class SupplierMaterialIO(Schema):
    material: str = Field(max_length=40, description="The material's code, e.g. spunbond.")
    monthly_capacity: int


class SupplierOut(Schema):
    id: int
    name: str
    region_code: str
    province_code: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    contact_name: str
    contact_phone: str
    status: str
    verified_by: str
    verified_on: date | None
    materials: list[SupplierMaterialIO]

    @staticmethod
    def resolve_region_code(supplier):
        return suppliers.supplier_region_code(supplier)

    @staticmethod
    def resolve_materials(supplier):
        return [
            {"material": offer.material.code, "monthly_capacity": offer.monthly_capacity}
            for offer in supplier.materials.all()
        ]


class SupplierFilters(Schema):
    status: SupplierStatus | None = None
    material: str | None = Field(None, max_length=40)
    province: ProvinceCode | None = None
    name: str | None = Field(None, max_length=200)


class SupplierIn(Schema):
    """`region_code`: a regency/city, district or village code. `materials`: what the
    supplier supplies, each with its capacity per month (above zero)."""

    name: Text200
    region_code: str = Field(max_length=13)
    materials: list[SupplierMaterialIO]
    address: str = Field("", max_length=300)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    contact_name: Text200 = ""
    contact_phone: str = Field("", max_length=32)


class SupplierPatch(Schema):
    name: Text200 | None = None
    region_code: str | None = Field(None, max_length=13)
    materials: list[SupplierMaterialIO] | None = None
    address: str | None = Field(None, max_length=300)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    contact_name: Text200 | None = None
    contact_phone: str | None = Field(None, max_length=32)


class VerifyIn(Schema):
    verified: bool
    verified_by: Text200
    verified_on: date | None = None


# Licences ------------------------------------------------------------------------------


def _licence_fields(fields):
    """The body's product type code as the ProductType (None for all); a null given for
    a field that cannot be empty leaves it as it is."""
    dates = ("applied_on", "granted_on", "expires_on")
    fields = {k: v for k, v in fields.items() if v is not None or k in dates}
    if "product_type" in fields:
        code = fields["product_type"]
        fields["product_type"] = _by_code(ProductType, code, "product_type") if code else None
    return fields


@router.get("/licences", response=list[LicenceOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def licence_list(request, filters: Query[LicenceFilters]):
    _allow(request, LICENCE_ROLES)
    fields = filters.dict(exclude_none=True)
    product = fields.pop("product", None)
    found = licences.licence_list(user=request.user, **fields)
    return found.filter(product_type__code=product) if product else found


@router.get("/licences/expiring", response=ExpiringOut)
def licence_expiring(request, within_days: Query[int, P(ge=1, le=366)] = 60):
    _allow(request, LICENCE_ROLES)
    return licences.licences_expiring(user=request.user, within_days=within_days)


@router.post("/licences", response={201: LicenceOut})
def licence_record(request, payload: LicenceIn):
    _allow(request, LICENCE_ROLES)
    fields = _licence_fields(payload.dict())
    business_id = fields.pop("business_id")
    business = licences.licence_businesses(user=request.user).filter(pk=business_id).first()
    if business is None:
        raise ValidationError({"business_id": NOT_FOUND})
    licence = licences.licence_record(user=request.user, business=business, **fields)
    return Status(201, licences.licence_get(user=request.user, pk=licence.pk))


@router.get("/licences/{int:licence_id}", response=LicenceOut)
def licence_detail(request, licence_id: int):
    _allow(request, LICENCE_ROLES)
    return licences.licence_get(user=request.user, pk=licence_id)


@router.patch("/licences/{int:licence_id}", response=LicenceOut)
def licence_update(request, licence_id: int, payload: LicencePatch):
    """Move a licence forward or correct it. A seller may not record the decision, nor
    change a licence once decided (403)."""
    _allow(request, LICENCE_ROLES)
    licence = licences.licence_get(user=request.user, pk=licence_id)
    fields = _licence_fields(payload.dict(exclude_unset=True))
    licences.licence_update(user=request.user, licence=licence, **fields)
    return licences.licence_get(user=request.user, pk=licence.pk)


# Suppliers -----------------------------------------------------------------------------


def _supplier_fields(fields):
    """The body's materials as (Material, capacity) pairs; a null given for a field that
    cannot be empty leaves it as it is, a null coordinate clears the coordinates."""
    fields = {k: v for k, v in fields.items() if v is not None or k in ("latitude", "longitude")}
    if "materials" in fields:
        fields["materials"] = [
            (_by_code(Material, item["material"], "materials"), item["monthly_capacity"])
            for item in fields["materials"]
        ]
    return fields


def _supplier(request, supplier_id):
    _allow(request, OFFICERS)
    return suppliers.supplier_get(user=request.user, pk=supplier_id)


@router.get("/suppliers", response=list[SupplierOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def supplier_list(request, filters: Query[SupplierFilters]):
    _allow(request, OFFICERS)
    fields = filters.dict(exclude_none=True)
    material = fields.pop("material", None)
    found = suppliers.supplier_list(user=request.user, **fields)
    return found.filter(materials__material__code=material) if material else found


@router.post("/suppliers", response={201: SupplierOut})
def supplier_create(request, payload: SupplierIn):
    """Central officers add suppliers (others 403); a new one awaits verification."""
    _allow(request, OFFICERS)
    supplier = suppliers.supplier_create(user=request.user, **_supplier_fields(payload.dict()))
    return Status(201, suppliers.supplier_get(user=request.user, pk=supplier.pk))


@router.get("/suppliers/{int:supplier_id}", response=SupplierOut)
def supplier_detail(request, supplier_id: int):
    return _supplier(request, supplier_id)


@router.patch("/suppliers/{int:supplier_id}", response=SupplierOut)
def supplier_update(request, supplier_id: int, payload: SupplierPatch):
    """`materials`, when given, replaces the whole list."""
    supplier = _supplier(request, supplier_id)
    fields = _supplier_fields(payload.dict(exclude_unset=True))
    suppliers.supplier_update(user=request.user, supplier=supplier, **fields)
    return suppliers.supplier_get(user=request.user, pk=supplier.pk)


@router.post("/suppliers/{int:supplier_id}/verify", response=SupplierOut)
def supplier_verify(request, supplier_id: int, payload: VerifyIn):
    """The industry ministry's verification: verified, or not verified."""
    supplier = _supplier(request, supplier_id)
    suppliers.supplier_verify(user=request.user, supplier=supplier, **payload.dict())
    return suppliers.supplier_get(user=request.user, pk=supplier.pk)
