"""Composing a letter and editing a draft: a reply to an incoming document or a letter of its own,
from a template, to one or more recipients, each with the way it goes (post, e-mail, by hand)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import View

from core.forms import add_service_errors
from core.submissions import SubmitOnceMixin
from correspondence import services
from correspondence.forms.letters import (
    ADDRESSEE_ROWS,
    MAX_ADDRESSEES,
    LetterForm,
    addressee_formset,
    default_channel,
    signers,
)
from correspondence.models import Channel, Letter
from correspondence.views.letters import Status
from registry import deadlines
from registry import services as registry_services
from registry.forms.documents import resolve_party
from registry.forms.parties import party_label
from registry.models import Direction, Document, Party

FORM_TEMPLATE = "correspondence/letters/form.html"


def _incoming(request) -> Document | None:
    """The document ``?reply_to=`` names, if the user may see it (else 404, and the refusal of a
    restricted document is recorded as the register does)."""
    value = request.GET.get("reply_to", "")
    if not value:
        return None
    document = None
    if value.isdigit():
        document = (
            Document.objects.visible_to(request.user)
            .filter(pk=int(value), direction=Direction.INCOMING)
            .select_related("sender", "series")
            .first()
        )
        if document is None:
            hidden = Document.objects.restricted().filter(pk=int(value)).first()
            if hidden is not None:
                registry_services.restricted_refusal_record(actor=request.user, document=hidden)
    if document is None:
        raise Http404(_("No such document."))
    return document


def _incoming_state(document: Document | None) -> dict:
    """How the answered document stands against its deadline (for the badge)."""
    if document is None:
        return {}
    return deadlines.state(document, timezone.localdate())


def _rows_from(data) -> list[dict]:
    """The addressee rows as they were posted (typed text kept), empty rows left out."""
    try:
        total = min(int(data.get("addressees-TOTAL_FORMS", 0)), MAX_ADDRESSEES)
    except ValueError:
        total = 0
    rows = []
    for index in range(total):
        text = " ".join(data.get(f"addressees-{index}-party", "").split())
        party_id = data.get(f"addressees-{index}-party_id", "")
        if not text and not party_id.isdigit():
            continue
        rows.append(
            {
                "party": text,
                "party_id": party_id if party_id.isdigit() else "",
                "channel": data.get(f"addressees-{index}-channel") or Channel.POST,
            }
        )
    return rows


def _first_party(rows: list[dict], incoming: Document | None) -> Party | None:
    """The first addressee as far as it can be known from the rows (for a template's text)."""
    for row in rows:
        if row["party_id"]:
            party = Party.objects.filter(pk=row["party_id"]).first()
            if party is not None and row["party"].lower() in ("", party_label(party).lower()):
                return party
        found = resolve_party(row["party"])
        if len(found) == 1:
            return found[0]
        break
    return incoming.sender if incoming is not None else None


class LetterFormMixin:
    """What composing and editing share: the page, the "Use the template" and "More
    addressees" buttons (the form shown again, nothing saved), and the service's errors."""

    mode = "new"

    def form_kwargs(self) -> dict:
        return {"mode": self.mode, "is_reply": self.incoming is not None}

    def render_form(self, form, formset, *, status: int = 200):
        context = {
            "form": form,
            "formset": formset,
            "mode": self.mode,
            "incoming": self.incoming,
            "incoming_state": _incoming_state(self.incoming),
            "incoming_visible": self.incoming is not None
            and Document.objects.visible_to(self.request.user).filter(pk=self.incoming.pk).exists(),
            "letter": getattr(self, "letter", None),
            "placeholders": [
                ("{{ " + name + " }}", label) for name, label in services.PLACEHOLDERS.items()
            ],
            "files_lost": bool(self.request.FILES) and self.request.method == "POST",
            "max_addressees": MAX_ADDRESSEES,
            "action": self.request.get_full_path(),
            "party_options": [
                {"party": party, "label": party_label(party)}
                for party in (
                    [self.incoming.sender] if self.incoming and self.incoming.sender else []
                )
            ],
        }
        return render(self.request, FORM_TEMPLATE, context, status=status)

    def shown_again(self, request):
        """The form as posted, not saved: with a template's text, or with more rows."""
        data = request.POST
        names = ("series", "template", "language", "subject", "body", "signer")
        initial = {name: data.get(name, "") for name in names}
        initial["needs_approval"] = bool(data.get("needs_approval"))
        initial["needs_signature"] = bool(data.get("needs_signature"))
        rows = _rows_from(data)
        form = LetterForm(initial=initial, **self.form_kwargs())
        if "use_template" in data:
            template = form.chosen_template(data)
            if template is None:
                messages.warning(request, _("Choose a template first."))
            else:
                signer = (
                    signers().filter(pk=initial["signer"]).first()
                    if str(initial["signer"]).isdigit()
                    else None
                )
                subject, body = services.template_prefill(
                    template=template,
                    incoming=self.incoming,
                    addressee=_first_party(rows, self.incoming),
                    signer=signer or request.user,
                )
                initial.update(
                    subject=subject,
                    body=body,
                    template=template.pk,
                    needs_signature=template.needs_signature,
                )
                if self.mode != "edit":
                    initial["language"] = template.language
                form = LetterForm(initial=initial, **self.form_kwargs())
                messages.info(
                    request,
                    _("The text of the template “%(name)s” was filled in: check it and save.")
                    % {"name": template.name},
                )
        wanted = MAX_ADDRESSEES if "more_rows" in data else max(ADDRESSEE_ROWS, len(rows) + 1)
        formset = addressee_formset(initial=rows, rows=wanted)
        return self.render_form(form, formset)

    def put_errors(self, error: ValidationError, form, formset) -> None:
        if hasattr(error, "error_dict"):
            for key, messages_ in error.message_dict.items():
                if key == "addressees":
                    formset.add_service_errors(messages_)
                else:
                    form.add_error(key if key in form.fields else None, messages_)
        else:
            add_service_errors(form, error, default="files" if "files" in form.fields else None)


class LetterComposeView(
    LoginRequiredMixin, PermissionRequiredMixin, LetterFormMixin, SubmitOnceMixin, View
):
    """A new letter, from scratch or as the reply to a registered document (``?reply_to=``)."""

    permission_required = "correspondence.add_letter"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.incoming = _incoming(request)
            self.mode = "reply" if self.incoming is not None else "new"
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        incoming = self.incoming
        initial = {
            "language": "et",
            "signer": request.user.pk,
            "needs_signature": services.default_needs_signature(incoming=incoming),
        }
        rows = []
        if incoming is not None and incoming.sender is not None:
            sender = incoming.sender
            rows.append(
                {
                    "party": party_label(sender),
                    "party_id": str(sender.pk),
                    "channel": default_channel(sender, incoming.channel),
                }
            )
        form = LetterForm(initial=initial, **self.form_kwargs())
        return self.render_form(form, addressee_formset(initial=rows))

    def post(self, request):
        if "use_template" in request.POST or "more_rows" in request.POST:
            return self.shown_again(request)
        form = LetterForm(request.POST, request.FILES, **self.form_kwargs())
        formset = addressee_formset(request.POST)
        valid = form.is_valid()
        valid = formset.is_valid() and valid  # both checked: every message at once
        if valid:
            data = form.cleaned_data
            try:
                letter = services.letter_create(
                    actor=request.user,
                    subject=data["subject"],
                    body=data["body"],
                    signer=data["signer"],
                    addressees=formset.addressees(),
                    in_reply_to=self.incoming,
                    series=data.get("series"),
                    template=data.get("template"),
                    language=data["language"],
                    needs_approval=data["needs_approval"],
                    needs_signature=data["needs_signature"],
                    files=data.get("files") or (),
                )
            except ValidationError as error:
                self.put_errors(error, form, formset)
            else:
                messages.success(
                    request,
                    _("The letter was registered as %(number)s; its PDF is being made.")
                    % {"number": letter.number},
                )
                return redirect("correspondence:letter-detail", letter.pk)
        return self.render_form(form, formset)


class LetterEditView(LoginRequiredMixin, PermissionRequiredMixin, LetterFormMixin, View):
    """Change a draft (or a letter the head returned): text, signer, addressees, approval."""

    permission_required = "correspondence.change_letter"
    mode = "edit"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.letter = get_object_or_404(
                Letter.objects.visible_to(request.user).select_related(
                    "document", "in_reply_to", "in_reply_to__sender"
                ),
                pk=kwargs["pk"],
            )
            self.incoming = self.letter.in_reply_to
            if self.letter.status != Status.DRAFT:
                messages.error(
                    request,
                    _("Only a draft can be changed; this letter is %(status)s.")
                    % {"status": self.letter.get_status_display()},
                )
                return redirect("correspondence:letter-detail", self.letter.pk)
        return super().dispatch(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        return {
            "mode": "edit",
            "is_reply": self.letter.in_reply_to_id is not None,
            "language": self.letter.language,
        }

    def get(self, request, pk: int):
        letter = self.letter
        initial = {
            "template": letter.template_id,
            "subject": letter.subject,
            "body": letter.body,
            "signer": letter.signer_id,
            "needs_approval": letter.needs_approval,
            "needs_signature": letter.needs_signature,
        }
        rows = [
            {"party": party_label(d.party), "party_id": str(d.party_id), "channel": d.channel}
            for d in letter.dispatches.select_related("party").order_by("id")
        ]
        form = LetterForm(initial=initial, **self.form_kwargs())
        return self.render_form(form, addressee_formset(initial=rows))

    def post(self, request, pk: int):
        if "use_template" in request.POST or "more_rows" in request.POST:
            return self.shown_again(request)
        form = LetterForm(request.POST, **self.form_kwargs())
        formset = addressee_formset(request.POST)
        valid = form.is_valid()
        valid = formset.is_valid() and valid
        if valid:
            data = form.cleaned_data
            try:
                services.letter_update(
                    actor=request.user,
                    letter=self.letter,
                    subject=data["subject"],
                    body=data["body"],
                    signer=data["signer"],
                    addressees=formset.addressees(),
                    needs_approval=data["needs_approval"],
                    needs_signature=data["needs_signature"],
                )
            except ValidationError as error:
                self.put_errors(error, form, formset)
            else:
                messages.success(request, _("The letter was changed; its PDF is made again."))
                return redirect("correspondence:letter-detail", self.letter.pk)
        return self.render_form(form, formset)


urlpatterns = [
    path("letters/new/", LetterComposeView.as_view(), name="letter-new"),
    path("letters/<int:pk>/edit/", LetterEditView.as_view(), name="letter-edit"),
]
