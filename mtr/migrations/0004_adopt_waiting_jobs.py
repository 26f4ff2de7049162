"""Give every MTR receipt and decision letter still waiting a ``core.Job`` row (issue 13).

Before the jobs of ``core.jobs`` both were Celery messages. Decision letters had a beat sweeper
(``retry_decision_letters``) that made again every letter left ``pending`` or ``failed``;
receipts had none. That sweeper and the old task names are gone, so work asked for before the
upgrade has no job row and nothing would ever do it. This makes the jobs the MTR services would
have made (the same kind, key and arguments, pending and due now), so the job sweeper does them
within a minute and a later ``enqueue`` of the same work finds these rows by their keys:

- a decision letter ``pending`` or ``failed`` (the old sweeper retried failed ones too, and set
  them pending first, as this does): ``application_decide``'s job;
- a receipt that was never e-mailed (no outbox row under its key) of an application filed
  through the public form (its "registered" event has no actor: the public form always sends a
  receipt, while a clerk entering a paper application may have chosen not to) in the last
  RECEIPT_WINDOW_DAYS: ``application_submit``'s job. The window keeps applicants from getting
  a receipt months late for an application staff have long dealt with; what the upgrade itself
  interrupts is minutes old.

Rows that already have their job are left alone."""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone

# Copied from mtr.services (RECEIPT_JOB, DECISION_JOB, the receipt e-mail's outbox key
# "mtr-received-<pk>"): a migration does not import app code.
RECEIPT_JOB = "mtr.receipt"
DECISION_JOB = "mtr.decision_letter"
RECEIPT_EMAIL_KEY = "mtr-received-{pk}"
RECEIPT_WINDOW_DAYS = 7
BATCH = 1000


def _job(Job, now, kind, application_id):
    return Job(
        kind=kind,
        key=f"{kind}:{application_id}",
        args={"application_id": application_id},
        state="pending",
        next_attempt_at=now,
        created=now,
    )


def _waiting_receipts(apps, now) -> list[int]:
    Application = apps.get_model("mtr", "Application")
    OutboundEmail = apps.get_model("core", "OutboundEmail")
    Event = apps.get_model("core", "Event")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="mtr", model="application").first()
    if content_type is None:  # a database that never had an application
        return []
    recent = list(
        Application.objects.filter(submitted_at__gte=now - timedelta(days=RECEIPT_WINDOW_DAYS))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    waiting = []
    for start in range(0, len(recent), BATCH):
        chunk = recent[start : start + BATCH]
        emailed = set(
            OutboundEmail.objects.filter(
                key__in=[RECEIPT_EMAIL_KEY.format(pk=pk) for pk in chunk]
            ).values_list("key", flat=True)
        )
        public = set(
            Event.objects.filter(
                content_type=content_type,
                verb="registered",
                actor__isnull=True,
                object_id__in=[str(pk) for pk in chunk],
            ).values_list("object_id", flat=True)
        )
        waiting += [
            pk
            for pk in chunk
            if str(pk) in public and RECEIPT_EMAIL_KEY.format(pk=pk) not in emailed
        ]
    return waiting


def adopt_waiting_work(apps, schema_editor):
    Application = apps.get_model("mtr", "Application")
    Job = apps.get_model("core", "Job")
    now = timezone.now()
    decisions = Application.objects.filter(
        decided_at__isnull=False, decision_pdf_status__in=["pending", "failed"]
    )
    candidates = list(decisions.order_by("pk").values_list("pk", flat=True))
    has_job = set(  # made by the new code already (a database that ran it): left alone
        Job.objects.filter(key__in=[f"{DECISION_JOB}:{pk}" for pk in candidates]).values_list(
            "key", flat=True
        )
    )
    decision_ids = [pk for pk in candidates if f"{DECISION_JOB}:{pk}" not in has_job]
    Application.objects.filter(pk__in=decision_ids, decision_pdf_status="failed").update(
        decision_pdf_status="pending"
    )
    jobs = [_job(Job, now, DECISION_JOB, pk) for pk in decision_ids]
    jobs += [_job(Job, now, RECEIPT_JOB, pk) for pk in _waiting_receipts(apps, now)]
    # A key already taken is a job that exists: ignore_conflicts leaves it as it is.
    Job.objects.bulk_create(jobs, batch_size=BATCH, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("mtr", "0003_attachment_active_content"),
        ("core", "0008_outbound_email_delivery"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(adopt_waiting_work, migrations.RunPython.noop)]
