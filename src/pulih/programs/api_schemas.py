"""The request and response schemas of the aid-programmes API (`api`).

Rule texts are given in the request's language (Indonesian unless Accept-Language asks
for English); NIKs are masked for roles that may not see them.
"""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from pulih.core.ids import mask_nik

from .lists import PARTS, list_summary
from .models import Enrolment, ExternalList, Programme, Referral
from .rules import BPUM_RULES, RULES

# Person or enrolment ids in one request: more would hold the worker too long.
MAX_IDS = 5_000

RuleCode = Literal[tuple(RULES)]
Part = Literal[PARTS]
ListKind = Literal[tuple(ExternalList.Kind.values)]
ReferralTarget = Literal[tuple(Referral.Target.values)]
EnrolmentStatus = Literal[tuple(Enrolment.Status.values)]
ReportBy = Literal["regency_code", "province_code"]
ExportFormat = Literal["csv", "xlsx"]
Text200 = Annotated[str, Field(max_length=200)]


def rule_shown(code):
    """A rule's code and its sentence in the request's language."""
    rule = RULES.get(code)
    return {"code": code, "text": str(rule.text) if rule else code}


class Refusal(Schema):
    """A file refused as a whole: why, in the request's language, and a stable code."""

    message: str
    code: str = ""


# Programmes ----------------------------------------------------------------------------


class RuleOut(Schema):
    code: str
    text: str


class CycleOut(Schema):
    number: int
    opens: date | None
    closes: date | None


class ProgrammeOut(Schema):
    """`rules`: what a candidate must pass, in the programme's order. `province_code` is
    empty for a national programme."""

    id: int
    name: str
    agency: str
    kind: str
    amount: int
    target: str
    province_code: str
    rules: list[RuleOut]
    cycles: list[CycleOut]
    created_at: datetime

    @staticmethod
    def resolve_rules(programme):
        return [rule_shown(code) for code in programme.rules]

    @staticmethod
    def resolve_cycles(programme):
        return programme.cycles.all()


class ProgrammeIn(Schema):
    """A province officer's programme is always their own province's; the centre may
    leave `province_code` empty for a national one. `rules` default to BPUM's."""

    name: Text200
    agency: Text200
    kind: Literal[tuple(Programme.Kind.values)]
    amount: int = Field(ge=0)
    rules: list[RuleCode] = Field(default_factory=lambda: list(BPUM_RULES))
    cycles: int = Field(1, ge=1, le=24)
    province_code: str = Field("", pattern=r"^$|^[0-9]{2}$")


class ReportRow(Schema):
    """One region: `reasons` counts the ineligible by rule failed; `rupiah_blocked` is
    what ineligible or duplicate recipients would have received."""

    region: str
    candidates: int
    eligible: int
    ineligible: int
    verified: int
    approved: int
    paid: int
    reasons: dict[str, int]
    duplicates: int
    rupiah_paid: int
    rupiah_blocked: int


class ReportOut(Schema):
    programme_id: int
    cycle: int | None
    by: str
    rows: list[ReportRow]


class CandidateIn(Schema):
    """Without `cycle`, the person's latest enrolment in the programme, if any."""

    person_id: int
    cycle: int | None = Field(None, ge=1)


class RuleVerdict(RuleOut):
    passed: bool


class CandidateOut(Schema):
    """Each rule of the programme, in order, and whether the person passes it now.
    Nothing is written: the enrolment's recorded status is left as it is."""

    programme_id: int
    person_id: int
    cycle: int | None
    enrolment_id: int | None
    status: str | None
    eligible: bool
    rules: list[RuleVerdict]


# Enrolments ----------------------------------------------------------------------------


class EnrolIn(Schema):
    """Without `person_ids`, every business actor of the caller's area not yet enrolled."""

    person_ids: list[int] | None = Field(None, max_length=MAX_IDS)


class EnrolOut(Schema):
    enrolled: int


class EvaluationOut(Schema):
    """Open enrolments judged now; `by_rule` counts the ineligible by rule failed."""

    eligible: int
    ineligible: int
    by_rule: dict[str, int]


class EnrolmentFilters(Schema):
    cycle: int | None = Field(None, ge=1)
    status: EnrolmentStatus | None = None


class EnrolmentOut(Schema):
    id: int
    programme_id: int
    cycle: int = Field(alias="cycle.number")
    person_id: int
    person_name: str = Field(alias="person.name")
    nik: str
    nik_valid: bool = Field(alias="person.nik_valid")
    business_id: int | None
    business_name: str | None
    entity_id: int
    status: str
    failed_rules: list[RuleOut]
    province_code: str
    regency_code: str
    district_code: str
    village_code: str
    evaluated_at: datetime | None
    verified_at: datetime | None
    approved_at: datetime | None

    @staticmethod
    def resolve_nik(enrolment, context):
        nik = enrolment.person.nik
        return nik if context["request"].user.sees_personal_data else mask_nik(nik)

    @staticmethod
    def resolve_business_name(enrolment):
        return enrolment.business.name if enrolment.business else None

    @staticmethod
    def resolve_failed_rules(enrolment):
        return [rule_shown(code) for code in enrolment.failed_rules]


class IdsIn(Schema):
    ids: list[int] = Field(min_length=1, max_length=MAX_IDS)


class VerifiedOut(Schema):
    verified: int


class ApprovalRefused(Schema):
    id: int
    message: str


class ApprovalsOut(Schema):
    """Each enrolment is approved on its own; `refused` says why the others were not."""

    approved: int
    refused: list[ApprovalRefused]


# Payments ------------------------------------------------------------------------------


class BatchOut(Schema):
    """A file of payments for the bank: `open` until the bank's results settle it."""

    id: int
    programme_id: int
    cycle: int = Field(alias="cycle.number")
    status: str
    payments: int
    amount: int
    created_at: datetime

    @staticmethod
    def resolve_payments(batch):
        return batch.payments.count()

    @staticmethod
    def resolve_amount(batch):
        return sum(batch.payments.values_list("amount", flat=True))


class ResultsOut(Schema):
    changed: int
    unchanged: int


class AlertPaymentOut(Schema):
    id: int
    reference: str
    enrolment_id: int
    amount: int
    status: str
    duplicate: bool


class AlertOut(Schema):
    """Two payments in one cycle to records found to be one person; the later one is set
    aside as a duplicate."""

    id: int
    programme_id: int
    programme_name: str = Field(alias="programme.name")
    cycle: int = Field(alias="cycle.number")
    entity_id: int
    province_code: str
    payments: list[AlertPaymentOut]
    created_at: datetime
    resolved_at: datetime | None
    note: str

    @staticmethod
    def resolve_payments(alert):
        return alert.payments.order_by("pk")


# External lists ------------------------------------------------------------------------


class ListOut(Schema):
    """`rows`: the file's data rows. `province_code` is empty for a national list."""

    id: int
    kind: str
    name: str
    source: str
    province_code: str
    rows: int
    imported_at: datetime


class ListSummary(Schema):
    """What the import made of the file: entries kept (repeated rows are one entry),
    invalid NIKs, and entries matched by NIK, by record linkage, or not at all."""

    rows: int
    duplicates: int
    entries: int
    invalid_nik: int
    by_nik: int
    by_linkage: int
    unmatched: int


class ListDetailOut(ListOut):
    summary: ListSummary

    @staticmethod
    def resolve_summary(lst):
        return list_summary(lst)


class ExportIn(Schema):
    fmt: ExportFormat = Field("csv", alias="format")


class CrosscheckOut(Schema):
    """The irisan as the caller sees it: people of their area on the list, people of
    their area not on it, and entries matched to nobody; entries matched to people
    outside their area are only counted."""

    overlap: int
    only_registry: int
    only_list: int
    outside_scope: int


class ServedOut(Schema):
    marked: int


# Referrals -----------------------------------------------------------------------------


class ReferralIn(Schema):
    person_ids: list[int] = Field(min_length=1, max_length=MAX_IDS)
    target: ReferralTarget


class ReferralsOut(Schema):
    """People outside the caller's area are only counted, never referred."""

    created: int
    existing: int
    not_visible: int


class ReferralCountsOut(Schema):
    """`current`: referrals at each status now; `reached`: how many got at least that
    far (everyone who passed was registered first)."""

    target: str
    total: int
    current: dict[str, int]
    reached: dict[str, int]


class ReferralStatusOut(Schema):
    """Referrals moved forward and left as they were; rows of NIKs not referred in the
    caller's area, of moves backwards (not made) and of rows refused, each reason in
    Indonesian (`id`) and English (`en`)."""

    filename: str
    target: str
    rows: int
    updated: int
    unchanged: int
    unknown_niks: list[dict]
    backwards: list[dict]
    refused: list[dict]
