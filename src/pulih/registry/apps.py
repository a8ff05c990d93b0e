from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "pulih.registry"
    label = "registry"
    verbose_name = _("Registry of affected KUMKM")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.CollectionBatch,
            models.Person,
            models.Business,
            models.Cooperative,
            models.ImpactReport,
        ):
            auditlog.register(model)
