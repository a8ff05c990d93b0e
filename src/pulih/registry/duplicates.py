"""Likely duplicates of a record being entered or imported.

Record linkage answers (`settings.PULIH_DUPLICATE_CHECK` names its function, and the
function for many records is `candidates_for_rows` beside it), so the registry shows its
answer without depending on it.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from pulih.core.ids import mask_nik
from pulih.wilayah.data import region_index
from pulih.wilayah.models import Village

ROWS_FUNCTION = "candidates_for_rows"


def _configured(function=None):
    """The configured check, or `function` of the same module; None when none is set."""
    path = settings.PULIH_DUPLICATE_CHECK
    if not path:
        return None
    if function:
        path = f"{path.rpartition('.')[0]}.{function}"
    return import_string(path)


def duplicate_check(*, user, record, exclude_pk=None):
    """The check's result for `record` (a dict with any of id_number, name, birth_date,
    sex, phone, address, region), or None when no check is configured."""
    check = _configured()
    if check is None:
        return None
    return check(user=user, record=record, exclude_pk=exclude_pk)


def duplicate_check_rows(*, user, records):
    """{index in `records`: result} for the records with likely duplicates, found in one
    pass (an import's rows); None when no check is configured."""
    check = _configured(ROWS_FUNCTION)
    if check is None:
        return None
    return check(user=user, records=records)


def candidates_described(candidates):
    """Plain values of candidates (as a result lists them) for a page or a stored import
    result: id, name, masked NIK, village and regency names, probability in percent.
    The village names come in one query for all of them."""
    codes = {c.person.village_code for c in candidates}
    villages = dict(Village.objects.filter(code__in=codes).values_list("code", "name"))
    regions = region_index()
    return [
        {
            "id": c.person.pk,
            "name": c.person.name,
            "nik": mask_nik(c.person.nik),
            "village": villages.get(c.person.village_code, ""),
            "regency": regions.regency_name(c.person.regency_code) or c.person.regency_code,
            # Floored, so that only a certain match reads 100 %.
            "percent": int(c.probability * 100),
        }
        for c in candidates
    ]
