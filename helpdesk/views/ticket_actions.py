"""What is done to a ticket from its page: replying (by e-mail to the requester), an internal note,
assigning, changing its category and priority, resolving, closing and reopening
(helpdesk.workflows TICKET), accepting or rejecting an e-mail held for review, and the downloads
of its files and e-mails and the files held in quarantine."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.actions import nothing_changed, post_with
from core.downloads import file_download
from core.forms import add_service_errors
from core.intake.models import InboundAttachment
from core.submissions import submit_once
from core.uploads import safe_display_name
from helpdesk import services
from helpdesk.forms.tickets import AssignForm, NoteForm, ReplyForm, UpdateForm
from helpdesk.models import InboundEmail, MessageAttachment, Ticket
from helpdesk.views.tickets import _allowed, _articles, _render_detail, _ticket_queryset


def _detail_url(pk: int, anchor: str = "") -> str:
    url = reverse("helpdesk:ticket-detail", args=[pk])
    return f"{url}#{anchor}" if anchor else url


_changer_post = post_with("helpdesk.change_ticket")


def _refused(request, ticket: Ticket):
    messages.error(
        request,
        _("This cannot be done to a ticket that is %(status)s.")
        % {"status": ticket.get_status_display()},
    )
    return redirect(_detail_url(ticket.pk))


def _failed(request, pk: int, action: str, form):
    nothing_changed(request, form)
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
