"""What the registry already holds of an import's rows, a chunk at a time.

Both lookups exclude the empty value so that the database can answer from the partial
unique indexes (`business_row_imported_once`, `person_one_per_nik_in_regency`); without
that, SQLite walks every record of the regency for each chunk, and a large import slows
down with the square of its size.
"""

from ..models import Business, Person


def source_keys_registered(*, regency_code, keys):
    """The fingerprints among `keys` already imported into the regency."""
    return set(
        Business.objects.filter(regency_code=regency_code, source_key__in=keys)
        .exclude(source_key="")
        .order_by()
        .values_list("source_key", flat=True)
    )


def people_registered(*, regency_code, niks):
    """NIK → Person id, for the NIKs among `niks` registered in the regency."""
    return dict(
        Person.objects.filter(regency_code=regency_code, nik__in=niks)
        .exclude(nik="")
        .order_by()
        .values_list("nik", "pk")
    )
