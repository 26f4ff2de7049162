"""Response deadlines of incoming documents (DOMAIN.md, AvTS §18, MTVS §5–6)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from core import calendar
from registry.models import Document, DocumentType

WORKING_DAY_TYPES = {DocumentType.INFORMATION_REQUEST}
CALENDAR_DAY_TYPES = {DocumentType.MEMORANDUM, DocumentType.REQUEST_FOR_EXPLANATION}


def initial_deadline(doc_type: str, *, registered_on: date) -> date | None:
    """The deadline the law sets for a type, counted from the registration day; None if none.

    Information request: N working days from the working day after registration.
    Memorandum and request for explanation: N calendar days.
    """
    if doc_type in WORKING_DAY_TYPES:
        return calendar.add_working_days(registered_on, settings.REGISTRY_INFORMATION_REQUEST_DAYS)
    if doc_type in CALENDAR_DAY_TYPES:
        return registered_on + timedelta(days=settings.REGISTRY_MEMORANDUM_DAYS)
    return None


def is_fixed_by_law(doc_type: str) -> bool:
    return doc_type in WORKING_DAY_TYPES or doc_type in CALENDAR_DAY_TYPES


def latest_extension(document: Document) -> date | None:
    """The furthest an information request's deadline may be extended to (None: no limit)."""
    if document.doc_type in WORKING_DAY_TYPES:
        return calendar.add_working_days(
            document.registered_on, settings.REGISTRY_INFORMATION_REQUEST_MAX_DAYS
        )
    return None


def due_soon_until(today: date) -> date:
    """The last day counted as "due soon" from ``today``."""
    return calendar.add_working_days(today, settings.REGISTRY_DUE_SOON_WORKING_DAYS)
