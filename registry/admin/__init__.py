"""The admin of the document register: lists with search and filters for looking things up.

Writes go through registry.services as everywhere else: documents are read-only here except
their notes; the scheme and parties are saved through their services; a series is deleted only
when unused (services.series_delete). Restriction bases are kept here by the advisor. Documents,
their files and tasks are read through ``Document.objects.visible_to(user)``, and files are never
linked here (they are served only by the permission-checking download view).
"""

from __future__ import annotations

# Each module registers its admin classes when it is imported (Django imports this package).
from registry.admin import documents, parties, scheme  # noqa: F401
