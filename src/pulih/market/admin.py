"""Admin views of the market, for looking up records. Everything is written through the
services (pack prices follow the product's price, stock moves only by conditional
updates, orders and settlements hang together), so the records are read-only here."""

from django.contrib import admin

from pulih.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    ConsignmentItem,
    ConsignmentMovement,
    ConsignmentSettlement,
    DropOffPoint,
    Order,
    OrderLine,
    OrderPayment,
    Pack,
    Product,
    SellerSettlement,
    Wave,
    WaveProduct,
)


class PackInline(ReadOnlyInline):
    model = Pack


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ["name", "seller", "category", "unit", "price_per_unit", "public", "active"]
    list_filter = ["category", "unit", "public", "active", "province_code"]
    search_fields = ["name", "seller__name"]
    inlines = [PackInline]


class WaveProductInline(ReadOnlyInline):
    model = WaveProduct


class DropOffPointInline(ReadOnlyInline):
    model = DropOffPoint


@admin.register(Wave)
class WaveAdmin(ReadOnlyAdmin):
    list_display = ["title", "organiser", "province_code", "opens_at", "closes_at", "status"]
    list_filter = ["status", "province_code"]
    search_fields = ["title"]
    inlines = [WaveProductInline, DropOffPointInline]


class OrderLineInline(ReadOnlyInline):
    model = OrderLine


class OrderPaymentInline(ReadOnlyInline):
    model = OrderPayment


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["code", "wave", "drop_off", "buyer_name", "total", "status", "payment_status"]
    list_filter = ["status", "payment_status", "fulfilment"]
    search_fields = ["code", "buyer_name"]
    raw_id_fields = ["buyer"]
    inlines = [OrderLineInline, OrderPaymentInline]


@admin.register(SellerSettlement)
class SellerSettlementAdmin(ReadOnlyAdmin):
    list_display = ["wave", "seller", "sold_milli", "amount_due", "amount_paid", "paid_on"]


class ConsignmentMovementInline(ReadOnlyInline):
    model = ConsignmentMovement


@admin.register(ConsignmentItem)
class ConsignmentItemAdmin(ReadOnlyAdmin):
    list_display = ["product", "province_code", "price", "commission_percent"]
    list_filter = ["province_code"]
    inlines = [ConsignmentMovementInline]


@admin.register(ConsignmentSettlement)
class ConsignmentSettlementAdmin(ReadOnlyAdmin):
    list_display = ["seller", "province_code", "gross", "commission", "net", "paid_on"]
    list_filter = ["province_code"]
