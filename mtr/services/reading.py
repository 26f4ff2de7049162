"""Reading: terms, days left and who processes (the writes ask these) (a part of mtr.services)."""

from __future__ import annotations

import hmac
from datetime import date

from django.conf import settings
from django.utils import timezone

from core import roles, terms
from mtr.models import (
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    ActivityArea,
    Application,
    Entry,
    Kind,
)
from mtr.services.common import Status


def processing_days(area: ActivityArea) -> int | None:
    """Days a decision may take in an area; None for a notice (entered without a decision)."""
    if area.processing_days:
        return area.processing_days
    if area.kind == Kind.LICENCE:
        return settings.MTR_LICENCE_DECISION_DAYS
    return None


def deadline_for(application: Application, *, complete_on: date | None = None) -> date | None:
    """The last day of the decision: the area's days from the day the complete application
    arrived (``complete_on``: the answer to the last request for missing data; the day it was
    submitted if nothing was missing), moved off a day off (core.terms.term_end, TsÜS § 136).
    The clock does not resume where it stood: it starts again (DOMAIN.md, MTR)."""
    days = processing_days(application.area)
    if days is None:
        return None
    return terms.term_end(complete_on or timezone.localdate(application.submitted_at), days)


def days_left(application: Application, *, today: date | None = None) -> int | None:
    """Calendar days to the processing deadline (negative when late); None when the clock does
    not run: a closed application, one waiting for missing data, or a notice."""
    if application.deadline is None or application.status not in (
        Status.RECEIVED,
        Status.IN_REVIEW,
    ):
        return None
    return (application.deadline - (today or timezone.localdate())).days


def processors():
    """Active users who may process applications (choices for assigning)."""
    return roles.holders("process_application", superusers=True)


def normalise_tracking_code(code: str) -> str:
    """The code as stored: capitals without the dashes and spaces it is shown or typed with."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def application_lookup(*, tracking_code: str, registry_code: str) -> Application | None:
    """The public status lookup: the application with this code *and* this registry code.

    A wrong code, a wrong registry code, or a code of another business all give None; the
    comparison of the second factor takes the same time whatever it holds."""
    code = normalise_tracking_code(tracking_code)
    if len(code) != TRACKING_LENGTH or any(c not in TRACKING_ALPHABET for c in code):
        return None
    application = (
        Application.objects.select_related("area", "entry")
        .prefetch_related("deficiencies__attachments")
        .filter(tracking_code=code)
        .first()
    )
    given = (registry_code or "").strip().encode()
    if application is None:
        hmac.compare_digest(given, b"00000000")
        return None
    if not hmac.compare_digest(given, application.registry_code.encode()):
        return None
    return application


def entry_for_change(*, number: str, registry_code: str) -> Entry | None:
    """The entry a change or termination is about: its number and holder must match, and it
    must still be in force (valid or suspended)."""
    number = (number or "").strip().upper().replace(" ", "")
    return (
        Entry.objects.select_related("area", "business")
        .filter(
            number=number,
            business__registry_code=(registry_code or "").strip(),
            status__in=(Entry.Status.VALID, Entry.Status.SUSPENDED),
        )
        .first()
    )
