"""Response deadlines of incoming documents (DOMAIN.md): an information request's (AvTS § 18,
its extension AvTS § 19) and a memorandum's or request for explanation's (MSVS § 6). The
counting itself is core.terms': a term in calendar days or months that ends on a day off ends
on the next working day (TsÜS § 136), as every app counts it."""

from __future__ import annotations

from datetime import date

from django.conf import settings

from core import calendar, terms
from registry.models import Document, DocumentType

WORKING_DAY_TYPES = {DocumentType.INFORMATION_REQUEST}
CALENDAR_DAY_TYPES = {DocumentType.MEMORANDUM, DocumentType.REQUEST_FOR_EXPLANATION}


def initial_deadline(
    doc_type: str, *, registered_on: date, received_on: date | None = None
) -> date | None:
    """The deadline the law sets for a type, counted from the registration day (or from the day
    it was due, when it was registered late: core.terms.registration_term_start); None if none.

    Information request: N working days from the working day after registration.
    Memorandum and request for explanation: N calendar days, moved off a day off (TsÜS § 136).
    """
    start = terms.registration_term_start(received_on or registered_on, registered_on)
    if doc_type in WORKING_DAY_TYPES:
        return calendar.add_working_days(start, settings.REGISTRY_INFORMATION_REQUEST_DAYS)
    if doc_type in CALENDAR_DAY_TYPES:
        return terms.term_end(start, settings.REGISTRY_MEMORANDUM_DAYS)
    return None


def is_fixed_by_law(doc_type: str) -> bool:
    return doc_type in WORKING_DAY_TYPES or doc_type in CALENDAR_DAY_TYPES


def latest_extension(document: Document) -> date | None:
    """The furthest a deadline fixed by law may be extended to (None: no limit). An information
    request: N working days from registration (AvTS § 19); a memorandum or request for
    explanation: N months from registration, moved off a day off (MSVS § 6, TsÜS § 136)."""
    start = terms.registration_term_start(document.received_on, document.registered_on)
    if document.doc_type in WORKING_DAY_TYPES:
        return calendar.add_working_days(start, settings.REGISTRY_INFORMATION_REQUEST_MAX_DAYS)
    if document.doc_type in CALENDAR_DAY_TYPES:
        return terms.month_term_end(start, settings.REGISTRY_MEMORANDUM_MAX_MONTHS)
    return None


def due_soon_until(today: date) -> date:
    """The last day counted as "due soon" from ``today``."""
    return calendar.add_working_days(today, settings.REGISTRY_DUE_SOON_WORKING_DAYS)


def state(document: Document, today: date, *, soon_until: date | None = None) -> dict:
    """How a document stands against its deadline, as every page says it: ``{"key": …}`` with
    ``days`` where a number is shown, always calendar days (the page says "days"): "answered",
    "closed", "no_action", "none" (no deadline), "overdue" (``days`` late), "today", "due_soon"
    (``days`` left, up to ``soon_until``) or "due" (``days`` left). One rule: the same overdue
    document was "110 days overdue" on My work and "overdue by 78 working days" on a letter."""
    if document.status != Document.Status.OPEN:
        return {"key": document.status}
    if document.deadline is None:
        return {"key": "none"}
    if document.deadline < today:
        return {"key": "overdue", "days": (today - document.deadline).days}
    if document.deadline == today:
        return {"key": "today", "days": 0}
    days = (document.deadline - today).days
    if soon_until is not None and document.deadline <= soon_until:
        return {"key": "due_soon", "days": days}
    return {"key": "due", "days": days}
