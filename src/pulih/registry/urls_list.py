from django.urls import path

from . import views_list

app_name = "registry"
urlpatterns = [
    path("usaha/", views_list.business_list, name="business_list"),
    path("usaha/ekspor/", views_list.business_export, name="business_export"),
    path("usaha/<int:pk>/", views_list.business_detail, name="business_detail"),
    path("pelaku/", views_list.person_list, name="person_list"),
    path("pelaku/ekspor/", views_list.person_export, name="person_export"),
    path("pelaku/<int:pk>/", views_list.person_detail, name="person_detail"),
    path("koperasi/", views_list.cooperative_list, name="cooperative_list"),
    path("koperasi/ekspor/", views_list.cooperative_export, name="cooperative_export"),
    path("koperasi/<int:pk>/", views_list.cooperative_detail, name="cooperative_detail"),
    path("tahap/", views_list.batch_list, name="batch_list"),
]
