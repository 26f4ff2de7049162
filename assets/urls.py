from assets.views import disposal, inventory, quotes, rights, stocktaking

app_name = "assets"

urlpatterns = [
    *inventory.urlpatterns,
    *stocktaking.urlpatterns,
    *disposal.urlpatterns,
    *rights.urlpatterns,
    *quotes.urlpatterns,
]
