"""The letter pages: the list, composing (from scratch or as the reply to a registered document),
editing a draft, a letter's page with its actions, and the downloads of its PDF and signed
container.

Seeing needs ``correspondence.view_letter``; composing ``add_letter``; editing, signing,
submitting and cancelling ``change_letter``; approving and returning ``approve_letter`` (the
head); sending and what follows it ``send_letter``. A signed-in user without the permission gets
403, an anonymous one the sign-in page. A reply can only be written to a document the user may
see (``Document.objects.visible_to``): any other id answers 404, as one that does not exist.

The actions are small forms on the letter's page (``<details>``: no JavaScript needed) posting to
POST-only views that call one service each and redirect back with a message, or show the page
again with the service's messages next to the fields. Only the actions the letter's status
allows are shown; a stale form posted anyway is refused with a message and changes nothing.
"""

from __future__ import annotations

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST
from django.views.generic import View

from core import events
from core.downloads import file_download
from core.forms import add_service_errors
from core.listing import Listing, Order
from core.submissions import SubmitOnceMixin, submit_once
from correspondence import services, siga, signing, verdicts
from correspondence.filters import MY_DRAFTS, TO_APPROVE, LetterFilter
from correspondence.forms.letters import (
    ADDRESSEE_ROWS,
    MAX_ADDRESSEES,
    CancelForm,
    DeliveredForm,
    LetterForm,
    PhoneSignForm,
    ReturnedForm,
    ReturnForm,
    SignForm,
    TrackingForm,
    addressee_formset,
    default_channel,
    signers,
)
from correspondence.models import Channel, Dispatch, Letter, PdfStatus, SigningSession
from correspondence.workflows import DISPATCH, LETTER, UNSENT
from registry import deadlines
from registry import services as registry_services
from registry.forms.documents import resolve_party
from registry.forms.parties import party_label, party_search
from registry.models import Direction, Document, Party

Status = Letter.Status
FORM_TEMPLATE = "correspondence/letters/form.html"
DETAIL_TEMPLATE = "correspondence/letters/detail.html"
CONTAINER_TYPE = "application/vnd.etsi.asic-e+zip"


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def _pdf_filename(letter: Letter) -> str:
    return f"{letter.number.replace('/', '_')}.pdf"


# --- The list -----------------------------------------------------------------------------------


# Newest first (indexes corr_letter_*: alone, and after a status or a signer chosen).
ORDERS = {"-created": Order(("-created",))}


class LetterListView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Every letter, newest first: filters, a search, 25 a page by keyset (core.listing), a fixed
    number of queries."""

    permission_required = "correspondence.view_letter"
    template_name = "correspondence/letters/list.html"

    def get(self, request):
        queryset = Letter.objects.visible_to(request.user).with_list_data()
        filterset = LetterFilter(request.GET or None, queryset=queryset, request=request)
        page = Listing(request, filterset.qs, orders=ORDERS, default="-created", per_page=25).page
        show = request.GET.get("show", "")
        quick = [{"key": "", "label": _("All letters")}]
        if request.user.has_perm("correspondence.add_letter"):
            quick.append({"key": MY_DRAFTS, "label": _("My drafts")})
        if request.user.has_perm("correspondence.approve_letter"):
            quick.append({"key": TO_APPROVE, "label": _("Awaiting my approval")})
        for link in quick:
            link["url"] = (
                f"?show={link['key']}" if link["key"] else reverse("correspondence:letter-list")
            )
            link["current"] = link["key"] == show
        context = {
            "filter": filterset,
            "form": filterset.form,
            "page": page,
            "letters": page.rows,
            "quick_links": quick if len(quick) > 1 else [],
            "filtering": any(request.GET.get(name) for name in filterset.filters if name != "show"),
            "show": show,
        }
        return render(request, self.template_name, context)


class PartySearchView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Parties matching what is typed in an addressee's field (?addressees-N-party= or ?q=): at
    most 10, as the <option>s of the addressees' <datalist> (the register's party search)."""

    permission_required = "correspondence.add_letter"

    def get(self, request):
        text = request.GET.get("q", "")
        for key, value in request.GET.items():
            if key.endswith("-party"):
                text = value
                break
        parties = [{"party": party, "label": party_label(party)} for party in party_search(text)]
        return render(request, "registry/documents/party_options.html", {"parties": parties})


# --- Composing and editing ----------------------------------------------------------------------


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


# --- One letter ---------------------------------------------------------------------------------


def _letter_queryset():
    """Everything the page shows, in a fixed number of queries."""
    return Letter.objects.select_related(
        "document",
        "signer",
        "created_by",
        "approved_by",
        "template",
        "in_reply_to",
        "in_reply_to__sender",
    ).prefetch_related(
        Prefetch(
            "dispatches",
            queryset=Dispatch.objects.select_related(
                "party", "outbound_email", "dispatch_list"
            ).order_by("id"),
        )
    )


def _allowed(user, letter: Letter) -> dict[str, bool]:
    """Which letter actions the user may do now: the workflow's answer for the status changes
    (correspondence.workflows), and the edits and signing, which change no status."""
    moves = LETTER.available(letter, user)
    unsent = letter.status in UNSENT
    may_change = user.has_perm("correspondence.change_letter")
    has_container = bool(letter.container)
    return {
        "edit": may_change and letter.status == Status.DRAFT,
        "submit": moves["submit"],
        "approve": moves["approve"],
        "return": moves["return"],
        "cancel": moves["cancel"],
        "sign": may_change and unsent,
        "check_signatures": may_change and unsent and has_container,
        "remove_container": may_change and unsent and has_container,
        "sign_phone": signing.may_sign(user, letter),
        "send": moves["send"],
    }


def _dispatch_allowed(user, dispatch: Dispatch) -> dict[str, bool]:
    """What the page offers for a copy: its workflow's moves (a return is a bounce by e-mail)."""
    moves = DISPATCH.available(dispatch, user)
    return {
        "retry": moves["retry"],
        "tracking": moves["tracking"],
        "delivered": moves["delivered"],
        "returned": moves["returned"] or moves["bounced"],
    }


LETTER_FORMS = {
    "return": ReturnForm,
    "cancel": CancelForm,
    "sign": SignForm,
    "sign_phone": PhoneSignForm,
}
DISPATCH_FORMS = {"tracking": TrackingForm, "delivered": DeliveredForm, "returned": ReturnedForm}


def _status_label(value) -> str:
    for model in (Letter, Dispatch):
        try:
            return str(model.Status(value).label)
        except ValueError:
            continue
    return str(value)


def _timeline(letter: Letter) -> list:
    """The letter's events, newest first, each with a one-line ``data.note`` (only on the
    in-memory copy; events are never saved here)."""
    timeline = list(events.for_object(letter)[:200])
    for event in timeline:
        data = event.data or {}
        parts = []
        if "from" in data and "to" in data:
            parts.append(f"{_status_label(data['from'])} → {_status_label(data['to'])}")
        elif data.get("to"):
            parts.append(_("to %(name)s") % {"name": data["to"]})
        if data.get("number"):
            parts.append(_("number %(number)s") % {"number": data["number"]})
        if data.get("code"):
            parts.append(_("tracking code %(code)s") % {"code": data["code"]})
        if data.get("on"):
            parts.append(str(data["on"]))
        if data.get("signers"):
            parts.append(", ".join(str(name) for name in data["signers"]))
        for key, label in (("comment", _("comment")), ("reason", _("reason"))):
            if data.get(key):
                parts.append(f"{label}: {data[key]}")
        if parts and not data.get("note"):
            event.data = {**data, "note": "; ".join(parts)}
    return timeline


def _detail_context(request, letter: Letter, bound: dict | None = None) -> dict:
    user = request.user
    bound = bound or {}
    allowed = _allowed(user, letter)
    forms = {}
    for action, form_class in LETTER_FORMS.items():
        if action in bound:
            forms[action] = bound[action]
        elif allowed[action]:
            forms[action] = form_class()
    dispatches = list(letter.dispatches.all())
    for dispatch in dispatches:
        dispatch.allowed = _dispatch_allowed(user, dispatch)
        dispatch.forms = {}
        for action, form_class in DISPATCH_FORMS.items():
            key = (action, dispatch.pk)
            if key in bound:
                dispatch.forms[action] = bound[key]
            elif dispatch.allowed[action]:
                dispatch.forms[action] = form_class(prefix=f"{action}-{dispatch.pk}")
    signatures = [
        {**signer, "signed_at": parse_datetime(signer.get("signed_at") or "")}
        for signer in (letter.container_signers or [])
    ]
    sessions = list(letter.signing_sessions.all()[:1]) if signing.available() else []
    session = sessions[0] if sessions else None
    if session is not None and session.status != SigningSession.Status.PENDING:
        recent = timezone.now() - (session.finished_at or session.created)
        session = session if recent.total_seconds() < 15 * 60 else None
    incoming = letter.in_reply_to
    incoming_visible = (
        incoming is not None and Document.objects.visible_to(user).filter(pk=incoming.pk).exists()
    )
    preview = None
    if letter.pdf_status != PdfStatus.READY:
        preview = services.letter_context(letter)
    return {
        "letter": letter,
        "dispatches": dispatches,
        "allowed": allowed,
        "forms": forms,
        "signatures": signatures,
        "incoming": incoming,
        "incoming_visible": incoming_visible,
        "incoming_state": _incoming_state(incoming),
        "preview": preview,
        "pdf_ready": letter.pdf_status == PdfStatus.READY and bool(letter.pdf),
        "PdfStatus": PdfStatus,
        "Status": Status,
        "send_waits_for_pdf": allowed["send"]
        and letter.pdf_status != PdfStatus.READY
        and not letter.container,
        "signature_problem": services.signature_problem(letter),
        "verdict": verdicts.shown(letter) if letter.container else None,
        "signing_session": session,
        "SigningSession": SigningSession,
        "timeline_events": _timeline(letter),
        "timeline_id": f"correspondence-letter-{letter.pk}",
    }


def _render_detail(request, pk: int, bound: dict | None = None):
    letter = get_object_or_404(_letter_queryset().visible_to(request.user), pk=pk)
    response = render(request, DETAIL_TEMPLATE, _detail_context(request, letter, bound))
    response["Cache-Control"] = "private, no-store"
    return response


class LetterDetailView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The letter, its PDF, its addressees and what became of each copy, the approval, the
    signed container, the history, and the actions the status allows."""

    permission_required = "correspondence.view_letter"

    def get(self, request, pk: int):
        return _render_detail(request, pk)


class LetterStatusView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The PDF's and the letter's state as JSON, for the page's progress poll."""

    permission_required = "correspondence.view_letter"

    def get(self, request, pk: int):
        letter = get_object_or_404(
            Letter.objects.visible_to(request.user).only("pdf_status", "status"), pk=pk
        )
        response = JsonResponse({"pdf_status": letter.pdf_status, "status": letter.status})
        response["Cache-Control"] = "no-store"
        return response


# --- Actions ------------------------------------------------------------------------------------


def _post(permission: str):
    """POST only, signed in (else to the sign-in page), with ``permission`` (else 403)."""

    def decorator(view):
        return require_POST(
            login_required(permission_required(permission, raise_exception=True)(view))
        )

    return decorator


def _detail_url(pk: int, anchor: str = "") -> str:
    url = reverse("correspondence:letter-detail", args=[pk])
    return f"{url}#{anchor}" if anchor else url


def _refused(request, letter: Letter):
    messages.error(
        request,
        _("This cannot be done to a letter that is %(status)s.")
        % {"status": letter.get_status_display()},
    )
    return redirect(_detail_url(letter.pk))


def _failed(request, pk: int, form, key):
    problems = " ".join(form.non_field_errors())
    messages.error(
        request,
        _("Nothing was changed: %(problems)s") % {"problems": problems}
        if problems
        else _("Nothing was changed: see the messages below."),
    )
    return _render_detail(request, pk, bound={key: form})


def _letter_action(request, pk: int, action: str, perform, *, anchor: str = "actions"):
    """An action on the letter: allowed by its status, its form parsed, one service called."""
    letter = get_object_or_404(Letter.objects.visible_to(request.user), pk=pk)
    if not _allowed(request.user, letter)[action]:
        return _refused(request, letter)
    form_class = LETTER_FORMS.get(action)
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is None or form.is_valid():
        try:
            message = perform(letter, form.cleaned_data if form else {})
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect(_detail_url(pk, anchor))
            add_service_errors(form, error, default=next(iter(form.fields)))
        else:
            messages.success(request, message)
            return redirect(_detail_url(pk, anchor))
    return _failed(request, pk, form, action)


def _dispatch_action(request, pk: int, action: str, perform):
    """An action on one addressee's copy (``pk`` is the dispatch's)."""
    dispatch = get_object_or_404(
        Dispatch.objects.select_related("letter").filter(
            letter__in=Letter.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    letter_pk = dispatch.letter_id
    if not _dispatch_allowed(request.user, dispatch)[action]:
        messages.error(
            request,
            _("This cannot be done to the copy for %(name)s: it is %(status)s.")
            % {"name": dispatch.name, "status": dispatch.get_status_display()},
        )
        return redirect(_detail_url(letter_pk, "addressees"))
    form_class = DISPATCH_FORMS.get(action)
    form = form_class(request.POST, prefix=f"{action}-{dispatch.pk}") if form_class else None
    if form is None or form.is_valid():
        try:
            message = perform(dispatch, form.cleaned_data if form else {})
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect(_detail_url(letter_pk, "addressees"))
            add_service_errors(form, error, default=next(iter(form.fields)))
        else:
            messages.success(request, message)
            return redirect(_detail_url(letter_pk, "addressees"))
    return _failed(request, letter_pk, form, (action, dispatch.pk))


@_post("correspondence.change_letter")
@submit_once
def letter_submit(request, pk: int):
    def perform(letter, data):
        services.letter_submit(actor=request.user, letter=letter)
        return _("The letter was sent to the head for approval.")

    return _letter_action(request, pk, "submit", perform, anchor="approval")


@_post("correspondence.approve_letter")
def letter_approve(request, pk: int):
    def perform(letter, data):
        services.letter_approve(actor=request.user, letter=letter)
        return _("The letter is approved and can be sent.")

    return _letter_action(request, pk, "approve", perform, anchor="approval")


@_post("correspondence.approve_letter")
def letter_return(request, pk: int):
    def perform(letter, data):
        services.letter_return(actor=request.user, letter=letter, comment=data["comment"])
        return _("The letter was returned to its author as a draft.")

    return _letter_action(request, pk, "return", perform, anchor="approval")


@_post("correspondence.change_letter")
def letter_cancel(request, pk: int):
    def perform(letter, data):
        services.letter_cancel(actor=request.user, letter=letter, reason=data["reason"])
        return _("The letter was cancelled.")

    return _letter_action(request, pk, "cancel", perform)


@_post("correspondence.change_letter")
@submit_once
def letter_sign(request, pk: int):
    def perform(letter, data):
        letter, warnings = services.letter_attach_container(
            actor=request.user, letter=letter, uploaded=data["container"]
        )
        for warning in warnings:
            messages.warning(request, warning)
        names = ", ".join(signer["name"] for signer in letter.container_signers)
        return _("The signed container was added; signed by %(names)s.") % {"names": names}

    return _letter_action(request, pk, "sign", perform, anchor="signed")


@_post("correspondence.change_letter")
@submit_once
def letter_check_signatures(request, pk: int):
    def perform(letter, data):
        letter = services.letter_check_container(actor=request.user, letter=letter)
        return _("The signatures were checked: %(verdict)s.") % {
            "verdict": verdicts.label(letter.verdict_status)
        }

    return _letter_action(request, pk, "check_signatures", perform, anchor="signed")


@_post("correspondence.change_letter")
@submit_once
def letter_remove_container(request, pk: int):
    def perform(letter, data):
        services.letter_remove_container(actor=request.user, letter=letter)
        return _("The signed container was removed.")

    return _letter_action(request, pk, "remove_container", perform, anchor="signed")


@_post("correspondence.view_letter")
@submit_once
def letter_sign_phone(request, pk: int):
    """The signer starts signing on the phone (Smart-ID or Mobile-ID through SiGa)."""

    def perform(letter, data):
        try:
            signing.signing_start(
                actor=request.user,
                letter=letter,
                method=data["method"],
                person_code=data["person_code"],
                phone=data["phone"],
            )
        except siga.SigaError as error:
            raise ValidationError(error.message) from error
        return _("Confirm the signing on your phone if it shows the same verification code.")

    return _letter_action(request, pk, "sign_phone", perform, anchor="signed")


def _session(request, pk: int) -> SigningSession:
    """The user's own signing session of a letter they may see (else 404)."""
    return get_object_or_404(
        SigningSession.objects.select_related("letter").filter(
            letter__in=Letter.objects.visible_to(request.user), signer=request.user
        ),
        pk=pk,
    )


def _poll(session: SigningSession) -> SigningSession:
    if session.status != SigningSession.Status.PENDING or not signing.available():
        return session
    return signing.signing_poll(session_id=session.pk)


@login_required
@permission_required("correspondence.view_letter", raise_exception=True)
def signing_status(request, pk: int):
    """How the signing on the phone stands, as JSON, for the page's poll (it asks SiGa)."""
    session = _poll(_session(request, pk))
    response = JsonResponse({"status": session.status, "error": session.error})
    response["Cache-Control"] = "no-store"
    return response


@_post("correspondence.view_letter")
@submit_once
def signing_check(request, pk: int):
    """The "Check now" button: ask SiGa, then show the letter's page (no JavaScript needed)."""
    session = _poll(_session(request, pk))
    if session.status == SigningSession.Status.SIGNED:
        messages.success(request, _("The letter is signed; the signed container was added."))
    elif session.status == SigningSession.Status.FAILED:
        messages.error(request, session.error)
    elif session.error:
        messages.warning(request, session.error)
    else:
        messages.info(request, _("Still waiting for the confirmation on the phone."))
    return redirect(_detail_url(session.letter_id, "signed"))


@_post("correspondence.view_letter")
@submit_once
def signing_cancel(request, pk: int):
    session = _session(request, pk)
    signing.signing_cancel(actor=request.user, session=session)
    messages.info(request, _("The signing on the phone was cancelled."))
    return redirect(_detail_url(session.letter_id, "signed"))


@_post("correspondence.send_letter")
@submit_once
def letter_send(request, pk: int):
    def perform(letter, data):
        services.letter_send(actor=request.user, letter=letter)
        lists = sorted(
            {
                d.dispatch_list.day
                for d in Dispatch.objects.filter(
                    letter=letter, dispatch_list__isnull=False
                ).select_related("dispatch_list")
            }
        )
        message = _("The letter is being sent: its e-mails will go out shortly.")
        if lists:
            message += " " + _("Post copies are on the dispatch list of %(day)s.") % {
                "day": ", ".join(_date(day) for day in lists)
            }
        return message

    return _letter_action(request, pk, "send", perform, anchor="addressees")


@_post("correspondence.send_letter")
@submit_once
def dispatch_retry(request, pk: int):
    def perform(dispatch, data):
        services.dispatch_retry(actor=request.user, dispatch=dispatch)
        return _("The e-mail to %(name)s is sent again.") % {"name": dispatch.name}

    return _dispatch_action(request, pk, "retry", perform)


@_post("correspondence.send_letter")
def dispatch_tracking(request, pk: int):
    def perform(dispatch, data):
        dispatch = services.dispatch_record_tracking(
            actor=request.user, dispatch=dispatch, tracking_code=data["tracking_code"]
        )
        return _("The tracking code %(code)s was recorded.") % {"code": dispatch.tracking_code}

    return _dispatch_action(request, pk, "tracking", perform)


@_post("correspondence.send_letter")
def dispatch_delivered(request, pk: int):
    def perform(dispatch, data):
        services.dispatch_record_delivery(
            actor=request.user, dispatch=dispatch, delivered_on=data["delivered_on"]
        )
        return _("The delivery to %(name)s on %(date)s was recorded.") % {
            "name": dispatch.name,
            "date": _date(data["delivered_on"]),
        }

    return _dispatch_action(request, pk, "delivered", perform)


@_post("correspondence.send_letter")
def dispatch_returned(request, pk: int):
    def perform(dispatch, data):
        dispatch = services.dispatch_record_return(
            actor=request.user,
            dispatch=dispatch,
            returned_on=data["returned_on"],
            reason=data["reason"],
        )
        if dispatch.status == Dispatch.Status.BOUNCED:
            return _("The bounced e-mail to %(name)s was recorded.") % {"name": dispatch.name}
        return _("The letter returned from %(name)s was recorded.") % {"name": dispatch.name}

    return _dispatch_action(request, pk, "returned", perform)


# --- Downloads ----------------------------------------------------------------------------------


def _viewer(view):
    return login_required(
        permission_required("correspondence.view_letter", raise_exception=True)(view)
    )


@_viewer
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
def letter_pdf(request, pk: int):
    """The letter's PDF, shown in the browser (and in the letter's page) as ``<number>.pdf``."""
    letter = get_object_or_404(Letter.objects.visible_to(request.user), pk=pk)
    if letter.pdf_status != PdfStatus.READY or not letter.pdf:
        raise Http404(_("The PDF of the letter is not ready."))
    response = FileResponse(
        letter.pdf.open("rb"), filename=_pdf_filename(letter), content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@_viewer
def letter_container(request, pk: int):
    """The signed container as it arrived, as a download."""
    letter = get_object_or_404(Letter.objects.visible_to(request.user), pk=pk)
    if not letter.container:
        raise Http404(_("The letter has no signed container."))
    response = file_download(
        letter.container, filename=letter.container_name, content_type=CONTAINER_TYPE
    )
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("letters/", LetterListView.as_view(), name="letter-list"),
    path("letters/new/", LetterComposeView.as_view(), name="letter-new"),
    path("letters/parties/", PartySearchView.as_view(), name="letter-party-search"),
    path("letters/<int:pk>/", LetterDetailView.as_view(), name="letter-detail"),
    path("letters/<int:pk>/edit/", LetterEditView.as_view(), name="letter-edit"),
    path("letters/<int:pk>/pdf/", letter_pdf, name="letter-pdf"),
    path("letters/<int:pk>/container/", letter_container, name="letter-container"),
    path("letters/<int:pk>/status/", LetterStatusView.as_view(), name="letter-status"),
    path("letters/<int:pk>/submit/", letter_submit, name="letter-submit"),
    path("letters/<int:pk>/approve/", letter_approve, name="letter-approve"),
    path("letters/<int:pk>/return/", letter_return, name="letter-return"),
    path("letters/<int:pk>/cancel/", letter_cancel, name="letter-cancel"),
    path("letters/<int:pk>/sign/", letter_sign, name="letter-sign"),
    path("letters/<int:pk>/sign/phone/", letter_sign_phone, name="letter-sign-phone"),
    path(
        "letters/<int:pk>/signatures/check/",
        letter_check_signatures,
        name="letter-check-signatures",
    ),
    path(
        "letters/<int:pk>/container/remove/",
        letter_remove_container,
        name="letter-remove-container",
    ),
    path("signing/<int:pk>/status/", signing_status, name="signing-status"),
    path("signing/<int:pk>/check/", signing_check, name="signing-check"),
    path("signing/<int:pk>/cancel/", signing_cancel, name="signing-cancel"),
    path("letters/<int:pk>/send/", letter_send, name="letter-send"),
    path("dispatches/<int:pk>/retry/", dispatch_retry, name="dispatch-retry"),
    path("dispatches/<int:pk>/tracking/", dispatch_tracking, name="dispatch-tracking"),
    path("dispatches/<int:pk>/delivered/", dispatch_delivered, name="dispatch-delivered"),
    path("dispatches/<int:pk>/returned/", dispatch_returned, name="dispatch-returned"),
]
