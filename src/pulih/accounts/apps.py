from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "pulih.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Organisation)
        auditlog.register(
            models.User,
            exclude_fields=["password", "last_login"],
            m2m_fields={"districts"},
        )
        auditlog.register(models.ApiToken, exclude_fields=["key_hash", "last_used_at"])
