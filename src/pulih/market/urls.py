from . import (
    urls_flyers,
    urls_gallery,
    urls_orders,
    urls_pic,
    urls_plut,
    urls_products,
    urls_waves,
)

app_name = "market"
urlpatterns = [
    *urls_products.urlpatterns,
    *urls_waves.urlpatterns,
    *urls_orders.urlpatterns,
    *urls_pic.urlpatterns,
    *urls_flyers.urlpatterns,
    *urls_gallery.urlpatterns,
    *urls_plut.urlpatterns,
]
