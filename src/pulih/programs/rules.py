"""Eligibility rules: each one a sentence a candidate must make true, and its check.

A programme keeps the codes of its rules (`Programme.rules`); `eligibility` gathers the
facts about its enrolments and records which rules each one failed, so an officer sees
why in the rules' own words. The BPUM rules follow the 2020 programme's conditions and
the categories of defects the state audit board (BPK) found among its recipients.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pulih.registry.models import Business, Person, Scale

from .models import Enrolment, ExternalList

Kind = ExternalList.Kind


@dataclass
class Facts:
    """What the rules know about one enrolment.

    `lists` holds the kinds of external list the person, or any record of their entity,
    is matched on, among the national lists and those of the person's province. `paid` is
    whether the entity already has a live payment (not failed, not set aside as a
    duplicate) in the programme, in any cycle, for another enrolment. `scales` are the
    scales of the person's businesses, for an enrolment that names no business.
    """

    enrolment: Enrolment
    person: Person
    business: Business | None
    entity_id: int
    lists: set[str]
    paid: bool
    scales: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    code: str
    text: Promise
    check: Callable[[Facts], bool]  # True when the candidate passes


def _micro(facts):
    # PP 7/2021 by capital or sales; a business of unknown scale is not known to be micro.
    if facts.business is not None:
        return facts.business.scale == Scale.MICRO
    return bool(facts.scales) and all(scale == Scale.MICRO for scale in facts.scales)


def _not_on(kind):
    return lambda facts: kind not in facts.lists


_ALL = [
    Rule("nik_valid", _("The NIK is valid."), lambda facts: facts.person.nik_valid),
    Rule(
        "nik_in_civil_registry",
        _("The NIK is verified by the civil registry (Dukcapil)."),
        lambda facts: Kind.CIVIL_REGISTRY in facts.lists,
    ),
    Rule("micro_business", _("The business is a micro business (PP 7/2021)."), _micro),
    Rule(
        "not_civil_servant",
        _("The applicant is not a civil servant (ASN), TNI or Polri member."),
        _not_on(Kind.CIVIL_SERVANTS),
    ),
    Rule(
        "not_state_enterprise",
        _("The applicant is not a BUMN or BUMD employee."),
        _not_on(Kind.STATE_ENTERPRISE),
    ),
    Rule("no_kur", _("The applicant is not receiving KUR."), _not_on(Kind.KUR)),
    Rule(
        "no_bank_credit",
        _("The applicant is not receiving other bank credit."),
        _not_on(Kind.BANK_CREDIT),
    ),
    Rule("not_deceased", _("The applicant is not recorded as deceased."), _not_on(Kind.DECEASED)),
    Rule(
        "not_paid_in_programme",
        _("The applicant has not already been paid in this programme."),
        lambda facts: not facts.paid,
    ),
    Rule(
        "not_social_aid",
        _("The applicant is not receiving Kemensos aid."),
        _not_on(Kind.SOCIAL_AID),
    ),
]

RULES = {rule.code: rule for rule in _ALL}

BPUM_RULES = [
    "nik_valid",
    "nik_in_civil_registry",
    "micro_business",
    "not_civil_servant",
    "not_state_enterprise",
    "no_kur",
    "no_bank_credit",
    "not_deceased",
    "not_paid_in_programme",
]

# The BPK audit's category of defect that each failed rule prevents, for reports.
AUDIT_CATEGORY = {
    "not_paid_in_programme": _("paid twice"),
    "nik_valid": _("NIK not in the civil registry"),
    "nik_in_civil_registry": _("NIK not in the civil registry"),
    "not_civil_servant": _("civil servant/TNI/Polri/BUMN"),
    "not_state_enterprise": _("civil servant/TNI/Polri/BUMN"),
    "not_deceased": _("deceased"),
    "micro_business": _("not a micro business"),
    "no_bank_credit": _("bank credit"),
    "no_kur": _("KUR"),
}


def rules_of(programme):
    """The programme's rules, in its order."""
    return [RULES[code] for code in programme.rules]
