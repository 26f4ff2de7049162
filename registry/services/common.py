"""What the services share: background job names and defaults (a part of registry.services)."""

from __future__ import annotations

from django.conf import settings

# Background jobs (core.jobs; registered in registry.tasks)
EXTRACT_JOB = "registry.extract_text"
OCR_JOB = "registry.ocr"
SIGNED_KINDS = frozenset({"asice", "asics"})  # core.uploads kinds whose signatures are verified
NOTIFY_ASSIGNMENT_JOB = "registry.notify_assignment"
NOTIFY_TASK_JOB = "registry.notify_task"

SERIES_DEFAULT = object()  # document_register: take the series' default restriction
# Staff keep no language of their own: their e-mails go in the portal's language (Estonian),
# whatever language the task or request that sends them runs in.
STAFF_LANGUAGE = settings.LANGUAGE_CODE
