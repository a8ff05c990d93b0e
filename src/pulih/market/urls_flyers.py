from django.urls import path

from . import views_flyers

urlpatterns = [
    path("brosur/", views_flyers.flyer_menu, name="flyer_menu"),
    path("brosur/<str:code>/", views_flyers.booklet, name="booklet"),
    path(
        "brosur/katalog/<uuid:progress_id>/",
        views_flyers.booklet_progress,
        name="booklet_progress",
    ),
    path(
        "brosur/katalog/<uuid:progress_id>/unduh/",
        views_flyers.booklet_download,
        name="booklet_download",
    ),
    path("produk/<int:pk>/flyer/", views_flyers.flyer, name="flyer"),
]
