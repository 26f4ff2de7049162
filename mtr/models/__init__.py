"""The Register of Economic Activities (MTR): activity areas, applications, entries.

Rules (state changes, the processing clock, numbers) live in services.py; the models hold the
data and the constraints the database can keep.
"""

from __future__ import annotations

from mtr.models.applications import (  # noqa: F401 - the package's names
    Application,
    ApplicationQuerySet,
    DeficiencyRequest,
)
from mtr.models.common import (  # noqa: F401 - the package's names
    NO_DEADLINE_LAST,
    OPEN_STATUS_VALUES,
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    PdfStatus,
    _in_language,
    tracking_code,
)
from mtr.models.files import (  # noqa: F401 - the package's names
    ApplicationAttachment,
    DecisionDelivery,
    attachment_path,
)
from mtr.models.register import (  # noqa: F401 - the package's names
    ActivityArea,
    Business,
    Entry,
    EntryQuerySet,
    Kind,
)
