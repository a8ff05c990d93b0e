"""Admin views of demand and matching, for looking up records. Runs, orders and
deliveries are written only through `services` (their totals, numbers and statuses hang
together), so they are read-only here."""

from django.contrib import admin

from pulih.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    AllocationLine,
    AllocationRun,
    Delivery,
    DeliveryPoint,
    Demand,
    MaterialMatch,
    PurchaseOrder,
    PurchaseOrderLine,
)


class DeliveryPointInline(admin.TabularInline):
    model = DeliveryPoint
    extra = 0
    fields = ["name", "region_code", "address", "latitude", "longitude", "quantity"]
    readonly_fields = fields


@admin.register(Demand)
class DemandAdmin(ReadOnlyAdmin):
    list_display = ["title", "buyer", "product_type", "quantity", "deadline", "status"]
    list_filter = ["status", "product_type"]
    search_fields = ["title", "buyer__name"]
    inlines = [DeliveryPointInline]


class AllocationLineInline(ReadOnlyInline):
    model = AllocationLine
    fields = ["declaration", "point", "quantity", "adjusted_quantity", "unit_cost", "reason"]
    raw_id_fields = ["declaration"]


@admin.register(AllocationRun)
class AllocationRunAdmin(ReadOnlyAdmin):
    list_display = ["demand", "status", "quantity", "allocated", "shortfall", "created_at"]
    list_filter = ["status", "reallocation"]
    inlines = [AllocationLineInline]


class PurchaseOrderLineInline(ReadOnlyInline):
    model = PurchaseOrderLine


class DeliveryInline(ReadOnlyInline):
    model = Delivery


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(ReadOnlyAdmin):
    list_display = ["number", "business", "quantity", "accepted", "status", "payment_status"]
    list_filter = ["status", "payment_status", "province_code"]
    search_fields = ["number", "business__name"]
    inlines = [PurchaseOrderLineInline, DeliveryInline]


@admin.register(MaterialMatch)
class MaterialMatchAdmin(ReadOnlyAdmin):
    list_display = ["declaration", "material", "supplier", "rank", "status"]
    list_filter = ["status", "material"]
    raw_id_fields = ["declaration", "supplier"]
