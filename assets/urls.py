from assets.views import (
    asset,
    asset_import,
    disposal,
    handovers,
    inventory,
    quotes,
    rights,
    stocktaking,
)

app_name = "assets"

urlpatterns = [
    *inventory.urlpatterns,
    *asset_import.urlpatterns,
    *asset.urlpatterns,
    *handovers.urlpatterns,
    *stocktaking.urlpatterns,
    *disposal.urlpatterns,
    *rights.urlpatterns,
    *quotes.urlpatterns,
]
