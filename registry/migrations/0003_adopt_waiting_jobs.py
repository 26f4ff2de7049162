"""Give every attachment whose text extraction is still waiting a ``core.Job`` row (issue 13).

Before the jobs of ``core.jobs``, an extraction was a Celery message plus a beat sweeper
(``requeue_pending_extractions``) that queued again every attachment left ``pending``. That
sweeper and the old task names are gone: an attachment uploaded before the upgrade whose text
was not yet extracted has no job row, so nothing would ever extract it (and search would never
find its words). This makes the job ``registry.services.attachment_add`` would have made (the
same kind, key and arguments, pending and due now), so the job sweeper runs it within a minute
and a later ``enqueue`` of the same extraction finds this row by its key. Rows that already
have their job are left alone."""

from django.db import migrations
from django.utils import timezone

# Copied from registry.services (EXTRACT_JOB): a migration does not import app code.
EXTRACT_JOB = "registry.extract_text"
BATCH = 1000


def adopt_waiting_extractions(apps, schema_editor):
    Attachment = apps.get_model("registry", "Attachment")
    Job = apps.get_model("core", "Job")
    now = timezone.now()
    waiting = (
        Attachment.objects.filter(text_status="pending")
        .order_by("pk")
        .values_list("pk", flat=True)
        .iterator(chunk_size=BATCH)
    )
    jobs = [
        Job(
            kind=EXTRACT_JOB,
            key=f"{EXTRACT_JOB}:{attachment_id}",
            args={"attachment_id": attachment_id},
            state="pending",
            next_attempt_at=now,
            created=now,
        )
        for attachment_id in waiting
    ]
    # A key already taken is a job that exists: ignore_conflicts leaves it as it is.
    Job.objects.bulk_create(jobs, batch_size=BATCH, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_attachment_active_content"),
        ("core", "0008_outbound_email_delivery"),
    ]

    operations = [migrations.RunPython(adopt_waiting_extractions, migrations.RunPython.noop)]
