from assets.views import (
    asset,
    asset_import,
    disposal,
    handovers,
    holdings,
    inventory,
    quotes,
    rights,
    rights_decisions,
    stocktaking,
    stocktaking_marks,
    stocktaking_report,
    stocktaking_scan,
)

app_name = "assets"

urlpatterns = [
    *inventory.urlpatterns,
    *asset_import.urlpatterns,
    *asset.urlpatterns,
    *handovers.urlpatterns,
    *stocktaking.urlpatterns,
    *stocktaking_marks.urlpatterns,
    *stocktaking_report.urlpatterns,
    *stocktaking_scan.urlpatterns,
    *disposal.urlpatterns,
    *rights.urlpatterns,
    *rights_decisions.urlpatterns,
    *holdings.urlpatterns,
    *quotes.urlpatterns,
]
