"""What is done to a letter from its page: the approval steps, signing (with the ID card, Mobile-ID
or Smart-ID, and its session's polling), sending, and the clerk's steps of each copy's dispatch
(sending a failed e-mail again, the tracking code, the delivery, the return)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _

from core.actions import nothing_changed, post_with
from core.forms import add_service_errors
from core.submissions import submit_once
from correspondence import services, siga, signing, verdicts
from correspondence.models import Dispatch, Letter, SigningSession
from correspondence.views.letter import (
    DISPATCH_FORMS,
    LETTER_FORMS,
    _allowed,
    _dispatch_allowed,
    _render_detail,
)
from correspondence.views.letters import _date


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
    nothing_changed(request, form)
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


@post_with("correspondence.change_letter")
@submit_once
def letter_submit(request, pk: int):
    def perform(letter, data):
        services.letter_submit(actor=request.user, letter=letter)
        return _("The letter was sent to the head for approval.")

    return _letter_action(request, pk, "submit", perform, anchor="approval")


@post_with("correspondence.approve_letter")
def letter_approve(request, pk: int):
    def perform(letter, data):
        services.letter_approve(actor=request.user, letter=letter)
        return _("The letter is approved and can be sent.")

    return _letter_action(request, pk, "approve", perform, anchor="approval")


@post_with("correspondence.approve_letter")
def letter_return(request, pk: int):
    def perform(letter, data):
        services.letter_return(actor=request.user, letter=letter, comment=data["comment"])
        return _("The letter was returned to its author as a draft.")

    return _letter_action(request, pk, "return", perform, anchor="approval")


@post_with("correspondence.change_letter")
def letter_cancel(request, pk: int):
    def perform(letter, data):
        services.letter_cancel(actor=request.user, letter=letter, reason=data["reason"])
        return _("The letter was cancelled.")

    return _letter_action(request, pk, "cancel", perform)


@post_with("correspondence.change_letter")
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


@post_with("correspondence.change_letter")
@submit_once
def letter_check_signatures(request, pk: int):
    def perform(letter, data):
        letter = services.letter_check_container(actor=request.user, letter=letter)
        return _("The signatures were checked: %(verdict)s.") % {
            "verdict": verdicts.label(letter.verdict_status)
        }

    return _letter_action(request, pk, "check_signatures", perform, anchor="signed")


@post_with("correspondence.change_letter")
@submit_once
def letter_remove_container(request, pk: int):
    def perform(letter, data):
        services.letter_remove_container(actor=request.user, letter=letter)
        return _("The signed container was removed.")

    return _letter_action(request, pk, "remove_container", perform, anchor="signed")


@post_with("correspondence.view_letter")
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


@post_with("correspondence.view_letter")
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


@post_with("correspondence.view_letter")
@submit_once
def signing_cancel(request, pk: int):
    session = _session(request, pk)
    signing.signing_cancel(actor=request.user, session=session)
    messages.info(request, _("The signing on the phone was cancelled."))
    return redirect(_detail_url(session.letter_id, "signed"))


@post_with("correspondence.send_letter")
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


@post_with("correspondence.send_letter")
@submit_once
def dispatch_retry(request, pk: int):
    def perform(dispatch, data):
        services.dispatch_retry(actor=request.user, dispatch=dispatch)
        return _("The e-mail to %(name)s is sent again.") % {"name": dispatch.name}

    return _dispatch_action(request, pk, "retry", perform)


@post_with("correspondence.send_letter")
def dispatch_tracking(request, pk: int):
    def perform(dispatch, data):
        dispatch = services.dispatch_record_tracking(
            actor=request.user, dispatch=dispatch, tracking_code=data["tracking_code"]
        )
        return _("The tracking code %(code)s was recorded.") % {"code": dispatch.tracking_code}

    return _dispatch_action(request, pk, "tracking", perform)


@post_with("correspondence.send_letter")
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


@post_with("correspondence.send_letter")
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


urlpatterns = [
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
