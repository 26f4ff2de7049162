"""What the correspondence services share: statuses, job names and the log (a part of
correspondence.services)."""

from __future__ import annotations

import logging

from correspondence.models import (
    Letter,
)

log = logging.getLogger(__name__)

LETTER_PDF_JOB = "correspondence.letter_pdf"
Status = Letter.Status
