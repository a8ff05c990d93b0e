from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog

from pulih.api import api, api_not_found
from pulih.core import views as core_views

urlpatterns = [
    path("", include("pulih.dashboard.urls")),
    path("akun/", include("pulih.accounts.urls")),
    path("wilayah/", include("pulih.wilayah.urls")),
    path("registri/impor/", include("pulih.registry.urls_import")),
    path("registri/", include("pulih.registry.urls")),
    path("duplikat/", include("pulih.dedup.urls")),
    path("program/", include("pulih.programs.urls")),
    path("produksi/", include("pulih.production.urls")),
    path("permintaan/", include("pulih.matching.urls")),
    path("pasar/", include("pulih.market.urls")),
    path("tugas/", include("pulih.core.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<path>.*)$", api_not_found),
    path("admin/", admin.site.urls),
]
