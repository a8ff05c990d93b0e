from django.urls import path

from . import views

app_name = "wilayah"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("pilih/<str:level>/", views.options, name="options"),
]
