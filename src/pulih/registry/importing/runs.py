"""The two steps of every import, shared by the tasks, the command line and the benchmark:
judge the file (`validation_run`), then write its valid rows (`write_run`)."""

import time

from django.utils.translation import gettext as _

from ..duplicates import duplicate_check_rows
from .existing import people_registered
from .files import ImportFiles, RowsFile
from .reading import sheet_open
from .report import LikelyDuplicates
from .validation import rows_validate
from .writing import rows_write

# Records per call of the duplicate check: its lookups and scoring are set-based.
DUPLICATE_CHUNK_ROWS = 5_000


def validation_run(*, path, filename, place, files, language, user=None, progress=None):
    """Open the file and judge its rows; the result the preview shows (stage "validated").
    With a `user`, the valid rows are also looked for among the people the registry
    already holds (record linkage, within what the user may see)."""
    started = time.perf_counter()
    with sheet_open(path, filename=filename) as sheet:
        if progress is not None:
            progress.start(total=sheet.total, message=_("Checking rows…"))
        try:
            report = rows_validate(
                sheet=sheet, place=place, files=files, language=language, progress=progress
            )
        except BaseException:
            files.remove(files.rows, files.errors)
            raise
    result = {
        "stage": "validated",
        "token": files.token,
        "filename": filename,
        "kind": sheet.kind,
        "has_error_file": files.errors.exists(),
        **report.to_dict(),
        "validate_seconds": round(time.perf_counter() - started, 2),
    }
    if user is not None and report.valid:
        try:
            _likely_duplicates_add(result, files=files, place=place, user=user, progress=progress)
        except BaseException:
            files.remove(files.rows, files.errors)
            raise
    return result


def _likely_duplicates_add(result, *, files, place, user, progress):
    started = time.perf_counter()
    if progress is not None:
        progress.start(
            total=result["counts"]["valid"],
            message=_("Looking for people already in the registry…"),
        )
    found = duplicates_find(files=files, place=place, user=user, progress=progress)
    if found is not None:
        result["counts"]["likely_duplicates"] = found.count
        result["likely_duplicates"] = found.rows
        result["duplicate_check_seconds"] = round(time.perf_counter() - started, 2)


def duplicates_find(*, files, place, user, progress=None):
    """The valid rows that look like people already in the registry, or None when no
    duplicate check is configured. A row's NIK registered in the regency is not counted
    against it: writing links the row to that person instead of adding one."""
    found = LikelyDuplicates()
    for chunk in RowsFile.chunks(files.rows, DUPLICATE_CHUNK_ROWS):
        results = duplicate_check_rows(user=user, records=[_person_record(row) for row in chunk])
        if results is None:
            return None
        linked = people_registered(
            regency_code=place.regency_code,
            niks={chunk[index]["nik"] for index in results if chunk[index]["nik"]},
        )
        likely = []
        for index in sorted(results):
            row, result = chunk[index], results[index]
            owner = linked.get(row["nik"])
            candidates = [c for c in result.candidates if c.person.pk != owner]
            if candidates or result.elsewhere:
                likely.append((row, candidates, result.elsewhere))
        found.add(likely)
        if progress is not None:
            progress.advance(len(chunk))
    return found


def _person_record(row):
    """A valid row's owner as the duplicate check reads a record."""
    return {
        "id_number": row["nik"],
        "name": row["name"],
        "birth_date": row["birth_date"],
        "sex": row["sex"],
        "phone": row["phone"],
        "address": row["address"],
        "region": row["village_code"],
    }


def write_run(*, result, place, user, progress=None):
    """Write a validated import's rows; the result gains the counts and the batch."""
    files = ImportFiles.of(result["token"])
    if progress is not None:
        progress.start(total=result["counts"]["valid"], message=_("Writing rows…"))
    started = time.perf_counter()
    counts, batch = rows_write(files=files, place=place, user=user, progress=progress)
    files.remove(files.rows)
    return {
        **result,
        "stage": "written",
        "written": counts,
        "batch": {"id": batch.pk, "stage": batch.stage, "status": batch.status},
        "write_seconds": round(time.perf_counter() - started, 2),
    }


def refused_result(refusal, language):
    return {
        "stage": "refused",
        "message": refusal.problem.text(language),
        "problem": refusal.problem.to_dict(),
    }
