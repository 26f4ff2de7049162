"""Writes of the dashboard: the printed overview (a PDF made in Celery, its row the record of the
job) and the head's weekly digest e-mail. Everything shown comes from ``dashboard.overview`` and
``dashboard.trends``; nothing here counts anything itself."""

from __future__ import annotations

import logging
import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import jobs, languages, pdf, roles
from core.models import OutboundEmail, User
from core.redirects import absolute, site_url
from core.services import email_queue_template
from core.workflow import locking
from dashboard import overview, periods, trends
from dashboard.models import Report

log = logging.getLogger(__name__)

REPORT_JOB = "dashboard.report"  # the PDF of a Report (core.jobs; registered in dashboard.tasks)

DEPARTMENT = "dashboard.view_department"
PDF_TEMPLATE = "dashboard/pdf/overview.html"
DIGEST_TEMPLATE = "dashboard/email/digest"


def _is_department(report: Report) -> bool:
    """The report shows the department only while its requester may see it (when the right is
    taken away between the request and the rendering, the PDF is of their own work)."""
    return report.scope == Report.Scope.DEPARTMENT and report.requested_by.has_perm(DEPARTMENT)


# --- The printed overview -----------------------------------------------------------------------


@transaction.atomic
def report_request(*, actor: User, scope: str, period: str) -> Report:
    """Ask for a PDF of the overview and its trends over ``period``; Celery makes it.

    A second request for the same scope and period while the first is still being made returns
    the first (a double click makes one PDF)."""
    errors = {}
    if scope not in Report.Scope.values:
        errors["scope"] = _("Choose whose figures the PDF shows.")
    if period not in dict(periods.choices()):
        errors["period"] = _("Choose a period for the trends.")
    if errors:
        raise ValidationError(errors)
    if scope == Report.Scope.DEPARTMENT and not actor.has_perm(DEPARTMENT):
        raise PermissionDenied(_("Only the head and the administrator may print the department."))
    # One requester's requests wait for each other here, so two clicks never make two rows.
    locking(User.objects).filter(pk=actor.pk).first()
    pending = Report.objects.filter(
        requested_by=actor, scope=scope, period=period, status=Report.Status.PENDING
    ).first()
    if pending is not None:
        return pending
    report = Report(requested_by=actor, scope=scope, period=period, language=languages.active())
    report.full_clean()
    report.save()
    jobs.enqueue(REPORT_JOB, key=f"{REPORT_JOB}:{report.pk}", report_id=report.pk)
    return report


def report_context(report: Report) -> dict:
    """What the PDF shows, as ``report.requested_by`` would see it now (their permissions decide
    which tiles link and which titles show); call it in the report's language."""
    user = report.requested_by
    is_department = _is_department(report)
    now = timezone.localtime()
    period = periods.get(report.period, today=now.date())
    figures = overview.department(user) if is_department else overview.mine(user)
    return {
        "report": report,
        "is_department": is_department,
        "requester": str(user),
        "made_at": now,
        "period": period,
        **figures,
        **trends.charts(period, user=None if is_department else user),
    }


def report_pdf_bytes(report: Report) -> bytes:
    with translation.override(report.language):
        return pdf.render_pdf(PDF_TEMPLATE, report_context(report))


def report_render(*, report_id: int) -> bool:
    """Make the report's PDF and keep it. Safe to run twice: a report that is done (or gone) is
    left as it is. Returns whether a PDF was made now."""
    report = Report.objects.select_related("requested_by").filter(pk=report_id).first()
    if report is None or report.status == Report.Status.DONE:
        return False
    content = report_pdf_bytes(report)
    with transaction.atomic():
        report = locking(Report.objects).filter(pk=report_id).first()
        if report is None or report.status == Report.Status.DONE:
            return False  # another worker finished it meanwhile
        report.pdf.save(f"{uuid.uuid4().hex}.pdf", ContentFile(content), save=False)
        report.status, report.error = Report.Status.DONE, ""
        report.finished_at = timezone.now()
        report.save(update_fields=["pdf", "status", "error", "finished_at"])
    return True


def report_failed(*, report_id: int, error: str) -> None:
    """Record that the PDF could not be made (after the job's last attempt)."""
    Report.objects.filter(pk=report_id).exclude(status=Report.Status.DONE).update(
        status=Report.Status.FAILED, error=error[:500], finished_at=timezone.now()
    )
    log.error("dashboard report %s: PDF failed: %s", report_id, error)


def report_filename(report: Report) -> str:
    """The name the downloaded PDF gets, e.g. ``overview-2026-11-27.pdf``."""
    stem = "overview" if report.scope == Report.Scope.DEPARTMENT else "my-work"
    return f"{stem}-{timezone.localtime(report.requested_at):%Y-%m-%d}.pdf"


# --- The weekly digest --------------------------------------------------------------------------


def _absolute(url: str) -> str:
    """A tile's link as a full address; a tile without a link keeps none."""
    return absolute(url) if url else ""


def digest_key(*, user: User, today: date) -> str:
    year, week, _weekday = today.isocalendar()
    return f"dashboard-digest-{user.pk}-{year}-W{week:02d}"


def digest_context(*, user: User, today: date) -> dict:
    """The digest's figures for ``user``, in the active language: every tile with its absolute
    link, the most overdue documents (a title only where the user may read it)."""
    figures = overview.department(user)
    groups = [
        {
            "title": group.title,
            "more_url": _absolute(group.more_url),
            "more_label": group.more_label,
            "tiles": [
                {
                    "label": tile.label,
                    "value": tile.value,
                    "note": tile.note,
                    "url": _absolute(tile.url),
                }
                for tile in group.tiles
            ],
        }
        for group in figures["groups"]
    ]
    overdue = [
        {
            "number": document.number,
            "title": document.title if document.title_visible else "",
            "days_late": document.days_late,
            "deadline": document.deadline,
            "responsible": (
                str(document.responsible) if document.responsible_id else _("Nobody responsible")
            ),
        }
        for document in figures["most_overdue"]
    ]
    return {
        "user": user,
        "today": today,
        "groups": groups,
        "most_overdue": overdue,
        "overview_url": site_url("dashboard:overview"),
        "trends_url": site_url("dashboard:trends"),
        "workload_url": site_url("dashboard:workload"),
    }


def digest_send(*, today: date | None = None) -> int:
    """E-mail the week's overview to everybody who sees the department (an active account with
    an e-mail address), once per ISO week: the outbox key makes a second run send nothing.
    Returns how many e-mails were queued now."""
    today = today or timezone.localdate()
    sent = 0
    for user in roles.holders("view_department").exclude(email=""):
        key = digest_key(user=user, today=today)
        if OutboundEmail.objects.filter(key=key).exists():
            continue
        language = getattr(user, "language", "") or settings.LANGUAGE_CODE
        with transaction.atomic(), translation.override(language):
            email_queue_template(
                to=[user.email],
                template=DIGEST_TEMPLATE,
                context=digest_context(user=user, today=today),
                language=language,
                key=key,
            )
        sent += 1
    return sent
