"""A business's pivot declarations: declared, changed, photographed, withdrawn and
reopened.

What may change depends on where the declaration is: everything while it is declared or
needs improvement; nothing while it is with the curator (the curator checks what it
says); once curated only the business figures (`BUSINESS_FIGURES`), because the product,
its description, materials and photos are what was curated. A withdrawn or rejected
declaration is reopened before it changes.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from pulih.core.images import image_checked

from ..models import Declaration, DeclarationMaterial, DeclarationPhoto, Material, Resubmission
from ..selectors import declarable_businesses
from .common import (
    DECLARANTS,
    MAX_NOTE,
    NOTE_TOO_LONG,
    Status,
    _allowed,
    _declarant_check,
    _locked,
)

EDITABLE = {Status.DECLARED, Status.NEEDS_IMPROVEMENT}
# The figures of how much, how soon and at what price, which a curated producer may
# still change; the quality the curator checked may not.
BUSINESS_FIGURES = ("monthly_capacity", "lead_time_days", "unit_price", "workers", "equipment")
FIGURES_EDITABLE = {*EDITABLE, Status.CURATED}
WITHDRAWABLE = {*EDITABLE, Status.IN_CURATION, Status.CURATED}
REOPENABLE = {Status.WITHDRAWN, Status.REJECTED}
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
MAX_CAPACITY = 100_000_000
MAX_QUANTITY = 1_000_000_000
MAX_LEAD_TIME_DAYS = 365
MAX_PRICE = 1_000_000_000
MAX_WORKERS = 1_000_000

BUSINESS_NOT_YOURS = _("You cannot declare for this business.")
PRODUCT_UNKNOWN = _("Choose a product of the catalogue.")
DECLARED_ALREADY = _(
    "This business has already declared this product (declaration %(number)s, %(status)s): "
    "open that declaration to change it."
)
DECLARED_ALREADY_CLOSED = _(
    "This business has already declared this product (declaration %(number)s, %(status)s): "
    "reopen that declaration instead of declaring again."
)
NOT_WHOLE = _("Enter a whole number.")
CAPACITY_NOT_POSITIVE = _("The capacity per month must be at least 1.")
NEGATIVE = _("This cannot be negative.")
TOO_LARGE = _("This number is too large.")
LEAD_TIME_INVALID = _("The lead time is from 0 to 365 days.")
MATERIAL_UNKNOWN = _("Choose a material of the catalogue.")
QUANTITY_NOT_POSITIVE = _("Each material needs a quantity per month of at least 1.")
MATERIAL_TWICE = _("A material is listed twice: %(material)s.")
NOT_EDITABLE = _("A withdrawn or rejected declaration cannot be changed; reopen it first.")
WITH_CURATOR = _(
    "The declaration is with the curator: it can be changed once the curation is recorded."
)
CURATED_KEEPS = _(
    "The declaration is curated: its product, description, materials and photos are what "
    "was curated and stay as they are; only the capacity, lead time, price, workers and "
    "equipment can change."
)
NOT_WITHDRAWABLE = _("This declaration is already withdrawn or rejected.")
NOT_REOPENABLE = _("Only a withdrawn or rejected declaration can be reopened.")
TOO_MANY_PHOTOS = _("A declaration has at most 6 photos.")
CAPTION_TOO_LONG = _("A caption may be at most 200 characters.")


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
    existing = Declaration.objects.filter(business=business, product_type=product_type).first()
    if existing is not None:
        raise _declared_already(existing)
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
        existing = Declaration.objects.filter(business=business, product_type=product_type)
        if not existing.exists():
            raise
        raise _declared_already(existing.get()) from exc
    return declaration


def _declared_already(existing):
    """The refusal of a second declaration of a product, naming the one there is and
    what can be done with it: changed, or reopened when withdrawn or rejected."""
    message = DECLARED_ALREADY_CLOSED if existing.status in REOPENABLE else DECLARED_ALREADY
    status = str(existing.get_status_display()).lower()
    return ValidationError({"product_type": message % {"number": existing.pk, "status": status}})


def _refusal(status):
    """Why a declaration in `status` cannot change as a whole (None when it can)."""
    if status in EDITABLE:
        return None
    if status == Status.IN_CURATION:
        return WITH_CURATOR
    if status == Status.CURATED:
        return CURATED_KEEPS
    return NOT_EDITABLE


def _quality_changed(declaration, checked, needs):
    """Whether the change touches what the curator checked (anything but the business
    figures), compared with what the declaration says now."""
    if any(
        getattr(declaration, field) != value
        for field, value in checked.items()
        if field not in BUSINESS_FIGURES
    ):
        return True
    if needs is None:
        return False
    now = set(declaration.materials.values_list("material_id", "monthly_quantity"))
    return {(material.pk, quantity) for material, quantity in needs} != now


def declaration_update(*, user, declaration, **fields) -> Declaration:
    """Change the figures, texts or materials (all rows replaced) of a declaration that
    is declared or needs improvement; of a curated one only the business figures (the
    rest may be sent unchanged). Nothing changes while the curator has it."""
    unknown = set(fields) - UPDATABLE
    if unknown:
        raise TypeError(f"not updatable: {', '.join(sorted(unknown))}")
    _declarant_check(user, declaration)
    materials = fields.pop("materials", None)
    checked = _figures(fields)
    needs = _needs(materials) if materials is not None else None
    with transaction.atomic():
        declaration = _locked(declaration)
        refusal = _refusal(declaration.status)
        if declaration.status == Status.CURATED and not _quality_changed(
            declaration, checked, needs
        ):
            refusal = None  # only its business figures change
        if refusal is not None:
            raise ValidationError(refusal)
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
    """A photo of the product or the workshop, while the declaration is declared or
    needs improvement; at most MAX_PHOTOS per declaration."""
    _declarant_check(user, declaration)
    caption = (caption or "").strip()
    if len(caption) > 200:
        raise ValidationError({"caption": CAPTION_TOO_LONG})
    image_checked(image)
    with transaction.atomic():
        declaration = _locked(declaration)
        if declaration.status not in EDITABLE:
            raise ValidationError(_refusal(declaration.status))
        if declaration.photos.count() >= MAX_PHOTOS:
            raise ValidationError(TOO_MANY_PHOTOS)
        return DeclarationPhoto.objects.create(
            declaration=declaration, image=image, caption=caption
        )


def declaration_photo_remove(*, user, photo):
    """Take a photo off a declaration that is declared or needs improvement; its file
    goes too."""
    declaration = photo.declaration
    _declarant_check(user, declaration)
    with transaction.atomic():
        status = _locked(declaration).status
        if status not in EDITABLE:
            raise ValidationError(_refusal(status))
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


def declaration_reopen(*, user, declaration, note="") -> Declaration:
    """A withdrawn or rejected declaration back to DECLARED, so that the business's one
    declaration of a product is never a dead end: it can be changed and assigned to a
    curator again. The curator is cleared (the province assigns one anew); earlier
    curations stay in the history; who reopened it, when and the note are kept with the
    resubmissions."""
    _declarant_check(user, declaration)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": NOTE_TOO_LONG})
    with transaction.atomic():
        declaration = _locked(declaration)
        if declaration.status not in REOPENABLE:
            raise ValidationError(NOT_REOPENABLE)
        declaration.status = Status.DECLARED
        declaration.curator = None
        declaration.save(update_fields=["status", "curator", "updated_at"])
        Resubmission.objects.create(
            declaration=declaration, note=note, submitted_by=user, reopened=True
        )
    return declaration
