"""The staff's support pages: the queue of tickets, a new ticket and one ticket's page with its
conversation. What is done from that page, and the downloads of its files, are in
``ticket_actions``.

Seeing needs ``helpdesk.view_ticket``, acting on a ticket ``helpdesk.change_ticket``, entering
one ``helpdesk.add_ticket``: a signed-in user without it gets 403, an anonymous one the sign-in
page. The actions are small forms on the ticket's page posting to POST-only views that call one
service each and redirect back with a message, or show the page again with the service's
messages next to the fields. Only the actions the status allows are shown; a stale form posted
anyway is refused with a message and changes nothing. The queue runs a fixed number of queries
whatever its length; each row's SLA state comes from its loaded fields.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.generic import View

from core import events
from core.counts import count_label, shown_count
from core.forms import add_service_errors
from core.listing import Listing, listing_context
from core.submissions import SubmitOnceMixin
from helpdesk import selectors, services
from helpdesk.filters import (
    ALL,
    PAGING_PARAMS,
    TICKET_DEFAULT,
    TICKET_ORDERS,
    UNRESOLVED,
    TicketFilter,
)
from helpdesk.forms.tickets import AssignForm, NoteForm, ReplyForm, TicketForm, UpdateForm
from helpdesk.models import Article, Message, MessageAttachment, Ticket
from helpdesk.workflows import TICKET

Status = Ticket.Status
DETAIL_TEMPLATE = "helpdesk/tickets/detail.html"


# --- The SLA shown in words ---------------------------------------------------------------------


def _duration(delta: timedelta) -> str:
    """A length of time as a person says it: minutes under an hour, hours under two days."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return ngettext("%(count)d min", "%(count)d min", minutes) % {"count": minutes}
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(count)d h", "%(count)d h", hours) % {"count": hours}
    days = hours // 24
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def _target_view(target: dict) -> dict:
    """One SLA target (services.sla_state) for the page: ``state``, the badge's ``css`` and
    ``text`` (in words, never colour alone), ``due``."""
    state, left = target["state"], target["left"]
    view = {"state": state, "due": target["due"], "css": "", "text": ""}
    if state == "none":
        view["text"] = _("no target")
    elif state == "met":
        view.update(css="text-bg-success", text=_("met"))
    elif state == "paused":
        view.update(css="text-bg-light border", text=_("paused"))
    elif state == "breached" and left is None:
        view.update(css="text-bg-light border border-danger", text=_("met late"))
    elif state == "breached":
        view.update(
            css="text-bg-danger", text=_("breached %(time)s ago") % {"time": _duration(-left)}
        )
    elif state == "soon":
        view.update(css="text-bg-warning", text=_("%(time)s left") % {"time": _duration(left)})
    else:
        view["text"] = _("%(time)s left") % {"time": _duration(left)}
    return view


def sla_view(ticket: Ticket, now=None) -> dict:
    """Both SLA targets of a ticket for the page (no queries)."""
    state = services.sla_state(ticket, now=now)
    return {"first": _target_view(state["first"]), "resolution": _target_view(state["resolution"])}


# --- The queue ----------------------------------------------------------------------------------


def _status_links(request, filterset: TicketFilter, counts: dict[str, int]) -> list[dict]:
    """The status links above the queue with their counts (``filterset.status_counts()``)."""
    current = filterset.form.cleaned_data.get("status") if filterset.form.is_valid() else None
    labels = [
        (UNRESOLVED, pgettext("tickets", "Not resolved")),
        *Status.choices,
        (ALL, _("All")),
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


class TicketListView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """What is not resolved by default, what breaches first on top; or by the time created or
    the subject. Filters and a search; keyset pages of 25 (core.listing)."""

    permission_required = "helpdesk.view_ticket"
    template_name = "helpdesk/tickets/list.html"
    per_page = 25

    def get(self, request):
        queryset = Ticket.objects.select_related("assignee")
        filterset = TicketFilter(request.GET, queryset=queryset, request=request)
        counts = filterset.status_counts()
        listing = Listing(
            request,
            filterset.qs.only(*Ticket.LIST_ROW_FIELDS),
            orders=TICKET_ORDERS,
            default=TICKET_DEFAULT,
            per_page=self.per_page,
            found=shown_count(filterset, counts),
        )
        columns = [
            (_("Reference"), None),
            (_("Subject and requester"), "subject"),
            (_("Category"), None),
            (_("Priority"), None),
            (_("Status"), None),
            (_("Service level"), "queue"),
            (_("Assignee"), None),
            (_("Created"), "-created"),
        ]
        page_context = listing_context(listing, columns)
        page = page_context["page"]
        now = timezone.now()
        for ticket in page.rows:
            ticket.sla = sla_view(ticket, now)
        filtering = (
            any(request.GET.get(name) for name in filterset.filters if name != "status")
            or request.GET.get("status", UNRESOLVED) != UNRESOLVED
        )
        context = {
            **page_context,
            "filter": filterset,
            "form": filterset.form,
            "tickets": page.rows,
            "status_links": _status_links(request, filterset, counts),
            "filtering": filtering,
        }
        return render(request, self.template_name, context)


# --- A new ticket -------------------------------------------------------------------------------


class TicketCreateView(LoginRequiredMixin, PermissionRequiredMixin, SubmitOnceMixin, View):
    """A ticket entered by staff: a phone call, a visitor's question, an e-mail sent to a
    colleague. The requester gets the reference by e-mail when they gave an address."""

    permission_required = "helpdesk.add_ticket"
    template_name = "helpdesk/tickets/form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": TicketForm()})

    def post(self, request):
        form = TicketForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                ticket = services.ticket_create(actor=request.user, **form.create_arguments())
            except ValidationError as error:
                add_service_errors(form, error, default="body")
            else:
                message = _("The ticket %(reference)s was made.") % {"reference": ticket.reference}
                if ticket.requester_email:
                    message += " " + _("Its reference is e-mailed to %(email)s.") % {
                        "email": ticket.requester_email
                    }
                messages.success(request, message)
                return redirect("helpdesk:ticket-detail", ticket.pk)
        context = {"form": form, "files_lost": bool(request.FILES) and bool(form.errors)}
        return render(request, self.template_name, context)


# --- One ticket ---------------------------------------------------------------------------------


def _ticket_queryset():
    return Ticket.objects.select_related("assignee", "document", "application")


def _conversation(ticket: Ticket) -> list[Message]:
    """The messages, oldest first, with their authors, e-mails (sent and received) and files
    (two queries)."""
    return list(
        ticket.messages.select_related(
            "author", "outbound_email", "inbound_email__inbound"
        ).prefetch_related(
            Prefetch("attachments", queryset=MessageAttachment.objects.order_by("pk"))
        )
    )


def _articles():
    """Every knowledge-base article, public and internal, as canned answers (one query)."""
    return list(Article.objects.order_by("category", "title_et", "pk"))


def _status_label(value) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return str(value)


def _timeline(ticket: Ticket) -> list:
    """The ticket's events, newest first, each with a one-line ``data.note`` (only on the
    in-memory copy; events are never saved here)."""
    timeline = list(events.for_object(ticket)[:200])
    then_labels = {
        "open": _("the ticket stays open"),
        "wait": _("waiting for the requester"),
        "resolve": _("resolved"),
    }
    for event in timeline:
        data = event.data or {}
        parts = []
        if "from" in data and "to" in data:
            parts.append(f"{_status_label(data['from'])} → {_status_label(data['to'])}")
        elif data.get("to"):
            parts.append(_("to %(name)s") % {"name": data["to"]})
        if data.get("then") in then_labels:
            parts.append(then_labels[data["then"]])
        if data.get("rating"):
            parts.append(_("%(rating)s of 5") % {"rating": data["rating"]})
        if parts and not data.get("note"):
            event.data = {**data, "note": "; ".join(parts)}
    return timeline


def _allowed(user, ticket: Ticket) -> dict[str, bool]:
    """Which actions the user may take now: the workflow's answer for the status changes
    (helpdesk.workflows), and the actions that change no status."""
    moves = TICKET.available(ticket, user)
    return {
        "reply": ticket.status != Status.CLOSED,
        "note": True,
        "assign": ticket.is_open,
        "take": ticket.is_open and ticket.assignee_id != user.pk,
        "update": True,
        "resolve": moves["resolve"],
        "close": moves["close"],
        "reopen": moves["reopen"],
    }


def _detail_context(request, ticket: Ticket, bound: dict | None = None) -> dict:
    user = request.user
    bound = bound or {}
    may_change = user.has_perm("helpdesk.change_ticket")
    allowed = _allowed(user, ticket)
    forms = {}
    if may_change:
        articles = _articles() if allowed["reply"] or "reply" in bound else []
        makers = {
            "reply": lambda: ReplyForm(articles=articles),
            "note": NoteForm,
            "assign": lambda: AssignForm(initial={"assignee": ticket.assignee_id}),
            "update": lambda: UpdateForm(user=user, ticket=ticket),
        }
        for action, make in makers.items():
            if action in bound:  # came back with its messages
                forms[action] = bound[action]
            elif allowed[action]:
                forms[action] = make()
    return {
        "ticket": ticket,
        "conversation": _conversation(ticket),
        "sla": sla_view(ticket),
        "allowed": allowed,
        "may_change": may_change,
        "forms": forms,
        "Kind": Message.Kind,
        "timeline_events": _timeline(ticket),
        "timeline_id": f"helpdesk-ticket-{ticket.pk}",
        "held_mail": selectors.held_mail(ticket),
        "quarantined": selectors.quarantined_files(ticket),
    }


def _render_detail(request, pk: int, bound: dict | None = None):
    ticket = get_object_or_404(_ticket_queryset(), pk=pk)
    return render(request, DETAIL_TEMPLATE, _detail_context(request, ticket, bound))


class TicketDetailView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The ticket: its requester, the clock, the conversation, the answer and the actions."""

    permission_required = "helpdesk.view_ticket"

    def get(self, request, pk: int):
        return _render_detail(request, pk)


urlpatterns = [
    path("support/", TicketListView.as_view(), name="ticket-list"),
    path("support/new/", TicketCreateView.as_view(), name="ticket-new"),
    path("support/<int:pk>/", TicketDetailView.as_view(), name="ticket-detail"),
]
