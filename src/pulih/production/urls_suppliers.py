from django.urls import path

from . import views_suppliers

urlpatterns = [
    path("pemasok/", views_suppliers.supplier_list, name="supplier_list"),
    path("pemasok/baru/", views_suppliers.supplier_create, name="supplier_create"),
    path("pemasok/<int:pk>/", views_suppliers.supplier_detail, name="supplier_detail"),
    path("pemasok/<int:pk>/ubah/", views_suppliers.supplier_edit, name="supplier_edit"),
    path("pemasok/<int:pk>/verifikasi/", views_suppliers.supplier_verify, name="supplier_verify"),
]
