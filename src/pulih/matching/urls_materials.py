from django.urls import path

from . import views_materials

urlpatterns = [
    path("bahan-baku/", views_materials.material_match_list, name="material_match_list"),
    path(
        "bahan-baku/<int:pk>/status/",
        views_materials.material_match_update,
        name="material_match_update",
    ),
    path(
        "bahan-baku/produsen/",
        views_materials.material_declaration_list,
        name="material_declaration_list",
    ),
    path(
        "bahan-baku/produsen/<int:pk>/usulkan/",
        views_materials.material_matches_propose,
        name="material_matches_propose",
    ),
    path(
        "bahan-baku/produsen/usulkan-semua/",
        views_materials.material_matches_propose_all,
        name="material_matches_propose_all",
    ),
]
