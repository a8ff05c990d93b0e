"""Progress of background work: one record per task, polled by the page that started it.

A service creates the record with `progress_start`, enqueues its task with the
record's id, and the task reports through `ProgressReporter`.
"""

from django.utils.translation import gettext as _

from .models import TaskProgress


def progress_start(*, owner, kind, title, total=0, result_template="", payload=None):
    """`result_template` renders `progress.result` in the page once the task is done;
    `payload` is the task's input, kept here instead of in the queue and emptied at the end."""
    return TaskProgress.objects.create(
        owner=owner,
        kind=kind,
        title=title,
        total=total,
        result_template=result_template,
        payload=payload or {},
    )


class ProgressReporter:
    """Writes progress at most every `every` items so a long task does not hammer the database.

    Use it as a context manager: a task that raises is marked failed (so the page stops
    polling and says so) and the payload is emptied whatever happens.
    """

    def __init__(self, progress_id, *, every=100):
        self.progress = TaskProgress.objects.get(pk=progress_id)
        self.every = every
        self._since_save = 0

    @property
    def payload(self):
        return self.progress.payload

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is not None:
            self.fail(_("The task stopped because of an error; nothing more was done."))
        elif self.progress.payload:
            self.progress.payload = {}
            self.progress.save(update_fields=["payload", "updated_at"])
        return False

    def start(self, *, total, message=""):
        p = self.progress
        p.status, p.total, p.done, p.message = TaskProgress.Status.RUNNING, total, 0, message
        p.save(update_fields=["status", "total", "done", "message", "updated_at"])

    def advance(self, n=1, *, message=None):
        self.progress.done += n
        if message is not None:
            self.progress.message = message
        self._since_save += n
        if self._since_save >= self.every:
            self._since_save = 0
            self.progress.save(update_fields=["done", "message", "updated_at"])

    def error(self, error):
        self.progress.errors.append(error)

    def finish(self, *, result=None, message=None):
        p = self.progress
        p.payload = {}
        p.status = TaskProgress.Status.DONE
        p.done = max(p.done, p.total)
        p.result = result or {}
        p.message = message if message is not None else _("Finished.")
        p.save()

    def fail(self, message):
        p = self.progress
        p.status, p.message, p.payload = TaskProgress.Status.FAILED, message[:300], {}
        p.save()
