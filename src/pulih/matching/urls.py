from . import urls_demands, urls_materials, urls_reports

app_name = "matching"
urlpatterns = [
    *urls_demands.urlpatterns,
    *urls_materials.urlpatterns,
    *urls_reports.urlpatterns,
]
