"""Curation checklists: the current version of a product's, and publishing the next."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from pulih.accounts.models import Role

from ..models import Checklist, Criterion, ProductType
from .common import MAX_VALUE, _allowed

CHECKLIST_EMPTY = _("A checklist needs at least one criterion.")
CRITERION_TEXT_MISSING = _("Every criterion needs its text (at most 300 characters).")
MINIMUM_INVALID = _("A minimum value must be a number from 0 to 99,999,999.")
VALUE_UNIT_TOO_LONG = _("The unit of a value may be at most 20 characters.")
STANDARD_TOO_LONG = _("The standard may be at most 100 characters.")
CHECKLIST_SAVED_MEANWHILE = _(
    "Another version of this checklist was saved meanwhile; open it and try again."
)


def checklist_current(product_type):
    """The latest active version of the product type's checklist, or None."""
    return (
        Checklist.objects.filter(product_type=product_type, active=True)
        .order_by("-version")
        .first()
    )


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
