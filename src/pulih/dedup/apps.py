from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DedupConfig(AppConfig):
    name = "pulih.dedup"
    label = "dedup"
    verbose_name = _("Record linkage")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (models.MatchPair, models.BusinessPair, models.Entity, models.EntityMember):
            auditlog.register(model)
