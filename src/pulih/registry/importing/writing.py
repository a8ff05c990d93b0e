"""Write the valid rows of a validated import into a collection batch: all or nothing.

One transaction holds the whole import, so a failure on row 900,000 leaves the registry
as it was (and on SQLite one transaction is also what makes a million inserts fast). The
batch row is locked first, so two imports into one regency run one after the other.

A row whose fingerprint (`source_key`) is already in the regency is skipped, which makes
importing the same rows twice harmless; the unique constraint
`business_row_imported_once` stands behind that check. A Person is reused when the NIK
is already registered in the regency (or earlier in the file).

Rows go in as multi-row INSERT … RETURNING statements rather than through
`bulk_create`: the ORM prepares every value of every object through several layers,
about 0.3 ms per import row for its three records, which alone would spend five minutes
on a million rows. Values here are prepared by the same field methods, once per distinct
value where that is what costs. `Business.save()` is bypassed, so the scale is computed
here with `scale_of`.
"""

import contextlib
import functools
import sqlite3

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pulih.core.scope import region_codes
from pulih.core.text import name_key

from ..models import BatchEvent, Business, CollectionBatch, ImpactReport, Person, scale_of
from ..services import batch_check_editable, batch_for_entry
from .existing import people_registered, source_keys_registered
from .files import RowsFile

CHUNK_ROWS = 5_000
SQLITE_CACHE_KIB = 256 * 1024
# Bound parameters per INSERT statement; SQLite allows 32,766 since 3.32, PostgreSQL 65,535.
STATEMENT_PARAMETERS = 30_000
REGION_FIELDS = ("province_code", "regency_code", "district_code", "village_code")
RECORD_FIELDS = (*REGION_FIELDS, "batch_id", "created_by_id", "created_at", "updated_at")
PERSON_FIELDS = (
    *RECORD_FIELDS,
    *("nik", "nik_valid", "nik_problems", "name", "birth_date", "sex", "phone", "address"),
    "name_key",
)
BUSINESS_FIELDS = (
    *RECORD_FIELDS,
    "owner_id",
    *("name", "nib", "kbli_section", "sector_note", "capital", "annual_sales", "scale"),
    *("employees", "address", "latitude", "longitude", "whatsapp", "marketplace_links"),
    "source_key",
)
IMPACT_FIELDS = (
    *("business_id", "report_date", "sales_before", "sales_after", "employees_before"),
    *("employees_after", "laid_off", "status", "problems", "needs", "created_at"),
)


def _connection():
    """The database connection itself: `django.db.connection` is a proxy that looks the
    connection up on every attribute access, a cost paid per value here."""
    return connections[DEFAULT_DB_ALIAS]


def rows_write(*, files, place, user, progress=None):
    """Write the rows of `files.rows` into the regency's open batch; returns the counts and
    the batch. Raises ValidationError when the batch may not be changed now."""
    counts = {"businesses": 0, "people": 0, "impact_reports": 0, "skipped_existing": 0}
    with transaction.atomic(), _large_page_cache(_connection()):
        batch = batch_for_entry(user=user, regency_code=place.regency_code)
        batch = CollectionBatch.objects.select_for_update().get(pk=batch.pk)
        batch_check_editable(batch)
        record = _record_values(batch, user)
        for chunk in RowsFile.chunks(files.rows, CHUNK_ROWS):
            chunk_write(chunk, regency=batch.regency_code, record=record, counts=counts)
            if progress is not None:
                progress.advance(len(chunk))
        BatchEvent.objects.create(
            batch=batch,
            action="import",
            from_status=batch.status,
            to_status=batch.status,
            actor=user,
            comment=_("Imported %(count)s rows from a file.") % {"count": counts["businesses"]},
        )
    return counts, batch


@contextlib.contextmanager
def _large_page_cache(connection):
    """On SQLite, a page cache of SQLITE_CACHE_KIB while rows are written: the indexes of
    a large regency outgrow the default 2 MB, and each insert would read its pages again
    (a million rows write about a quarter faster)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _record_values(batch, user):
    """What every record of this import shares, as the database takes it."""
    now = Person._meta.get_field("created_at").get_db_prep_save(timezone.now(), _connection())
    return {"batch_id": batch.pk, "created_by_id": user.pk, "created_at": now, "updated_at": now}


def chunk_write(chunk, *, regency, record, counts):
    """Write one chunk: two lookups, then people, businesses and impact reports."""
    registered = source_keys_registered(regency_code=regency, keys=[row["key"] for row in chunk])
    rows = [row for row in chunk if row["key"] not in registered]
    counts["skipped_existing"] += len(chunk) - len(rows)
    for row in rows:
        row.update(region_codes(row["village_code"]), **record, name_key=name_key(row["name"]))
    counts["people"] += _owners_set(rows, regency)
    businesses = [_business(row) for row in rows]
    business_ids = rows_insert(Business, BUSINESS_FIELDS, businesses)
    counts["businesses"] += len(business_ids)
    impacts = [
        _impact(row, business_id)
        for row, business_id in zip(rows, business_ids, strict=True)
        if row["report_date"]
    ]
    rows_insert(ImpactReport, IMPACT_FIELDS, impacts)
    counts["impact_reports"] += len(impacts)


def _owners_set(rows, regency):
    """Give each row its `owner_id`, and return how many people were created: the person
    registered with the row's NIK in the regency (also by an earlier chunk), else one
    created for the first row with that NIK, or for each row without one. A new person
    is the row itself: its "name" and "address" are the owner's (the business's are
    named otherwise)."""
    owner_of = people_registered(
        regency_code=regency, niks={row["nik"] for row in rows if row["nik"]}
    )
    new = []
    for row in rows:
        nik = row["nik"]
        if not nik or nik not in owner_of:
            new.append(row)
            if nik:
                owner_of[nik] = None
    for row, pk in zip(new, rows_insert(Person, PERSON_FIELDS, new), strict=True):
        if row["nik"]:
            owner_of[row["nik"]] = pk
        row["owner_id"] = pk
    for row in rows:
        if row["nik"]:
            row["owner_id"] = owner_of[row["nik"]]
    return len(new)


def _business(row):
    return {
        **row,
        "name": row["business_name"],
        "scale": scale_of(capital=row["capital"], annual_sales=row["annual_sales"]),
        "address": row["business_address"],
        "latitude": row["latitude"] or None,
        "longitude": row["longitude"] or None,
        "source_key": row["key"],
    }


def _impact(row, business_id):
    return {**row, "business_id": business_id, "status": row["impact_status"]}


def rows_insert(model, names, rows):
    """INSERT `rows` (dicts holding at least `names`) and return their new primary keys in
    the same order, which is what RETURNING gives (Django's bulk_create relies on the
    same). PostgreSQL gets one array per column through UNNEST, as bulk_create does
    there: a statement with tens of thousands of placeholders costs psycopg more to
    split than the database to run."""
    if not rows:
        return []
    connection = _connection()
    fields = [model._meta.get_field(name.removesuffix("_id")) for name in names]
    prepare = list(zip(names, [_preparer(field, connection) for field in fields], strict=True))
    quote = connection.ops.quote_name
    # Only model and field names are formatted into the SQL; values are parameters.
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) "
    )
    returning = f" RETURNING {quote(model._meta.pk.column)}"
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{field.db_type(connection).split('(')[0]}[]" for field in fields)
        statement = f"{head}SELECT * FROM UNNEST({arrays}){returning}"  # noqa: S608
        per_statement = len(rows)
    else:
        one_row = f"({', '.join(['%s'] * len(fields))})"
        statement, per_statement = None, max(1, _parameter_limit(connection) // len(fields))
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            part = rows[start : start + per_statement]
            values = [[do(row[name]) if do else row[name] for name, do in prepare] for row in part]
            if statement is None:
                sql = f"{head}VALUES {', '.join([one_row] * len(part))}{returning}"
                cursor.execute(sql, [value for row in values for value in row])
            else:
                cursor.execute(statement, [list(column) for column in zip(*values, strict=True)])
            ids += [new_id for (new_id,) in cursor.fetchall()]
    return ids


# Text and numbers go in as they are, and so do the rows file's ISO dates and
# fixed-point coordinates: SQLite stores exactly that, PostgreSQL casts the literal.
PASSED_AS_IS = {
    "CharField",
    "DateField",
    "DecimalField",
    "BooleanField",
    "IntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "ForeignKey",
    "DateTimeField",
}


def _preparer(field, connection):
    """How a field's value becomes what the database takes: as is (see PASSED_AS_IS and
    the prepared timestamps), or through the field, remembered per value for lists,
    which repeat ("[]", the same few choices)."""
    kind = field.get_internal_type()
    if kind in PASSED_AS_IS:
        return None
    if kind == "JSONField":
        cached = functools.lru_cache(maxsize=4096)(
            lambda value: field.get_db_prep_save(list(value), connection)
        )
        return lambda value: cached(tuple(value))
    return lambda value: field.get_db_prep_save(value, connection)


def _parameter_limit(connection):
    if connection.vendor == "sqlite":
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        return min(limit, STATEMENT_PARAMETERS)
    return STATEMENT_PARAMETERS
