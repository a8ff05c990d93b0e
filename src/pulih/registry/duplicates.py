"""Likely duplicates of a record being entered or imported.

Record linkage answers (`settings.PULIH_DUPLICATE_CHECK` names its function), so the
registry shows its answer without depending on it.
"""

from django.conf import settings
from django.utils.module_loading import import_string


def duplicate_check(*, user, record, exclude_pk=None):
    """The check's result for `record` (a dict with any of id_number, name, birth_date,
    sex, phone, address, region), or None when no check is configured."""
    if not settings.PULIH_DUPLICATE_CHECK:
        return None
    check = import_string(settings.PULIH_DUPLICATE_CHECK)
    return check(user=user, record=record, exclude_pk=exclude_pk)
