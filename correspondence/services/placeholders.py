"""Placeholders of letter templates: checked and filled (a part of correspondence.services)."""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import User
from correspondence.models import (
    Channel,
)
from registry.models import Channel as RegistryChannel
from registry.models import Document, Party

PLACEHOLDERS = {
    "addressee": gettext_lazy("name of the addressee (the first, if several)"),
    "addressee_address": gettext_lazy("postal address of the addressee"),
    "our_number": gettext_lazy("register number of this letter"),
    "our_date": gettext_lazy("date of this letter"),
    "incoming_number": gettext_lazy("register number of the document answered"),
    "incoming_date": gettext_lazy("date the document answered was registered"),
    "incoming_title": gettext_lazy("title of the document answered"),
    "their_reference": gettext_lazy("the sender's own number of the document answered"),
    "their_date": gettext_lazy("the sender's own date of the document answered"),
    "deadline": gettext_lazy("deadline of the document answered"),
    "signer": gettext_lazy("name of the signer"),
    "signer_title": gettext_lazy("job title of the signer"),
    "agency": gettext_lazy("name of the agency"),
}
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
REGISTRY_CHANNELS = {
    Channel.EMAIL: RegistryChannel.EMAIL,
    Channel.POST: RegistryChannel.POST,
    Channel.REGISTERED: RegistryChannel.POST,
    Channel.HAND: RegistryChannel.HAND,
    Channel.DHX: RegistryChannel.DHX,
}
LETTER_FILE_KINDS = ("pdf", "docx", "odt", "xlsx", "ods", "png", "jpeg")


def check_placeholders(text: str) -> None:
    unknown = sorted({name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            _("Unknown placeholders: %(names)s. Use only the placeholders listed.")
            % {"names": ", ".join("{{ " + name + " }}" for name in unknown)}
        )


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """``text`` with every known placeholder replaced (a missing value leaves it empty)."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def placeholder_values(
    *,
    addressee: Party | None = None,
    incoming: Document | None = None,
    signer: User | None = None,
    number: str = "",
    on: date | None = None,
) -> dict[str, str]:
    """The values of the placeholders (dates in the current language's format)."""
    return {
        "addressee": addressee.name if addressee else "",
        "addressee_address": addressee.address if addressee else "",
        "our_number": number,
        "our_date": _date(on or timezone.localdate()),
        "incoming_number": incoming.number if incoming else "",
        "incoming_date": _date(incoming.registered_on) if incoming else "",
        "incoming_title": incoming.title if incoming else "",
        "their_reference": incoming.sender_reference if incoming else "",
        "their_date": _date(incoming.sender_date) if incoming else "",
        "deadline": _date(incoming.deadline) if incoming else "",
        "signer": str(signer) if signer else "",
        "signer_title": getattr(signer, "job_title", "") if signer else "",
        "agency": settings.AGENCY_NAME,
    }
