from django.urls import path

from . import views_orders

urlpatterns = [
    path("belanja/", views_orders.buyer_waves, name="buyer_waves"),
    path("gelombang/<int:pk>/", views_orders.wave_order, name="wave_order"),
    path("gelombang/<int:pk>/total/", views_orders.wave_order_total, name="wave_order_total"),
    path("pesanan/", views_orders.my_orders, name="my_orders"),
    path("pesanan/<int:pk>/", views_orders.order_detail, name="order_detail"),
    path("pesanan/<int:pk>/ubah/", views_orders.order_change, name="order_change"),
    path("pesanan/<int:pk>/batal/", views_orders.order_cancel, name="order_cancel"),
]
