"""Every write of pivot declarations and their curation (kurasi).

A declaration moves DECLARED → IN_CURATION (assigned to a curator organisation, awaiting
its check) → CURATED, NEEDS_IMPROVEMENT or REJECTED; after NEEDS_IMPROVEMENT the business
resubmits it (IN_CURATION again, same curator) and the next check is a re-curation. Each
check is its own `Curation` row, so the history is never overwritten. A declaration can be
withdrawn until it is rejected.

Who: a seller for the businesses its organisation acts for, or an officer for the
businesses of their area, declares and changes; central and province officers assign
curators; a curator of the assigned organisation records the check; central officers
revise checklists.
"""

import secrets
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image

from pulih.accounts.models import Organisation, Role

from .models import (
    OFFICERS,
    Checklist,
    Criterion,
    Curation,
    CurationResult,
    Declaration,
    DeclarationMaterial,
    DeclarationPhoto,
    Material,
    ProductType,
    Resubmission,
)
from .selectors import declarable_businesses

Status = Declaration.Status
Outcome = Curation.Outcome

DECLARANTS = {*OFFICERS, Role.PENJUAL}
ASSIGNERS = {Role.PUSAT, Role.PROVINSI}
EDITABLE = {Status.DECLARED, Status.IN_CURATION, Status.NEEDS_IMPROVEMENT}
ASSIGNABLE = {Status.DECLARED, Status.IN_CURATION}
WITHDRAWABLE = {*EDITABLE, Status.CURATED}
UPDATABLE = {
    "monthly_capacity",
    "lead_time_days",
    "unit_price",
    "equipment",
    "workers",
    "description",
    "materials",
}

MAX_PHOTOS = 6
MAX_PHOTO_MB = 5
IMAGE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_CAPACITY = 100_000_000
MAX_QUANTITY = 1_000_000_000
MAX_LEAD_TIME_DAYS = 365
MAX_PRICE = 1_000_000_000
MAX_WORKERS = 1_000_000
MAX_NOTE = 500
# A measured value is stored with 10 digits, 2 of them decimals.
MAX_VALUE = Decimal("99999999.99")

BUSINESS_NOT_YOURS = _("You cannot declare for this business.")
PRODUCT_UNKNOWN = _("Choose a product of the catalogue.")
DECLARED_ALREADY = _(
    "This business has already declared this product; change that declaration instead."
)
NOT_WHOLE = _("Enter a whole number.")
CAPACITY_NOT_POSITIVE = _("The capacity per month must be at least 1.")
NEGATIVE = _("This cannot be negative.")
TOO_LARGE = _("This number is too large.")
LEAD_TIME_INVALID = _("The lead time is from 0 to 365 days.")
MATERIAL_UNKNOWN = _("Choose a material of the catalogue.")
QUANTITY_NOT_POSITIVE = _("Each material needs a quantity per month of at least 1.")
MATERIAL_TWICE = _("A material is listed twice: %(material)s.")
NOT_EDITABLE = _("A declaration can only be changed before it is curated.")
NOT_WITHDRAWABLE = _("This declaration is already withdrawn or rejected.")
PHOTO_NOT_IMAGE = _("The photo is not a JPEG, PNG or WebP image.")
PHOTO_TOO_LARGE = _("A photo may be at most 5 MB.")
TOO_MANY_PHOTOS = _("A declaration has at most 6 photos.")
CAPTION_TOO_LONG = _("A caption may be at most 200 characters.")
NOT_A_CURATOR = _("Choose a curator organisation.")
NOTHING_CHOSEN = _("Choose at least one declaration.")
NOT_ASSIGNABLE = _("Only declarations not yet curated can be assigned: %(names)s.")
NOT_AWAITING = _("This declaration is not awaiting curation.")
NO_CHECKLIST = _("This product has no active checklist.")
CHECKLIST_OTHER_PRODUCT = _("This checklist is of another product.")
CRITERION_UNKNOWN = _("A result names a criterion that is not in this checklist.")
CRITERION_UNANSWERED = _("Answer every criterion: “%(criterion)s” has no answer.")
VALUE_MISSING = _("Enter the measured value of “%(criterion)s”.")
VALUE_INVALID = _("The value of “%(criterion)s” must be a number below 100,000,000.")
NOTE_TOO_LONG = _("A note may be at most 500 characters.")
OUTCOME_UNKNOWN = _("Choose curated, needs improvement or rejected.")
REASONS_MISSING = _("Give the reasons for this outcome.")
CURATED_REFUSED = _("It cannot be curated: a required criterion failed (%(criteria)s).")
NOT_IMPROVABLE = _("Only a declaration that needs improvement can be sent back to curation.")
CHECKLIST_EMPTY = _("A checklist needs at least one criterion.")
CRITERION_TEXT_MISSING = _("Every criterion needs its text (at most 300 characters).")
MINIMUM_INVALID = _("A minimum value must be a number from 0 to 99,999,999.")
VALUE_UNIT_TOO_LONG = _("The unit of a value may be at most 20 characters.")
STANDARD_TOO_LONG = _("The standard may be at most 100 characters.")
CHECKLIST_SAVED_MEANWHILE = _(
    "Another version of this checklist was saved meanwhile; open it and try again."
)


# Checks ---------------------------------------------------------------------------------


def _allowed(user, roles):
    if not (user.is_superuser or user.role in roles):
        raise PermissionDenied


def _declarant_check(user, declaration):
    """The user may act for the declaration's business: its seller, or an officer of its
    area. Pages and the API find out-of-scope declarations 404 before coming here."""
    _allowed(user, DECLARANTS)
    if not declarable_businesses(user).filter(pk=declaration.business_id).exists():
        raise PermissionDenied


def _whole(value, field, *, minimum, maximum, below=NEGATIVE, above=TOO_LARGE):
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({field: NOT_WHOLE})
    if value < minimum:
        raise ValidationError({field: below})
    if value > maximum:
        raise ValidationError({field: above})
    return value


def _figures(fields):
    """The declaration's numbers, checked; text fields stripped."""
    checks = {
        "monthly_capacity": {
            "minimum": 1,
            "maximum": MAX_CAPACITY,
            "below": CAPACITY_NOT_POSITIVE,
        },
        "lead_time_days": {
            "minimum": 0,
            "maximum": MAX_LEAD_TIME_DAYS,
            "below": LEAD_TIME_INVALID,
            "above": LEAD_TIME_INVALID,
        },
        "unit_price": {"minimum": 0, "maximum": MAX_PRICE},
        "workers": {"minimum": 0, "maximum": MAX_WORKERS},
    }
    checked = {}
    for field, value in fields.items():
        if field in checks:
            checked[field] = _whole(value, field, **checks[field])
        else:
            checked[field] = (value or "").strip()
    return checked


def _needs(materials):
    """[(Material, monthly quantity)] checked: catalogue materials, each once, ≥ 1."""
    needs, seen = [], set()
    for material, quantity in materials:
        if not isinstance(material, Material) or material.pk is None:
            raise ValidationError({"materials": MATERIAL_UNKNOWN})
        if material.pk in seen:
            raise ValidationError({"materials": MATERIAL_TWICE % {"material": material.name}})
        seen.add(material.pk)
        _whole(
            quantity,
            "materials",
            minimum=1,
            maximum=MAX_QUANTITY,
            below=QUANTITY_NOT_POSITIVE,
        )
        needs.append((material, quantity))
    return needs


def image_checked(image):
    """An uploaded image Pillow can read (JPEG, PNG or WebP) of at most MAX_PHOTO_MB,
    renamed to a random name: the original name may say more than the photo."""
    if image.size > MAX_PHOTO_MB * 1024 * 1024:
        raise ValidationError(PHOTO_TOO_LARGE)
    try:
        image.seek(0)
        with Image.open(image) as opened:
            kind = opened.format
            opened.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(PHOTO_NOT_IMAGE) from exc
    finally:
        image.seek(0)
    if kind not in IMAGE_EXTENSIONS:
        raise ValidationError(PHOTO_NOT_IMAGE)
    image.name = f"{secrets.token_hex(8)}.{IMAGE_EXTENSIONS[kind]}"
    return image


def _locked(declaration):
    return Declaration.objects.select_for_update().get(pk=declaration.pk)


# Declarations ---------------------------------------------------------------------------


def declaration_create(
    *,
    user,
    business,
    product_type,
    monthly_capacity,
    lead_time_days=0,
    unit_price=0,
    equipment="",
    workers=0,
    description="",
    materials=(),
) -> Declaration:
    """A business's pivot to a product of the catalogue, in the business's region."""
    _allowed(user, DECLARANTS)
    if not declarable_businesses(user).filter(pk=business.pk).exists():
        raise ValidationError({"business": BUSINESS_NOT_YOURS})
    if product_type is None or not product_type.active:
        raise ValidationError({"product_type": PRODUCT_UNKNOWN})
    fields = _figures(
        {
            "monthly_capacity": monthly_capacity,
            "lead_time_days": lead_time_days,
            "unit_price": unit_price,
            "workers": workers,
            "equipment": equipment,
            "description": description,
        }
    )
    needs = _needs(materials)
    if Declaration.objects.filter(business=business, product_type=product_type).exists():
        raise ValidationError({"product_type": DECLARED_ALREADY})
    declaration = Declaration(
        business=business, product_type=product_type, declared_by=user, **fields
    )
    declaration.set_region(
        business.village_code
        or business.district_code
        or business.regency_code
        or business.province_code
    )
    try:
        with transaction.atomic():
            declaration.save()
            DeclarationMaterial.objects.bulk_create(
                DeclarationMaterial(declaration=declaration, material=m, monthly_quantity=q)
                for m, q in needs
            )
    except IntegrityError as exc:  # declared by someone else at the same moment
        raise ValidationError({"product_type": DECLARED_ALREADY}) from exc
    return declaration


def declaration_update(*, user, declaration, **fields) -> Declaration:
    """Change the figures, texts or materials (all rows replaced) of a declaration that
    is not curated yet."""
    unknown = set(fields) - UPDATABLE
    if unknown:
        raise TypeError(f"not updatable: {', '.join(sorted(unknown))}")
    _declarant_check(user, declaration)
    materials = fields.pop("materials", None)
    checked = _figures(fields)
    needs = _needs(materials) if materials is not None else None
    with transaction.atomic():
        declaration = _locked(declaration)
        if declaration.status not in EDITABLE:
            raise ValidationError(NOT_EDITABLE)
        for field, value in checked.items():
            setattr(declaration, field, value)
        declaration.save()
        if needs is not None:
            declaration.materials.all().delete()
            DeclarationMaterial.objects.bulk_create(
                DeclarationMaterial(declaration=declaration, material=m, monthly_quantity=q)
                for m, q in needs
            )
    return declaration


def declaration_photo_add(*, user, declaration, image, caption="") -> DeclarationPhoto:
    """A photo of the product or the workshop; at most MAX_PHOTOS per declaration."""
    _declarant_check(user, declaration)
    caption = (caption or "").strip()
    if len(caption) > 200:
        raise ValidationError({"caption": CAPTION_TOO_LONG})
    image_checked(image)
    with transaction.atomic():
        declaration = _locked(declaration)
        if declaration.status not in EDITABLE:
            raise ValidationError(NOT_EDITABLE)
        if declaration.photos.count() >= MAX_PHOTOS:
            raise ValidationError(TOO_MANY_PHOTOS)
        return DeclarationPhoto.objects.create(
            declaration=declaration, image=image, caption=caption
        )


def declaration_photo_remove(*, user, photo):
    """Take a photo off a declaration that is not curated yet; its file goes too."""
    declaration = photo.declaration
    _declarant_check(user, declaration)
    with transaction.atomic():
        if _locked(declaration).status not in EDITABLE:
            raise ValidationError(NOT_EDITABLE)
        photo.delete()
        transaction.on_commit(lambda: photo.image.delete(save=False))


def declaration_withdraw(*, user, declaration) -> Declaration:
    """The business no longer offers the product; allocation stops considering it."""
    _declarant_check(user, declaration)
    with transaction.atomic():
        declaration = _locked(declaration)
        if declaration.status not in WITHDRAWABLE:
            raise ValidationError(NOT_WITHDRAWABLE)
        declaration.status = Status.WITHDRAWN
        declaration.save(update_fields=["status", "updated_at"])
    return declaration


# Curation -------------------------------------------------------------------------------


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


def checklist_current(product_type):
    """The latest active version of the product type's checklist, or None."""
    return (
        Checklist.objects.filter(product_type=product_type, active=True)
        .order_by("-version")
        .first()
    )


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
    """A curator of the assigned organisation checks the declaration against the latest
    active checklist of its product (or `checklist`, a version of the same product).
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
        if checklist is None:
            checklist = checklist_current(declaration.product_type_id)
            if checklist is None:
                raise ValidationError(NO_CHECKLIST)
        elif checklist.product_type_id != declaration.product_type_id:
            raise ValidationError({"checklist": CHECKLIST_OTHER_PRODUCT})
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


# Checklists -----------------------------------------------------------------------------


def _criteria(criteria):
    made = []
    for order, (text, minimum, value_unit, required) in enumerate(criteria, start=1):
        text = (text or "").strip()
        if not text or len(text) > 300:
            raise ValidationError({"criteria": CRITERION_TEXT_MISSING})
        if minimum is not None and minimum != "":
            try:
                minimum = Decimal(str(minimum)).quantize(Decimal("0.01"))
            except (InvalidOperation, ValueError) as exc:
                raise ValidationError({"criteria": MINIMUM_INVALID}) from exc
            if not minimum.is_finite() or not 0 <= minimum <= MAX_VALUE:
                raise ValidationError({"criteria": MINIMUM_INVALID})
        else:
            minimum = None
        value_unit = (value_unit or "").strip()
        if len(value_unit) > 20:
            raise ValidationError({"criteria": VALUE_UNIT_TOO_LONG})
        made.append(
            Criterion(
                order=order,
                text=text,
                minimum=minimum,
                value_unit=value_unit,
                required=bool(required),
            )
        )
    if not made:
        raise ValidationError({"criteria": CHECKLIST_EMPTY})
    return made


def checklist_revise(*, user, product_type, standard, criteria) -> Checklist:
    """Central officers publish the next version of a product type's checklist
    (`criteria`: [(text, minimum, value unit, required)]); earlier versions are
    deactivated, and the curations that used them keep them."""
    _allowed(user, {Role.PUSAT})
    standard = (standard or "").strip()
    if len(standard) > 100:
        raise ValidationError({"standard": STANDARD_TOO_LONG})
    made = _criteria(criteria)
    try:
        with transaction.atomic():
            ProductType.objects.select_for_update().get(pk=product_type.pk)
            last = Checklist.objects.filter(product_type=product_type).order_by("-version")
            version = (last.values_list("version", flat=True).first() or 0) + 1
            for old in Checklist.objects.filter(product_type=product_type, active=True):
                old.active = False
                old.save(update_fields=["active"])
            checklist = Checklist.objects.create(
                product_type=product_type, version=version, standard=standard
            )
            for criterion in made:
                criterion.checklist = checklist
            Criterion.objects.bulk_create(made)
    except IntegrityError as exc:
        raise ValidationError(CHECKLIST_SAVED_MEANWHILE) from exc
    return checklist
