"""Give every printed overview still being made a ``core.Job`` row (issue 13).

Before the jobs of ``core.jobs``, a report's PDF was a Celery message plus a beat sweeper
(``reports_requeue_stuck``) that queued again every report left ``pending``. That sweeper and
the old task names are gone: a report asked for before the upgrade and not yet made has no job
row, so it would say "being made" for ever. This makes the job
``dashboard.services.report_request`` would have made (the same kind, key and arguments,
pending and due now), so the job sweeper makes it within a minute and a later ``enqueue`` of the
same report finds this row by its key. Rows that already have their job are left alone."""

from django.db import migrations
from django.utils import timezone

# Copied from dashboard.services (REPORT_JOB): a migration does not import app code.
REPORT_JOB = "dashboard.report"
BATCH = 1000


def adopt_waiting_reports(apps, schema_editor):
    Report = apps.get_model("dashboard", "Report")
    Job = apps.get_model("core", "Job")
    now = timezone.now()
    waiting = (
        Report.objects.filter(status="pending")
        .order_by("pk")
        .values_list("pk", flat=True)
        .iterator(chunk_size=BATCH)
    )
    jobs = [
        Job(
            kind=REPORT_JOB,
            key=f"{REPORT_JOB}:{report_id}",
            args={"report_id": report_id},
            state="pending",
            next_attempt_at=now,
            created=now,
        )
        for report_id in waiting
    ]
    # A key already taken is a job that exists: ignore_conflicts leaves it as it is.
    Job.objects.bulk_create(jobs, batch_size=BATCH, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_initial"),
        ("core", "0008_outbound_email_delivery"),
    ]

    operations = [migrations.RunPython(adopt_waiting_reports, migrations.RunPython.noop)]
