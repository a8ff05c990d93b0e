"""The registry over JSON: people, businesses, cooperatives, impact reports and batches.

Reads go through `selectors`, so a record outside the caller's area is 404 whatever the
method, PATCH included; writes go through `services`, whose refusals the API answers as
422 (ValidationError) or 403 (PermissionDenied). A record named in a request body but
outside the caller's area is a field error, as if it did not exist. NIK and phone
numbers are masked for roles that may not see them, as on the pages.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from pulih.core.audit import access_log_record
from pulih.core.ids import mask_nik, mask_phone

from . import selectors, services
from .models import Need, Problem

router = Router(tags=["registry"])

# A page of at most this many records: a larger one would hold the worker too long.
MAX_LIMIT = 500
NOT_FOUND = _("Not found.")
Action = Literal[tuple(services.TRANSITIONS)]


def _personal(context, value, mask):
    return value if context["request"].user.sees_personal_data else mask(value)


def _referenced(get, *, viewer, pk, field):
    """A record named in the body, or a field error when the caller cannot see it."""
    try:
        return get(viewer=viewer, pk=pk)
    except Http404 as exc:
        raise ValidationError({field: NOT_FOUND}) from exc


# Schemas -------------------------------------------------------------------------------


class BatchRef(Schema):
    id: int
    stage: int
    status: str
    locked: bool


class RegionOut(Schema):
    province_code: str
    regency_code: str
    district_code: str
    village_code: str


class RecordOut(RegionOut):
    batch: BatchRef
    created_at: datetime
    updated_at: datetime


class PersonOut(RecordOut):
    id: int
    name: str
    nik: str
    nik_valid: bool
    nik_problems: list[str]
    birth_date: date | None
    sex: str
    phone: str
    address: str

    @staticmethod
    def resolve_nik(person, context):
        return _personal(context, person.nik, mask_nik)

    @staticmethod
    def resolve_phone(person, context):
        return _personal(context, person.phone, mask_phone)


class PersonIn(Schema):
    village_code: str
    name: str
    nik: str = ""
    birth_date: date | None = None
    sex: str = ""
    phone: str = ""
    address: str = ""


class PersonPatch(Schema):
    village_code: str | None = None
    name: str | None = None
    nik: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    phone: str | None = None
    address: str | None = None


class BusinessOut(RecordOut):
    id: int
    name: str
    owner_id: int
    owner_name: str = Field(alias="owner.name")
    owner_nik: str
    nib: str
    kbli_section: str
    sector_note: str
    capital: int | None
    annual_sales: int | None
    scale: str
    employees: int | None
    address: str
    latitude: float | None
    longitude: float | None
    whatsapp: str
    marketplace_links: list[str]
    latest_impact_status: str | None

    @staticmethod
    def resolve_owner_nik(business, context):
        return _personal(context, business.owner.nik, mask_nik)

    @staticmethod
    def resolve_whatsapp(business, context):
        return _personal(context, business.whatsapp, mask_phone)


class BusinessFields(Schema):
    nib: str = ""
    kbli_section: str = ""
    sector_note: str = ""
    capital: int | None = None
    annual_sales: int | None = None
    employees: int | None = None
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    whatsapp: str = ""
    marketplace_links: list[str] = []


class BusinessIn(BusinessFields):
    owner_id: int
    name: str
    village_code: str | None = None


class BusinessPatch(Schema):
    owner_id: int | None = None
    name: str | None = None
    village_code: str | None = None
    nib: str | None = None
    kbli_section: str | None = None
    sector_note: str | None = None
    capital: int | None = None
    annual_sales: int | None = None
    employees: int | None = None
    address: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    whatsapp: str | None = None
    marketplace_links: list[str] | None = None


class CooperativeOut(RecordOut):
    id: int
    name: str
    legal_entity_number: str
    kind: str
    members: int | None
    chair_id: int | None
    chair_name: str | None
    address: str

    @staticmethod
    def resolve_chair_name(cooperative):
        return cooperative.chair.name if cooperative.chair else None


class CooperativeIn(Schema):
    village_code: str
    name: str
    kind: str
    legal_entity_number: str = ""
    members: int | None = None
    chair_id: int | None = None
    address: str = ""


class CooperativePatch(Schema):
    village_code: str | None = None
    name: str | None = None
    kind: str | None = None
    legal_entity_number: str | None = None
    members: int | None = None
    chair_id: int | None = None
    address: str | None = None


class ImpactReportOut(Schema):
    id: int
    business_id: int
    business_name: str = Field(alias="business.name")
    report_date: date
    sales_before: int | None
    sales_after: int | None
    employees_before: int | None
    employees_after: int | None
    laid_off: int | None
    status: str
    problems: list[str]
    needs: list[str]
    created_at: datetime


class ImpactReportIn(Schema):
    business_id: int
    report_date: date
    status: str
    sales_before: int | None = None
    sales_after: int | None = None
    employees_before: int | None = None
    employees_after: int | None = None
    laid_off: int | None = None
    problems: list[Problem] = []
    needs: list[Need] = []


class ImpactReportPatch(Schema):
    report_date: date | None = None
    status: str | None = None
    sales_before: int | None = None
    sales_after: int | None = None
    employees_before: int | None = None
    employees_after: int | None = None
    laid_off: int | None = None
    problems: list[Problem] | None = None
    needs: list[Need] | None = None


class BatchOut(Schema):
    id: int
    province_code: str
    regency_code: str
    regency_name: str | None
    stage: int
    status: str
    locked: bool
    editable: bool
    people: int
    businesses: int
    cooperatives: int
    created_at: datetime
    updated_at: datetime


class BatchEventOut(Schema):
    action: str
    from_status: str
    to_status: str
    actor: str | None
    comment: str
    at: datetime

    @staticmethod
    def resolve_actor(event):
        return event.actor.get_username() if event.actor else None


class BatchDetailOut(BatchOut):
    events: list[BatchEventOut]
    actions: list[str]

    @staticmethod
    def resolve_events(batch):
        return selectors.batch_events(batch=batch)

    @staticmethod
    def resolve_actions(batch, context):
        return services.batch_actions(batch=batch, user=context["request"].user)


class StepIn(Schema):
    comment: str = ""


class RegionFilters(Schema):
    query: str = Field("", alias="q")
    province: str = ""
    regency: str = ""
    district: str = ""
    village: str = ""
    stage: int | None = None
    batch_status: str = ""


class BusinessFilters(RegionFilters):
    kbli_section: str = ""
    scale: str = ""
    impact_status: str = ""


class PersonFilters(RegionFilters):
    nik_valid: bool | None = None


class CooperativeFilters(RegionFilters):
    kind: str = ""


class ImpactReportFilters(RegionFilters):
    status: str = ""
    business: int | None = None


class BatchFilters(Schema):
    regency: str = ""
    status: str = ""
    stage: int | None = None


# People --------------------------------------------------------------------------------


@router.get("/people", response=list[PersonOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def person_list(request, filters: Query[PersonFilters]):
    return selectors.person_list(viewer=request.user, **filters.dict())


@router.post("/people", response={201: PersonOut})
def person_create(request, payload: PersonIn):
    person = services.person_create(user=request.user, **payload.dict())
    return Status(201, selectors.person_get(viewer=request.user, pk=person.pk))


@router.get("/people/{person_id}", response=PersonOut)
def person_detail(request, person_id: int):
    person = selectors.person_get(viewer=request.user, pk=person_id)
    access_log_record(request=request, obj=person, channel="api")
    return person


@router.patch("/people/{person_id}", response=PersonOut)
def person_update(request, person_id: int, payload: PersonPatch):
    person = selectors.person_get(viewer=request.user, pk=person_id)
    services.person_update(user=request.user, person=person, **payload.dict(exclude_unset=True))
    return selectors.person_get(viewer=request.user, pk=person.pk)


# Businesses ----------------------------------------------------------------------------


@router.get("/businesses", response=list[BusinessOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def business_list(request, filters: Query[BusinessFilters]):
    return selectors.business_list(viewer=request.user, **filters.dict())


@router.post("/businesses", response={201: BusinessOut})
def business_create(request, payload: BusinessIn):
    fields = payload.dict()
    owner = _referenced(
        selectors.person_get, viewer=request.user, pk=fields.pop("owner_id"), field="owner_id"
    )
    business = services.business_create(user=request.user, owner=owner, **fields)
    return Status(201, selectors.business_get(viewer=request.user, pk=business.pk))


@router.get("/businesses/{business_id}", response=BusinessOut)
def business_detail(request, business_id: int):
    business = selectors.business_get(viewer=request.user, pk=business_id)
    access_log_record(request=request, obj=business.owner, channel="api")
    return business


@router.patch("/businesses/{business_id}", response=BusinessOut)
def business_update(request, business_id: int, payload: BusinessPatch):
    business = selectors.business_get(viewer=request.user, pk=business_id)
    fields = payload.dict(exclude_unset=True)
    if "owner_id" in fields:
        fields["owner"] = _referenced(
            selectors.person_get, viewer=request.user, pk=fields.pop("owner_id"), field="owner_id"
        )
    services.business_update(user=request.user, business=business, **fields)
    return selectors.business_get(viewer=request.user, pk=business.pk)


# Cooperatives --------------------------------------------------------------------------


def _with_chair(fields, viewer):
    if fields.get("chair_id") is not None:
        fields["chair"] = _referenced(
            selectors.person_get, viewer=viewer, pk=fields["chair_id"], field="chair_id"
        )
    elif "chair_id" in fields:
        fields["chair"] = None
    fields.pop("chair_id", None)
    return fields


@router.get("/cooperatives", response=list[CooperativeOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def cooperative_list(request, filters: Query[CooperativeFilters]):
    return selectors.cooperative_list(viewer=request.user, **filters.dict())


@router.post("/cooperatives", response={201: CooperativeOut})
def cooperative_create(request, payload: CooperativeIn):
    fields = _with_chair(payload.dict(), request.user)
    cooperative = services.cooperative_create(user=request.user, **fields)
    return Status(201, selectors.cooperative_get(viewer=request.user, pk=cooperative.pk))


@router.get("/cooperatives/{cooperative_id}", response=CooperativeOut)
def cooperative_detail(request, cooperative_id: int):
    return selectors.cooperative_get(viewer=request.user, pk=cooperative_id)


@router.patch("/cooperatives/{cooperative_id}", response=CooperativeOut)
def cooperative_update(request, cooperative_id: int, payload: CooperativePatch):
    cooperative = selectors.cooperative_get(viewer=request.user, pk=cooperative_id)
    fields = _with_chair(payload.dict(exclude_unset=True), request.user)
    services.cooperative_update(user=request.user, cooperative=cooperative, **fields)
    return selectors.cooperative_get(viewer=request.user, pk=cooperative.pk)


# Impact reports ------------------------------------------------------------------------


def _with_plain_choices(fields):
    """Problems and needs as the plain strings the JSON field stores, not enum members."""
    for name in ("problems", "needs"):
        if fields.get(name) is not None:
            fields[name] = [str(value) for value in fields[name]]
    return fields


@router.get("/impact-reports", response=list[ImpactReportOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def impact_report_list(request, filters: Query[ImpactReportFilters]):
    return selectors.impact_report_list(viewer=request.user, **filters.dict())


@router.post("/impact-reports", response={201: ImpactReportOut})
def impact_report_create(request, payload: ImpactReportIn):
    fields = _with_plain_choices(payload.dict())
    business = _referenced(
        selectors.business_get,
        viewer=request.user,
        pk=fields.pop("business_id"),
        field="business_id",
    )
    report = services.impact_report_create(user=request.user, business=business, **fields)
    return Status(201, selectors.impact_report_get(viewer=request.user, pk=report.pk))


@router.get("/impact-reports/{report_id}", response=ImpactReportOut)
def impact_report_detail(request, report_id: int):
    return selectors.impact_report_get(viewer=request.user, pk=report_id)


@router.patch("/impact-reports/{report_id}", response=ImpactReportOut)
def impact_report_update(request, report_id: int, payload: ImpactReportPatch):
    report = selectors.impact_report_get(viewer=request.user, pk=report_id)
    fields = _with_plain_choices(payload.dict(exclude_unset=True))
    services.impact_report_update(user=request.user, report=report, **fields)
    return selectors.impact_report_get(viewer=request.user, pk=report.pk)


# Batches -------------------------------------------------------------------------------


@router.get("/batches", response=list[BatchOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def batch_list(request, filters: Query[BatchFilters]):
    return selectors.batch_list(viewer=request.user, **filters.dict())


@router.get("/batches/{batch_id}", response=BatchDetailOut)
def batch_detail(request, batch_id: int):
    return selectors.batch_get(viewer=request.user, pk=batch_id)


@router.post("/batches/{batch_id}/{action}", response=BatchDetailOut)
def batch_step(request, batch_id: int, action: Action, payload: StepIn | None = None):
    """Move a batch one step: submit, verify, return, approve, unapprove, receive or
    unreceive. Returning and un-approving need a comment, the reason."""
    batch = selectors.batch_get(viewer=request.user, pk=batch_id)
    comment = payload.comment if payload else ""
    services.batch_transition(batch=batch, user=request.user, action=action, comment=comment)
    return selectors.batch_get(viewer=request.user, pk=batch.pk)
