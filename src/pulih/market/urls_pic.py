from django.urls import path

from . import views_pic

urlpatterns = [
    path("titik-antar/", views_pic.pic_home, name="pic_home"),
    path("titik-antar/<int:pk>/", views_pic.pic_orders, name="pic_orders"),
    path("titik-antar/<int:pk>/pesanan/<int:order_pk>/", views_pic.pic_order, name="pic_order"),
    path(
        "titik-antar/<int:pk>/pesanan/<int:order_pk>/serah/",
        views_pic.pic_handover,
        name="pic_handover",
    ),
    path(
        "titik-antar/<int:pk>/pesanan/<int:order_pk>/bayar/",
        views_pic.pic_payment,
        name="pic_payment",
    ),
    path(
        "gelombang-kelola/<int:pk>/rekonsiliasi/",
        views_pic.reconciliation,
        name="reconciliation",
    ),
    path("gelombang-kelola/<int:pk>/penyelesaian/", views_pic.settlements, name="settlements"),
    path(
        "gelombang-kelola/<int:pk>/penyelesaian/<int:settlement_pk>/bayar/",
        views_pic.settlement_pay,
        name="settlement_pay",
    ),
]
