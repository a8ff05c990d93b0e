from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ApiToken, Organisation, User


@admin.register(User)
class PulihUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "province_code", "regency_code"]
    list_filter = ["role", "is_active"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (
            "pulih",
            {
                "fields": [
                    "role",
                    "province_code",
                    "regency_code",
                    "districts",
                    "organisation",
                    "nip",
                    "phone",
                    "language",
                ]
            },
        ),
    ]
    filter_horizontal = ["districts", "groups", "user_permissions"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region_code"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "created_at", "last_used_at"]
    readonly_fields = ["key_hash", "prefix", "created_at", "last_used_at"]
