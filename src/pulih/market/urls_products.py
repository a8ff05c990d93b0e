from django.urls import path

from . import views_products as views

urlpatterns = [
    path("produk/", views.product_list, name="product_list"),
    path("produk/baru/", views.product_create, name="product_create"),
    path("produk/<int:pk>/", views.product_detail, name="product_detail"),
    path("produk/<int:pk>/ubah/", views.product_update, name="product_update"),
]
