from . import urls_declarations, urls_licences, urls_suppliers

app_name = "production"
urlpatterns = [
    *urls_declarations.urlpatterns,
    *urls_licences.urlpatterns,
    *urls_suppliers.urlpatterns,
]
