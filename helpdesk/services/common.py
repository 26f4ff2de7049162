"""What the helpdesk services share: statuses and file kinds (a part of helpdesk.services)."""

from __future__ import annotations

from datetime import timedelta

from helpdesk.models import (
    Ticket,
)

Status = Ticket.Status
TICKET_FILE_KINDS = ("pdf", "docx", "odt", "xlsx", "ods", "png", "jpeg", "gif", "txt", "eml")
SOON = timedelta(hours=2)
