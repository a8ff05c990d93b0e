from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("bahasa/", views.language_switch, name="language"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/<int:user_id>/", views.user_detail, name="user_detail"),
]
