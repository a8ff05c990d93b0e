import uuid

from ninja import Router, Schema

from . import selectors

router = Router(tags=["tasks"])


class TaskProgressOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    status: str
    done: int
    total: int
    percent: int
    message: str
    errors: list
    result: dict


@router.get("/{progress_id}", response=TaskProgressOut)
def task_progress(request, progress_id: uuid.UUID):
    """How far a background task has come (import, dedup run, allocation…)."""
    return selectors.task_progress_get(user=request.user, progress_id=progress_id)
