# Text extraction that records why it failed, and OCR with a searchable PDF beside the original.

from django.db import migrations, models
from django.utils import timezone

import registry.models

EXTRACT_JOB = "registry.extract_text"


def retry_stuck_extractions(apps, schema_editor):
    """Attachments left "pending" for ever by the old extraction (its job failed for good, on a
    surrogate in a PDF's text, say, and nothing marked the attachment): their jobs run again
    with the extraction that cleans the text and records failures."""
    Attachment = apps.get_model("registry", "Attachment")
    Job = apps.get_model("core", "Job")
    pending = Attachment.objects.filter(text_status="pending").values_list("pk", flat=True)
    keys = [f"{EXTRACT_JOB}:{pk}" for pk in pending.iterator()]
    for start in range(0, len(keys), 1000):
        Job.objects.filter(key__in=keys[start : start + 1000], state="failed").update(
            state="pending",
            attempts=0,
            next_attempt_at=timezone.now(),
            queued_at=None,
            finished_at=None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_inboxitem"),
        ("core", "0010_job_heartbeat"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="text_error",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="Why it failed.",
                verbose_name="text extraction error",
            ),
        ),
        migrations.AddField(
            model_name="attachment",
            name="ocr_status",
            field=models.CharField(
                choices=[
                    ("none", "not needed"),
                    ("pending", "waiting"),
                    ("running", "reading the text"),
                    ("done", "done"),
                    ("failed", "failed"),
                    ("skipped", "skipped"),
                ],
                default="none",
                editable=False,
                max_length=16,
                verbose_name="text recognition (OCR)",
            ),
        ),
        migrations.AddField(
            model_name="attachment",
            name="ocr_error",
            field=models.TextField(blank=True, editable=False, verbose_name="OCR error"),
        ),
        migrations.AddField(
            model_name="attachment",
            name="searchable_pdf",
            field=models.FileField(
                blank=True,
                editable=False,
                help_text="A PDF/A with the recognised text, made by OCR beside the original.",
                max_length=255,
                upload_to=registry.models.attachment_path,
                verbose_name="searchable PDF",
            ),
        ),
        migrations.RunPython(retry_stuck_extractions, migrations.RunPython.noop),
    ]
