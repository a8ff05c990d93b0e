from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "pulih.programs"
    label = "programs"
    verbose_name = _("Aid programmes")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, signals  # noqa: F401 (connects the merge listener)

        for model in (
            models.Programme,
            models.Enrolment,
            models.Payment,
            models.PaymentBatch,
            models.Referral,
        ):
            auditlog.register(model)
