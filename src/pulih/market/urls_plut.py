from django.urls import path

from . import views_plut

urlpatterns = [
    path("plut/", views_plut.plut, name="plut"),
    path("plut/terima/", views_plut.plut_receive, name="plut_receive"),
    path("plut/<int:pk>/", views_plut.plut_item, name="plut_item"),
    path("plut/<int:pk>/jual/", views_plut.plut_sell, name="plut_sell"),
    path("plut/<int:pk>/retur/", views_plut.plut_return, name="plut_return"),
    path("plut/pembayaran/", views_plut.plut_settlements, name="plut_settlements"),
    path("plut/pembayaran/bayar/", views_plut.plut_settle, name="plut_settle"),
]
