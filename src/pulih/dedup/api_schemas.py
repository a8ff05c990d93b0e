"""The request and response schemas of the record-linkage API (`api`).

A response shows NIK and phone numbers as the caller may see them: masked for roles
without personal data.
"""

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from pulih.core.ids import mask_nik, mask_phone
from pulih.registry.models import Sex

from . import selectors, services

MASKS = {"nik": mask_nik, "owner__nik": mask_nik, "phone": mask_phone, "whatsapp": mask_phone}
# A Kemendagri code, dotted ("19", "19.01", … "19.01.01.2001"), or a postcode.
REGION = r"^$|^[0-9]{5}$|^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$"


def _shown(request, field, value):
    """A field's value as the caller may see it: NIK and phone masked for roles without
    personal data."""
    if field in MASKS and value and not request.user.sees_personal_data:
        return MASKS[field](value)
    return value.isoformat() if isinstance(value, date) else value


# As the pages' note field.
Note = Annotated[str, Field(max_length=1000)]


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
