"""The configurable catalogue: product types, materials and checklists.

A checklist version that curations have used is shown read-only: changing it would
rewrite what those curations were checked against. A change is a new version
(`services.checklist_revise`, on the checklist pages).
"""

from django.contrib import admin

from .models import Checklist, Criterion, Curation, Material, ProductType


@admin.register(ProductType)
class ProductTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "unit", "licence_kind", "active", "order"]
    list_editable = ["active", "order"]
    list_filter = ["active", "licence_kind"]
    search_fields = ["name", "code"]


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "unit"]
    search_fields = ["name", "code"]


def used(checklist):
    return checklist is not None and Curation.objects.filter(checklist=checklist).exists()


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 1
    fields = ["order", "text", "minimum", "value_unit", "required"]

    def has_add_permission(self, request, obj=None):
        return not used(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not used(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not used(obj) and super().has_delete_permission(request, obj)


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    list_display = ["product_type", "version", "standard", "active", "created_at"]
    list_filter = ["product_type", "active"]
    inlines = [CriterionInline]

    def get_readonly_fields(self, request, obj=None):
        if used(obj):
            return ["product_type", "version", "standard"]
        return []
