"""The printed overview: ask for it (POST), its page while Celery makes it (polled as JSON, with a
reload link for pages without JavaScript) and the download. Each report is seen by the person
who asked for it alone; for anybody else it does not exist (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.downloads import file_download
from core.submissions import submit_once
from dashboard import periods, services
from dashboard.models import Report


def _own_report(request, pk: int) -> Report:
    return get_object_or_404(Report, pk=pk, requested_by=request.user)


@login_required
@require_POST
@submit_once
def report_new(request):
    try:
        report = services.report_request(
            actor=request.user,
            scope=request.POST.get("scope", ""),
            period=request.POST.get("period", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("dashboard:overview")
    return redirect("dashboard:report-detail", report.pk)


@login_required
@require_GET
@never_cache
def report_detail(request, pk: int):
    report = _own_report(request, pk)
    period = periods.get(report.period, today=timezone.localdate(report.requested_at))
    overview_url = reverse("dashboard:overview")
    if report.scope == Report.Scope.MINE and request.user.has_perm(services.DEPARTMENT):
        overview_url += "?scope=mine"
    return render(
        request,
        "dashboard/report.html",
        {
            "report": report,
            "period": period,
            "Status": Report.Status,
            "overview_url": overview_url,
            "filename": services.report_filename(report),
        },
    )


@login_required
@require_GET
def report_status(request, pk: int):
    """The report's state as JSON, for the page's progress poll (static/js/status-poll.js)."""
    report = _own_report(request, pk)
    response = JsonResponse({"pdf_status": report.status})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def report_pdf(request, pk: int):
    report = _own_report(request, pk)
    if report.status != Report.Status.DONE or not report.pdf:
        raise Http404(_("The PDF is not ready."))
    response = file_download(
        report.pdf, filename=services.report_filename(report), content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("dashboard/reports/new/", report_new, name="report-new"),
    path("dashboard/reports/<int:pk>/", report_detail, name="report-detail"),
    path("dashboard/reports/<int:pk>/status/", report_status, name="report-status"),
    path("dashboard/reports/<int:pk>/overview.pdf", report_pdf, name="report-pdf"),
]
