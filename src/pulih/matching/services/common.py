"""What the demand, allocation and order services share: who may act, today's date,
whole numbers, and the messages more than one of them gives.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy

from pulih.accounts.models import Role
from pulih.core import formats

SHARE_OUT_OF_RANGE = gettext_lazy("The largest share of one producer must be from 1 to 100 %.")
MIN_LOT_OUT_OF_RANGE = gettext_lazy(
    "The smallest order per producer must be at least 1 and at most the %(quantity)s to allocate."
)
DEADLINE_PASSED = gettext_lazy(
    "The deadline of this demand (%(deadline)s) is not after today: no producer can deliver "
    "in time."
)
DEMAND_CLOSED = gettext_lazy("This demand is %(status)s: nothing more is allocated to it.")
ALREADY_ORDERED = gettext_lazy(
    "This demand already has purchase orders: re-allocate what is missing instead."
)
RUN_NOT_OPEN = gettext_lazy("This run is %(status)s: it can no longer be changed or confirmed.")
QUANTITY_NEGATIVE = gettext_lazy("Quantities must be whole numbers, zero or more.")
ABOVE_NEED = gettext_lazy("%(point)s needs %(need)s; its lines give %(total)s.")
SHARE_BELOW_LOT = gettext_lazy(
    "One producer may get at most %(cap)s (%(percent)s %% of %(quantity)s), less than the "
    "smallest order of %(lot)s: no producer could be given anything. Raise the largest share "
    "or lower the smallest order."
)
REASON_REQUIRED = gettext_lazy("Give the reason for cancelling.")


def _is_central(user):
    return user.is_superuser or user.role == Role.PUSAT


def _central_only(user):
    if not _is_central(user):
        raise PermissionDenied


def _today(today):
    return today or timezone.localdate()


def _moment(today):
    """Now, or noon of `today` when the write is dated another day (the demo's April
    2020), so that a record's timestamp falls on the day it happened."""
    now = timezone.now()
    if today == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))


def _whole(value):
    """Whether `value` is a whole number (not a bool, a float or a text)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _share_valid(share):
    return _whole(share) and 1 <= share <= 100


def _lot_valid(lot, quantity):
    return _whole(lot) and 1 <= lot <= quantity


def _share_below_lot(quantity, share, lot):
    """Why a share cap and a smallest order cannot work together on a demand of
    `quantity` (the cap leaves no producer room for one smallest order), else None."""
    if share and lot and quantity * share // 100 < lot:
        return SHARE_BELOW_LOT % {
            "cap": formats.number(quantity * share // 100),
            "percent": share,
            "quantity": formats.number(quantity),
            "lot": formats.number(lot),
        }
    return None
