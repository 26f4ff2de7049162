"""What the support desk's models share: languages, the codes of tickets and feedback, the queue's
order by service level, and a ticket's category, priority and channel."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from django.db import models
from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

LANGUAGES = [("et", _("Estonian")), ("en", _("English")), ("ru", _("Russian"))]


TICKET_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud on the phone


#: 13 characters of 31: 64 bits of randomness (the reference travels in e-mail subjects, so it
#: must not be guessable). Tickets made before 2026-12 keep their 8-character codes.
TICKET_CODE_LENGTH = 13


def ticket_code() -> str:
    """The ticket's code in e-mail subjects ("[KT-7Q4M2XAB9KD3P]"): random, so replies thread
    to it and nobody can guess another ticket's."""
    return "".join(secrets.choice(TICKET_CODE_ALPHABET) for _ in range(TICKET_CODE_LENGTH))


def feedback_token() -> str:
    return secrets.token_urlsafe(24)


# The queue's order (services.queue_order): waiting tickets after the rest, then the clock that
# runs (the first answer until it is given, then the resolution), a ticket without one last,
# then the oldest. NULLs do not compare in a keyset (core.listing), so the missing due time is a
# far-away moment, and the queue's indexes are on these very expressions.
OPEN_STATUS_VALUES = ("new", "open", "waiting")  # selectors.OPEN_STATUSES, for the indexes


NO_DUE = datetime(9999, 1, 1, tzinfo=UTC)


WAITING_LAST = Case(When(status="waiting", then=Value(1)), default=Value(0))


SLA_DUE = Coalesce(
    Case(When(first_responded_at__isnull=True, then=F("first_response_due"))),
    F("resolution_due"),
    Value(NO_DUE),
    output_field=models.DateTimeField(),
)


QUEUE_TERMS = (WAITING_LAST, SLA_DUE, F("created"))


class Category(models.TextChoices):
    ESERVICE = "eservice", _("MTR e-service")
    ACCOUNT = "account", _("access and sign-in")
    APPLICATION = "application", _("an application or entry")
    DOCUMENTS = "documents", _("documents and information requests")
    TECHNICAL = "technical", _("technical problem")
    OTHER = "other", _("other")


class Priority(models.TextChoices):
    URGENT = "urgent", _("urgent")
    HIGH = "high", _("high")
    NORMAL = "normal", _("normal")
    LOW = "low", _("low")


class TicketChannel(models.TextChoices):
    WEB = "web", _("web form")
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("phone")
    VISIT = "visit", _("front desk")
    STAFF = "staff", _("entered by staff")
