from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "pulih.matching"
    label = "matching"
    verbose_name = _("Demand and matching")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.Demand,
            models.AllocationRun,
            models.PurchaseOrder,
            models.Delivery,
            models.MaterialMatch,
        ):
            auditlog.register(model)
