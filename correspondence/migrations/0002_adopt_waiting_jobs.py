"""Give every letter whose PDF is still waiting a ``core.Job`` row (issue 13).

Before the jobs of ``core.jobs``, a letter's PDF was only a Celery message (``render_letter``)
with no sweeper at all: a lost message or a killed worker left the letter "being prepared" for
ever, and it could not be sent. The old task name is gone, so a letter saved before the upgrade
whose PDF was not yet made has no job row and nothing would ever make it. This makes the job
``correspondence.services.letter_create`` would have made (the same kind, key and arguments,
pending and due now): the job sweeper makes the PDF within a minute, and a later ``enqueue``
under the same key finds this row. The job renders the letter's current text, so one job per
letter is enough whatever version was waiting.

Also, an e-mailed copy whose e-mail was sent (or given up) while its dispatch still says "being
sent" lost its outcome message (the outbox's callback was a bare Celery message too): it gets
the callback job the outbox would have made (``core.services._email_told``), which records the
outcome on the dispatch and the letter (a no-op when it was recorded meanwhile). Its key is
fixed (the outbox's own is random) so that running this twice makes one job.

Rows that already have their job are left alone."""

from django.db import migrations
from django.utils import timezone

# Copied from correspondence.services (LETTER_PDF_JOB) and core.services (EMAIL_CALLBACK_JOB):
# a migration does not import app code.
LETTER_PDF_JOB = "correspondence.letter_pdf"
EMAIL_CALLBACK_JOB = "core.email_callback"
BATCH = 1000


def _job(Job, now, *, kind, key, **args):
    return Job(kind=kind, key=key, args=args, state="pending", next_attempt_at=now, created=now)


def adopt_waiting_letters(apps, schema_editor):
    Letter = apps.get_model("correspondence", "Letter")
    Dispatch = apps.get_model("correspondence", "Dispatch")
    Job = apps.get_model("core", "Job")
    now = timezone.now()
    letters = (
        Letter.objects.filter(pdf_status="pending")
        .order_by("pk")
        .values_list("pk", flat=True)
        .iterator(chunk_size=BATCH)
    )
    jobs = [
        _job(Job, now, kind=LETTER_PDF_JOB, key=f"{LETTER_PDF_JOB}:{pk}", letter_id=pk)
        for pk in letters
    ]
    outcomes = (
        Dispatch.objects.filter(
            status="sending",
            outbound_email__status__in=["sent", "failed"],
        )
        .exclude(outbound_email__callback="")
        .order_by("pk")
        .values_list("outbound_email_id", "outbound_email__callback")
        .iterator(chunk_size=BATCH)
    )
    jobs += [
        _job(
            Job,
            now,
            kind=EMAIL_CALLBACK_JOB,
            key=f"{EMAIL_CALLBACK_JOB}:{email_id}:adopted",
            callback=callback,
            email_id=email_id,
        )
        for email_id, callback in outcomes
    ]
    # A key already taken is a job that exists: ignore_conflicts leaves it as it is.
    Job.objects.bulk_create(jobs, batch_size=BATCH, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("correspondence", "0001_initial"),
        ("core", "0008_outbound_email_delivery"),
    ]

    operations = [migrations.RunPython(adopt_waiting_letters, migrations.RunPython.noop)]
