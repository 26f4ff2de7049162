"""What the MTR services share: statuses, job names and the log (a part of mtr.services)."""

from __future__ import annotations

import logging

from mtr.models import (
    Application,
)

log = logging.getLogger(__name__)

# Background jobs (core.jobs; registered in mtr.tasks)
RECEIPT_JOB = "mtr.receipt"
DECISION_JOB = "mtr.decision_letter"
NOTIFY_JOB = "mtr.notify_processor"
APPLICANT_FILE_KINDS = ("pdf", "png", "jpeg")
Status = Application.Status
