from django.urls import path

from . import views_gallery

urlpatterns = [
    path("galeri/", views_gallery.gallery_list, name="gallery"),
    path("galeri/<int:pk>/", views_gallery.gallery_product, name="gallery_product"),
    path("galeri/<int:pk>/foto/", views_gallery.gallery_photo, name="gallery_photo"),
]
