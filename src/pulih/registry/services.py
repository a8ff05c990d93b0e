"""Writes on the registry: collection batches (tahap) and their records.

Every change of a batch's status goes through `batch_transition`, which checks who may
make it, records a BatchEvent and leaves the audit trail. Records can be written only
while their batch is editable (draft or returned).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pulih.accounts.models import Role
from pulih.core.ids import parse_phone, problems_text
from pulih.core.scope import code_in_scope, region_codes
from pulih.wilayah.data import nik_check
from pulih.wilayah.models import Village

from .models import (
    BatchEvent,
    Business,
    CollectionBatch,
    Cooperative,
    EntryDraft,
    ImpactReport,
    Need,
    Person,
    Problem,
)

Status = CollectionBatch.Status

BATCH_LOCKED = _(
    "This batch is approved and locked. Ask the province to un-approve it, with a reason, "
    "before changing its data."
)
BATCH_UNDER_REVIEW = _("This batch is under review; it can be changed after it is returned.")
REASON_REQUIRED = _("Give a reason.")
TRANSITION_NOT_ALLOWED = _("This step is not possible from the batch's current status.")
ROLE_MAY_NOT = _("Your role may not take this step.")
OWNER_NOT_YOURS = _("This business actor is outside your working area.")
UNKNOWN_CHOICE = _("Unknown choice: %(value)s.")

# action: (statuses it starts from, status it leads to, roles that may take it,
#          whether a comment is required)
TRANSITIONS = {
    "submit": ({Status.DRAFT, Status.RETURNED}, Status.SUBMITTED, {Role.KABKOTA}, False),
    "verify": ({Status.SUBMITTED}, Status.VERIFIED, {Role.PROVINSI}, False),
    "return": ({Status.SUBMITTED, Status.VERIFIED}, Status.RETURNED, {Role.PROVINSI}, True),
    "approve": ({Status.VERIFIED}, Status.APPROVED, {Role.PROVINSI}, False),
    "unapprove": ({Status.APPROVED}, Status.VERIFIED, {Role.PROVINSI, Role.PUSAT}, True),
    "receive": ({Status.APPROVED}, Status.RECEIVED, {Role.PUSAT}, False),
    "unreceive": ({Status.RECEIVED}, Status.APPROVED, {Role.PUSAT}, True),
}


def batch_actions(*, batch, user):
    """The steps this user may take on this batch now (for the page's buttons)."""
    return [
        action
        for action, (sources, _target, roles, _needs) in TRANSITIONS.items()
        if batch.status in sources and (user.is_superuser or user.role in roles)
    ]


@transaction.atomic
def batch_transition(*, batch, user, action, comment=""):
    """Move a batch one step (submit, verify, return, approve, unapprove, receive)."""
    batch = CollectionBatch.objects.select_for_update().get(pk=batch.pk)
    sources, target, roles, needs_comment = TRANSITIONS[action]
    if not (user.is_superuser or user.role in roles):
        raise PermissionDenied(ROLE_MAY_NOT)
    if batch.status not in sources:
        raise ValidationError(TRANSITION_NOT_ALLOWED)
    if needs_comment and not comment.strip():
        raise ValidationError({"comment": REASON_REQUIRED})
    event = BatchEvent.objects.create(
        batch=batch,
        action=action,
        from_status=batch.status,
        to_status=target,
        actor=user,
        comment=comment.strip(),
    )
    batch.status = target
    batch.save(update_fields=["status", "updated_at"])
    return event


def batch_for_entry(*, user, regency_code, stage=None):
    """The batch new records of a regency go into: the open batch of the given stage, or
    of the latest stage; a new draft stage when the latest is already submitted."""
    batches = CollectionBatch.objects.filter(regency_code=regency_code)
    if stage is not None:
        batch, _created = CollectionBatch.objects.get_or_create(
            regency_code=regency_code,
            stage=stage,
            defaults={"province_code": regency_code[:2], "created_by": user},
        )
        return batch
    latest = batches.order_by("-stage").first()
    if latest is not None and latest.editable:
        return latest
    return CollectionBatch.objects.create(
        regency_code=regency_code,
        province_code=regency_code[:2],
        stage=(latest.stage + 1) if latest else 1,
        created_by=user,
    )


def batch_check_editable(batch):
    """Raise the reason when the records of `batch` may not be changed now."""
    if batch.locked:
        raise ValidationError(BATCH_LOCKED)
    if not batch.editable:
        raise ValidationError(BATCH_UNDER_REVIEW)


NOT_YOUR_AREA = _("This village is outside your working area.")
UNKNOWN_VILLAGE = _("Unknown village code.")
NIK_ALREADY_IN_REGENCY = _("A business actor with this NIK is already registered in this regency.")


def _place(*, user, village_code):
    """The checked village code and the batch new records there go into."""
    if not Village.objects.filter(code=village_code).exists():
        raise ValidationError({"village_code": UNKNOWN_VILLAGE})
    if not code_in_scope(user, village_code):
        raise ValidationError({"village_code": NOT_YOUR_AREA})
    regency_code = region_codes(village_code)["regency_code"]
    batch = batch_for_entry(user=user, regency_code=regency_code)
    batch_check_editable(batch)
    return batch


def _checked_phone(phone, field="phone"):
    if not phone:
        return ""
    result = parse_phone(phone)
    if not result.valid:
        raise ValidationError({field: problems_text(result.errors, get_language() or "id")})
    return result.e164


def _nik_fields(nik):
    """The NIK as given, with its check's verdict; an invalid NIK is flagged, not refused."""
    nik = (nik or "").strip()
    if not nik:
        return {"nik": "", "nik_valid": False, "nik_problems": []}
    result = nik_check(nik)
    return {
        "nik": nik,
        "nik_valid": result.valid,
        "nik_problems": [p.code for p in result.errors + result.warnings],
    }


def _save(record):
    """Validate and save; a person's NIK already in the regency is a field error, not a 500."""
    record.full_clean(exclude=["batch", "created_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:
        if isinstance(record, Person):
            raise ValidationError({"nik": NIK_ALREADY_IN_REGENCY}) from exc
        raise
    return record


@transaction.atomic
def person_create(
    *, user, village_code, name, nik="", birth_date=None, sex="", phone="", address=""
):
    batch = _place(user=user, village_code=village_code)
    person = Person(
        batch=batch,
        created_by=user,
        name=name.strip(),
        birth_date=birth_date,
        sex=sex,
        phone=_checked_phone(phone),
        address=address,
        **_nik_fields(nik),
    )
    person.set_region(village_code)
    return _save(person)


def _record_update(*, user, record, fields):
    """The one way a person, business or cooperative changes: only while its batch is
    editable, only into a village of the user's area, phones and NIKs checked."""
    batch_check_editable(record.batch)
    if "village_code" in fields:
        _place(user=user, village_code=fields["village_code"])
        record.set_region(fields.pop("village_code"))
    if "nik" in fields:
        fields.update(_nik_fields(fields.pop("nik")))
    for phone_field in ("phone", "whatsapp"):
        if phone_field in fields:
            fields[phone_field] = _checked_phone(fields[phone_field], phone_field)
    for name, value in fields.items():
        setattr(record, name, value)
    return _save(record)


@transaction.atomic
def person_update(*, user, person, **fields):
    return _record_update(user=user, record=person, fields=fields)


@transaction.atomic
def business_create(*, user, owner, name, village_code=None, **fields):
    """A business of `owner`, in the owner's village unless another is given."""
    if not Person.objects.visible_to(user).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": OWNER_NOT_YOURS})
    village_code = village_code or owner.village_code
    batch = _place(user=user, village_code=village_code)
    if "whatsapp" in fields:
        fields["whatsapp"] = _checked_phone(fields["whatsapp"], "whatsapp")
    business = Business(batch=batch, created_by=user, owner=owner, name=name.strip(), **fields)
    business.set_region(village_code)
    return _save(business)


@transaction.atomic
def business_update(*, user, business, **fields):
    return _record_update(user=user, record=business, fields=fields)


@transaction.atomic
def cooperative_create(*, user, village_code, name, kind, **fields):
    batch = _place(user=user, village_code=village_code)
    cooperative = Cooperative(batch=batch, created_by=user, name=name.strip(), kind=kind, **fields)
    cooperative.set_region(village_code)
    return _save(cooperative)


@transaction.atomic
def cooperative_update(*, user, cooperative, **fields):
    return _record_update(user=user, record=cooperative, fields=fields)


def _check_choices(report):
    """Problems and needs are lists of the models' choices; anything else is refused."""
    for field, choices in (("problems", Problem), ("needs", Need)):
        unknown = [v for v in getattr(report, field) or [] if v not in choices.values]
        if unknown:
            raise ValidationError({field: UNKNOWN_CHOICE % {"value": ", ".join(map(str, unknown))}})


@transaction.atomic
def impact_report_create(*, user, business, report_date, **fields):
    batch_check_editable(business.batch)
    report = ImpactReport(business=business, report_date=report_date, **fields)
    _check_choices(report)
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def impact_report_update(*, user, report, **fields):
    batch_check_editable(report.business.batch)
    for name, value in fields.items():
        setattr(report, name, value)
    _check_choices(report)
    report.full_clean()
    report.save()
    return report


PERSON_FIELDS = ("nik", "name", "birth_date", "sex", "phone", "address")
BUSINESS_FIELDS = (
    "nib",
    "kbli_section",
    "sector_note",
    "capital",
    "annual_sales",
    "employees",
    "whatsapp",
)
IMPACT_FIELDS = (
    "status",
    "sales_before",
    "sales_after",
    "employees_before",
    "employees_after",
    "laid_off",
    "problems",
    "needs",
)


@transaction.atomic
def entry_create(*, user, data, draft=None):
    """Save one entry form: the owner (reusing the person already registered with this
    NIK in the regency), the business and its impact report; the draft goes away."""
    village_code = data["region_code"]
    regency_code = region_codes(village_code)["regency_code"]
    nik = (data.get("nik") or "").strip()
    owner = (
        Person.objects.filter(regency_code=regency_code, nik=nik).visible_to(user).first()
        if nik
        else None
    )
    if owner is None:
        owner = person_create(
            user=user,
            village_code=village_code,
            **{f: data.get(f) or ("" if f != "birth_date" else None) for f in PERSON_FIELDS},
        )
    business = business_create(
        user=user,
        owner=owner,
        name=data["business_name"],
        village_code=village_code,
        address=data.get("address") or "",
        **{f: data.get(f) if data.get(f) is not None else _blank(f) for f in BUSINESS_FIELDS},
    )
    impact_report_create(
        user=user,
        business=business,
        report_date=data["report_date"],
        **{f: data.get(f) if data.get(f) is not None else _blank(f) for f in IMPACT_FIELDS},
    )
    if draft is not None:
        draft.delete()
    return business


def _blank(field):
    """The empty value of a form field the user left out."""
    if field in {"problems", "needs"}:
        return []
    if field in {"nib", "kbli_section", "sector_note", "whatsapp"}:
        return ""
    return None


def entry_draft_save(*, user, data, draft=None):
    """Keep a half-filled entry as typed, without validating it."""
    if draft is None:
        draft = EntryDraft(author=user)
    draft.data = {k: v for k, v in data.items() if k != "csrfmiddlewaretoken"}
    draft.save()
    return draft
