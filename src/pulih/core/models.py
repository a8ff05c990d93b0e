import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskProgress(models.Model):
    """How far a background task has come, shown to the user who started it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="task_progress"
    )
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    errors = models.JSONField(default=list, blank=True)
    result = models.JSONField(default=dict, blank=True)
    # The task's input when too large or too personal for the task queue's arguments;
    # emptied when the task ends.
    payload = models.JSONField(default=dict, blank=True)
    result_template = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("task progress")
        verbose_name_plural = _("task progress")

    def __str__(self):
        return f"{self.title} ({self.done}/{self.total})"

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def finished(self):
        return self.status in {self.Status.DONE, self.Status.FAILED}


class AccessLog(models.Model):
    """Who looked at a person's full record, when, and which one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_label = models.CharField(max_length=200, blank=True)
    channel = models.CharField(max_length=10, default="web")
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")

    def __str__(self):
        return f"{self.username} → {self.object_type}#{self.object_id}"
