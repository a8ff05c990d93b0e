"""Curation (kurasi): declarations assigned to a curator organisation, its check against
the checklist, and the business's resubmission after "needs improvement".
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulih.accounts.models import Organisation, Role
from pulih.core.images import image_checked

from ..models import Curation, CurationResult, Declaration, Resubmission
from .checklists import checklist_current
from .common import (
    MAX_NOTE,
    MAX_VALUE,
    NOTE_TOO_LONG,
    Status,
    _allowed,
    _declarant_check,
    _locked,
)

Outcome = Curation.Outcome
ASSIGNERS = {Role.PUSAT, Role.PROVINSI}
ASSIGNABLE = {Status.DECLARED, Status.IN_CURATION}
NOT_A_CURATOR = _("Choose a curator organisation.")
NOTHING_CHOSEN = _("Choose at least one declaration.")
NOT_ASSIGNABLE = _("Only declarations not yet curated can be assigned: %(names)s.")
NOT_AWAITING = _("This declaration is not awaiting curation.")
NO_CHECKLIST = _("This product has no active checklist.")
CHECKLIST_OTHER_PRODUCT = _("This checklist is of another product.")
CHECKLIST_REVISED = _("The checklist was revised; reload the form to use version %(version)s.")
CRITERION_UNKNOWN = _("A result names a criterion that is not in this checklist.")
CRITERION_UNANSWERED = _("Answer every criterion: “%(criterion)s” has no answer.")
VALUE_MISSING = _("Enter the measured value of “%(criterion)s”.")
VALUE_INVALID = _("The value of “%(criterion)s” must be a number below 100,000,000.")
OUTCOME_UNKNOWN = _("Choose curated, needs improvement or rejected.")
REASONS_MISSING = _("Give the reasons for this outcome.")
CURATED_REFUSED = _("It cannot be curated: a required criterion failed (%(criteria)s).")
NOT_IMPROVABLE = _("Only a declaration that needs improvement can be sent back to curation.")
EVIDENCE_LATEST_ONLY = _("Photo evidence is added only to the latest curation.")
EVIDENCE_NO_RESULT = _("This curation has no result for that criterion.")


def declarations_assign(*, user, declarations, curator) -> int:
    """Central or province officers hand declarations of their area to a curator
    organisation: they move to IN_CURATION, awaiting its check. Declarations already
    curated, rejected or withdrawn refuse the whole request. Returns the number
    assigned."""
    _allowed(user, ASSIGNERS)
    if curator is None or curator.kind != Organisation.Kind.CURATOR:
        raise ValidationError({"curator": NOT_A_CURATOR})
    ids = {d.pk for d in declarations}
    if not ids:
        raise ValidationError(NOTHING_CHOSEN)
    with transaction.atomic():
        chosen = list(
            Declaration.objects.visible_to(user)
            .select_for_update()
            .select_related("business")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        if len(chosen) != len(ids):
            raise PermissionDenied
        refused = [str(d.business) for d in chosen if d.status not in ASSIGNABLE]
        if refused:
            raise ValidationError(NOT_ASSIGNABLE % {"names": ", ".join(refused[:5])})
        for declaration in chosen:
            declaration.curator = curator
            declaration.status = Status.IN_CURATION
            declaration.save(update_fields=["curator", "status", "updated_at"])
    return len(chosen)


def _value(raw, criterion):
    if raw is None or raw == "":
        return None
    try:
        value = Decimal(str(raw)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(VALUE_INVALID % {"criterion": criterion.text}) from exc
    if not value.is_finite() or abs(value) > MAX_VALUE:
        raise ValidationError(VALUE_INVALID % {"criterion": criterion.text})
    return value


def _result(criterion, answer):
    """One criterion's unsaved result. With a minimum, the measured value decides."""
    note = (answer.get("note") or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError(NOTE_TOO_LONG)
    value = _value(answer.get("value"), criterion)
    if criterion.minimum is not None:
        if value is None:
            raise ValidationError(VALUE_MISSING % {"criterion": criterion.text})
        passed = value >= criterion.minimum
    else:
        passed = answer.get("passed")
        if passed is None:
            raise ValidationError(CRITERION_UNANSWERED % {"criterion": criterion.text})
    evidence = answer.get("evidence")
    return CurationResult(
        criterion=criterion,
        passed=bool(passed),
        value=value,
        note=note,
        evidence=image_checked(evidence) if evidence else "",
    )


def _results(criteria, results):
    """Every criterion's result; all problems are reported together."""
    answers = {}
    for key, answer in results.items():
        try:
            answers[int(key)] = answer or {}
        except (TypeError, ValueError) as exc:
            raise ValidationError(CRITERION_UNKNOWN) from exc
    if set(answers) - {c.pk for c in criteria}:
        raise ValidationError(CRITERION_UNKNOWN)
    made, problems = [], []
    for criterion in criteria:
        if criterion.pk not in answers:
            problems.append(CRITERION_UNANSWERED % {"criterion": criterion.text})
            continue
        try:
            made.append(_result(criterion, answers[criterion.pk]))
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError(problems)
    return made


def _outcome(made, outcome, reasons):
    """The outcome chosen or, when none is, the checklist's: curated when every required
    criterion passed. Refusing or asking for improvement needs reasons; a computed
    "needs improvement" names the failed criteria."""
    failed = [r.criterion.text for r in made if r.criterion.required and not r.passed]
    reasons = (reasons or "").strip()
    if not outcome:
        if failed:
            return Outcome.NEEDS_IMPROVEMENT, reasons or "\n".join(failed)
        return Outcome.CURATED, reasons
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": OUTCOME_UNKNOWN})
    if outcome == Outcome.CURATED and failed:
        raise ValidationError({"outcome": CURATED_REFUSED % {"criteria": "; ".join(failed)}})
    if outcome != Outcome.CURATED and not reasons:
        raise ValidationError({"reasons": REASONS_MISSING})
    return outcome, reasons


def curation_record(
    *, user, declaration, results, outcome=None, reasons="", checklist=None
) -> Curation:
    """A curator of the assigned organisation checks the declaration against the
    checklist in use for its product. `checklist`, the version the curator's form was
    drawn from, must still be that one: answers to a revised version's questions are
    refused rather than recorded against a standard no longer in force.
    `results` maps each criterion id to {"passed", "value", "note", "evidence"}; every
    criterion must be answered. The declaration takes the outcome; earlier curations
    stay as they were."""
    if user.role != Role.KURATOR or not user.organisation_id:
        raise PermissionDenied
    with transaction.atomic():
        declaration = _locked(declaration)
        if declaration.curator_id != user.organisation_id:
            raise PermissionDenied
        if declaration.status != Status.IN_CURATION:
            raise ValidationError(NOT_AWAITING)
        current = checklist_current(declaration.product_type_id)
        if checklist is not None and checklist.product_type_id != declaration.product_type_id:
            raise ValidationError({"checklist": CHECKLIST_OTHER_PRODUCT})
        if current is None:
            raise ValidationError(NO_CHECKLIST)
        if checklist is not None and checklist.pk != current.pk:
            raise ValidationError({"checklist": CHECKLIST_REVISED % {"version": current.version}})
        checklist = current
        made = _results(list(checklist.criteria.all()), results)
        outcome, reasons = _outcome(made, outcome, reasons)
        curation = Curation.objects.create(
            declaration=declaration,
            checklist=checklist,
            curator_id=declaration.curator_id,
            curated_by=user,
            outcome=outcome,
            reasons=reasons,
            finished_at=timezone.now(),
        )
        for result in made:
            result.curation = curation
            result.save()
        declaration.status = outcome
        declaration.save(update_fields=["status", "updated_at"])
    return curation


def curation_evidence_add(*, user, curation, criterion_id, image) -> CurationResult:
    """A photo of evidence for one result of a recorded curation (a replaced photo's
    file goes too). Only the curator organisation that recorded it adds one, and only
    to the declaration's latest curation: an earlier one was followed by a check that
    superseded it."""
    if user.role != Role.KURATOR or user.organisation_id != curation.curator_id:
        raise PermissionDenied
    image_checked(image)
    with transaction.atomic():
        _locked(curation.declaration)
        latest = (
            Curation.objects.filter(declaration_id=curation.declaration_id)
            .order_by("-started_at", "-pk")
            .values_list("pk", flat=True)
            .first()
        )
        if latest != curation.pk:
            raise ValidationError(EVIDENCE_LATEST_ONLY)
        result = (
            CurationResult.objects.select_for_update()
            .filter(curation=curation, criterion_id=criterion_id)
            .first()
        )
        if result is None:
            raise ValidationError({"criterion_id": EVIDENCE_NO_RESULT})
        replaced = result.evidence.name
        result.evidence = image
        result.save(update_fields=["evidence"])
        if replaced:
            storage = result.evidence.storage
            transaction.on_commit(lambda: storage.delete(replaced))
    return result


def declaration_resubmit(*, user, declaration, note="") -> Declaration:
    """After "needs improvement", the business (or an officer for it) says it has
    improved: back to the same curator, awaiting a re-curation, the note kept."""
    _declarant_check(user, declaration)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": NOTE_TOO_LONG})
    with transaction.atomic():
        declaration = _locked(declaration)
        if declaration.status != Status.NEEDS_IMPROVEMENT or declaration.curator_id is None:
            raise ValidationError(NOT_IMPROVABLE)
        declaration.status = Status.IN_CURATION
        declaration.save(update_fields=["status", "updated_at"])
        Resubmission.objects.create(declaration=declaration, note=note, submitted_by=user)
    return declaration
