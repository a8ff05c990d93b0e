from django.urls import path

from . import views, views_curation

declaration = "deklarasi/<int:pk>/"
urlpatterns = [
    path("deklarasi/", views.declaration_list, name="declaration_list"),
    path("deklarasi/baru/", views.declaration_create, name="declaration_create"),
    path("deklarasi/tugaskan/", views.declarations_assign, name="declarations_assign"),
    path(declaration, views.declaration_detail, name="declaration_detail"),
    path(f"{declaration}ubah/", views.declaration_update, name="declaration_update"),
    path(f"{declaration}tarik/", views.declaration_withdraw, name="declaration_withdraw"),
    path(f"{declaration}ajukan-ulang/", views.declaration_resubmit, name="declaration_resubmit"),
    path(f"{declaration}buka-kembali/", views.declaration_reopen, name="declaration_reopen"),
    path(f"{declaration}foto/", views.photo_add, name="photo_add"),
    path(f"{declaration}foto/<int:photo_pk>/", views.photo_file, name="photo_file"),
    path(f"{declaration}foto/<int:photo_pk>/hapus/", views.photo_remove, name="photo_remove"),
    path(f"{declaration}kurasi/", views_curation.curation_create, name="curation_create"),
    path(f"{declaration}bukti/<int:result_pk>/", views.evidence_file, name="evidence_file"),
    path("daftar-periksa/", views_curation.checklist_list, name="checklist_list"),
    path("daftar-periksa/<int:pk>/", views_curation.checklist_detail, name="checklist_detail"),
    path(
        "daftar-periksa/baru/<slug:product>/",
        views_curation.checklist_create,
        name="checklist_create",
    ),
]
