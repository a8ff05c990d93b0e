"""Institutional demand for protective equipment and its allocation to curated producers,
the purchase orders and deliveries that follow, and the matching of producers' material
needs to verified raw-material suppliers.

- A *demand* is an institutional buyer's request (1,000,000 masks by a deadline) to one
  or more delivery points.
- An *allocation run* splits a demand (or what is still missing of it) across producers
  at least cost; the officer may adjust its quantities before confirming it, and a
  confirmed run issues one *purchase order* per producer.
- A *delivery* is a shipment against a purchase order, with its quality check: rejected
  units are missing again and can be re-allocated.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pulih.accounts.models import Organisation, Role
from pulih.core.scope import NOTHING, RegionalModel, ScopedQuerySet, region_filter
from pulih.production.models import (
    OFFICERS,
    Declaration,
    Material,
    ProductType,
    Supplier,
    declaration_scope,
    seller_scope,
)
from pulih.registry.models import Business


def demand_scope(user, prefix=""):
    """Central officers see every demand, a buyer its organisation's own."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser or user.role == Role.PUSAT:
        return models.Q()
    if user.role == Role.PEMBELI and user.organisation_id:
        return models.Q(**{f"{prefix}buyer_id": user.organisation_id})
    return NOTHING


class Demand(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ORDERED = "ordered", _("Ordered")
        FULFILLED = "fulfilled", _("Fulfilled")
        CANCELLED = "cancelled", _("Cancelled")

    buyer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="demands",
        verbose_name=_("buyer"),
    )
    product_type = models.ForeignKey(
        ProductType, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    title = models.CharField(_("title"), max_length=200)
    specification = models.TextField(_("specification"), blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.BigIntegerField(_("price per unit (Rp)"))
    deadline = models.DateField(_("deadline"))
    # Rupiah per unit per kilometre, the cost the solver weighs distance with.
    transport_rate = models.DecimalField(
        _("transport cost (Rp per unit per km)"), max_digits=10, decimal_places=4, default=0
    )
    requires_licence = models.BooleanField(_("requires a granted licence"), default=False)
    max_share_percent = models.PositiveSmallIntegerField(
        _("largest share of one producer (%)"), null=True, blank=True
    )
    min_lot = models.PositiveIntegerField(_("smallest order per producer"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.OPEN, db_index=True
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("demand")
        verbose_name_plural = _("demands")

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, user):
        return demand_scope(user)


class DeliveryPoint(models.Model):
    """Where part of a demand is delivered: a region and, where known, coordinates."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="points")
    name = models.CharField(_("name"), max_length=200)
    region_code = models.CharField(_("region code"), max_length=13)
    province_code = models.CharField(max_length=2, db_index=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        ordering = ["demand", "pk"]
        verbose_name = _("delivery point")
        verbose_name_plural = _("delivery points")

    def __str__(self):
        return self.name


class AllocationRun(models.Model):
    class Status(models.TextChoices):
        OPTIMAL = "optimal", _("Optimal")
        SHORTFALL = "shortfall", _("Not enough capacity")
        CONFIRMED = "confirmed", _("Confirmed")
        DISCARDED = "discarded", _("Discarded")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="runs")
    # A re-allocation covers only what earlier orders did not deliver.
    reallocation = models.BooleanField(_("re-allocation"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, db_index=True)
    quantity = models.PositiveIntegerField(_("quantity to allocate"))
    allocated = models.PositiveIntegerField(_("allocated"), default=0)
    shortfall = models.PositiveIntegerField(_("shortfall"), default=0)
    capacity = models.PositiveBigIntegerField(_("capacity until the deadline"), default=0)
    producers = models.PositiveIntegerField(_("eligible producers"), default=0)
    total_cost = models.BigIntegerField(_("total cost (Rp)"), default=0)
    greedy_cost = models.BigIntegerField(_("cost of the nearest-first split (Rp)"), default=0)
    max_share_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    min_lot = models.PositiveIntegerField(null=True, blank=True)
    solve_ms = models.PositiveIntegerField(_("solve time (ms)"), default=0)
    # The day capacity was counted from (what is left before the deadline).
    counted_on = models.DateField(_("counted on"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    # Why producers were left out: {reason code: count}.
    excluded = models.JSONField(default=dict, blank=True)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")

    def __str__(self):
        return f"{self.demand} #{self.pk}"

    @classmethod
    def scope_q(cls, user):
        return demand_scope(user, "demand__")


class AllocationLine(models.Model):
    """A quantity of one producer for one delivery point, with why it went there."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="lines")
    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, related_name="+")
    point = models.ForeignKey(DeliveryPoint, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    # The officer's change before confirming; None keeps the solver's quantity.
    adjusted_quantity = models.PositiveIntegerField(_("adjusted quantity"), null=True, blank=True)
    unit_price = models.BigIntegerField(_("price per unit (Rp)"))
    distance_km = models.DecimalField(_("distance (km)"), max_digits=8, decimal_places=1)
    distance_estimated = models.BooleanField(default=False)
    unit_cost = models.DecimalField(
        _("cost per unit incl. transport (Rp)"), max_digits=12, decimal_places=2
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["run", "declaration", "point"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "declaration", "point"], name="one_line_per_producer_and_point"
            )
        ]

    def __str__(self):
        return f"{self.declaration}: {self.final_quantity}"

    @property
    def final_quantity(self):
        return self.quantity if self.adjusted_quantity is None else self.adjusted_quantity


class PurchaseOrderQuerySet(ScopedQuerySet):
    pass


class PurchaseOrder(RegionalModel):
    """What a confirmed run orders from one producer. Its region is the producer's."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        PARTLY_DELIVERED = "partly_delivered", _("Partly delivered")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    class Payment(models.TextChoices):
        UNPAID = "unpaid", _("Unpaid")
        INVOICED = "invoiced", _("Invoiced")
        PAID = "paid", _("Paid")

    number = models.CharField(_("number"), max_length=40, unique=True)
    demand = models.ForeignKey(Demand, on_delete=models.PROTECT, related_name="orders")
    run = models.ForeignKey(AllocationRun, on_delete=models.PROTECT, related_name="orders")
    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, related_name="orders")
    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.BigIntegerField(_("price per unit (Rp)"))
    amount = models.BigIntegerField(_("amount (Rp)"))
    accepted = models.PositiveIntegerField(_("accepted"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.ISSUED, db_index=True
    )
    payment_status = models.CharField(
        _("payment"), max_length=10, choices=Payment, default=Payment.UNPAID, db_index=True
    )
    paid_amount = models.BigIntegerField(_("paid (Rp)"), default=0)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    issued_at = models.DateTimeField(auto_now_add=True)

    objects = PurchaseOrderQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "number"]
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")

    def __str__(self):
        return self.number

    @classmethod
    def scope_q(cls, user):
        """The buyer's demands, the seller's own orders, and officers their region's
        producers (central officers all)."""
        if not user.is_authenticated or not user.is_active:
            return NOTHING
        if user.is_superuser or user.role in OFFICERS:
            return region_filter(user)
        if user.role == Role.PEMBELI:
            return demand_scope(user, "demand__")
        if user.role == Role.PENJUAL:
            return seller_scope(user)
        return NOTHING

    @property
    def outstanding(self):
        """Units still to be delivered and accepted."""
        return max(self.quantity - self.accepted, 0)


class PurchaseOrderLine(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    point = models.ForeignKey(DeliveryPoint, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        ordering = ["order", "point"]
        constraints = [
            models.UniqueConstraint(fields=["order", "point"], name="one_line_per_order_point")
        ]

    def __str__(self):
        return f"{self.order} → {self.point}: {self.quantity}"


class Delivery(models.Model):
    """A shipment against a purchase order and its quality check (QC)."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="deliveries")
    point = models.ForeignKey(DeliveryPoint, on_delete=models.PROTECT, related_name="+")
    delivered_on = models.DateField(_("delivered on"))
    accepted = models.PositiveIntegerField(_("passed QC"))
    rejected = models.PositiveIntegerField(_("rejected at QC"), default=0)
    qc_note = models.CharField(_("QC note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["delivered_on", "pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self):
        return f"{self.order} {self.delivered_on}"


class MaterialMatch(RegionalModel):
    """A proposed introduction of a producer to a verified supplier of a material it
    needs, worked through by an officer. Its region is the producer's."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        INTRODUCED = "introduced", _("Introduced")
        AGREED = "agreed", _("Agreed")
        NO_DEAL = "no_deal", _("No deal")

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="material_matches"
    )
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="matches")
    rank = models.PositiveSmallIntegerField(_("rank"))
    distance_km = models.DecimalField(_("distance (km)"), max_digits=8, decimal_places=1)
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.PROPOSED, db_index=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["declaration", "material", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "material", "supplier"], name="one_match_per_supplier"
            )
        ]
        verbose_name = _("material match")
        verbose_name_plural = _("material matches")

    @classmethod
    def scope_q(cls, user):
        if user.is_authenticated and user.role == Role.KURATOR:
            return NOTHING
        return declaration_scope(user, "declaration__")
