"""What the preview of an import shows: the counts, the first messages with their cells,
and the first rows that look like people already in the registry. Stored as JSON on the
progress record, so only the first few hundred messages and rows are kept; every one is
counted."""

from dataclasses import dataclass, field
from itertools import islice

from pulih.core.ids import mask_nik

from ..duplicates import candidates_described
from .messages import problem
from .parsers import cell_text, is_blank

KEPT_MESSAGES = 200
KEPT_DUPLICATE_ROWS = 200
SHOWN_CANDIDATES = 5


@dataclass
class Report:
    """The counts and messages of one import; `place` and `columns` as validation found
    them (`validation.Place`, `validation.Columns`)."""

    place: object
    columns: object
    language: str
    total: int = 0
    valid: int = 0
    invalid: int = 0
    duplicate_in_file: int = 0
    already_in_registry: int = 0
    person_exists: int = 0
    errors: list = field(default_factory=list)
    error_count: int = 0
    warnings: list = field(default_factory=list)
    warning_count: int = 0

    def error(self, row, key, raw, p):
        self.error_count += 1
        if len(self.errors) < KEPT_MESSAGES:
            self.errors.append(self._message(row, key, raw, p))

    def warning(self, row, key, raw, p):
        self.warning_count += 1
        if len(self.warnings) < KEPT_MESSAGES:
            self.warnings.append(self._message(row, key, raw, p))

    def _message(self, row, key, raw, p):
        """A message with its cell: row number, the header as the file writes it, the value."""
        return {
            "row": row,
            "column": self.columns.header(key) if key else "",
            "value": "" if is_blank(raw) else cell_text(raw),
            "message": p.text(self.language),
            "code": p.code,
        }

    def notices(self):
        """File-level remarks that do not stop the import."""
        found = []
        if "nik" not in self.columns.positions:
            found.append(problem("no_nik_column"))
        if self.columns.ignored:
            found.append(problem("unknown_columns", columns=", ".join(self.columns.ignored)))
        return [p.text(self.language) for p in found]

    def to_dict(self):
        return {
            "regency_code": self.place.regency_code,
            "regency_name": self.place.regency_name,
            "columns": [
                {"header": self.columns.headers[key], "field": key}
                for key in sorted(self.columns.positions, key=self.columns.positions.get)
            ],
            "ignored_columns": self.columns.ignored,
            "notices": self.notices(),
            "counts": {
                "total": self.total,
                "valid": self.valid,
                "invalid": self.invalid,
                "duplicate_in_file": self.duplicate_in_file,
                "already_in_registry": self.already_in_registry,
                "person_exists": self.person_exists,
            },
            "errors": self.errors,
            "error_count": self.error_count,
            "warnings": self.warnings,
            "warning_count": self.warning_count,
        }


@dataclass
class LikelyDuplicates:
    """Valid rows that look like people already in the registry: every one is counted, the
    first few hundred are kept with their likeliest candidates (as
    `duplicates.candidates_described` gives them) and how many more are outside the
    officer's scope. Plain values only: the result is stored as JSON."""

    count: int = 0
    rows: list = field(default_factory=list)

    def add(self, likely):
        """The rows of one chunk: (`RowsFile` row, candidates most likely first, count
        elsewhere) each."""
        self.count += len(likely)
        kept = [
            (row, candidates[:SHOWN_CANDIDATES], elsewhere)
            for row, candidates, elsewhere in likely[: KEPT_DUPLICATE_ROWS - len(self.rows)]
        ]
        described = iter(candidates_described([c for _row, cs, _n in kept for c in cs]))
        for row, candidates, elsewhere in kept:
            self.rows.append(
                {
                    "row": row["row_number"],
                    "name": row["name"],
                    "nik": mask_nik(row["nik"]),
                    "candidates": list(islice(described, len(candidates))),
                    "elsewhere": elsewhere,
                }
            )
