from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WilayahConfig(AppConfig):
    name = "pulih.wilayah"
    label = "wilayah"
    verbose_name = _("Wilayah")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        # Loads and refreshes write in bulk (no per-row log); edits in the admin are logged.
        for model in (models.Province, models.Regency, models.District, models.Village):
            auditlog.register(model)
