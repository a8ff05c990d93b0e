from django.urls import path

from . import views, views_enrolments, views_lists, views_payments, views_referrals

app_name = "programs"
cycle = "<int:pk>/siklus/<int:number>/"
batch = f"{cycle}pembayaran/<int:batch_pk>/"
urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("<int:pk>/", views.programme_detail, name="programme_detail"),
    path(cycle, views_enrolments.enrolment_list, name="enrolment_list"),
    path(f"{cycle}daftarkan/", views.cycle_enrol, name="cycle_enrol"),
    path(f"{cycle}evaluasi/", views.cycle_evaluate, name="cycle_evaluate"),
    path(f"{cycle}tindakan/", views_enrolments.enrolments_act, name="enrolments_act"),
    path(f"{cycle}pembayaran/", views_payments.batch_list, name="batch_list"),
    path(f"{batch}berkas/", views_payments.batch_download, name="batch_download"),
    path(f"{batch}hasil/", views_payments.batch_results, name="batch_results"),
    path("peserta/<int:pk>/", views_enrolments.enrolment_detail, name="enrolment_detail"),
    path("peringatan/", views_payments.alert_list, name="alert_list"),
    path("daftar/", views_lists.list_list, name="list_list"),
    path("daftar/<int:pk>/", views_lists.list_detail, name="list_detail"),
    path(
        "daftar/<int:pk>/unduh/<slug:part>.<slug:fmt>", views_lists.list_export, name="list_export"
    ),
    path("daftar/<int:pk>/terlayani/", views_lists.list_served, name="list_served"),
    path("rujukan/", views_referrals.referral_page, name="referral_page"),
]
