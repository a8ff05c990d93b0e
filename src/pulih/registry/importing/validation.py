"""Judge every row of an import file and sort it: valid, invalid, duplicate within the file,
or already in the registry.

A row is judged on its own first (every error it has, not only the first), then against
the rest of the file and the registry, a chunk of rows at a time so that a million-row
file needs two queries per few thousand rows and never all its rows in memory. What an
accepted import needs is left in two files beside the upload: the valid rows, normalised
(`RowsFile`), and the invalid ones as the officer wrote them (`ErrorWorkbook`).

This is the import's hot loop (a million rows, ~30 cells each), so it is written for
speed: one plan of (field, position, parser) per file, no per-row queries, and the JSON
line of a row doubles as the text its fingerprint is taken of.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from itertools import islice

from pulih.wilayah.data import nik_check, region_index
from pulih.wilayah.models import Village

from .columns import BY_KEY, COLUMNS, IMPACT_FIELDS, header_field, is_ignored_header
from .existing import people_registered, source_keys_registered
from .files import ErrorWorkbook, RowsFile, row_json
from .messages import ImportRefused, Invalid, problem
from .parsers import token
from .report import Report

CHUNK_ROWS = 5_000
REQUIRED_FIELDS = tuple(c.key for c in COLUMNS if c.required)
REMEMBERED = 50_000
# The template's example row, which an officer may forget to delete.
EXAMPLE = (BY_KEY["nik"].example, BY_KEY["business_name"].example)
_MISSING = object()
DATE_FIELDS = ("birth_date", "report_date")
SEX_LETTERS = {"M": "L", "F": "P"}


@dataclass(frozen=True)
class Place:
    """Where rows may go: one regency, and for a field assistant only their districts."""

    regency_code: str
    regency_name: str
    district_codes: frozenset | None = None


class Villages:
    """The regency's villages by code and by name, read once per import."""

    def __init__(self, place):
        self.place = place
        self.district_of = {}
        self.by_name = {}
        rows = Village.objects.filter(code__startswith=f"{place.regency_code}.").values_list(
            "code", "name", "district__name"
        )
        for code, name, district in rows:
            self.district_of[code] = code[:8]
            self.by_name.setdefault(token(name), []).append(code)
            self.by_name.setdefault((token(district), token(name)), []).append(code)

    def resolve(self, code, name, district):
        """The village code of a row from its code, or from its (district and) village name."""
        if code:
            return self.check(code)
        if not name:
            raise Invalid(problem("village_missing"))
        found = self.by_name.get((token(district), token(name)) if district else token(name))
        if not found:
            raise Invalid(
                problem("village_name_unknown", value=name, regency=self.place.regency_name)
            )
        if len(found) > 1:
            raise Invalid(
                problem("village_name_ambiguous", value=name, regency=self.place.regency_name)
            )
        return self.check(found[0])

    def check(self, code):
        district = self.district_of.get(code)
        if district is None:
            if not code.startswith(f"{self.place.regency_code}."):
                raise Invalid(
                    problem("village_outside_regency", value=code, regency=self.place.regency_name)
                )
            raise Invalid(problem("village_code_invalid", value=code))
        districts = self.place.district_codes
        if districts is not None and district not in districts:
            raise Invalid(problem("village_outside_districts", value=code))
        return code


@dataclass
class Columns:
    """Which column of the file holds which field, by position."""

    positions: dict
    headers: dict
    ignored: list

    def header(self, key):
        return self.headers.get(key, BY_KEY[key].header)


def columns_match(header):
    """Match the file's headers to fields; refuse a file that lacks a required column or
    names one field twice, listing the headers expected."""
    positions, headers, ignored = {}, {}, []
    for position, text in enumerate(header):
        key = header_field(text)
        if key is None:
            if text and not is_ignored_header(text):
                ignored.append(text)
            continue
        if key in positions:
            raise ImportRefused(
                problem(
                    "file_duplicate_column",
                    first=headers[key],
                    second=text,
                    header=BY_KEY[key].header,
                )
            )
        positions[key], headers[key] = position, text
    missing = [BY_KEY[key].header for key in REQUIRED_FIELDS if key not in positions]
    if "village_code" not in positions and "village_name" not in positions:
        missing.append(f"{BY_KEY['village_code'].header} / {BY_KEY['village_name'].header}")
    if missing:
        raise ImportRefused(
            problem(
                "file_missing_columns",
                missing=", ".join(missing),
                expected=", ".join(c.header for c in COLUMNS),
            )
        )
    return Columns(positions, headers, ignored)


@dataclass
class Row:
    """One data row after its own checks: canonical values, or the reasons it has none.
    `errors` and `warnings` hold (field, raw value, Problem)."""

    number: int
    cells: list
    values: dict
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    nik_valid: bool = False
    nik_problems: list = field(default_factory=list)
    line: str = ""
    key: bytes = b""


class RowCheck:
    """Judges the rows of a chunk, by a plan made once for the file's columns.

    The chunk is parsed column by column, then checked row by row: the same parser over
    thousands of cells runs about twice as fast in CPython as thirty parsers in turn
    over each row. Dates, amounts, choices and village codes repeat from row to row, so
    their verdicts (value or error) are remembered per distinct cell, up to REMEMBERED
    values a column.
    """

    def __init__(self, columns, villages, today=None):
        self.columns = columns
        self.villages = villages
        self.today = today or datetime.date.today()
        self.plan = [
            (key, position, column.parse, column.empty, None if column.unique else {})
            for key, position in columns.positions.items()
            for column in [BY_KEY[key]]
        ]
        self.absent = {c.key: c.empty for c in COLUMNS if c.key not in columns.positions}
        self.width = max(columns.positions.values()) + 1

    def __call__(self, chunk):
        """Rows of (row number, cells) → checked `Row`s, in the same order."""
        width = self.width
        rows = [
            Row(
                number, cells if len(cells) >= width else [*cells, *[""] * (width - len(cells))], {}
            )
            for number, cells in chunk
        ]
        for key, position, parse, empty, remembered in self.plan:
            for row in rows:
                raw = row.cells[position]
                if raw == "" or raw is None or (raw.__class__ is str and raw.isspace()):
                    row.values[key] = empty
                    continue
                if remembered is None:
                    value = _parsed(parse, raw)
                else:
                    # True == 1 == 1.0 as dict keys; only strings are safe bare.
                    seen = raw if raw.__class__ is str else (raw.__class__, raw)
                    value = remembered.get(seen, _MISSING)
                    if value is _MISSING:
                        value = _parsed(parse, raw)
                        if len(remembered) < REMEMBERED:
                            remembered[seen] = value
                if value.__class__ is Invalid:
                    row.values[key] = empty
                    row.errors += [(key, raw, p) for p in value.problems]
                else:
                    row.values[key] = value
        for row in rows:
            row.values.update(self.absent)
            self._row_check(row)
        for row in rows:
            if row.values["nik"]:
                self._nik_check(row)
        for row in rows:
            if not row.errors:
                row.line = row_json(row)
                row.key = hashlib.sha256(row.line.encode()).digest()
        return rows

    def _row_check(self, row):
        """What no single cell shows: required values, dates to come, the village, and an
        impact report without its date or status."""
        values, errors = row.values, row.errors
        failed = {key for key, _raw, _p in errors} if errors else ()
        for key in REQUIRED_FIELDS:
            if not values[key] and key not in failed:
                errors.append((key, "", problem("required", column=self.columns.header(key))))
        self._dates_check(row)
        self._village_check(row, failed)
        self._impact_check(row, failed)
        if (values["nik"], values["business_name"]) == EXAMPLE:
            errors.append(("business_name", values["business_name"], problem("example_row")))

    def raw(self, row, key):
        position = self.columns.positions.get(key)
        return "" if position is None else row.cells[position]

    def _dates_check(self, row):
        for key in DATE_FIELDS:
            day = row.values[key]
            if day is not None and day > self.today:
                row.values[key] = None
                future = problem("date_future", value=day.strftime("%d-%m-%Y"))
                row.errors.append((key, self.raw(row, key), future))

    def _village_check(self, row, failed):
        if "village_code" in failed:
            return
        values = row.values
        try:
            values["village_code"] = self.villages.resolve(
                values["village_code"], values["village_name"], values["district_name"]
            )
        except Invalid as exc:
            key = "village_code" if values["village_code"] else "village_name"
            if key not in self.columns.positions:
                key = "village_code" if "village_code" in self.columns.positions else key
            row.errors += [(key, self.raw(row, key), p) for p in exc.problems]

    def _impact_check(self, row, failed):
        """An impact report needs its date and status; a row without any impact has none."""
        values = row.values
        if not any(values[key] or key in failed for key in IMPACT_FIELDS):
            return
        for key in ("report_date", "impact_status"):
            if not values[key] and key not in failed:
                column = self.columns.header(key)
                row.errors.append((key, "", problem("impact_incomplete", column=column)))

    def _nik_check(self, row):
        """A NIK that fails the check makes the row invalid; one that disagrees with the
        row's village, birth date or sex is flagged for a human (people move; typos)."""
        result = nik_check(row.values["nik"])
        raw = self.raw(row, "nik")
        row.errors += [("nik", raw, p) for p in result.errors]
        row.warnings += [("nik", raw, p) for p in result.warnings]
        row.nik_valid = result.valid
        row.nik_problems = [p.code for p in result.errors + result.warnings]
        if not result.valid:
            return
        values = row.values
        village = values["village_code"]
        if village and result.current_regency_code != village[:5]:
            names = region_index()
            mismatch = problem(
                "nik_region_mismatch",
                nik_regency=names.regency_name(result.current_regency_code) or result.regency_code,
                village_regency=names.regency_name(village[:5]) or village[:5],
            )
            row.warnings.append(("nik", raw, mismatch))
        born = values["birth_date"]
        if born and result.birth_date and born != result.birth_date:
            mismatch = problem(
                "birth_date_mismatch",
                given=born.strftime("%d-%m-%Y"),
                nik=result.birth_date.strftime("%d-%m-%Y"),
            )
            row.warnings.append(("birth_date", self.raw(row, "birth_date"), mismatch))
        sex = values["sex"]
        if sex and result.sex and sex != result.sex:
            mismatch = problem("sex_mismatch", given=SEX_LETTERS[sex], nik=SEX_LETTERS[result.sex])
            row.warnings.append(("sex", self.raw(row, "sex"), mismatch))


def batched(rows, size):
    """Lists of `size` items (itertools.batched arrives in Python 3.12)."""
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def _parsed(parse, raw):
    """The parsed value, or the `Invalid` that says why there is none."""
    try:
        return parse(raw)
    except Invalid as invalid:
        return invalid


def rows_validate(*, sheet, place, files, language="id", progress=None):
    """Judge every row of `sheet` for an import into `place`; the valid rows go to
    `files.rows`, the invalid ones to `files.errors`. Returns the `Report`."""
    columns = columns_match(sheet.header)
    report = Report(place=place, columns=columns, language=language)
    check = RowCheck(columns, Villages(place))
    sort = ChunkSort(report, place)
    with (
        RowsFile.writer(files.rows) as valid_rows,
        ErrorWorkbook(files.errors, sheet.header) as bad_rows,
    ):
        for chunk in batched(sheet.rows, CHUNK_ROWS):
            sort(check(chunk), valid_rows, bad_rows)
            if progress is not None:
                progress.advance(len(chunk))
    return report


class ChunkSort:
    """Sorts checked rows against the file so far and the registry, a chunk at a time."""

    def __init__(self, report, place):
        self.report = report
        self.regency = place.regency_code
        # First row number by a short mark of the fingerprint, and of NIK + business name.
        self.seen = {}

    def __call__(self, chunk, valid_rows, bad_rows):
        report = self.report
        keys = [row.key.hex() for row in chunk if row.key]
        niks = [row.values["nik"] for row in chunk if row.key and row.values["nik"]]
        registered = source_keys_registered(regency_code=self.regency, keys=keys)
        people = people_registered(regency_code=self.regency, niks=niks)
        for row in chunk:
            report.total += 1
            for key, raw, p in row.warnings:
                report.warning(row.number, key, raw, p)
            if row.errors:
                report.invalid += 1
                for key, raw, p in row.errors:
                    report.error(row.number, key, raw, p)
                bad_rows.add(row.cells, "; ".join(p.text(report.language) for *_, p in row.errors))
                continue
            first = self.first_seen(row)
            if first is not None:
                report.duplicate_in_file += 1
                report.warning(row.number, "", "", problem("duplicate_in_file", row=first))
                continue
            if row.key.hex() in registered:
                report.already_in_registry += 1
                report.warning(row.number, "", "", problem("already_in_registry"))
                continue
            report.valid += 1
            nik = row.values["nik"]
            if nik in people:
                report.person_exists += 1
                report.warning(row.number, "nik", nik, problem("person_exists"))
            valid_rows.add(row)

    def first_seen(self, row):
        """The row this one repeats: same fingerprint, or same NIK and business name.

        Marks are 8 bytes of the fingerprint and a hash: enough to tell a million rows
        apart at a fraction of the memory of whole keys."""
        marks = [int.from_bytes(row.key[:8], "big")]
        if row.values["nik"]:
            marks.append(hash((row.values["nik"], token(row.values["business_name"]))))
        for mark in marks:
            if mark in self.seen:
                return self.seen[mark]
        for mark in marks:
            self.seen[mark] = row.number
        return None
