from django.urls import path

from . import views_waves as views

urlpatterns = [
    path("gelombang-kelola/", views.wave_list, name="wave_list"),
    path("gelombang-kelola/baru/", views.wave_create, name="wave_create"),
    path("gelombang-kelola/<int:pk>/", views.wave_manage, name="wave_manage"),
    path("gelombang-kelola/<int:pk>/ubah/", views.wave_update, name="wave_update"),
    path("gelombang-kelola/<int:pk>/produk/", views.wave_offer_add, name="wave_offer_add"),
    path("gelombang-kelola/<int:pk>/titik-antar/", views.drop_off_add, name="drop_off_add"),
    path("gelombang-kelola/<int:pk>/terbitkan/", views.wave_publish, name="wave_publish"),
    path("gelombang-kelola/<int:pk>/tutup/", views.wave_close, name="wave_close"),
    path(
        "gelombang-kelola/<int:pk>/surat-pesanan/<int:seller_pk>/",
        views.seller_po,
        name="seller_po",
    ),
    path(
        "gelombang-kelola/<int:pk>/lembar-pembayaran/<int:pic_pk>/",
        views.payment_sheet,
        name="payment_sheet",
    ),
    path(
        "gelombang-kelola/titik-antar/<int:pk>/ubah/",
        views.drop_off_update,
        name="drop_off_update",
    ),
    path(
        "gelombang-kelola/titik-antar/<int:pk>/daftar-ambil/",
        views.pick_list,
        name="pick_list",
    ),
]
