from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pulih.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(
            models.TaskProgress, exclude_fields=["updated_at", "result", "errors", "payload"]
        )
