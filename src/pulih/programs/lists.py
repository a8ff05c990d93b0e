"""External lists (daftar eksternal): another agency's list of people by NIK, imported from
CSV or XLSX, matched to the registry, and cross-checked against it (the *irisan*).

A file is read and judged whole before anything is written, so a refused file leaves
nothing behind. The same file of the same kind for the same province is recognised by its
sha256 fingerprint and imported once. Entries are matched by exact NIK in one set-based
update; only entries whose NIK is missing or invalid go through record linkage, the slow
path. A NIK recorded in two regencies links to the first record; the entity (record
linkage's cluster) joins the rest, and the cross-check counts every record of that NIK.
"""

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from pulih.core.exports import export_rows
from pulih.core.ids import Problem, mask_nik
from pulih.core.scope import Level
from pulih.dedup.dedupfile.columns import ALIAS_FIELDS, columns_match, header_key
from pulih.dedup.dedupfile.messages import Refused
from pulih.dedup.online import candidates_for_rows
from pulih.registry.importing.messages import ImportRefused, Invalid
from pulih.registry.importing.messages import problem as import_problem
from pulih.registry.importing.parsers import cell_text, is_blank, parse_date, parse_nik_cell
from pulih.registry.importing.reading import TEXT_KINDS, sheet_open
from pulih.registry.importing.writing import rows_insert
from pulih.registry.models import Person
from pulih.registry.selectors import with_village_names
from pulih.registry.views_list import person_columns
from pulih.wilayah.data import nik_check

from .models import ExternalList, ListEntry

# Record linkage's verdict is accepted from this match probability on.
LINKAGE_THRESHOLD = 0.9
# Record linkage scores this many entries at a time: its candidates are the people
# sharing a name with one entry and a birth date with any, fewer in smaller groups.
LINKAGE_CHUNK = 1000
ENTRY_FIELDS = ("list_id", "row", "nik", "nik_valid", "name", "birth_date", "match")
# A text file with NUL bytes in its first 64 KiB and no UTF-16 mark is no text at all.
TEXT_SAMPLE_BYTES = 1 << 16
PARTS = ("overlap", "only_registry", "only_list")
PART_FILENAMES = {
    "overlap": "irisan",
    "only_registry": "hanya-registri",
    "only_list": "hanya-daftar",
}

MESSAGES = {
    "list_no_nik": (
        "Kolom NIK tidak ditemukan; daftar dicocokkan dengan registri menurut NIK. Beri "
        "judul NIK pada kolomnya. Kolom berkas: {columns}.",
        "No NIK column found; a list is matched with the registry by NIK. Head its column "
        "NIK. The file's columns: {columns}.",
    ),
}
NOT_SOCIAL_AID = _("Only the overlap with a list of social aid recipients is marked as served.")


def problem(code, /, **values) -> Problem:
    indonesian, english = MESSAGES[code]
    return Problem(code, indonesian.format(**values), english.format(**values))


def list_import(*, user, kind, path, filename, name, source=""):
    """Import the list in `path` (uploaded as `filename`) and match it to the registry.

    Central officers import national lists, province officers their province's. The file
    is refused with an `ImportRefused` (Indonesian and English) if it cannot be read or
    has no NIK column. `rows` counts the file's data rows; repeated rows (same NIK, name
    and birth date) become one entry. Importing the same file again returns the list
    imported the first time.
    """
    province_code = _importer_province(user)
    kind = ExternalList.Kind(kind)
    path = Path(path)
    once = {"kind": kind, "province_code": province_code, "fingerprint": _fingerprint(path)}
    existing = ExternalList.objects.filter(**once).first()
    if existing:
        return existing
    entries, rows = _entries_read(path, filename)
    with transaction.atomic():
        try:
            with transaction.atomic():
                lst = ExternalList.objects.create(
                    **once, name=name, source=source, rows=rows, imported_by=user
                )
        except IntegrityError:
            # The same file, imported at the same moment by someone else.
            return ExternalList.objects.get(**once)
        for entry in entries:
            entry["list_id"] = lst.pk
        rows_insert(ListEntry, ENTRY_FIELDS, entries)
        list_match(user=user, lst=lst)
    return lst


@transaction.atomic
def list_match(*, user, lst):
    """Match the entries not matched yet (the registry grows stage by stage) to registry
    people of the list's province, or of the nation for a national list. Returns the
    number of entries newly matched."""
    province_code = _importer_province(user)
    if province_code and lst.province_code != province_code:
        raise PermissionDenied
    people = Person.objects.all()
    if lst.province_code:
        people = people.filter(province_code=lst.province_code)
    same_nik = people.filter(nik=OuterRef("nik")).order_by("pk")
    by_nik = (
        ListEntry.objects.filter(list=lst, person__isnull=True, nik_valid=True)
        .filter(Exists(same_nik))
        .update(
            person=Subquery(same_nik.values("pk")[:1]),
            match=ListEntry.Match.NIK,
            probability=None,
        )
    )
    return by_nik + _linkage_match(user, lst)


def _linkage_match(user, lst):
    """Entries with a missing or invalid NIK but a name, matched by record linkage."""
    pending = list(
        ListEntry.objects.filter(list=lst, person__isnull=True, nik_valid=False)
        .exclude(name="")
        .values_list("pk", "nik", "name", "birth_date")
    )
    matched = []
    for start in range(0, len(pending), LINKAGE_CHUNK):
        chunk = pending[start : start + LINKAGE_CHUNK]
        records = [{"id_number": n, "name": name, "birth_date": b} for _, n, name, b in chunk]
        for index, result in candidates_for_rows(user=user, records=records).items():
            best = _best(result.candidates, lst.province_code)
            if best:
                linkage = ListEntry.Match.LINKAGE.value
                matched.append((best.person.pk, best.probability, linkage, chunk[index][0]))
    # One statement per entry, sent as a batch: `bulk_update` builds a CASE expression
    # through the ORM, about a millisecond per entry.
    table = connection.ops.quote_name(ListEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET person_id = %s, probability = %s, match = %s WHERE id = %s",  # noqa: S608
            matched,
        )
    return len(matched)


def _best(candidates, province_code):
    """The likeliest candidate of the list's province, if likely enough."""
    for candidate in candidates:
        if not province_code or candidate.person.province_code == province_code:
            return candidate if candidate.probability >= LINKAGE_THRESHOLD else None
    return None


def list_summary(lst):
    """What the import made of the file: rows read, entries kept, repeats collapsed,
    invalid NIKs, and matches by kind."""
    counts = lst.entries.aggregate(
        entries=Count("pk"),
        invalid_nik=Count("pk", filter=Q(nik_valid=False)),
        by_nik=Count("pk", filter=Q(match=ListEntry.Match.NIK)),
        by_linkage=Count("pk", filter=Q(match=ListEntry.Match.LINKAGE)),
        unmatched=Count("pk", filter=Q(person__isnull=True)),
    )
    return {"rows": lst.rows, "duplicates": lst.rows - counts["entries"], **counts}


@dataclass
class Crosscheck:
    """The irisan of a list with the registry as one user sees it. Entries matched to
    people outside the user's scope are only counted (`outside_scope`), never shown."""

    overlap: models.QuerySet  # registry people of the user's scope on the list
    only_registry: models.QuerySet  # registry people of the user's scope not on it
    only_list: models.QuerySet  # entries matched to nobody in the registry
    outside_scope: int

    @property
    def counts(self):
        return {
            "overlap": self.overlap.count(),
            "only_registry": self.only_registry.count(),
            "only_list": self.only_list.count(),
            "outside_scope": self.outside_scope,
        }


def crosscheck(*, user, lst):
    """The irisan of `lst` with the registry people the user may see (of the list's
    province, for a provincial list). A person is on the list when an entry was matched
    to them, or carries a NIK an entry was matched by."""
    _check_visible(user, lst)
    people = _people(user, lst)
    matched_people = lst.entries.filter(person__isnull=False).values("person_id")
    matched_niks = lst.entries.filter(match=ListEntry.Match.NIK).values("nik")
    on_list = Q(pk__in=matched_people) | Q(nik__in=matched_niks)
    return Crosscheck(
        overlap=people.filter(on_list),
        only_registry=people.exclude(on_list),
        only_list=lst.entries.filter(person__isnull=True),
        outside_scope=lst.entries.filter(person__isnull=False)
        .exclude(_entry_in_scope(people))
        .count(),
    )


def crosscheck_export(*, user, lst, part, fmt):
    """One part of the cross-check (`PARTS`) as a CSV or XLSX download; NIKs masked for
    roles that may not see them."""
    if part not in PARTS:
        raise ValueError(f"Unknown part {part!r}.")
    rows = getattr(crosscheck(user=user, lst=lst), part)
    filename = f"{PART_FILENAMES[part]}-{lst.pk}-{timezone.localdate():%Y%m%d}"
    if part == "only_list":
        return export_rows(
            rows=rows.iterator(chunk_size=2000),
            columns=entry_columns(user),
            fmt=fmt,
            filename=filename,
        )
    return export_rows(
        rows=with_village_names(rows.select_related("batch").iterator(chunk_size=2000)),
        columns=person_columns(user),
        fmt=fmt,
        filename=filename,
    )


def entry_columns(viewer):
    nik = (lambda value: value) if viewer.sees_personal_data else mask_nik
    valid = {True: str(_("Valid")), False: str(_("Invalid"))}
    return [
        (_("Row"), "row"),
        (_label("nik"), lambda e: nik(e.nik)),
        (_label("nik_valid"), lambda e: valid[e.nik_valid]),
        (_label("name"), "name"),
        (_label("birth_date"), "birth_date"),
    ]


def _label(field):
    """The registry's label of the same field, already translated."""
    return capfirst(Person._meta.get_field(field).verbose_name)


@transaction.atomic
def served_mark(*, user, lst):
    """Mark the entries of a social aid list matched to people of the user's scope as
    already served; the centre and the provinces do this. Returns the number newly
    marked (marking twice marks nothing more)."""
    if user.scope_level not in (Level.NATION, Level.PROVINCE):
        raise PermissionDenied
    _check_visible(user, lst)
    if lst.kind != ExternalList.Kind.SOCIAL_AID:
        raise ValidationError(NOT_SOCIAL_AID)
    return lst.entries.filter(
        _entry_in_scope(_people(user, lst)), served_marked_at__isnull=True
    ).update(served_marked_by=user, served_marked_at=timezone.now())


def _importer_province(user):
    """The province of the lists `user` imports: none for central officers."""
    if user.scope_level == Level.NATION:
        return ""
    if user.scope_level == Level.PROVINCE and user.province_code:
        return user.province_code
    raise PermissionDenied


def _check_visible(user, lst):
    if not ExternalList.objects.visible_to(user).filter(pk=lst.pk).exists():
        raise PermissionDenied


def _people(user, lst):
    people = Person.objects.visible_to(user)
    if lst.province_code:
        people = people.filter(province_code=lst.province_code)
    return people


def _entry_in_scope(people):
    """Entries matched to one of `people`, or by a NIK one of them carries."""
    return Q(person__in=people.values("pk")) | Q(
        match=ListEntry.Match.NIK, nik__in=people.values("nik")
    )


def _fingerprint(path):
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _known_header(cell):
    return header_key(cell) in ALIAS_FIELDS


def _entries_read(path, filename):
    """The file's entries (dicts of `ENTRY_FIELDS` but the list, repeats left out) and its
    number of data rows."""
    name = filename or path.name
    if Path(name).suffix.lower() in TEXT_KINDS and _binary(path):
        raise ImportRefused(import_problem("file_corrupt", name=name, kind="CSV"))
    try:
        with sheet_open(path, filename=name, is_header=_known_header) as sheet:
            nik_at, name_at, birth_at = _columns(sheet.header)
            entries, seen, rows = [], set(), 0
            for number, cells in sheet.rows:
                rows += 1
                nik = _nik_text(_cell(cells, nik_at))
                person_name = _text(_cell(cells, name_at))[:200]
                birth_date = _date(_cell(cells, birth_at))
                key = (nik, person_name.casefold(), birth_date)
                if key in seen:
                    continue
                seen.add(key)
                entries.append(
                    {
                        "row": number,
                        "nik": nik[:32],
                        "nik_valid": bool(nik) and nik_check(nik).valid,
                        "name": person_name,
                        "birth_date": birth_date and birth_date.isoformat(),
                        "match": ListEntry.Match.NONE.value,
                    }
                )
    except ImportRefused as exc:
        if exc.problem.code != "file_no_header":
            raise
        raise ImportRefused(problem("list_no_nik", columns="-")) from exc
    return entries, rows


def _binary(path):
    with path.open("rb") as f:
        start = f.read(TEXT_SAMPLE_BYTES)
    return b"\x00" in start and not start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def _columns(header):
    """Column indexes of the NIK, the name and the birth date (None if absent), headers
    matched as `pulih dedup-file` matches them."""
    try:
        found = columns_match(header, {})
    except Refused:
        found = {}
    if "id_number" not in found:
        columns = ", ".join(repr(cell) for cell in header if cell) or "-"
        raise ImportRefused(problem("list_no_nik", columns=columns))
    return found["id_number"], found.get("name"), found.get("birth_date")


def _cell(cells, index):
    return cells[index] if index is not None and index < len(cells) else None


def _text(value):
    return "" if is_blank(value) else cell_text(value)


def _nik_text(value):
    """The NIK as written; one Excel stored as a number too large to keep its digits is
    kept as shown, and flagged invalid."""
    if is_blank(value):
        return ""
    try:
        return parse_nik_cell(value)
    except Invalid:
        return cell_text(value)


def _date(value):
    if is_blank(value):
        return None
    try:
        return parse_date(value)
    except Invalid:
        return None
