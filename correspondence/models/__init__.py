"""Outgoing mail: letter templates, letters (each a registered outgoing document), their
dispatch to each addressee, and the daily post-office dispatch lists.

Rules (numbers, approval, sending, the dispatch list) live in services.py; the models hold the
data and the constraints the database can keep.
"""

from __future__ import annotations

from correspondence.models.common import (  # noqa: F401 - the package's names
    LANGUAGES,
    POSTAL_CHANNELS,
    Channel,
    PdfStatus,
)
from correspondence.models.dispatch import (  # noqa: F401 - the package's names
    Dispatch,
    DispatchList,
)
from correspondence.models.letters import (  # noqa: F401 - the package's names
    LIST_ROW_FIELDS,
    SENDABLE_VERDICTS,
    Letter,
    LetterQuerySet,
    letter_file_path,
)
from correspondence.models.signing import (  # noqa: F401 - the package's names
    SigningSession,
)
from correspondence.models.templates import (  # noqa: F401 - the package's names
    LetterTemplate,
)
