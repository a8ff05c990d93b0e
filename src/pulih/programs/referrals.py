"""Referrals: people no programme here serves, sent on to another one (Kartu Prakerja,
Kemenperin's 3-in-1 training), and how far they got there.

The other programme sends back a file of NIKs and statuses in its own words ("lolos",
"tidak lolos", "penempatan"). The whole file is judged before anything is written; a
status only ever moves forward along `Referral.STEPS`, so importing the same file again,
or an older file after a newer one, changes nothing. Counts are given twice: where people
are now, and how many reached each step (everyone who passed was registered first).
"""

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from pulih.accounts.models import Role
from pulih.core.ids import Problem
from pulih.dedup.dedupfile.columns import header_key
from pulih.registry.importing.messages import ImportRefused, Invalid
from pulih.registry.importing.messages import problem as registry_problem
from pulih.registry.importing.parsers import (
    cell_text,
    is_blank,
    parse_nik_cell,
    token,
)
from pulih.registry.importing.reading import sheet_open
from pulih.registry.models import Person
from pulih.registry.services import ROLE_MAY_NOT, UNKNOWN_CHOICE

from .models import Referral

Status = Referral.Status
Target = Referral.Target

OFFICER_ROLES = {Role.PUSAT, Role.PROVINSI, Role.KABKOTA, Role.PENDAMPING}
REGION_FIELDS = ("province_code", "regency_code", "district_code", "village_code")
# Rows per database query: SQLite allows a limited number of parameters per statement.
CHUNK = 5_000
# How many words or rows a message lists before it stops with "…".
LISTED = 10

# Not passing is the other outcome of the step passing is, not a step after it: a
# referral that passed cannot "move on" to not passed, and both count as registered.
SAME_STEP = {Status.NOT_PASSED: Status.PASSED}

# The words other programmes write for each status: Indonesian first, English second
# (both are used in messages), then other spellings. Compared as `token`s, so case,
# spaces and punctuation do not count ("Tidak Lolos", "not_passed").
STATUS_WORDS = {
    Status.REFERRED: ("dirujuk", "referred"),
    Status.REGISTERED: ("terdaftar", "registered"),
    Status.PASSED: ("lolos", "passed"),
    Status.NOT_PASSED: ("tidak lolos", "not passed"),
    Status.TRAINING: ("pelatihan", "training", "in training"),
    Status.CERTIFIED: ("sertifikasi", "certified", "tersertifikasi"),
    Status.PLACED: ("penempatan", "placed", "ditempatkan", "placed in work"),
}
WORD_STATUS = {
    token(word): status for status, words in STATUS_WORDS.items() for word in (status.value, *words)
}

# The programmes' names in messages, Indonesian and English.
TARGET_NAMES = {
    Target.PRAKERJA: ("Kartu Prakerja", "Kartu Prakerja"),
    Target.INDUSTRY_3IN1: ("pelatihan 3 in 1 Kemenperin", "Kemenperin's 3-in-1 training"),
}

# Headers each column answers to, the preferred first (as `dedup.dedupfile.columns`).
ALIASES = {
    "nik": (
        "NIK",
        "No KTP",
        "Nomor KTP",
        "KTP",
        "Nomor Induk Kependudukan",
        "NIK KTP",
        "NIK Peserta",
        "National ID",
        "ID Number",
    ),
    "status": (
        "Status",
        "Status Peserta",
        "Status Kelulusan",
        "Status Akhir",
        "Hasil",
        "Hasil Seleksi",
        "Tahap",
        "Result",
        "Stage",
    ),
}

MESSAGES = {
    "referral_no_header": (
        "Baris judul kolom tidak ditemukan. Baris pertama harus berisi judul kolom {expected}.",
        "No header row found. The first row must hold the column headers {expected}.",
    ),
    "referral_missing_columns": (
        "Kolom wajib tidak ditemukan: {missing}. Kolom berkas: {columns}. Judul yang dikenal "
        "untuknya: {expected}.",
        "Required columns are missing: {missing}. The file's columns: {columns}. Headers "
        "recognised for them: {expected}.",
    ),
    "referral_status_unknown": (
        "Status tidak dikenal: {words_id}. Untuk {programme_id} tulis salah satu: {choices_id}. "
        "Tidak ada yang diubah.",
        "Unknown status: {words_en}. For {programme_en} write one of: {choices_en}. Nothing "
        "was changed.",
    ),
    "referral_status_other_programme": (
        "Status {value!r} tidak berlaku untuk {programme_id}; tulis salah satu: {choices_id}.",
        "Status {value!r} does not apply to {programme_en}; write one of: {choices_en}.",
    ),
    "referral_backwards": (
        "Rujukan ini sudah berstatus {current_id}; status tidak boleh mundur menjadi {new_id}. "
        "Rujukan tidak diubah.",
        "This referral is already {current_en}; a status never moves back to {new_en}. The "
        "referral is left as it is.",
    ),
    "referral_nik_repeated": (
        "NIK ini sudah ada di baris {row}; hanya baris {row} yang dipakai.",
        "This NIK is already on row {row}; only row {row} is used.",
    ),
}


def problem(code, /, **values) -> Problem:
    indonesian, english = MESSAGES[code]
    return Problem(code, indonesian.format(**values), english.format(**values))


def _officer_check(user):
    if not (user.is_superuser or user.role in OFFICER_ROLES):
        raise PermissionDenied(ROLE_MAY_NOT)


def _target_checked(target):
    if target not in Target.values:
        raise ValidationError({"target": UNKNOWN_CHOICE % {"value": target}})
    return Target(target)


def _chunks(items):
    items = list(items)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def referral_create(*, user, person, target):
    """Refer `person` to `target`; a person already referred there keeps their referral,
    which is returned. A person outside the user's area is not found (Http404)."""
    _officer_check(user)
    target = _target_checked(target)
    person = Person.objects.get_visible_or_404(user, pk=person.pk)
    referral, _created = Referral.objects.get_or_create(
        person=person,
        target=target,
        defaults={"referred_by": user, **{f: getattr(person, f) for f in REGION_FIELDS}},
    )
    return referral


def referrals_create(*, user, people, target):
    """Refer many people at once (a queryset or a list of people). Those already referred
    are skipped, those outside the user's area too; returns the three counts."""
    _officer_check(user)
    target = _target_checked(target)
    if isinstance(people, QuerySet):
        ids = people.values_list("pk", flat=True)
    else:
        ids = (person.pk for person in people)
    counts = {"created": 0, "existing": 0, "not_visible": 0}
    for chunk in _chunks(dict.fromkeys(ids)):
        with transaction.atomic():
            visible = list(
                Person.objects.visible_to(user).filter(pk__in=chunk).only("pk", *REGION_FIELDS)
            )
            referred = Referral.objects.filter(target=target, person__in=visible)
            existing = set(referred.values_list("person_id", flat=True))
            # A referral made meanwhile by someone else is skipped by the constraint.
            Referral.objects.bulk_create(
                [
                    Referral(
                        person=person,
                        target=target,
                        referred_by=user,
                        **{f: getattr(person, f) for f in REGION_FIELDS},
                    )
                    for person in visible
                    if person.pk not in existing
                ],
                ignore_conflicts=True,
            )
            counts["created"] += referred.count() - len(existing)
        counts["existing"] += len(existing)
        counts["not_visible"] += len(chunk) - len(visible)
    return counts


def _step(target, status):
    """Where a status stands on the target's road."""
    return Referral.STEPS[target].index(SAME_STEP.get(status, status))


def referral_counts(*, user, target):
    """Referrals to `target` in the user's area: `current` counts each status now,
    `reached` counts who got at least that far (passed people were registered too, so
    "283 registered, 150 passed" is `reached`). Not passing is an end of its own."""
    target = _target_checked(target)
    rows = (
        Referral.objects.visible_to(user)
        .filter(target=target)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = dict(rows)
    steps = Referral.STEPS[target]
    current = {status.value: found.get(status, 0) for status in steps}
    reached = {
        status.value: sum(
            found.get(other, 0)
            for other in steps
            if other == status or _step(target, other) > _step(target, status)
        )
        for status in steps
    }
    return {
        "target": target.value,
        "total": sum(current.values()),
        "current": current,
        "reached": reached,
    }


@dataclass
class Line:
    """One data row of a status file: the NIK, the status it reports (None when it
    cannot be used) and the problems that keep it out."""

    row: int
    nik: str
    status: Status | None
    problems: list


def referral_status_import(*, user, target, path, filename=None):
    """Apply another programme's status file to the user's referrals to `target`.

    Raises `ImportRefused` and changes nothing when the file cannot be read, lacks its NIK
    or status column, or uses a status word nobody knows. Otherwise, in one transaction,
    each visible referral whose person has a NIK of the file moves to the file's status
    if that is further along; the report counts referrals updated and unchanged, and
    lists the rows of NIKs not referred (within the user's area), of moves backwards
    (left undone), and of rows refused, each reason in Indonesian and English.
    """
    _officer_check(user)
    target = _target_checked(target)
    lines = _lines_read(path, filename, target)
    with transaction.atomic():
        report = _statuses_apply(user, target, lines)
    return {"filename": filename or Path(path).name, "target": target.value, **report}


def _lines_read(path, filename, target):
    try:
        with sheet_open(
            path, filename=filename, is_header=lambda cell: header_key(cell) in ALIAS_COLUMNS
        ) as sheet:
            columns = _columns_match(sheet.header)
            return _lines_judge(sheet.rows, columns, target)
    except ImportRefused as refusal:
        # The registry's reason names its own template; say what this file needs.
        if refusal.problem.code == "file_no_header":
            expected = _listing(aliases[0] for aliases in ALIASES.values())
            raise ImportRefused(problem("referral_no_header", expected=expected)) from refusal
        raise


ALIAS_COLUMNS = {
    header_key(alias): (column, rank)
    for column, aliases in ALIASES.items()
    for rank, alias in enumerate(aliases)
}


def _columns_match(header):
    """{"nik": index, "status": index}, the best-ranked alias of each."""
    best = {}
    for index, cell in enumerate(header):
        column, rank = ALIAS_COLUMNS.get(header_key(cell), (None, None))
        if column is not None and (column not in best or rank < best[column][0]):
            best[column] = (rank, index)
    missing = [column for column in ALIASES if column not in best]
    if missing:
        raise ImportRefused(
            problem(
                "referral_missing_columns",
                missing=", ".join(ALIASES[column][0] for column in missing),
                columns=_listing(repr(cell) for cell in header if not is_blank(cell)) or "-",
                expected=", ".join(alias for column in missing for alias in ALIASES[column]),
            )
        )
    return {column: index for column, (_rank, index) in best.items()}


def _lines_judge(rows, columns, target):
    """Every row judged; unknown status words refuse the whole file, listed with rows."""
    lines, unknown, first_row = [], defaultdict(list), {}
    steps = Referral.STEPS[target]
    for number, cells in rows:
        nik_cell, status_cell = (
            cells[columns[c]] if columns[c] < len(cells) else None for c in ("nik", "status")
        )
        line = Line(row=number, nik="", status=None, problems=[])
        lines.append(line)
        if is_blank(nik_cell):
            line.problems.append(registry_problem("required", column="NIK"))
        else:
            try:
                line.nik = parse_nik_cell(nik_cell)
            except Invalid as invalid:
                line.problems.extend(invalid.problems)
        if is_blank(status_cell):
            line.problems.append(registry_problem("required", column="Status"))
            continue
        text = cell_text(status_cell)
        status = WORD_STATUS.get(token(text))
        if status is None:
            unknown[token(text) or text].append((text, number))
        elif status not in steps:
            line.problems.append(
                problem("referral_status_other_programme", value=text, **_target_words(target))
            )
        elif line.nik in first_row and not line.problems:
            line.problems.append(problem("referral_nik_repeated", row=first_row[line.nik]))
        elif not line.problems:
            line.status = status
            first_row[line.nik] = number
    if unknown:
        raise ImportRefused(_unknown_problem(unknown, target))
    return lines


def _target_words(target):
    """The programme's name and the statuses its file may report (all but "referred",
    which is this side's), in both languages."""
    programme_id, programme_en = TARGET_NAMES[target]
    reported = Referral.STEPS[target][1:]
    return {
        "programme_id": programme_id,
        "programme_en": programme_en,
        "choices_id": ", ".join(STATUS_WORDS[s][0] for s in reported),
        "choices_en": ", ".join(STATUS_WORDS[s][1] for s in reported),
    }


def _unknown_problem(unknown, target):
    found = [(spellings[0][0], [row for _text, row in spellings]) for spellings in unknown.values()]
    return problem(
        "referral_status_unknown",
        words_id=_listing(f"{word!r} (baris {_listing(rows)})" for word, rows in found),
        words_en=_listing(
            f"{word!r} ({'rows' if len(rows) > 1 else 'row'} {_listing(rows)})"
            for word, rows in found
        ),
        **_target_words(target),
    )


def _listing(items):
    items = [str(item) for item in items]
    shown = ", ".join(items[:LISTED])
    return f"{shown}, …" if len(items) > LISTED else shown


def _statuses_apply(user, target, lines):
    usable = [line for line in lines if line.status is not None]
    by_nik = defaultdict(list)
    scope = Referral.objects.visible_to(user).filter(target=target).select_related("person")
    for chunk in _chunks({line.nik for line in usable}):
        for referral in scope.filter(person__nik__in=chunk).select_for_update(of=("self",)):
            by_nik[referral.person.nik].append(referral)
    changed, unchanged, backwards, unknown = [], 0, [], []
    for line in usable:
        if line.nik not in by_nik:
            unknown.append({"row": line.row, "nik": line.nik})
            continue
        for referral in by_nik[line.nik]:
            current = Status(referral.status)
            if current == line.status:
                unchanged += 1
            elif _step(target, line.status) > _step(target, current):
                referral.status = line.status
                changed.append(referral)
            else:
                backwards.append(_backwards(line, current))
    now = timezone.now()
    for referral in changed:
        referral.updated_at = now
    Referral.objects.bulk_update(changed, ["status", "updated_at"], batch_size=1_000)
    refused = [
        {"row": line.row, "nik": line.nik, "problems": [p.to_dict() for p in line.problems]}
        for line in lines
        if line.problems
    ]
    return {
        "rows": len(lines),
        "updated": len(changed),
        "unchanged": unchanged,
        "unknown_niks": unknown,
        "backwards": backwards,
        "refused": refused,
    }


def _backwards(line, current):
    reason = problem(
        "referral_backwards",
        current_id=STATUS_WORDS[current][0],
        current_en=STATUS_WORDS[current][1],
        new_id=STATUS_WORDS[line.status][0],
        new_en=STATUS_WORDS[line.status][1],
    )
    return {
        "row": line.row,
        "nik": line.nik,
        "current": current.value,
        "status": line.status.value,
        "problem": reason.to_dict(),
    }
