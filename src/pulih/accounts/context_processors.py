from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Role

OFFICERS = {Role.PUSAT, Role.PROVINSI, Role.KABKOTA, Role.PENDAMPING}

# (label, url name, roles that see it; None = everyone signed in)
NAVIGATION = [
    (_("Home"), "dashboard:home", None),
    (_("Users"), "accounts:user_list", {Role.PUSAT, Role.PROVINSI, Role.KABKOTA}),
    (_("NIK check"), "dashboard:nik_check", OFFICERS),
    (_("Regions"), "wilayah:browse", OFFICERS),
    (_("My tasks"), "core:task_list", None),
    (_("API"), "api:openapi-view", None),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        {"label": label, "url": reverse(name), "active": request.path == reverse(name)}
        for label, name, roles in NAVIGATION
        if roles is None or user.is_superuser or user.role in roles
    ]
    return {"nav_items": items}
