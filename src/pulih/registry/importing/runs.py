"""The two steps of every import, shared by the tasks, the command line and the benchmark:
judge the file (`validation_run`), then write its valid rows (`write_run`)."""

import time

from django.utils.translation import gettext as _

from .files import ImportFiles
from .reading import sheet_open
from .validation import rows_validate
from .writing import rows_write


def validation_run(*, path, filename, place, files, language, progress=None):
    """Open the file and judge its rows; the result the preview shows (stage "validated")."""
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
    return {
        "stage": "validated",
        "token": files.token,
        "filename": filename,
        "kind": sheet.kind,
        "has_error_file": files.errors.exists(),
        **report.to_dict(),
        "validate_seconds": round(time.perf_counter() - started, 2),
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
