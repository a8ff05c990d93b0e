from django.urls import path

from . import views
from .urls_list import urlpatterns as list_patterns

app_name = "registry"
urlpatterns = [
    path("tahap/<int:batch_id>/", views.batch_detail, name="batch_detail"),
    path("tahap/<int:batch_id>/langkah/", views.batch_step, name="batch_step"),
    path("entri/", views.entry, name="entry"),
    path("entri/cek-nik/", views.entry_nik_check, name="entry_nik_check"),
    path("entri/cek-duplikat/", views.entry_duplicate_check, name="entry_duplicate_check"),
    *list_patterns,
]
