"""The document register: classification scheme, parties, documents, attachments, parcels, tasks
(a module each; this package names them all).

Rules (numbers, deadlines, restrictions) live in services.py, deadlines.py and restrictions.py;
the models hold the data and the constraints the database can keep.
"""

from __future__ import annotations

from registry.models.choices import (  # noqa: F401 - the package's names
    DELIVERY_CHANNELS,
    Channel,
    Direction,
    DocumentType,
)
from registry.models.common import (  # noqa: F401 - the package's names
    public_code,
)
from registry.models.documents import (  # noqa: F401 - the package's names
    Document,
)
from registry.models.files import (  # noqa: F401 - the package's names
    Attachment,
    Parcel,
    attachment_path,
)
from registry.models.inbox import (  # noqa: F401 - the package's names
    InboxItem,
    InboxItemQuerySet,
    SearchTerm,
)
from registry.models.parties import (  # noqa: F401 - the package's names
    Party,
)
from registry.models.scheme import (  # noqa: F401 - the package's names
    CaseFile,
    Function,
    RestrictionBasis,
    Series,
    SeriesQuerySet,
)
from registry.models.sharing import (  # noqa: F401 - the package's names
    DocumentQuerySet,
    DocumentShare,
)
from registry.models.tasks import (  # noqa: F401 - the package's names
    Task,
    TaskQuerySet,
)
