"""What the MTR's models share: the tracking code of an application, the open statuses and the
order of deadlines, texts in the reader's language, and the state of a generated PDF."""

from __future__ import annotations

import secrets
from datetime import date

from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# Easy to read aloud and to type from paper: no 0/O, 1/I/L.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


TRACKING_LENGTH = 12


# The queue's order: the soonest deadline first, an application without one (its clock not
# started, or stopped) last. NULLs do not compare in a keyset (core.listing), so the order and
# its indexes use this very expression.
# Application.OPEN_STATUSES as plain values, for the partial indexes of the queue (a Meta
# cannot see its model's attributes).
OPEN_STATUS_VALUES = ("received", "in_review", "deficient", "entered")


NO_DEADLINE_LAST = Coalesce("deadline", Value(date(9999, 12, 31)), output_field=models.DateField())


def tracking_code() -> str:
    """A random application code (12 characters of 31: about 59 bits), shown as XXXX-XXXX-XXXX."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def _in_language(source, prefix: str) -> str:
    """``source``'s ``<prefix>_<language>`` in the current language, Estonian when missing."""
    language = (translation.get_language() or "et")[:2]

    def get(key):
        return source.get(key) if isinstance(source, dict) else getattr(source, key, None)

    return get(f"{prefix}_{language}") or get(f"{prefix}_et") or ""


class PdfStatus(models.TextChoices):
    PENDING = "pending", _("being prepared")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")
