"""Every write of the assets: the inventory, handovers, stocktaking, disposals with their acts
(registered as public documents), rights in IT systems, and quotes.

By sub-domain (issue 17): ``common``, ``inventory``, ``handover``, ``stocktaking``,
``disposal``, ``rights``, ``quotes``. Everything is imported from ``assets.services`` as before."""

from assets.services.common import (  # noqa: F401
    ASSET_FILE_KINDS,
    log,
)
from assets.services.disposal import (  # noqa: F401
    approvers,
    disposal_approve,
    disposal_complete,
    disposal_propose,
    disposal_refuse,
)
from assets.services.handover import (  # noqa: F401
    handover_confirm,
    handover_create,
    handover_pdf,
)
from assets.services.inventory import (  # noqa: F401
    CSV_COLUMNS,
    IMPORT_REQUIRED,
    ImportResult,
    asset_add_file,
    asset_create,
    asset_set_state,
    asset_update,
    assets_export_rows,
    assets_import_csv,
    labels_pdf,
    location_get,
    next_inventory_number,
)
from assets.services.quotes import (  # noqa: F401
    quote_add,
    quote_choose,
    quote_record,
    quote_request_create,
    threshold,
    threshold_warning,
    thresholds_on,
)
from assets.services.rights import (  # noqa: F401
    expiring_notify,
    grant_approve,
    grant_confirm,
    grant_refuse,
    grant_request,
    grant_revoke,
    grants_expire,
    grants_to_review,
    holdings_of,
    holdings_pdf,
    review_due,
)
from assets.services.stocktaking import (  # noqa: F401
    stocktaking_close,
    stocktaking_mark,
    stocktaking_pdf,
    stocktaking_report_rows,
    stocktaking_start,
    stocktaking_summary,
)
