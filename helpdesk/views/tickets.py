"""The staff's support pages: the queue of tickets, a new ticket, one ticket's page with its
conversation and actions, and the download of a message's file.

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
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import View

from core import events
from core.counts import count_label, shown_count
from core.downloads import file_download
from core.forms import add_service_errors
from core.intake.models import InboundAttachment
from core.listing import Listing, listing_context
from core.submissions import SubmitOnceMixin, submit_once
from core.uploads import safe_display_name
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
from helpdesk.models import Article, InboundEmail, Message, MessageAttachment, Ticket
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


# --- Actions on a ticket ------------------------------------------------------------------------


def _detail_url(pk: int, anchor: str = "") -> str:
    url = reverse("helpdesk:ticket-detail", args=[pk])
    return f"{url}#{anchor}" if anchor else url


def _changer_post(view):
    """POST only, signed in (else to the sign-in page), may act on tickets (else 403)."""
    return require_POST(
        login_required(permission_required("helpdesk.change_ticket", raise_exception=True)(view))
    )


def _refused(request, ticket: Ticket):
    messages.error(
        request,
        _("This cannot be done to a ticket that is %(status)s.")
        % {"status": ticket.get_status_display()},
    )
    return redirect(_detail_url(ticket.pk))


def _failed(request, pk: int, action: str, form):
    problems = " ".join(form.non_field_errors())
    messages.error(
        request,
        _("Nothing was changed: %(problems)s") % {"problems": problems}
        if problems
        else _("Nothing was changed: see the messages below."),
    )
    return _render_detail(request, pk, bound={action: form})


def _reply_done(ticket: Ticket, then: str) -> str:
    if ticket.requester_email:
        text = _("The answer is e-mailed to %(email)s.") % {"email": ticket.requester_email}
    else:
        text = _("The answer is saved but not e-mailed: the requester gave no e-mail address.")
        if ticket.requester_phone:
            text += " " + _("Call them at %(phone)s.") % {"phone": ticket.requester_phone}
    if then == "wait":
        text += " " + _("The ticket waits for the requester; its clock stands until they write.")
    elif then == "resolve":
        text += " " + _("The ticket is resolved.")
        if ticket.requester_email:
            text += " " + _("The requester was asked to rate the answer.")
    return text


@never_cache
@_changer_post
@submit_once
def ticket_reply(request, pk: int):
    """Send the answer (then go on, wait for the requester, or resolve), or put a canned
    answer into it ("Insert": nothing is sent, the page comes back with the text)."""
    ticket = get_object_or_404(Ticket, pk=pk)
    if not _allowed(request.user, ticket)["reply"]:
        return _refused(request, ticket)
    articles = _articles()
    form = ReplyForm(request.POST, request.FILES, articles=articles)
    if form.is_valid():
        if form.inserting:
            article = form.cleaned_data["article"]
            text = services.canned_answer(article=article, ticket=ticket)
            body = (form.cleaned_data.get("body") or "").rstrip()
            filled = ReplyForm(
                initial={"body": f"{body}\n\n{text}" if body else text, "article": article.pk},
                articles=articles,
            )
            filled.fields["body"].widget.attrs["autofocus"] = True
            filled.inserted = article
            if request.FILES:
                messages.warning(
                    request, _("Choose the files again: the browser forgets them on inserting.")
                )
            return _render_detail(request, pk, bound={"reply": filled})
        then = form.cleaned_data["then"]
        try:
            services.ticket_reply(
                actor=request.user,
                ticket=ticket,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
                then=then,
            )
        except ValidationError as error:
            add_service_errors(form, error, default="body")
        else:
            ticket.refresh_from_db()
            messages.success(request, _reply_done(ticket, then))
            return redirect(_detail_url(pk, "conversation"))
    return _failed(request, pk, "reply", form)


@_changer_post
@submit_once
def ticket_note(request, pk: int):
    ticket = get_object_or_404(Ticket, pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.ticket_note(actor=request.user, ticket=ticket, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The note was added. Only staff see it."))
            return redirect(_detail_url(pk, "conversation"))
    return _failed(request, pk, "note", form)


@_changer_post
def ticket_assign(request, pk: int):
    """Give the ticket to a specialist, or take it ("take" in the POST)."""
    ticket = get_object_or_404(Ticket, pk=pk)
    take = bool(request.POST.get("take"))
    if not _allowed(request.user, ticket)["take" if take else "assign"]:
        return _refused(request, ticket)
    form = AssignForm(request.POST)
    if take:
        form = AssignForm({AssignForm.prefix + "-assignee": request.user.pk})
    if form.is_valid():
        assignee = form.cleaned_data["assignee"]
        try:
            services.ticket_assign(actor=request.user, ticket=ticket, assignee=assignee)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if assignee == request.user:
                messages.success(request, _("The ticket is yours."))
            else:
                messages.success(
                    request, _("The ticket is assigned to %(name)s.") % {"name": str(assignee)}
                )
            return redirect(_detail_url(pk))
    if take:
        messages.error(request, _("You do not handle tickets."))
        return redirect(_detail_url(pk))
    return _failed(request, pk, "assign", form)


@_changer_post
def ticket_update(request, pk: int):
    ticket = get_object_or_404(_ticket_queryset(), pk=pk)
    form = UpdateForm(request.POST, user=request.user, ticket=ticket)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.ticket_update(
                actor=request.user,
                ticket=ticket,
                category=data["category"],
                priority=data["priority"],
                document=data["document"],
                application=data["application"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The ticket was changed."))
            return redirect(_detail_url(pk, "about"))
    return _failed(request, pk, "update", form)


def _transition(request, pk: int, action: str, service, done: str):
    ticket = get_object_or_404(Ticket, pk=pk)
    if not _allowed(request.user, ticket)[action]:
        return _refused(request, ticket)
    try:
        service(actor=request.user, ticket=ticket)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(_detail_url(pk))


@_changer_post
def ticket_resolve(request, pk: int):
    return _transition(
        request, pk, "resolve", services.ticket_resolve, _("The ticket is resolved.")
    )


@_changer_post
def ticket_close(request, pk: int):
    return _transition(request, pk, "close", services.ticket_close, _("The ticket is closed."))


@_changer_post
def ticket_reopen(request, pk: int):
    return _transition(
        request, pk, "reopen", services.ticket_reopen, _("The ticket is open again.")
    )


# --- E-mails held for review (helpdesk/mail.py) ------------------------------------------------


@_changer_post
def inbound_accept(request, pk: int, inbound_pk: int):
    return _review(request, pk, inbound_pk, services.inbound_accept, _("The e-mail is added."))


@_changer_post
def inbound_reject(request, pk: int, inbound_pk: int):
    return _review(request, pk, inbound_pk, services.inbound_reject, _("The e-mail is rejected."))


def _review(request, pk: int, inbound_pk: int, service, done: str):
    inbound = get_object_or_404(InboundEmail, ticket_id=pk, pk=inbound_pk)
    try:
        service(actor=request.user, inbound=inbound)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(_detail_url(pk, "conversation"))


# --- Files --------------------------------------------------------------------------------------


@login_required
@permission_required("helpdesk.view_ticket", raise_exception=True)
def ticket_file(request, pk: int, file_pk: int):
    """A file of the ticket's conversation, as a download (only through its own ticket)."""
    attachment = get_object_or_404(MessageAttachment, message__ticket_id=pk, pk=file_pk)
    response = file_download(
        attachment.file,
        filename=attachment.name,
        content_type=attachment.content_type,
        active_content=attachment.active_content,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@permission_required("helpdesk.view_ticket", raise_exception=True)
def ticket_raw_email(request, pk: int, inbound_pk: int):
    """An e-mail of the ticket as it came (``.eml``; an Outlook file as ``.msg``), named after
    its subject: for staff who need its headers, its HTML or a file the page does not show."""
    inbound = get_object_or_404(
        InboundEmail.objects.select_related("inbound"),
        ticket_id=pk,
        pk=inbound_pk,
        inbound__isnull=False,
    )
    message = inbound.inbound
    outlook = message.raw_name.lower().endswith(".msg")
    stem = safe_display_name(message.subject or "", max_length=120) if message.subject else ""
    filename = f"{stem or f'e-mail-{inbound.pk}'}.{'msg' if outlook else 'eml'}"
    response = FileResponse(
        message.raw.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.ms-outlook" if outlook else "message/rfc822",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _quarantined_file(pk: int, file_pk: int):
    return get_object_or_404(
        InboundAttachment.objects.select_related("message"),
        pk=file_pk,
        message__helpdesk_email__ticket_id=pk,
    )


@login_required
@permission_required("helpdesk.change_ticket", raise_exception=True)
def quarantined_file(request, pk: int, file_pk: int):
    """A file in quarantine, as a download to look at before releasing it (never inline)."""
    from core.intake import services as intake

    attachment = _quarantined_file(pk, file_pk)
    if attachment.status != InboundAttachment.Status.QUARANTINED or not attachment.file:
        raise Http404
    response = intake.attachment_download(attachment)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@_changer_post
@submit_once
def quarantined_release(request, pk: int, file_pk: int):
    ticket = get_object_or_404(Ticket, pk=pk)
    attachment = _quarantined_file(pk, file_pk)
    try:
        services.quarantined_file_release(actor=request.user, ticket=ticket, attachment=attachment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The file %(name)s is released and added to its message.")
            % {"name": attachment.name},
        )
    return redirect(_detail_url(pk, "quarantine"))


@_changer_post
@submit_once
def quarantined_delete(request, pk: int, file_pk: int):
    ticket = get_object_or_404(Ticket, pk=pk)
    attachment = _quarantined_file(pk, file_pk)
    try:
        services.quarantined_file_delete(
            actor=request.user,
            ticket=ticket,
            attachment=attachment,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The file %(name)s is deleted.") % {"name": attachment.name})
    return redirect(_detail_url(pk, "quarantine"))


urlpatterns = [
    path("support/", TicketListView.as_view(), name="ticket-list"),
    path("support/new/", TicketCreateView.as_view(), name="ticket-new"),
    path("support/<int:pk>/", TicketDetailView.as_view(), name="ticket-detail"),
    path("support/<int:pk>/reply/", ticket_reply, name="ticket-reply"),
    path("support/<int:pk>/note/", ticket_note, name="ticket-note"),
    path("support/<int:pk>/assign/", ticket_assign, name="ticket-assign"),
    path("support/<int:pk>/update/", ticket_update, name="ticket-update"),
    path("support/<int:pk>/resolve/", ticket_resolve, name="ticket-resolve"),
    path("support/<int:pk>/close/", ticket_close, name="ticket-close"),
    path("support/<int:pk>/reopen/", ticket_reopen, name="ticket-reopen"),
    path("support/<int:pk>/files/<int:file_pk>/", ticket_file, name="ticket-file"),
    path("support/<int:pk>/e-mail/<int:inbound_pk>/", ticket_raw_email, name="ticket-raw-email"),
    path("support/<int:pk>/quarantine/<int:file_pk>/", quarantined_file, name="quarantined-file"),
    path(
        "support/<int:pk>/quarantine/<int:file_pk>/release/",
        quarantined_release,
        name="quarantined-release",
    ),
    path(
        "support/<int:pk>/quarantine/<int:file_pk>/delete/",
        quarantined_delete,
        name="quarantined-delete",
    ),
    path("support/<int:pk>/held/<int:inbound_pk>/accept/", inbound_accept, name="inbound-accept"),
    path("support/<int:pk>/held/<int:inbound_pk>/reject/", inbound_reject, name="inbound-reject"),
]
