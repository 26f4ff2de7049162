"""What a processor does to an application from its page: claiming or assigning it, asking for
missing data, deciding, leaving it unexamined, withdrawing, checking the register, extending the
term, recording the decision's delivery; and the downloads of its files, receipt and decision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import formats
from django.utils.translation import gettext as _

from core.actions import nothing_changed, post_with, viewing
from core.downloads import file_download
from core.forms import add_service_errors
from core.submissions import submit_once
from mtr import delivery, services
from mtr.forms.staff import (
    DecideForm,
)
from mtr.models import (
    Application,
    ApplicationAttachment,
)
from mtr.views.staff import ACTION_FORMS, TRANSITION_OF, _allowed, _detail_url, _render_detail
from mtr.workflows import APPLICATION

_processor_post = post_with("mtr.process_application")


def _run_action(request, pk: int, action: str, perform, *, may=None, anchor: str = "actions"):
    """Check that the status allows the action, parse its form, call the service; success →
    back to the page with a message, refusal → the page with the errors next to the fields."""
    application = get_object_or_404(Application.objects.select_related("area"), pk=pk)
    allowed = _allowed(request.user, application)
    ok = may(allowed, request) if may else allowed[action]
    if not ok:
        transition = TRANSITION_OF.get(action, action)
        reason = (
            APPLICATION.refusal(application, transition, request.user)
            if transition in APPLICATION.by_name
            else None
        )
        messages.error(
            request,
            reason
            or _("This cannot be done when the status is “%(status)s”.")
            % {"status": application.get_status_display()},
        )
        return redirect(_detail_url(pk))
    form = ACTION_FORMS[action](request.POST)
    if form.is_valid():
        try:
            message = perform(application, form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect(_detail_url(pk, anchor))
    nothing_changed(request, form)
    return _render_detail(request, pk, bound={action: form})


@_processor_post
def application_claim(request, pk: int):
    def perform(application, form):
        services.application_claim(actor=request.user, application=application)
        return _("The application is in review and assigned to you.")

    return _run_action(request, pk, "claim", perform)


@_processor_post
def application_assign(request, pk: int):
    def perform(application, form):
        assignee = form.cleaned_data["assignee"]
        services.application_assign(actor=request.user, application=application, assignee=assignee)
        return _("The application is assigned to %(name)s.") % {"name": str(assignee)}

    return _run_action(request, pk, "assign", perform)


@_processor_post
@submit_once
def application_request_data(request, pk: int):
    def perform(application, form):
        request_ = services.application_request_data(
            actor=request.user,
            application=application,
            text=form.cleaned_data["text"],
            due_on=form.cleaned_data["due_on"],
        )
        return _("Missing data was requested; the applicant is asked to answer by %(date)s.") % {
            "date": formats.date_format(request_.due_on, "SHORT_DATE_FORMAT")
        }

    return _run_action(request, pk, "request", perform, anchor="deficiencies")


def _may_decide(allowed, request) -> bool:
    decision = request.POST.get(f"{DecideForm.prefix}-decision")
    if decision == DecideForm.GRANT:
        return allowed["grant"]
    if decision == DecideForm.REFUSE:
        return allowed["refuse"]
    return allowed["grant"] or allowed["refuse"]  # the form says what is missing


@_processor_post
@submit_once
def application_decide(request, pk: int):
    def perform(application, form):
        application = services.application_decide(
            actor=request.user,
            application=application,
            grant=form.grant,
            reason=form.cleaned_data["reason"],
        )
        if not form.grant:
            return _("The application was refused.")
        if application.is_notice:
            return _("The notice was entered in the register as %(number)s.") % {
                "number": application.entry.number
            }
        return _("The licence was granted: entry %(number)s.") % {
            "number": application.entry.number
        }

    return _run_action(request, pk, "decide", perform, may=_may_decide, anchor="decision")


@_processor_post
@submit_once
def application_leave_unexamined(request, pk: int):
    def perform(application, form):
        services.application_leave_unexamined(
            actor=request.user, application=application, reason=form.cleaned_data["reason"]
        )
        return _("The application was left unexamined; the letter is being prepared.")

    return _run_action(request, pk, "unexamined", perform, anchor="decision")


@_processor_post
def application_check(request, pk: int):
    def perform(application, form):
        services.application_check(
            actor=request.user, application=application, note=form.cleaned_data["note"]
        )
        return _("The notice is marked as checked.")

    return _run_action(request, pk, "check", perform, anchor="decision")


@_processor_post
@submit_once
def application_extend(request, pk: int):
    def perform(application, form):
        application = services.application_extend(
            actor=request.user,
            application=application,
            until=form.cleaned_data["until"],
            reason=form.cleaned_data["reason"],
        )
        return _("The term is extended to %(date)s; the applicant was told.") % {
            "date": formats.date_format(application.deadline, "SHORT_DATE_FORMAT")
        }

    return _run_action(request, pk, "extend", perform)


@_processor_post
def application_withdraw(request, pk: int):
    def perform(application, form):
        services.application_withdraw(
            actor=request.user, application=application, reason=form.cleaned_data["reason"]
        )
        return _("The application was withdrawn.")

    return _run_action(request, pk, "withdraw", perform)


@_processor_post
@submit_once
def application_delivery(request, pk: int):
    """Record the decision's delivery by registered post, in person, a confirmation or by law."""

    def perform(application, form):
        recorded = delivery.decision_delivery_enter(
            actor=request.user,
            application=application,
            method=form.cleaned_data["method"],
            delivered_on=form.cleaned_data["delivered_on"],
            note=form.cleaned_data["note"],
        )
        application.refresh_from_db()
        state = delivery.delivery_state(application)
        if recorded.set_the_date:
            return _(
                "The decision is recorded as delivered on %(date)s; it may be challenged until "
                "%(until)s."
            ) % {
                "date": formats.date_format(state["delivered_on"], "SHORT_DATE_FORMAT"),
                "until": formats.date_format(state["challenge_until"], "SHORT_DATE_FORMAT"),
            }
        return _(
            "The delivery is kept as evidence; the decision was already delivered on %(date)s "
            "and that date stays."
        ) % {"date": formats.date_format(state["delivered_on"], "SHORT_DATE_FORMAT")}

    return _run_action(request, pk, "delivery", perform, anchor="delivery")


_viewer = viewing("mtr.view_application")


@_viewer
def application_file(request, pk: int, file_pk: int):
    """A file the applicant gave (with the application or an answer), as a download."""
    attachment = get_object_or_404(ApplicationAttachment, application_id=pk, pk=file_pk)
    response = file_download(
        attachment.file,
        filename=attachment.name,
        content_type=attachment.content_type,
        active_content=attachment.active_content,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@_viewer
def application_receipt(request, pk: int):
    application = get_object_or_404(Application.objects.select_related("area"), pk=pk)
    content = services.application_receipt_pdf(application=application)
    return _pdf_response(content, f"receipt-{application.tracking_code_display}.pdf")


@_viewer
def application_decision(request, pk: int):
    application = get_object_or_404(Application.objects.select_related("area"), pk=pk)
    content = services.application_decision_pdf(application=application)
    if content is None:
        raise Http404(_("The decision letter is not ready."))
    return _pdf_response(content, f"decision-{application.tracking_code_display}.pdf")


urlpatterns = [
    path("mtr/applications/<int:pk>/claim/", application_claim, name="application-claim"),
    path("mtr/applications/<int:pk>/assign/", application_assign, name="application-assign"),
    path(
        "mtr/applications/<int:pk>/request-data/",
        application_request_data,
        name="application-request-data",
    ),
    path("mtr/applications/<int:pk>/decide/", application_decide, name="application-decide"),
    path("mtr/applications/<int:pk>/withdraw/", application_withdraw, name="application-withdraw"),
    path(
        "mtr/applications/<int:pk>/unexamined/",
        application_leave_unexamined,
        name="application-unexamined",
    ),
    path("mtr/applications/<int:pk>/check/", application_check, name="application-check"),
    path("mtr/applications/<int:pk>/extend/", application_extend, name="application-extend"),
    path("mtr/applications/<int:pk>/delivery/", application_delivery, name="application-delivery"),
    path(
        "mtr/applications/<int:pk>/files/<int:file_pk>/",
        application_file,
        name="application-file",
    ),
    path("mtr/applications/<int:pk>/receipt.pdf", application_receipt, name="application-receipt"),
    path(
        "mtr/applications/<int:pk>/decision.pdf",
        application_decision,
        name="application-decision",
    ),
]
