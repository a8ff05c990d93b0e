from django.urls import path

from . import views, views_review

app_name = "dedup"
urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("run/<int:pk>/", views.run_detail, name="run_detail"),
    path("run/<int:pk>/ulangi/", views.run_repeat, name="run_repeat"),
    path("tinjau/", views_review.review_queue, name="review_queue"),
    path("tinjau/usaha/", views_review.business_review_queue, name="business_review_queue"),
    path("pasangan/<int:pk>/", views_review.pair_detail, name="pair_detail"),
    path("pasangan/<int:pk>/putuskan/", views_review.pair_decide, name="pair_decide"),
    path("usaha/<int:pk>/", views_review.business_pair_detail, name="business_pair_detail"),
    path(
        "usaha/<int:pk>/putuskan/", views_review.business_pair_decide, name="business_pair_decide"
    ),
    path("entitas/<int:pk>/", views_review.entity_detail, name="entity_detail"),
    path(
        "entitas/<int:pk>/pisahkan/<int:person_pk>/",
        views_review.entity_unmerge,
        name="entity_unmerge",
    ),
]
