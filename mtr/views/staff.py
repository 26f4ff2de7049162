"""The processors' pages of the MTR: the queue of applications, one application's page with its
actions, the downloads of its files and letters, and the register of entries.

Seeing needs ``mtr.view_application`` (the entries ``mtr.view_entry``), acting
``mtr.process_application`` (the entries ``mtr.change_entry``): a signed-in user without it gets
403, an anonymous one the sign-in page. The actions are small forms on the page (``<details>``:
no JavaScript needed) posting to POST-only views that call one service each and redirect back
with a message, or show the page again with the service's messages next to the fields. Only the
actions the current status allows are shown; a stale form posted anyway is refused with a
message and changes nothing. Every list runs a fixed number of queries whatever its length.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST
from django.views.generic import View

from core import events
from core.counts import count_label, shown_count
from core.downloads import file_download
from core.forms import add_service_errors
from core.listing import Listing, listing_context
from core.submissions import submit_once
from mtr import delivery, services
from mtr.filters import (
    ALL,
    APPLICATION_DEFAULT,
    APPLICATION_ORDERS,
    ENTRY_DEFAULT,
    ENTRY_ORDERS,
    OPEN,
    PAGING_PARAMS,
    SOON_DAYS,
    ApplicationFilter,
    EntryFilter,
)
from mtr.forms.staff import (
    AssignForm,
    CheckForm,
    ClaimForm,
    DecideForm,
    DeliveryForm,
    EntryReasonForm,
    ExtendForm,
    RequestDataForm,
    UnexaminedForm,
    WithdrawForm,
)
from mtr.models import (
    TRACKING_LENGTH,
    Application,
    ApplicationAttachment,
    DecisionDelivery,
    DeficiencyRequest,
    Entry,
    PdfStatus,
)
from mtr.workflows import APPLICATION, ENTRY

Status = Application.Status


def _deadline_state(application: Application, today: date) -> dict:
    """What a row or the page says about the processing deadline: ``key`` is "overdue",
    "soon", "due", "paused" (waiting for missing data) or "" (no clock), with ``days``."""
    days = services.days_left(application, today=today)
    if days is not None:
        if days < 0:
            return {"key": "overdue", "days": -days}
        return {"key": "soon" if days <= SOON_DAYS else "due", "days": days}
    if application.status == Status.DEFICIENT and application.deadline:
        return {"key": "paused", "days": None}
    return {"key": "", "days": None}


# --- The queue ------------------------------------------------------------------------------------


def _status_links(request, filterset: ApplicationFilter, counts: dict[str, int]) -> list[dict]:
    """The filter bar's status links with their counts (``status_counts``)."""
    current = filterset.form.cleaned_data.get("status") if filterset.form.is_valid() else None
    labels = [
        (OPEN, pgettext("applications not decided yet", "Open")),
        *Application.Status.choices,
        (ALL, pgettext("all applications", "All")),
    ]
    links = []
    for key, label in labels:
        query = request.GET.copy()
        query["status"] = key
        for name in PAGING_PARAMS:
            query.pop(name, None)
        links.append(
            {
                "key": key,
                "label": capfirst(label),
                "count": counts[key],
                "count_text": count_label(counts[key]),
                "url": f"?{query.urlencode()}",
                "current": key == current,
            }
        )
    return links


class ApplicationListView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The queue: open applications by default, soonest deadline first (none last), then the
    earliest submitted, or by the submission time; filters by area, type, status, processor,
    deadline and a search. Keyset pages of 25 (core.listing)."""

    permission_required = "mtr.view_application"
    template_name = "mtr/staff/application_list.html"
    per_page = 25

    def get(self, request):
        queryset = Application.objects.select_related("area", "assignee")
        filterset = ApplicationFilter(request.GET, queryset=queryset, request=request)
        counts = filterset.status_counts()  # the tabs' counts, and the list's own (one query)
        listing = Listing(
            request,
            filterset.qs.only(*Application.LIST_ROW_FIELDS),
            orders=APPLICATION_ORDERS,
            default=APPLICATION_DEFAULT,
            per_page=self.per_page,
            found=shown_count(filterset, counts),
        )
        columns = [
            (_("Tracking code"), None),
            (_("Business"), None),
            (_("Activity area and type"), None),
            (_("Status"), None),
            (_("Submitted"), "-submitted"),
            (_("Deadline"), "deadline"),
            (_("Processor"), None),
        ]
        page_context = listing_context(listing, columns)
        page = page_context["page"]
        today = timezone.localdate()
        for application in page.rows:
            application.deadline_state = _deadline_state(application, today)
        form = filterset.form
        filtering = (
            any(request.GET.get(name) for name in filterset.filters if name != "status")
            or request.GET.get("status", OPEN) != OPEN
        )
        context = {
            **page_context,
            "filter": filterset,
            "form": form,
            "applications": page.rows,
            "status_links": _status_links(request, filterset, counts),
            "filtering": filtering,
            "today": today,
        }
        return render(request, self.template_name, context)


# --- One application ----------------------------------------------------------------------------


def _application_queryset():
    """Everything the page shows, in a fixed number of queries."""
    return Application.objects.select_related(
        "area", "business", "entry", "assignee", "decided_by", "document", "decision_document"
    ).prefetch_related(
        Prefetch(
            "attachments",
            queryset=ApplicationAttachment.objects.filter(deficiency__isnull=True),
            to_attr="own_attachments",
        ),
        Prefetch(
            "deficiencies",
            queryset=DeficiencyRequest.objects.select_related("requested_by")
            .prefetch_related("attachments")
            .order_by("requested_on", "id"),
        ),
        Prefetch(
            "decision_deliveries",
            queryset=DecisionDelivery.objects.select_related("recorded_by"),
        ),
    )


def _format_data(value, kind: str) -> str:
    if value in (None, ""):
        return "—"
    if kind == "bool" or isinstance(value, bool):
        return _("yes") if value else _("no")
    if kind == "date" and isinstance(value, str):
        try:
            return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _data_rows(area, data: dict) -> list[dict]:
    """The area's extra data with their labels in the current language; data the area does not
    ask (any more) keeps its key as the label."""
    data = data or {}
    rows = []
    known = set()
    for field in area.extra_field_list():
        known.add(field["key"])
        rows.append(
            {"label": field["label"], "value": _format_data(data.get(field["key"]), field["type"])}
        )
    for key, value in data.items():
        if key not in known:
            rows.append({"label": key, "value": _format_data(value, "")})
    return rows


def _status_label(model, value) -> str:
    try:
        return str(model.Status(value).label)
    except ValueError:
        return str(value)


def _timeline(obj, model) -> list:
    """The object's events, newest first, each with a one-line ``data.note`` (only on the
    in-memory copy; events are never saved here)."""
    timeline = list(events.for_object(obj)[:200])
    for event in timeline:
        data = event.data or {}
        parts = []
        if "from" in data and "to" in data:
            parts.append(
                f"{_status_label(model, data['from'])} → {_status_label(model, data['to'])}"
            )
        elif data.get("to"):
            parts.append(_("to %(name)s") % {"name": data["to"]})
        if data.get("due_on"):
            parts.append(_("answer by %(date)s") % {"date": _format_data(data["due_on"], "date")})
        if data.get("paused_days"):
            parts.append(_("paused days: %(days)s") % {"days": data["paused_days"]})
        if data.get("application"):
            code = str(data["application"])
            if len(code) == TRACKING_LENGTH:
                code = "-".join(code[i : i + 4] for i in range(0, TRACKING_LENGTH, 4))
            parts.append(_("application %(code)s") % {"code": code})
        if data.get("reason"):
            parts.append(_("reason: %(reason)s") % {"reason": data["reason"]})
        if parts and not data.get("note"):
            event.data = {**data, "note": "; ".join(parts)}
    return timeline


def _allowed(user, application: Application) -> dict[str, bool]:
    """Which actions the user may take now: the workflow's answer (mtr.workflows), and the
    assignment and delivery, which change no status."""
    allowed = APPLICATION.available(application, user)
    is_open = application.is_open
    # A notice filed before notices took effect on submission is entered at once.
    legacy_notice = (
        application.status == Status.RECEIVED and application.is_notice and not application.entry_id
    )
    return {
        **allowed,
        "claim": is_open
        and (application.status == Status.RECEIVED or application.assignee_id != user.pk),
        "assign": is_open,
        "grant": allowed["grant"] or legacy_notice,
        **{action: allowed[name] for action, name in TRANSITION_OF.items()},
        "delivery": application.has_decision_letter,
    }


# The page's actions that are the workflow's transitions under another name.
TRANSITION_OF = {"unexamined": "leave_unexamined"}

ACTION_FORMS = {
    "claim": ClaimForm,
    "assign": AssignForm,
    "request": RequestDataForm,
    "decide": DecideForm,
    "unexamined": UnexaminedForm,
    "check": CheckForm,
    "extend": ExtendForm,
    "withdraw": WithdrawForm,
    "delivery": DeliveryForm,
}


def _detail_context(request, application: Application, bound: dict | None = None) -> dict:
    user = request.user
    bound = bound or {}
    today = timezone.localdate()
    allowed = _allowed(user, application)
    allowed["decide"] = allowed["grant"] or allowed["refuse"]
    may_process = user.has_perm("mtr.process_application")
    forms = {}
    for action, form_class in ACTION_FORMS.items():
        if action in bound:  # came back with its messages
            forms[action] = bound[action]
        elif may_process and allowed[action]:
            kwargs = {}
            if action == "assign":
                kwargs["initial"] = {"assignee": application.assignee_id}
            forms[action] = form_class(**kwargs)
    requirement_labels = {item["key"]: item["label"] for item in application.area.attachment_list()}
    attachments = application.own_attachments
    for attachment in attachments:
        attachment.requirement_label = requirement_labels.get(attachment.requirement, "")
    deficiencies = list(application.deficiencies.all())
    return {
        "application": application,
        "area": application.area,
        "data_rows": _data_rows(application.area, application.data),
        "attachments": attachments,
        "deficiencies": deficiencies,
        "open_deficiency": next((d for d in deficiencies if d.answered_at is None), None),
        "delivery": delivery.delivery_state(application, today=today),
        "deliveries": list(application.decision_deliveries.all()),
        "delivery_warning_days": settings.DELIVERY_WARNING_DAYS,
        "deadline_state": _deadline_state(application, today),
        "extension_latest": services.extension_latest(application) if allowed["extend"] else None,
        "allowed": allowed,
        "may_process": may_process,
        "forms": forms,
        "PdfStatus": PdfStatus,
        "timeline_events": _timeline(application, Application),
        "timeline_id": f"mtr-application-{application.pk}",
        "today": today,
    }


def _render_detail(request, pk: int, bound: dict | None = None):
    application = get_object_or_404(_application_queryset(), pk=pk)
    context = _detail_context(request, application, bound)
    return render(request, "mtr/staff/application_detail.html", context)


class ApplicationDetailView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Everything the applicant gave, the processing clock, the requests for missing data, the
    decision and its letter, the history, and the actions the status allows."""

    permission_required = "mtr.view_application"

    def get(self, request, pk: int):
        return _render_detail(request, pk)


# --- Actions on an application ------------------------------------------------------------------


def _detail_url(pk: int, anchor: str = "") -> str:
    url = reverse("mtr:application-detail", args=[pk])
    return f"{url}#{anchor}" if anchor else url


def _processor_post(view):
    """POST only, signed in (else to the sign-in page), a processor (else 403)."""
    return require_POST(
        login_required(permission_required("mtr.process_application", raise_exception=True)(view))
    )


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
    problems = " ".join(form.non_field_errors())
    messages.error(
        request,
        _("Nothing was changed: %(problems)s") % {"problems": problems}
        if problems
        else _("Nothing was changed: see the messages below."),
    )
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


# --- Files and letters --------------------------------------------------------------------------


def _viewer(view):
    return login_required(permission_required("mtr.view_application", raise_exception=True)(view))


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


# --- The register of entries --------------------------------------------------------------------


class EntryListView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The register's entries by number, with a search, the status and the area; keyset pages
    of 25 (core.listing)."""

    permission_required = "mtr.view_entry"
    template_name = "mtr/staff/entry_list.html"
    per_page = 25

    def get(self, request):
        queryset = Entry.objects.select_related("business", "area")
        filterset = EntryFilter(request.GET or None, queryset=queryset, request=request)
        listing = Listing(
            request,
            filterset.qs.only(*Entry.LIST_ROW_FIELDS),
            orders=ENTRY_ORDERS,
            default=ENTRY_DEFAULT,
            per_page=self.per_page,
        )
        page = listing.page
        context = {
            "filter": filterset,
            "form": filterset.form,
            "page": page,
            "entries": page.rows,
            "filtering": any(request.GET.get(name) for name in filterset.filters),
        }
        return render(request, self.template_name, context)


# The entry actions: their services (mtr.workflows.ENTRY says when each may be taken).
ENTRY_ACTIONS = {
    "suspend": services.entry_suspend,
    "reinstate": services.entry_reinstate,
    "terminate": services.entry_terminate,
}


def _entry_context(request, entry: Entry, bound: dict | None = None) -> dict:
    bound = bound or {}
    may_change = request.user.has_perm("mtr.change_entry")
    forms = {}
    for action in ENTRY_ACTIONS:
        if action in bound:
            forms[action] = bound[action]
        elif may_change and ENTRY.allows(entry, action):
            forms[action] = EntryReasonForm(prefix=action)
    applications = list(
        entry.applications.select_related("assignee", "decided_by").order_by("submitted_at", "id")
    )
    return {
        "entry": entry,
        "data_rows": _data_rows(entry.area, entry.data),
        "applications": applications,
        "forms": forms,
        "may_view_applications": request.user.has_perm("mtr.view_application"),
        "timeline_events": _timeline(entry, Entry),
        "timeline_id": f"mtr-entry-{entry.pk}",
    }


def _render_entry(request, number: str, bound: dict | None = None):
    entry = get_object_or_404(Entry.objects.select_related("business", "area"), number=number)
    return render(request, "mtr/staff/entry_detail.html", _entry_context(request, entry, bound))


class EntryDetailView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "mtr.view_entry"

    def get(self, request, number: str):
        return _render_entry(request, number)


def _entry_post(view):
    return require_POST(
        login_required(permission_required("mtr.change_entry", raise_exception=True)(view))
    )


ENTRY_DONE = {
    "suspend": lambda: _("The entry %(number)s is suspended."),
    "reinstate": lambda: _("The entry %(number)s is valid again."),
    "terminate": lambda: _("The entry %(number)s is terminated."),
}


def _entry_action(request, number: str, action: str):
    entry = get_object_or_404(Entry, number=number)
    url = reverse("mtr:entry-detail", args=[entry.number])
    refusal = ENTRY.refusal(entry, action, request.user)
    if refusal:
        messages.error(request, refusal)
        return redirect(url)
    form = EntryReasonForm(request.POST, prefix=action)
    if form.is_valid():
        service = ENTRY_ACTIONS[action]
        try:
            service(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, ENTRY_DONE[action]() % {"number": entry.number})
            return redirect(url)
    problems = " ".join(form.non_field_errors())
    messages.error(
        request,
        _("Nothing was changed: %(problems)s") % {"problems": problems}
        if problems
        else _("Nothing was changed: see the messages below."),
    )
    return _render_entry(request, number, bound={action: form})


@_entry_post
def entry_suspend(request, number: str):
    return _entry_action(request, number, "suspend")


@_entry_post
def entry_reinstate(request, number: str):
    return _entry_action(request, number, "reinstate")


@_entry_post
def entry_terminate(request, number: str):
    return _entry_action(request, number, "terminate")


urlpatterns = [
    path("mtr/applications/", ApplicationListView.as_view(), name="application-list"),
    path("mtr/applications/<int:pk>/", ApplicationDetailView.as_view(), name="application-detail"),
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
    path("mtr/register/", EntryListView.as_view(), name="entry-list"),
    path("mtr/register/<str:number>/", EntryDetailView.as_view(), name="entry-detail"),
    path("mtr/register/<str:number>/suspend/", entry_suspend, name="entry-suspend"),
    path("mtr/register/<str:number>/reinstate/", entry_reinstate, name="entry-reinstate"),
    path("mtr/register/<str:number>/terminate/", entry_terminate, name="entry-terminate"),
]
