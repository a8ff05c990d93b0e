from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductionConfig(AppConfig):
    name = "pulih.production"
    label = "production"
    verbose_name = _("Production pivot")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.Declaration,
            models.Curation,
            models.Licence,
            models.Supplier,
            models.Checklist,
        ):
            auditlog.register(model)
