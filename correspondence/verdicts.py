"""What the portal concludes about a signed container, and how the conclusion is kept and shown.

The container's signatures are verified locally (``correspondence.signatures.verify_container``:
signature values, certificate chains, OCSP and time-stamps, DigiDoc's verdicts). When ``SIVA_URL``
is set, SiVa (the state's validation service) gives a second opinion and the worse of the two
verdicts counts; SiVa being unreachable never blocks: the local verdict counts, with a note.

The stored form (``Letter.container_verdict``)::

    {"status": "valid" | "warnings" | "indeterminate" | "invalid",  # the one that counts
     "local": Verdict.as_dict(), "siva": Verdict.as_dict() | None,
     "notes": [{"code": ..., "params": {...}}],  # shown in the reader's language
     "signer_match": "code" | "name" | "none"}

Only a container whose verdict is valid or valid with warnings is kept and sent as signed
(``models.SENDABLE_VERDICTS``); the signers shown come from its verified signatures only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.signatures import worst
from correspondence.models import SENDABLE_VERDICTS

log = logging.getLogger(__name__)

NOTES = {
    "siva_unavailable": gettext_lazy(
        "SiVa could not be asked for a second opinion (%(error)s): the portal's own check counts."
    ),
    "siva_worse": gettext_lazy("SiVa judged the container more strictly: %(status)s."),
    "signer_not_found": gettext_lazy(
        "No verified signature carries the name of the letter's signer %(name)s (signed by "
        "%(found)s): check that the right person signed."
    ),
}


def label(status: str) -> str:
    """A verdict as a list or page shows it: "Valid with warnings" (core.signatures' words)."""
    from core.signatures import status_label

    return capfirst(status_label(status)) if status else str(_("Not checked"))


@dataclass
class ContainerCheck:
    """The outcome of checking a container before it is kept."""

    status: str
    local: object  # signatures.Verdict
    siva: object | None = None
    notes: list[dict] = field(default_factory=list)

    @property
    def sendable(self) -> bool:
        return self.status in SENDABLE_VERDICTS

    def reasons(self) -> list[str]:
        """Why the container is not valid (or its warnings), in the active language, once each."""
        texts = []
        for verdict in (self.local, self.siva):
            if verdict is None:
                continue
            texts.extend(str(r) for r in getattr(verdict, "reasons", None) or [])
            for signature in verdict.signatures:
                texts.extend(str(r) for r in signature.reasons or [])
        return list(dict.fromkeys(t for t in texts if t))

    def verified_signatures(self) -> list:
        return [s for s in self.local.signatures if s.status in SENDABLE_VERDICTS]

    def stored(self, *, signer_match: str) -> dict:
        return {
            "status": self.status,
            "local": self.local.as_dict(),
            "siva": self.siva.as_dict() if self.siva is not None else None,
            "notes": self.notes,
            "signer_match": signer_match,
        }


def check_container(data: bytes, *, filename: str = "") -> ContainerCheck:
    """Verify the container locally and, when SiVa is set up, ask SiVa too: the worse counts."""
    from correspondence import signatures, siva

    local = signatures.verify_container(data)
    check = ContainerCheck(status=local.status, local=local)
    if siva.is_configured():
        try:
            opinion = siva.validate(data, filename=filename or "container.asice")
        except siva.SivaUnavailable as error:
            log.warning("SiVa unavailable, the local verdict counts: %s", error)
            check.notes.append({"code": "siva_unavailable", "params": {"error": str(error)}})
        else:
            check.siva = opinion
            check.status = worst([local.status, opinion.status])
            if worst([local.status, opinion.status]) != local.status:
                check.notes.append({"code": "siva_worse", "params": {"status": opinion.status}})
    return check


def personal_code(user) -> str:
    """The user's personal code if the user model keeps one (none does today)."""
    for name in ("personal_code", "id_code", "isikukood"):
        value = getattr(user, name, "")
        if value:
            return str(value).strip()
    return ""


def _words(name: str) -> frozenset[str]:
    return frozenset(name.casefold().replace(",", " ").split())


def signer_match(check: ContainerCheck, user, *, expected_code: str = "") -> tuple[str, str]:
    """Whether a verified signature is the letter's signer ``user``: ("code", "") when the
    personal code matches, ("name", "") when only the name does, ("none", message) when neither
    (the caller warns), or ("refused", message) when a known personal code does not match."""
    signatures = check.verified_signatures()
    code = expected_code or personal_code(user)
    if code:
        if any(getattr(s, "code", "") == code for s in signatures):
            return "code", ""
        return "refused", _(
            "The container is not signed by %(name)s: no valid signature has the personal code "
            "%(code)s."
        ) % {"name": user.get_full_name() or user.username, "code": code}
    wanted = _words(user.get_full_name() or user.username)
    if any(_words(s.signer or "") == wanted for s in signatures):
        return "name", ""
    return "none", ""


def signer_note(check: ContainerCheck, user) -> dict:
    return {
        "code": "signer_not_found",
        "params": {
            "name": user.get_full_name() or user.username,
            "found": ", ".join(s.signer for s in check.verified_signatures() if s.signer) or "—",
        },
    }


# --- Showing a stored verdict -------------------------------------------------------------------


def _verdict(data):
    from correspondence import signatures, siva  # noqa: F401 (siva adds its reason codes)

    if not data:
        return None
    try:
        return signatures.Verdict.from_dict(data)
    except Exception:  # a verdict stored by an older version: show nothing rather than fail
        log.exception("a stored verdict cannot be read")
        return None


def _time(value):
    if value is None or hasattr(value, "tzinfo"):
        return value
    return parse_datetime(str(value)) if value else None


def _first(obj, *names):
    for name in names:
        value = getattr(obj, name, None)
        if value:
            return value
    return None


def note_texts(stored: dict) -> list[str]:
    texts = []
    for note in (stored or {}).get("notes") or []:
        template = NOTES.get(note.get("code"))
        if template is None:
            continue
        params = dict(note.get("params") or {})
        if "status" in params:
            params["status"] = label(params["status"])
        texts.append(str(template) % params)
    return texts


def shown(letter) -> dict:
    """The letter's stored verdict as the letter's page shows it: the verdict in words, each
    signature (signer, status in words, trusted signing time, reasons or warnings, SiVa's
    opinion of it) and the notes."""
    stored = letter.container_verdict or {}
    local = _verdict(stored.get("local"))
    opinion = _verdict(stored.get("siva"))
    rows = []
    for index, signature in enumerate(local.signatures if local is not None else []):
        second = None
        if opinion is not None and index < len(opinion.signatures):
            second = opinion.signatures[index].status
        verified = signature.status in SENDABLE_VERDICTS
        rows.append(
            {
                "signer": signature.signer if verified else "",
                "code": getattr(signature, "code", "") if verified else "",
                "status": signature.status,
                "status_label": label(signature.status),
                "trusted_time": _time(
                    _first(signature, "trusted_time", "trusted_signing_time", "best_signature_time")
                ),
                "claimed_time": _time(
                    _first(signature, "claimed_signing_time", "claimed_time", "signing_time")
                ),
                "reasons": [str(r) for r in signature.reasons or []],
                "siva_status": second,
                "siva_label": label(second) if second else "",
            }
        )
    status = letter.verdict_status
    return {
        "checked": bool(stored),
        "status": status,
        "status_label": label(status),
        "sendable": status in SENDABLE_VERDICTS,
        "signatures": rows,
        "reasons": [str(r) for r in (getattr(local, "reasons", None) or [])] if local else [],
        "notes": note_texts(stored),
        "siva": opinion is not None,
        "checked_at": letter.container_checked_at,
    }
