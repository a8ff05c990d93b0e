"""Licences and certificates of producers: recording them, following them from application
to the ministry's decision, and the reads of them (scoped to the user).

Who does what: officers record and follow the licences of the businesses of their area,
a seller those of its own businesses. The decision (granted or rejected) is the issuing
ministry's, so only central, province and regency officers record it — a seller records
its applications and their progress, and cannot change a licence once it is decided.
A status only moves forward (applied → in process → granted or rejected); a rejected
licence is applied for again as a new one.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulih.accounts.models import Role
from pulih.registry.models import Business

from .models import OFFICERS, Declaration, Licence, LicenceKind

# The officers who record the ministry's decision on a licence.
DECIDERS = (Role.PUSAT, Role.PROVINSI, Role.KABKOTA)
DECISIONS = (Licence.Status.GRANTED, Licence.Status.REJECTED)
# How far along each status is: a licence never goes back.
STEP = {
    Licence.Status.APPLIED: 0,
    Licence.Status.IN_PROCESS: 1,
    Licence.Status.GRANTED: 2,
    Licence.Status.REJECTED: 2,
}
EDITABLE = (
    "kind",
    "issuer",
    "status",
    "number",
    "product_type",
    "applied_on",
    "granted_on",
    "expires_on",
    "note",
)

NOT_YOUR_BUSINESS = _("You may not record licences for this business.")
DECISION_BY_OFFICERS = _(
    "Only a central, province or regency officer records the ministry's decision "
    "(granted or rejected)."
)
ALREADY_DECIDED = _(
    "The ministry has decided on this licence; only a central, province or regency officer "
    "may correct it."
)
STATUS_BACKWARDS = _(
    "A licence's status only moves forward: applied, in process, then granted or rejected. "
    "Apply again with a new licence."
)
GRANTED_NEEDS_NUMBER = _("A granted licence needs its number.")
GRANTED_NEEDS_DATE = _("A granted licence needs the date it was granted.")
EXPIRY_BEFORE_GRANT = _("The expiry date cannot be before the date the licence was granted.")
GRANT_BEFORE_APPLICATION = _("The licence cannot be granted before it was applied for.")
ISSUER_REQUIRED = _("Name the issuer (e.g. Kemenkes, BSN, BPJPH).")
UNKNOWN_KIND = _("Unknown kind of licence.")
UNKNOWN_STATUS = _("Unknown licence status.")
UNKNOWN_FIELD = _("This field cannot be changed: %(field)s.")


def _may_act_for(user, business):
    """Officers for the businesses of their area, a seller for its own."""
    if user.is_superuser or user.role in OFFICERS:
        return Business.objects.visible_to(user).filter(pk=business.pk).exists()
    if user.role == Role.PENJUAL:
        return bool(user.organisation_id) and business.organisation_id == user.organisation_id
    return False


def _decides(user):
    return user.is_superuser or user.role in DECIDERS


def _check(licence):
    """Every reason the licence as it stands may not be saved, at once."""
    errors = {}
    if licence.kind not in LicenceKind.values:
        errors["kind"] = UNKNOWN_KIND
    if licence.status not in Licence.Status.values:
        errors["status"] = UNKNOWN_STATUS
    if not licence.issuer.strip():
        errors["issuer"] = ISSUER_REQUIRED
    if licence.status == Licence.Status.GRANTED:
        if not licence.number.strip():
            errors["number"] = GRANTED_NEEDS_NUMBER
        if licence.granted_on is None:
            errors["granted_on"] = GRANTED_NEEDS_DATE
    if licence.granted_on and licence.applied_on and licence.granted_on < licence.applied_on:
        errors["granted_on"] = GRANT_BEFORE_APPLICATION
    if licence.granted_on and licence.expires_on and licence.expires_on < licence.granted_on:
        errors["expires_on"] = EXPIRY_BEFORE_GRANT
    if errors:
        raise ValidationError(errors)
    licence.full_clean(exclude=["business", "product_type"])


def licence_record(
    *,
    user,
    business,
    kind,
    issuer,
    status=Licence.Status.APPLIED,
    number="",
    product_type=None,
    applied_on=None,
    granted_on=None,
    expires_on=None,
    note="",
) -> Licence:
    """A licence of `business` (for `product_type`, or for all it makes when None)."""
    if not _may_act_for(user, business):
        raise PermissionDenied(NOT_YOUR_BUSINESS)
    if status in DECISIONS and not _decides(user):
        raise PermissionDenied(DECISION_BY_OFFICERS)
    licence = Licence(
        business=business,
        product_type=product_type,
        kind=kind,
        issuer=(issuer or "").strip(),
        status=status,
        number=(number or "").strip(),
        applied_on=applied_on,
        granted_on=granted_on,
        expires_on=expires_on,
        note=(note or "").strip(),
    )
    for field in ("province_code", "regency_code", "district_code", "village_code"):
        setattr(licence, field, getattr(business, field))
    _check(licence)
    licence.save()
    return licence


@transaction.atomic
def licence_update(*, user, licence, **fields) -> Licence:
    """Change a licence's fields (`EDITABLE`); its status only forward, the decision only
    by an officer."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError(UNKNOWN_FIELD % {"field": ", ".join(sorted(unknown))})
    licence = Licence.objects.select_for_update().get(pk=licence.pk)
    if not _may_act_for(user, licence.business):
        raise PermissionDenied(NOT_YOUR_BUSINESS)
    if not _decides(user):
        if licence.status in DECISIONS:
            raise PermissionDenied(ALREADY_DECIDED)
        if fields.get("status") in DECISIONS:
            raise PermissionDenied(DECISION_BY_OFFICERS)
    status = fields.get("status", licence.status)
    if status in STEP and status != licence.status and STEP[status] <= STEP[licence.status]:
        raise ValidationError({"status": STATUS_BACKWARDS})
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(licence, name, value)
    _check(licence)
    licence.save()
    return licence


# Reads ---------------------------------------------------------------------------------


def licence_businesses(*, user):
    """The businesses the user may record licences for: for officers, the producers
    (businesses with a pivot declaration) of their area; for a seller, its own."""
    if user.is_superuser or user.role in OFFICERS:
        producers = Declaration.objects.visible_to(user).values("business_id")
        return Business.objects.visible_to(user).filter(pk__in=producers)
    if user.role == Role.PENJUAL and user.organisation_id:
        return Business.objects.filter(organisation_id=user.organisation_id)
    return Business.objects.none()


def licence_list(*, user, kind="", status="", province="", product=None, business=None):
    """The licences the user sees, filtered; `product` is a product type (or its id)."""
    licences = Licence.objects.visible_to(user)
    if kind:
        licences = licences.filter(kind=kind)
    if status:
        licences = licences.filter(status=status)
    if province:
        licences = licences.filter(province_code=province)
    if product:
        licences = licences.filter(product_type=product)
    if business:
        licences = licences.filter(business=business)
    return licences.select_related("business", "product_type").order_by(
        "business__name", "kind", "pk"
    )


def licence_get(*, user, pk):
    return Licence.objects.select_related("business", "product_type").get_visible_or_404(
        user, pk=pk
    )


@dataclass
class Expiring:
    """Granted licences running out within `within_days` of `today` (`soon`), and those
    already expired (`expired`); each with its `days_left` (negative once expired) and
    `days_ago` (how long ago it expired, 0 for those still valid)."""

    today: datetime.date
    within_days: int
    soon: list
    expired: list


def licences_expiring(*, user, within_days=60, today=None) -> Expiring:
    """Granted licences to renew, soonest first. One the business has already renewed
    (another granted licence of the same kind, for the same product or for all, lasting
    longer) is left out."""
    today = today or timezone.localdate()
    granted = (
        Licence.objects.visible_to(user)
        .filter(status=Licence.Status.GRANTED, expires_on__isnull=False)
        .exclude(Exists(_renewals()))
        .select_related("business", "product_type")
    )
    until = today + datetime.timedelta(days=within_days)
    soon = list(
        granted.filter(expires_on__gte=today, expires_on__lte=until).order_by("expires_on", "pk")
    )
    expired = list(granted.filter(expires_on__lt=today).order_by("-expires_on", "pk"))
    for licence in (*soon, *expired):
        licence.days_left = (licence.expires_on - today).days
        licence.days_ago = max(-licence.days_left, 0)
    return Expiring(today=today, within_days=within_days, soon=soon, expired=expired)


def _renewals():
    """Granted licences that take over from the outer one when it expires."""
    return (
        Licence.objects.filter(
            business_id=OuterRef("business_id"),
            kind=OuterRef("kind"),
            status=Licence.Status.GRANTED,
        )
        .exclude(pk=OuterRef("pk"))
        .filter(Q(product_type_id=OuterRef("product_type_id")) | Q(product_type__isnull=True))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")))
    )
