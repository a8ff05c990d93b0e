from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "pulih.market"
    label = "market"
    verbose_name = _("Market")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.Product,
            models.Wave,
            models.WaveProduct,
            models.DropOffPoint,
            models.OrderPayment,
            models.SellerSettlement,
            models.ConsignmentItem,
            models.ConsignmentMovement,
            models.ConsignmentSettlement,
        ):
            auditlog.register(model)
