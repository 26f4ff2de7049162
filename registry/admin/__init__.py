"""The admin of the document register: lists with search and filters for looking things up.

Writes go through registry.services as everywhere else: documents are read-only here except
their notes; the scheme and parties are saved through their services; a series is deleted only
when unused (services.series_delete). Restriction bases are kept here by the advisor. Documents,
their files and tasks are read through ``Document.objects.visible_to(user)``, and files are never
linked here (they are served only by the permission-checking download view).
"""

from __future__ import annotations

from registry.admin.common import (  # noqa: F401 - the package's names
    _SchemeCodeForm,
    _visible_documents,
)
from registry.admin.documents import (  # noqa: F401 - the package's names
    AttachmentAdmin,
    AttachmentInline,
    DocumentAdmin,
    DocumentNotesForm,
    DocumentShareAdmin,
    ParcelAdmin,
    ShareInline,
    TaskAdmin,
    TaskInline,
    _ReadOnlyInline,
    _VisibleDocumentAdmin,
)
from registry.admin.parties import (  # noqa: F401 - the package's names
    PartyAdmin,
    PartyForm,
)
from registry.admin.scheme import (  # noqa: F401 - the package's names
    CaseFileAdmin,
    CaseFileForm,
    FunctionAdmin,
    RestrictionBasisAdmin,
    SeriesAdmin,
    SeriesForm,
)
