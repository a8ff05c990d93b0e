from django.urls import path

from . import views_licences

urlpatterns = [
    path("izin/", views_licences.licence_list, name="licence_list"),
    path("izin/segera-berakhir/", views_licences.licence_expiring, name="licence_expiring"),
    path("izin/baru/", views_licences.licence_record, name="licence_record"),
    path("izin/<int:pk>/", views_licences.licence_detail, name="licence_detail"),
]
