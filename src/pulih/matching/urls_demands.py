from django.urls import path

from . import views

urlpatterns = [
    path("", views.demand_list, name="demand_list"),
    path("baru/", views.demand_create, name="demand_create"),
    path("<int:pk>/", views.demand_detail, name="demand_detail"),
    path("<int:pk>/alokasi/", views.run_create, name="run_create"),
    path("<int:pk>/alokasi-ulang/", views.demand_reallocate, name="demand_reallocate"),
    path("<int:pk>/batal/", views.demand_cancel, name="demand_cancel"),
    path("alokasi/<int:pk>/", views.run_detail, name="run_detail"),
    path("alokasi/<int:pk>/ubah/", views.run_adjust, name="run_adjust"),
    path("alokasi/<int:pk>/konfirmasi/", views.run_confirm, name="run_confirm"),
    path("pesanan/", views.order_list, name="order_list"),
    path("pesanan/<int:pk>/", views.order_detail, name="order_detail"),
    path("pesanan/<int:pk>/pengiriman/", views.delivery_record, name="delivery_record"),
    path("pesanan/<int:pk>/batal/", views.order_cancel, name="order_cancel"),
    path("pesanan/<int:pk>/pembayaran/", views.order_payment, name="order_payment"),
]
