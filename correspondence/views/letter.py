"""One letter's page: what it says, its copies and their dispatch, its timeline and the actions the
workflow offers the user (correspondence.workflows), its status for the page's polling, and the
downloads of its PDF and signed container."""

from __future__ import annotations

from csp.decorators import csp_replace
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import Prefetch
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import View

from core import events
from core.actions import viewing
from core.downloads import file_download
from correspondence import services, signing, verdicts
from correspondence.forms.letters import (
    CancelForm,
    DeliveredForm,
    PhoneSignForm,
    ReturnedForm,
    ReturnForm,
    SignForm,
    TrackingForm,
)
from correspondence.models import Dispatch, Letter, PdfStatus, SigningSession
from correspondence.views.compose import _incoming_state
from correspondence.views.letters import Status, _pdf_filename
from correspondence.workflows import DISPATCH, LETTER, UNSENT
from registry.models import Document

DETAIL_TEMPLATE = "correspondence/letters/detail.html"
CONTAINER_TYPE = "application/vnd.etsi.asic-e+zip"


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


_viewer = viewing("correspondence.view_letter")


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
    path("letters/<int:pk>/", LetterDetailView.as_view(), name="letter-detail"),
    path("letters/<int:pk>/pdf/", letter_pdf, name="letter-pdf"),
    path("letters/<int:pk>/container/", letter_container, name="letter-container"),
    path("letters/<int:pk>/status/", LetterStatusView.as_view(), name="letter-status"),
]
