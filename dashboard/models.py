"""The dashboard reads the other apps and keeps only its printed overviews (PDFs made in Celery).

The permissions of the department's dashboards are declared here as well: ``view_department``
shows everybody's figures, ``reassign_work`` lets the holder move work between people from the
workload page (through each owning app's service).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """A PDF of the overview (and its trends) asked for by one person; the row is the record of
    the job, Celery only the trigger (DESIGN.md): a lost message is re-queued by the sweeper."""

    class Status(models.TextChoices):
        PENDING = "pending", _("being made")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    class Scope(models.TextChoices):
        DEPARTMENT = "department", _("the department")
        MINE = "mine", _("my work")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dashboard_reports",
        verbose_name=_("asked by"),
    )
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    scope = models.CharField(_("whose figures"), max_length=12, choices=Scope.choices)
    period = models.CharField(_("period"), max_length=12)
    language = models.CharField(_("language"), max_length=5, default="et")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    pdf = models.FileField(_("PDF"), upload_to="dashboard/reports/", blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("printed overview")
        verbose_name_plural = _("printed overviews")
        ordering = ["-requested_at"]
        permissions = [
            ("view_department", _("Can see the department's dashboards")),
            ("reassign_work", _("Can reassign the department's work")),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="dashboard_report_job_idx")]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.requested_at:%Y-%m-%d %H:%M}"
