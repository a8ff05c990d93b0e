from django.urls import path

from . import views_flyers

urlpatterns = [
    path("brosur/", views_flyers.flyer_menu, name="flyer_menu"),
    path("brosur/<str:code>/", views_flyers.booklet, name="booklet"),
    path("produk/<int:pk>/flyer/", views_flyers.flyer, name="flyer"),
]
