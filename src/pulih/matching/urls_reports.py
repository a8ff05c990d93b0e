from django.urls import path

from . import views_reports

urlpatterns = [
    path("laporan/corong/", views_reports.report_funnel, name="report_funnel"),
    path("laporan/cakupan/", views_reports.report_coverage, name="report_coverage"),
]
