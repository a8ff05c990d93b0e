"""Record linkage over JSON: runs, the review queues, pairs of people and of businesses,
entities and the online check.

Conventions of the registry API: reads go through `selectors`, so an object outside the
caller's area is 404 whatever the method; writes go through `services`, whose refusals
are 422 with the message. Runs, review and entities are the work of central and province
officers (`views.DEDUP_ROLES`); to any other role they do not exist (404, as the pages'
`role_required`). The online check is open to every officer role that enters data. NIK
and phone numbers are masked for roles that may not see them, and every full record shown
is access-logged (for a pair of businesses, against both owners).
"""

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from pulih.accounts.models import Role
from pulih.core.audit import access_log_record
from pulih.core.ids import mask_nik, mask_phone
from pulih.registry import selectors as registry_selectors
from pulih.registry.models import Sex

from . import online, selectors, services
from .views import DEDUP_ROLES

router = Router(tags=["dedup"])

# A page of at most this many rows, as in the registry API.
MAX_LIMIT = 500
NOT_FOUND = _("Not found.")
OFFICERS = (Role.PUSAT, Role.PROVINSI, Role.KABKOTA, Role.PENDAMPING)
MASKS = {"nik": mask_nik, "owner__nik": mask_nik, "phone": mask_phone, "whatsapp": mask_phone}
# A Kemendagri code, dotted ("19", "19.01", … "19.01.01.2001"), or a postcode.
REGION = r"^$|^[0-9]{5}$|^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$"


def _allow(request, roles):
    """The endpoint does not exist for other roles."""
    user = request.user
    if not (user.is_superuser or user.role in roles):
        raise Http404


def _shown(request, field, value):
    """A field's value as the caller may see it: NIK and phone masked for roles without
    personal data."""
    if field in MASKS and value and not request.user.sees_personal_data:
        return MASKS[field](value)
    return value.isoformat() if isinstance(value, date) else value


# As the pages' note field.
Note = Annotated[str, Field(max_length=1000)]


def _decided(request, get, decide, pair_id, payload):
    """Decide a pair the caller may see, and return it as it now stands."""
    _allow(request, DEDUP_ROLES)
    pair = get(user=request.user, pk=pair_id)
    decide(user=request.user, pair=pair, note=payload.note if payload else "")
    return get(user=request.user, pk=pair.pk)


def _logged(request, people):
    for person in people:
        access_log_record(request=request, obj=person, channel="api")


# Schemas -------------------------------------------------------------------------------


class RunOut(Schema):
    """A run; `task_id` is its progress at /api/v1/tasks/{task_id} while it works."""

    id: int
    province_code: str
    status: str
    threshold: float
    review_floor: float
    trained: bool
    records: int
    pairs: int
    linked: int
    to_review: int
    entities: int
    business_pairs: int
    business_linked: int
    business_to_review: int
    seconds: float | None
    task_id: uuid.UUID | None = Field(alias="progress_id")
    created_by: str | None
    created_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_created_by(run):
        return run.created_by.get_username() if run.created_by else None


class RunDetailOut(RunOut):
    """`model` holds the run's trained parameters in full (Splink's settings), so the
    run can be reproduced."""

    model: dict


class RunIn(Schema):
    province_code: str | None = Field(None, pattern=r"^[0-9]{2}$")
    threshold: float = services.THRESHOLD
    review_floor: float = services.REVIEW_FLOOR
    # Score with the saved parameters of this earlier run instead of learning new ones.
    repeats: int | None = None


class PersonRef(Schema):
    id: int
    name: str
    village_code: str


class PairBase(Schema):
    """A scored pair; `note` is the reviewer's, kept with the decision."""

    id: int
    probability: float
    status: str
    province_code: str
    regency_code: str
    run_id: int | None
    decided_by: str | None
    decided_at: datetime | None
    note: str

    @staticmethod
    def resolve_decided_by(pair):
        return pair.decided_by.get_username() if pair.decided_by else None


class PairOut(PairBase):
    left: PersonRef
    right: PersonRef


class PairDecisionOut(PairOut):
    """The pair with the entity each record belongs to (one entity once confirmed)."""

    left_entity_id: int | None
    right_entity_id: int | None

    @staticmethod
    def resolve_left_entity_id(pair, context):
        return _entity_id(context["request"], pair.left)

    @staticmethod
    def resolve_right_entity_id(pair, context):
        return _entity_id(context["request"], pair.right)


def _entity_id(request, person):
    entity = selectors.entity_of_person(user=request.user, person=person)
    return entity.pk if entity else None


class ComparedField(Schema):
    field: str
    left: str | None
    right: str | None
    differs: bool


def _compared(request, pair):
    return [
        {
            "field": field,
            "left": _shown(request, field, left),
            "right": _shown(request, field, right),
            "differs": differs,
        }
        for field, left, right, differs in selectors.pair_comparison(pair=pair)
    ]


class PairDetailOut(PairDecisionOut):
    fields: list[ComparedField]

    @staticmethod
    def resolve_fields(pair, context):
        return _compared(context["request"], pair)


class BusinessRef(Schema):
    id: int
    name: str
    owner_id: int
    owner_name: str = Field(alias="owner.name")
    village_code: str


class BusinessPairOut(PairBase):
    left: BusinessRef
    right: BusinessRef


class BusinessPairDetailOut(BusinessPairOut):
    """Fields compared: name, owner__name, owner__nik, nib, kbli_section, whatsapp,
    address, village_code."""

    fields: list[ComparedField]

    @staticmethod
    def resolve_fields(pair, context):
        return _compared(context["request"], pair)


class DecisionIn(Schema):
    note: Note = ""


class GoldenField(Schema):
    """One field of the golden record: the value, the member record it came from and the
    rule that chose it (valid_nik, agrees_with_nik, most_common, most_recent)."""

    value: str | None
    source: int
    rule: str


class MemberOut(Schema):
    id: int
    name: str
    nik: str
    nik_valid: bool
    birth_date: date | None
    sex: str
    phone: str
    address: str
    province_code: str
    regency_code: str
    district_code: str
    village_code: str

    @staticmethod
    def resolve_nik(person, context):
        return _shown(context["request"], "nik", person.nik)

    @staticmethod
    def resolve_phone(person, context):
        return _shown(context["request"], "phone", person.phone)


class EntityEventOut(Schema):
    kind: str
    person_id: int | None
    run_id: int | None
    actor: str | None
    note: str
    at: datetime

    @staticmethod
    def resolve_actor(event):
        return event.actor.get_username() if event.actor else None


class EntityOut(Schema):
    """`duplicate_businesses`: pairs of its members' businesses linked or confirmed as one
    business."""

    id: int
    province_code: str
    regency_code: str
    district_code: str
    village_code: str
    golden: dict[str, GoldenField]
    members: list[MemberOut]
    events: list[EntityEventOut]
    duplicate_businesses: list[BusinessPairOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_golden(entity, context):
        request = context["request"]
        return {
            field: {**chosen, "value": _shown(request, field, chosen["value"])}
            for field, chosen in entity.golden.items()
        }

    @staticmethod
    def resolve_members(entity):
        return [member.person for member in entity.members.all()]

    @staticmethod
    def resolve_events(entity):
        return selectors.entity_events(entity=entity)

    @staticmethod
    def resolve_duplicate_businesses(entity, context):
        return selectors.business_duplicates(user=context["request"].user, entity=entity)


class UnmergeIn(Schema):
    person_id: int
    note: Note = ""


class CheckIn(Schema):
    """One record as typed: any of the fields; the more given, the better the check.
    `region` is a Kemendagri code (a village, district or regency)."""

    id_number: str = ""
    name: str = ""
    birth_date: date | None = None
    sex: Literal[tuple(Sex.values)] | None = None
    phone: str = ""
    address: str = ""
    region: str = Field("", pattern=REGION)


class CandidateOut(Schema):
    person_id: int = Field(alias="person.pk")
    name: str = Field(alias="person.name")
    province_code: str = Field(alias="person.province_code")
    regency_code: str = Field(alias="person.regency_code")
    district_code: str = Field(alias="person.district_code")
    village_code: str = Field(alias="person.village_code")
    probability: float
    nik: str = Field(description="Always masked: enough to recognise the record.")

    @staticmethod
    def resolve_nik(candidate):
        return mask_nik(candidate.person.nik)


class CheckOut(Schema):
    """Likely duplicates inside the caller's area, most likely first; `elsewhere` counts
    those outside it, which are never shown."""

    candidates: list[CandidateOut]
    elsewhere: int


# Runs ----------------------------------------------------------------------------------


@router.get("/runs", response=list[RunOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def run_list(request):
    _allow(request, DEDUP_ROLES)
    return selectors.run_list(user=request.user)


@router.post("/runs", response={202: RunDetailOut})
def run_start(request, payload: RunIn | None = None):
    """Queue a run over a province (central officers may leave it out for the nation;
    province officers' runs are always over their own). Poll /api/v1/tasks/{task_id}."""
    _allow(request, DEDUP_ROLES)
    payload = payload or RunIn()
    repeats = selectors.run_get(user=request.user, pk=payload.repeats) if payload.repeats else None
    run = services.run_start(
        user=request.user,
        province_code=payload.province_code or "",
        threshold=payload.threshold,
        review_floor=payload.review_floor,
        repeats=repeats,
    )
    return Status(202, selectors.run_get(user=request.user, pk=run.pk))


@router.get("/runs/{run_id}", response=RunDetailOut)
def run_detail(request, run_id: int):
    _allow(request, DEDUP_ROLES)
    return selectors.run_get(user=request.user, pk=run_id)


# Review --------------------------------------------------------------------------------


@router.get("/review", response=list[PairOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def review_queue(request):
    """Pairs waiting for a decision, the least certain first."""
    _allow(request, DEDUP_ROLES)
    return selectors.cluster_review_queue(user=request.user)


@router.get("/pairs/{pair_id}", response=PairDetailOut)
def pair_detail(request, pair_id: int):
    """Both records field by field; `differs` marks where they disagree."""
    _allow(request, DEDUP_ROLES)
    pair = selectors.pair_get(user=request.user, pk=pair_id)
    _logged(request, (pair.left, pair.right))
    return pair


@router.post("/pairs/{pair_id}/confirm", response=PairDecisionOut)
def pair_confirm(request, pair_id: int, payload: DecisionIn | None = None):
    """The two records are one person: they join one entity. A decided pair is 422."""
    return _decided(request, selectors.pair_get, services.pair_confirm, pair_id, payload)


@router.post("/pairs/{pair_id}/reject", response=PairDecisionOut)
def pair_reject(request, pair_id: int, payload: DecisionIn | None = None):
    """The two records are different people; no later run joins them. A decided pair is
    422, and so is a pair already in one entity (unmerge one record from the entity)."""
    return _decided(request, selectors.pair_get, services.pair_reject, pair_id, payload)


@router.get("/business-review", response=list[BusinessPairOut])
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def business_review_queue(request):
    """Pairs of businesses waiting for a decision, the least certain first."""
    _allow(request, DEDUP_ROLES)
    return selectors.business_review_queue(user=request.user)


@router.get("/business-pairs/{pair_id}", response=BusinessPairDetailOut)
def business_pair_detail(request, pair_id: int):
    """Both businesses field by field, the owners' NIK and phone masked by role; the view
    is logged against both owners."""
    _allow(request, DEDUP_ROLES)
    pair = selectors.business_pair_get(user=request.user, pk=pair_id)
    _logged(request, (pair.left.owner, pair.right.owner))
    return pair


@router.post("/business-pairs/{pair_id}/confirm", response=BusinessPairOut)
def business_pair_confirm(request, pair_id: int, payload: DecisionIn | None = None):
    """The two records are one business. A decided pair is 422."""
    return _decided(request, selectors.business_pair_get, services.pair_confirm, pair_id, payload)


@router.post("/business-pairs/{pair_id}/reject", response=BusinessPairOut)
def business_pair_reject(request, pair_id: int, payload: DecisionIn | None = None):
    """The two records are different businesses. A decided pair is 422."""
    return _decided(request, selectors.business_pair_get, services.pair_reject, pair_id, payload)


# Entities ------------------------------------------------------------------------------


def _entity_shown(request, entity_id):
    entity = selectors.entity_get(user=request.user, pk=entity_id)
    _logged(request, (member.person for member in entity.members.all()))
    return entity


@router.get("/entities/{entity_id}", response=EntityOut)
def entity_detail(request, entity_id: int):
    """The golden record with the source and rule of each field, the member records and
    the entity's history."""
    _allow(request, DEDUP_ROLES)
    return _entity_shown(request, entity_id)


@router.post("/entities/{entity_id}/unmerge", response=EntityOut)
def entity_unmerge(request, entity_id: int, payload: UnmergeIn):
    """Take one record out of the entity; the pairs joining it to the others become
    rejected, so no later run joins them again."""
    _allow(request, DEDUP_ROLES)
    entity = selectors.entity_get(user=request.user, pk=entity_id)
    try:
        person = registry_selectors.person_get(viewer=request.user, pk=payload.person_id)
    except Http404 as exc:
        raise ValidationError({"person_id": NOT_FOUND}) from exc
    services.entity_unmerge(user=request.user, entity=entity, person=person, note=payload.note)
    return _entity_shown(request, entity.pk)


# Online check --------------------------------------------------------------------------


@router.post("/check", response=CheckOut)
def check(request, payload: CheckIn):
    """Is this record already in the registry? Candidates inside the caller's area with
    the model's match probability; the NIK masked. Nothing is written."""
    _allow(request, OFFICERS)
    result = online.candidates_for(user=request.user, record=payload.dict())
    return {"candidates": result.candidates, "elsewhere": result.elsewhere}
