"""The import's doors: start (upload → validation task), accept (→ write task), and the
synchronous run of the command line and the benchmark. Pages, API and CLI call these and
nothing below them, so all three judge and write rows the same way.

An import lives in one progress record from upload to the written rows; its `result`
carries a `stage`: "validated" (preview; may be accepted), "accepted" (writing),
"written", or "refused" (the file as a whole could not be read).
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from pulih.core.models import TaskProgress
from pulih.core.progress import progress_start

from .files import ImportFiles
from .messages import ImportRefused, problem, size_text
from .place import import_place
from .reading import SPREADSHEET_KINDS, TEXT_KINDS, max_bytes
from .runs import validation_run, write_run
from .tasks import import_validate, import_write

KIND = "registry_import"
RESULT_TEMPLATE = "registry/import/_result.html"
NOT_ACCEPTABLE = gettext_lazy(
    "This import cannot be accepted now: it is still being checked, or it was accepted already."
)
NOTHING_TO_ACCEPT = gettext_lazy("There are no valid rows to import.")


def upload_check(upload):
    """Refuse at once what no task could read: an unknown file type, or too many bytes."""
    extension = Path(upload.name or "").suffix.lower()
    if extension not in SPREADSHEET_KINDS and extension not in TEXT_KINDS:
        raise ImportRefused(problem("file_extension", ext=extension or upload.name))
    if upload.size > max_bytes():
        raise ImportRefused(
            problem("file_too_large", size=size_text(upload.size), limit=size_text(max_bytes()))
        )
    if upload.size == 0:
        raise ImportRefused(problem("file_empty"))
    return extension


def import_start(*, user, upload, regency_code=None):
    """Keep the upload under a random name and queue its validation; returns the progress."""
    place = import_place(user=user, regency_code=regency_code)
    extension = upload_check(upload)
    files = ImportFiles.new()
    path = files.upload(extension)
    with path.open("wb") as f:
        for part in upload.chunks():
            f.write(part)
    progress = progress_start(
        owner=user,
        kind=KIND,
        title=_("Import of %(name)s") % {"name": Path(upload.name).name[:150]},
        result_template=RESULT_TEMPLATE,
        payload={
            "path": str(path),
            "filename": Path(upload.name).name,
            "token": files.token,
            "regency_code": place.regency_code,
        },
    )
    language = _language()
    transaction.on_commit(lambda: import_validate.enqueue(str(progress.pk), language))
    return progress


def import_list(*, user):
    """The user's own imports, newest first."""
    return TaskProgress.objects.filter(owner=user, kind=KIND)


def import_get(*, user, progress_id):
    """An import is its owner's alone; to anyone else it does not exist."""
    found = TaskProgress.objects.filter(owner=user, kind=KIND, pk=progress_id).first()
    if found is None:
        raise Http404
    return found


def import_accept(*, user, progress_id):
    """Queue the writing of a validated import's valid rows; returns the same progress.

    The record is locked while it is checked and marked, so a double click (or two
    clients) starts one write only.
    """
    with transaction.atomic():
        progress = import_get(user=user, progress_id=progress_id)
        progress = TaskProgress.objects.select_for_update().get(pk=progress.pk)
        result = progress.result
        if not progress.finished or result.get("stage") != "validated":
            raise ValidationError(NOT_ACCEPTABLE)
        if not result["counts"]["valid"]:
            raise ValidationError(NOTHING_TO_ACCEPT)
        progress.status = TaskProgress.Status.QUEUED
        progress.message = _("Waiting to write the rows…")
        progress.result = {**result, "stage": "accepted"}
        progress.save(update_fields=["status", "message", "result", "updated_at"])
        language = _language()
        transaction.on_commit(lambda: import_write.enqueue(str(progress.pk), language))
    return progress


def import_error_file(*, user, progress_id):
    """The workbook of invalid rows of the user's import, or 404."""
    result = import_get(user=user, progress_id=progress_id).result
    if not result.get("has_error_file"):
        raise Http404
    path = ImportFiles.of(result["token"]).errors
    if not path.exists():
        raise Http404
    return path


def import_run(*, path, user, regency_code=None, dry_run=False, language="id", progress=None):
    """Validate a file and, unless `dry_run`, write its valid rows, here and now (the
    command line and the benchmark). Raises ImportRefused for a file that cannot be read."""
    path = Path(path)
    place = import_place(user=user, regency_code=regency_code)
    files = ImportFiles.new()
    result = validation_run(
        path=path,
        filename=path.name,
        place=place,
        files=files,
        language=language,
        user=user,
        progress=progress,
    )
    if not dry_run and result["counts"]["valid"]:
        result = write_run(result=result, place=place, user=user, progress=progress)
    files.remove(files.rows)
    return result


def _language():
    return (get_language() or "id")[:2]
