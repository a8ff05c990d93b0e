"""Writes on the registry: collection batches (tahap) and their records.

Every change of a batch's status goes through `batch_transition`, which checks who may
make it, records a BatchEvent and leaves the audit trail. Records can be written only
while their batch is editable (draft or returned).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from pulih.accounts.models import Role

from .models import BatchEvent, CollectionBatch

Status = CollectionBatch.Status

BATCH_LOCKED = _(
    "This batch is approved and locked. Ask the province to un-approve it, with a reason, "
    "before changing its data."
)
BATCH_UNDER_REVIEW = _("This batch is under review; it can be changed after it is returned.")
REASON_REQUIRED = _("Give a reason.")
TRANSITION_NOT_ALLOWED = _("This step is not possible from the batch's current status.")

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
        raise PermissionDenied(TRANSITION_NOT_ALLOWED)
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
        batch, _created = batches.get_or_create(
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
