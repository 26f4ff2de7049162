"""The agency's property and rights: the inventory and who holds what, handovers, stocktakings,
disposals with their acts, IT systems with the roles people hold in them, and quotes.

Rules live in services.py; the models hold the data and the constraints the database can keep.
"""

from __future__ import annotations

from assets.models.disposal import (  # noqa: F401 - the package's names
    DISPOSAL_URGENCY,
    Disposal,
)
from assets.models.handover import (  # noqa: F401 - the package's names
    Handover,
)
from assets.models.inventory import (  # noqa: F401 - the package's names
    Asset,
    AssetFile,
    AssetQuerySet,
    Category,
    Location,
    asset_file_path,
    label_code,
)
from assets.models.quotes import (  # noqa: F401 - the package's names
    FIRST_THRESHOLDS,
    ProcurementThreshold,
    Quote,
    QuoteRequest,
)
from assets.models.rights import (  # noqa: F401 - the package's names
    AccessGrant,
    InformationSystem,
    SystemRole,
)
from assets.models.stocktaking import (  # noqa: F401 - the package's names
    Stocktaking,
    StocktakingItem,
)
