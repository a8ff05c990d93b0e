"""The request and response schemas of the declarations and curation API (`api`).

Products and materials are named by their catalogue code ("masker-kain", "etanol");
measured and minimum values are decimals, given as numbers or strings and returned as
strings ("70.00"). Photos and evidence are served by the API's own file endpoints.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.urls import reverse
from ninja import Schema
from pydantic import Field

from .forms import MAX_ID
from .models import Curation, Declaration

# Declarations named in one request.
MAX_IDS = 1_000

DeclarationStatus = Literal[tuple(Declaration.Status.values)]
OutcomeIn = Literal[tuple(Curation.Outcome.values)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Text200 = Annotated[str, Field(max_length=200)]
Text = Annotated[str, Field(max_length=5_000)]
Note = Annotated[str, Field(max_length=500)]
API = "/api/v1/production"


class ProductTypeOut(Schema):
    """`licence_kind`: the licence a producer must hold before demand that requires one
    may go to it ("" when none)."""

    id: int
    code: str
    name: str
    unit: str
    licence_kind: str
    active: bool


class MaterialOut(Schema):
    id: int
    code: str
    name: str
    unit: str


class BusinessRef(Schema):
    id: int
    name: str
    nib: str


class CuratorRef(Schema):
    id: int
    name: str


class NeedOut(Schema):
    material: str
    name: str
    unit: str
    monthly_quantity: int

    @staticmethod
    def resolve_material(need):
        return need.material.code

    @staticmethod
    def resolve_name(need):
        return need.material.name

    @staticmethod
    def resolve_unit(need):
        return need.material.unit


class PhotoOut(Schema):
    """`url`: the photo itself, through the API (the same Bearer token)."""

    id: int
    caption: str
    url: str
    uploaded_at: datetime

    @staticmethod
    def resolve_url(photo):
        return f"{API}/declarations/{photo.declaration_id}/photos/{photo.pk}"


class DeclarationOut(Schema):
    id: int
    business: BusinessRef
    product: str
    product_name: str
    unit: str
    status: str
    monthly_capacity: int
    lead_time_days: int
    unit_price: int
    equipment: str
    workers: int
    description: str
    curator: CuratorRef | None
    materials: list[NeedOut]
    photos: list[PhotoOut]
    province_code: str
    regency_code: str
    district_code: str
    village_code: str
    declared_at: datetime
    updated_at: datetime
    page: str

    @staticmethod
    def resolve_product(declaration):
        return declaration.product_type.code

    @staticmethod
    def resolve_product_name(declaration):
        return declaration.product_type.name

    @staticmethod
    def resolve_unit(declaration):
        return declaration.product_type.unit

    @staticmethod
    def resolve_materials(declaration):
        return declaration.materials.select_related("material")

    @staticmethod
    def resolve_photos(declaration):
        return declaration.photos.all()

    @staticmethod
    def resolve_page(declaration):
        return reverse("production:declaration_detail", args=[declaration.pk])


class NeedIn(Schema):
    material: str
    monthly_quantity: int


class DeclarationIn(Schema):
    """A seller declares for the businesses its organisation acts for, an officer for
    those of their area. The figures are whole numbers: capacity at least 1, lead time 0
    to 365 days, price in Rupiah."""

    business_id: int
    product: str
    monthly_capacity: int
    lead_time_days: int = 0
    unit_price: int = 0
    equipment: Text = ""
    workers: int = 0
    description: Text = ""
    materials: list[NeedIn] = Field(default_factory=list, max_length=50)


class DeclarationPatch(Schema):
    """Only the fields sent change (null is the same as not sent); `materials`, when
    sent, replaces every row (`[]` clears them). A curated declaration changes only its
    business figures: capacity, lead time, price, workers and equipment."""

    monthly_capacity: int | None = None
    lead_time_days: int | None = None
    unit_price: int | None = None
    equipment: Text | None = None
    workers: int | None = None
    description: Text | None = None
    materials: list[NeedIn] | None = Field(None, max_length=50)


class DeclarationFilters(Schema):
    product: str = ""
    status: DeclarationStatus | Literal[""] = ""
    province: str = Field("", pattern=r"^$|^[0-9]{2}$")
    q: str = Field("", max_length=200)


class AssignIn(Schema):
    ids: list[Id] = Field(min_length=1, max_length=MAX_IDS)
    curator_id: int


class AssignOut(Schema):
    assigned: int


class ResubmitIn(Schema):
    note: Note = ""


class ReopenIn(Schema):
    note: Note = ""


class ResultIn(Schema):
    """`passed` for a criterion without a minimum; `value` (the measured value) for one
    with a minimum, which decides whether it passed."""

    criterion_id: int
    passed: bool | None = None
    value: Decimal | None = None
    note: Note = ""


class CurationIn(Schema):
    """Every criterion of the checklist in use for the product answered, each once.
    `checklist_id`, when sent, must be that version (422 once it was revised). Without
    `outcome`: curated when every required criterion passed, otherwise needs
    improvement. Needs improvement and rejected need `reasons`. Photo evidence is then
    uploaded per criterion to the curation's `evidence` endpoint."""

    checklist_id: int | None = None
    outcome: OutcomeIn | None = None
    reasons: Text = ""
    results: list[ResultIn] = Field(max_length=200)


class ResultOut(Schema):
    criterion_id: int
    criterion: str
    required: bool
    minimum: Decimal | None
    value_unit: str
    passed: bool
    value: Decimal | None
    note: str
    evidence_url: str | None

    @staticmethod
    def resolve_criterion(result):
        return result.criterion.text

    @staticmethod
    def resolve_required(result):
        return result.criterion.required

    @staticmethod
    def resolve_minimum(result):
        return result.criterion.minimum

    @staticmethod
    def resolve_value_unit(result):
        return result.criterion.value_unit

    @staticmethod
    def resolve_evidence_url(result):
        if not result.evidence:
            return None
        declaration = result.curation.declaration_id
        return f"{API}/declarations/{declaration}/evidence/{result.pk}"


class CurationOut(Schema):
    id: int
    declaration_id: int
    checklist_id: int
    checklist_version: int
    standard: str
    curator: CuratorRef
    curated_by: str
    outcome: str
    reasons: str
    started_at: datetime
    finished_at: datetime | None
    results: list[ResultOut]

    @staticmethod
    def resolve_checklist_version(curation):
        return curation.checklist.version

    @staticmethod
    def resolve_standard(curation):
        return curation.checklist.standard

    @staticmethod
    def resolve_curated_by(curation):
        return str(curation.curated_by or "")

    @staticmethod
    def resolve_results(curation):
        return curation.results.all()


class CriterionOut(Schema):
    id: int
    order: int
    text: str
    minimum: Decimal | None
    value_unit: str
    required: bool


class ChecklistOut(Schema):
    id: int
    product: str
    version: int
    standard: str
    active: bool
    created_at: datetime
    criteria: list[CriterionOut]

    @staticmethod
    def resolve_product(checklist):
        return checklist.product_type.code

    @staticmethod
    def resolve_criteria(checklist):
        return checklist.criteria.all()


class ChecklistFilters(Schema):
    product: str = ""


class CriterionIn(Schema):
    text: str = Field(max_length=300)
    minimum: Decimal | None = None
    value_unit: str = Field("", max_length=20)
    required: bool = True


class ChecklistIn(Schema):
    """The next version of a product's checklist (central officers): it becomes the
    version in use; curations keep the version they used."""

    product: str
    standard: str = Field("", max_length=100)
    criteria: list[CriterionIn] = Field(max_length=200)
