"""The import over the API: upload → task id → status and preview → accept → status.

The same services as the pages; an import is its owner's alone (404 for anyone else).
"""

import uuid

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import get_language
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from .importing import services
from .importing.messages import ImportRefused

router = Router(tags=["import"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportStarted(Schema):
    task_id: uuid.UUID


class Refusal(Schema):
    message: str
    code: str = ""


class ImportStatus(Schema):
    """`stage`: "" while the file is read, then "validated" (may be accepted), "accepted"
    (rows being written), "written", or "refused" (the file could not be read)."""

    task_id: uuid.UUID
    status: str
    stage: str
    done: int
    total: int
    percent: int
    message: str
    regency_code: str | None = None
    counts: dict | None = None
    notices: list[str] = []
    errors: list[dict] = []
    error_count: int = 0
    warnings: list[dict] = []
    warning_count: int = 0
    has_error_file: bool = False
    written: dict | None = None
    batch: dict | None = None


def _refusal(refusal):
    return {"message": refusal.problem.text(get_language()), "code": refusal.problem.code}


@router.post("/", response={202: ImportStarted, 400: Refusal})
def import_upload(request, file: File[UploadedFile], regency: Form[str] = ""):
    """Upload an XLSX, XLS, ODS or CSV file; it is checked in the background."""
    try:
        progress = services.import_start(user=request.user, upload=file, regency_code=regency)
    except ImportRefused as refusal:
        return Status(400, _refusal(refusal))
    except ValidationError as exc:
        return Status(400, {"message": " ".join(exc.messages)})
    return Status(202, {"task_id": progress.pk})


@router.get("/{task_id}", response=ImportStatus)
def import_status(request, task_id: uuid.UUID):
    """Progress, then the counts, errors (first 200) and warnings of the checked file."""
    progress = services.import_get(user=request.user, progress_id=task_id)
    result = progress.result
    fields = set(ImportStatus.model_fields) - {"task_id", "status", "stage", "done", "total"}
    return {
        **{key: result[key] for key in fields if key in result},
        "task_id": progress.pk,
        "status": progress.status,
        "stage": result.get("stage", ""),
        "done": progress.done,
        "total": progress.total,
        "percent": progress.percent,
        "message": result.get("message") or progress.message,
    }


@router.post("/{task_id}/accept", response={202: ImportStarted, 409: Refusal})
def import_accept(request, task_id: uuid.UUID):
    """Write the valid rows into the regency's open collection stage (same task id)."""
    try:
        progress = services.import_accept(user=request.user, progress_id=task_id)
    except ValidationError as exc:
        return Status(409, {"message": " ".join(exc.messages)})
    return Status(202, {"task_id": progress.pk})


@router.get("/{task_id}/invalid.xlsx")
def import_invalid_rows(request, task_id: uuid.UUID):
    """The invalid rows as uploaded, with a "Kesalahan" column; fix and upload again."""
    path = services.import_error_file(user=request.user, progress_id=task_id)
    return FileResponse(
        path.open("rb"), as_attachment=True, filename="baris-salah.xlsx", content_type=XLSX
    )
