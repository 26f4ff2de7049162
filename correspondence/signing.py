"""Signing a letter on the phone (Smart-ID, Mobile-ID) through the signing gateway (SiGa).

The flow: the letter's signer (only they) starts it from the letter's page with their personal
code (and, for Mobile-ID, phone number); the letter's PDF goes to SiGa in a new container, the
phone asks the signer to confirm, and the page shows the verification code the phone shows.
The page asks again every few seconds (``signing_poll``; a job does the same in the background
in case the page is closed). When SiGa reports the signature, the portal downloads the signed
container and keeps it through the same service as an upload
(``services.letter_attach_container``): verified by the portal itself (and SiVa), and it must
carry a valid signature with the personal code the signer gave.

Everything here writes through a ``SigningSession`` row, so a poll from the page and one from
the job never attach the container twice (the row is locked while a poll runs).
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events, jobs
from core.models import User
from correspondence import services, siga
from correspondence.models import Letter, PdfStatus, SigningSession
from correspondence.verbs import Verb
from correspondence.workflows import SIGNING

log = logging.getLogger(__name__)

POLL_JOB = "correspondence.signing_poll"
#: A signer who has not answered in this time will not: Smart-ID and Mobile-ID give up sooner.
GIVE_UP_AFTER = timedelta(minutes=6)
PHONE = re.compile(r"^\+372\d{7,8}$")
UNSENT = (Letter.Status.DRAFT, Letter.Status.AWAITING_APPROVAL, Letter.Status.APPROVED)


class StillWaiting(Exception):
    """The signer has not answered yet (the poll job is tried again later)."""


def available() -> bool:
    """Whether signing on the phone is set up (SIGA_URL and its credentials)."""
    return siga.is_configured()


def may_sign(user, letter: Letter) -> bool:
    return (
        available()
        and user.is_authenticated
        and user.pk == letter.signer_id
        and letter.status in UNSENT
        and letter.pdf_status == PdfStatus.READY
    )


def pending_session(letter: Letter) -> SigningSession | None:
    return letter.signing_sessions.filter(status=SigningSession.Status.PENDING).first()


def _check_person(method: str, person_code: str, phone: str, country: str) -> tuple[str, str]:
    from core.validators import validate_personal_code

    person_code, phone = person_code.strip(), re.sub(r"[\s-]", "", phone or "")
    errors = {}
    if country == "EE":
        try:
            validate_personal_code(person_code)
        except ValidationError as error:
            errors["person_code"] = error.messages
    elif not re.fullmatch(r"[0-9A-Za-z-]{6,20}", person_code):
        errors["person_code"] = [_("Enter the personal code.")]
    if method == SigningSession.Method.MOBILE_ID:
        if phone.startswith("372"):
            phone = "+" + phone
        elif phone and not phone.startswith("+"):
            phone = "+372" + phone
        if not PHONE.match(phone):
            errors["phone"] = [_("Enter the Mobile-ID phone number, e.g. +37251234567.")]
    if errors:
        raise ValidationError(errors)
    return person_code, phone


def signing_start(
    *,
    actor: User,
    letter: Letter,
    method: str,
    person_code: str,
    phone: str = "",
    country: str = "EE",
) -> SigningSession:
    """Send the letter's PDF to SiGa and ask the signer's phone for the signature; the session
    holds the verification code to show. An earlier unfinished session of the letter ends."""
    if actor.pk != letter.signer_id:
        raise PermissionDenied(_("Only the letter's signer can sign it."))
    if method not in SigningSession.Method.values:
        raise ValidationError({"method": _("Choose Smart-ID or Mobile-ID.")})
    letter = Letter.objects.select_related("signer").get(pk=letter.pk)
    if letter.status not in UNSENT:
        raise ValidationError(_("A sent letter cannot be signed any more."))
    if letter.pdf_status != PdfStatus.READY or not letter.pdf:
        raise ValidationError(_("The PDF of the letter is not ready yet: wait a moment."))
    person_code, phone = _check_person(method, person_code, phone, country)
    with letter.pdf.open("rb") as stored:
        pdf = stored.read()
    file_name = f"{letter.number.replace('/', '_')}.pdf"
    client = siga.client()
    container_id = client.create_container(
        name=file_name.replace(".pdf", ".asice"), files={file_name: pdf}
    )
    started = _ask_phone(client, container_id, letter, method, person_code, phone, country)
    with transaction.atomic():
        pending = letter.signing_sessions.filter(status=SigningSession.Status.PENDING)
        for earlier in SIGNING.lock_all(pending):
            SIGNING.move(earlier, "replaced", actor=None)
            earlier.finished_at = timezone.now()
            earlier.save(update_fields=["status", "finished_at"])
        session = SigningSession.objects.create(
            letter=letter,
            signer=actor,
            method=method,
            person_code=person_code,
            country=country,
            phone=phone,
            gateway_container_id=container_id,
            gateway_signature_id=started.signature_id,
            challenge=started.challenge,
        )
        events.record(actor=actor, obj=letter, verb=Verb.SIGNING_STARTED, data={"method": method})
        jobs.enqueue(POLL_JOB, key=f"{POLL_JOB}:{session.pk}", session_id=session.pk)
    return session


def _ask_phone(client, container_id, letter: Letter, method: str, person_code, phone, country):
    """Ask the signer's Smart-ID or Mobile-ID for the signature of the container; the container
    is forgotten at SiGa when that fails."""
    message = _("Sign %(number)s") % {"number": letter.number}
    try:
        if method == SigningSession.Method.SMART_ID:
            return client.start_smart_id(
                container_id, person_code=person_code, country=country, message=message
            )
        return client.start_mobile_id(
            container_id,
            person_code=person_code,
            phone=phone,
            language=letter.language,
            message=message,
        )
    except siga.SigaError:
        _forget(client, container_id)
        raise


def signing_poll(*, session_id: int) -> SigningSession:
    """Ask SiGa how the signing stands; on a signature, fetch the container and keep it (a
    container that does not pass the portal's own check ends the session as failed, with the
    reason). Safe to run twice and at once: a finished session is left as it is."""
    with transaction.atomic():
        session = SIGNING.locked().get(pk=session_id)
        if session.status != SigningSession.Status.PENDING:
            return session
        client = siga.client()
        try:
            if session.method == SigningSession.Method.SMART_ID:
                status = client.smart_id_status(
                    session.gateway_container_id, session.gateway_signature_id
                )
            else:
                status = client.mobile_id_status(
                    session.gateway_container_id, session.gateway_signature_id
                )
        except siga.SigaError as error:
            session.error = error.message[:500]
            session.save(update_fields=["error"])
            if error.status is not None and 400 <= error.status < 500 and error.status != 429:
                return _finish(session, client, error.message)  # the gateway lost the session
            return session
        if status == siga.OUTSTANDING:
            if timezone.now() - session.created > GIVE_UP_AFTER:
                return _finish(session, client, _("The signer did not answer in time."))
            return session
        if status != siga.SIGNED:
            return _finish(session, client, siga.status_message(status))
        try:
            name, data = client.get_container(session.gateway_container_id)
        except siga.SigaError as error:
            session.error = error.message[:500]
            session.save(update_fields=["error"])
            return session  # asked again on the next poll
        letter_name = f"{session.letter.number.replace('/', '_')}.asice"
        try:
            with transaction.atomic():
                services.letter_attach_container(
                    actor=session.signer,
                    letter=session.letter,
                    data=data,
                    name=letter_name,
                    expected_code=session.person_code,
                )
        except ValidationError as error:
            return _finish(session, client, " ".join(error.messages))
        return _finish(session, client, "")


def _settle(session: SigningSession, error: str) -> None:
    """End a waiting session: signed, or failed with ``error`` on the letter's timeline (as the
    signer's: it was their signing)."""
    if error:
        SIGNING.move(
            session,
            "failed",
            actor=session.signer,
            trusted=True,
            method=session.method,
            reason=error[:500],
        )
    else:
        SIGNING.move(session, "signed", actor=None)
    session.error, session.finished_at = error[:500], timezone.now()
    session.save(update_fields=["status", "error", "finished_at"])


def _finish(session: SigningSession, client, error: str) -> SigningSession:
    _settle(session, error)
    transaction.on_commit(lambda: _forget(client, session.gateway_container_id))
    return session


def _forget(client, container_id: str) -> None:
    """Delete the container at the gateway (best effort: SiGa forgets it by itself later)."""
    try:
        client.delete_container(container_id)
    except siga.SigaError:
        log.info("SiGa container %s not deleted", container_id)


@transaction.atomic
def signing_cancel(*, actor: User, session: SigningSession) -> SigningSession:
    session = SIGNING.lock(session)
    SIGNING.require(session, "cancel", actor)  # only the signer (a 403 for anyone else)
    if SIGNING.allows(session, "cancel", actor):  # cancelled twice, or ended: left as it is
        SIGNING.move(session, "cancel", actor=actor)
        session.finished_at = timezone.now()
        session.save(update_fields=["status", "finished_at"])
        if siga.is_configured():
            client = siga.client()
            transaction.on_commit(lambda: _forget(client, session.gateway_container_id))
    return session


def poll_job(*, session_id: int) -> None:
    """The background poll (core.jobs): tried again until the session has ended."""
    session = SigningSession.objects.filter(pk=session_id).first()
    if session is None or session.status != SigningSession.Status.PENDING:
        return
    if signing_poll(session_id=session_id).status == SigningSession.Status.PENDING:
        raise StillWaiting(f"signing session {session_id}: the signer has not answered yet")


@transaction.atomic
def poll_job_failed(*, session_id: int, error: str) -> None:
    """The poll gave up: a session still waiting fails, on the letter's timeline."""
    session = SIGNING.locked().filter(pk=session_id).first()
    if session is None or not SIGNING.allows(session, "failed"):
        return
    _settle(session, str(_("The signer did not answer in time.")))
