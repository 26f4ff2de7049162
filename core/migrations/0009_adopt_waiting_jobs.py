"""Give every e-mail still waiting in the outbox a ``core.Job`` row (issue 13).

Before the jobs of ``core.jobs``, a queued e-mail was a Celery message plus a beat sweeper
(``requeue_stuck_emails``) that queued again every e-mail left ``queued``. That sweeper and the
old task names are gone: an e-mail queued before the upgrade has no job row, so nothing would
ever send it. This makes the job the e-mail service itself would have made
(``core.services.email_queue``: the same kind, key and arguments, pending and due now), so the
job sweeper sends it within a minute and a later ``enqueue`` of the same e-mail finds this row
by its key instead of making a second one. Rows that already have their job are left alone.

Only ``queued`` rows wait: ``sent`` and ``failed`` are finished (the old code failed a row after
its last attempt), and the other states did not exist before the upgrade."""

from django.db import migrations
from django.utils import timezone

# Copied from core.services (EMAIL_JOB, email_job_key): a migration does not import app code.
EMAIL_JOB = "core.email"
BATCH = 1000


def adopt_waiting_emails(apps, schema_editor):
    OutboundEmail = apps.get_model("core", "OutboundEmail")
    Job = apps.get_model("core", "Job")
    now = timezone.now()
    waiting = (
        OutboundEmail.objects.filter(status="queued")
        .order_by("pk")
        .values_list("pk", flat=True)
        .iterator(chunk_size=BATCH)
    )
    jobs = [
        Job(
            kind=EMAIL_JOB,
            key=f"{EMAIL_JOB}:{email_id}",
            args={"email_id": email_id},
            state="pending",
            next_attempt_at=now,
            created=now,
        )
        for email_id in waiting
    ]
    # A key already taken is a job that exists: ignore_conflicts leaves it as it is.
    Job.objects.bulk_create(jobs, batch_size=BATCH, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_outbound_email_delivery"),
    ]

    operations = [migrations.RunPython(adopt_waiting_emails, migrations.RunPython.noop)]
