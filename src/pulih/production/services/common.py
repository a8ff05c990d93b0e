"""What the declaration, curation and checklist services share: who may act on a
declaration, and the limits and messages more than one of them
uses.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from pulih.accounts.models import Role

from ..models import OFFICERS, Declaration
from ..selectors import declarable_businesses

Status = Declaration.Status

DECLARANTS = {*OFFICERS, Role.PENJUAL}
MAX_NOTE = 500
# A measured value is stored with 10 digits, 2 of them decimals.
MAX_VALUE = Decimal("99999999.99")
NOTE_TOO_LONG = _("A note may be at most 500 characters.")


def _allowed(user, roles):
    if not (user.is_superuser or user.role in roles):
        raise PermissionDenied


def _declarant_check(user, declaration):
    """The user may act for the declaration's business: its seller, or an officer of its
    area. Pages and the API find out-of-scope declarations 404 before coming here."""
    _allowed(user, DECLARANTS)
    if not declarable_businesses(user).filter(pk=declaration.business_id).exists():
        raise PermissionDenied


def _locked(declaration):
    return Declaration.objects.select_for_update().get(pk=declaration.pk)
