from django.urls import path

from . import views_import as views

app_name = "registry_import"
urlpatterns = [
    path("", views.import_upload, name="upload"),
    path("templat.xlsx", views.template_download, name="template"),
    path("<uuid:progress_id>/", views.import_detail, name="detail"),
    path("<uuid:progress_id>/terima/", views.import_accept, name="accept"),
    path("<uuid:progress_id>/baris-salah.xlsx", views.errors_download, name="errors"),
]
