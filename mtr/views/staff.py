"""The processors' pages of the MTR: the queue of applications and one application's page. What
is done from that page and its downloads are in ``application_actions``, the register of entries
in ``register``.

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
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.generic import View

from core import events
from core.counts import count_label, shown_count
from core.listing import Listing, listing_context
from mtr import delivery, services
from mtr.filters import (
    ALL,
    APPLICATION_DEFAULT,
    APPLICATION_ORDERS,
    OPEN,
    PAGING_PARAMS,
    SOON_DAYS,
    ApplicationFilter,
)
from mtr.forms.staff import (
    AssignForm,
    CheckForm,
    ClaimForm,
    DecideForm,
    DeliveryForm,
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
    PdfStatus,
)
from mtr.workflows import APPLICATION

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


def _detail_url(pk: int, anchor: str = "") -> str:
    url = reverse("mtr:application-detail", args=[pk])
    return f"{url}#{anchor}" if anchor else url


urlpatterns = [
    path("mtr/applications/", ApplicationListView.as_view(), name="application-list"),
    path("mtr/applications/<int:pk>/", ApplicationDetailView.as_view(), name="application-detail"),
]
