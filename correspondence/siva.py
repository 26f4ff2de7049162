"""A second opinion on signed containers from SiVa, the state's signature validation service.

``validate(data, filename=...)`` posts the container to ``<SIVA_URL>/validate`` (JSON: the
``document`` in base64, its ``filename`` and ``signaturePolicy`` "POLv4") and maps the report's
``validationReport.validationConclusion.signatures[]`` to the portal's own verdict classes
(``correspondence.signatures.Verdict`` / ``SignatureVerdict``), so the two can be compared and
stored alike:

- ``indication`` TOTAL-PASSED → valid (valid with warnings when SiVa gives ``warnings``),
  INDETERMINATE → indeterminate, TOTAL-FAILED (or anything else) → invalid;
- ``subIndication`` and ``errors[].content`` → the reasons, ``warnings[].content`` → warnings;
- ``signedBy`` (an ID card's "SURNAME,GIVEN,CODE") → the signer's name and personal code,
  ``signatureLevel`` → the profile, ``info.bestSignatureTime`` → the trusted signing time.

SiVa's texts are English and cannot be translated; they are kept as reason parameters.
``SivaUnavailable`` is raised when SiVa cannot give an opinion (unreachable, slow, an error or an
answer that cannot be read): the caller then trusts its own verdict and says so.

Settings: ``SIVA_URL`` (empty = off), ``SIVA_TIMEOUT_SECONDS``.
"""

from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from correspondence import signatures

log = logging.getLogger(__name__)

POLICY = "POLv4"
MAX_RESPONSE_BYTES = 16 * 1024 * 1024

# SiVa's findings as reason codes of the verdict classes (their texts are SiVa's own).
signatures.REASONS.setdefault(
    "siva_failed", ("invalid", _("SiVa: the signature is not valid (%(detail)s)."))
)
signatures.REASONS.setdefault(
    "siva_indeterminate",
    ("indeterminate", _("SiVa: the signature cannot be confirmed (%(detail)s).")),
)
signatures.REASONS.setdefault("siva_warning", ("warnings", _("SiVa: %(detail)s")))
signatures.REASONS.setdefault(
    "siva_no_signature", ("invalid", _("SiVa found no signature in the container."))
)


class SivaUnavailable(Exception):
    """SiVa gave no opinion (unreachable, timed out, failed, unreadable answer)."""


def is_configured() -> bool:
    return bool(settings.SIVA_URL)


def validate(data: bytes, *, filename: str, url: str | None = None) -> signatures.Verdict:
    """SiVa's verdict on the container, as a ``signatures.Verdict``; ``SivaUnavailable`` when
    there is none."""
    base = (url or settings.SIVA_URL).rstrip("/")
    if not base.startswith(("https://", "http://")):
        raise SivaUnavailable("SIVA_URL is not an http(s) address")
    body = json.dumps(
        {
            "document": base64.b64encode(data).decode(),
            "filename": filename,
            "signaturePolicy": POLICY,
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        base + "/validate",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.SIVA_TIMEOUT_SECONDS) as response:  # noqa: S310
            raw = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise SivaUnavailable(f"HTTP {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise SivaUnavailable(str(getattr(error, "reason", error))) from error
    if len(raw) > MAX_RESPONSE_BYTES:
        raise SivaUnavailable("the answer is too large")
    try:
        report = json.loads(raw)
        conclusion = report["validationReport"]["validationConclusion"]
    except (ValueError, KeyError, TypeError) as error:
        raise SivaUnavailable("the answer cannot be read") from error
    if not isinstance(conclusion, dict):
        raise SivaUnavailable("the answer cannot be read")
    return verdict_from_report(conclusion)


def _texts(items) -> list[str]:
    texts = []
    for item in items or []:
        text = item.get("content") if isinstance(item, dict) else item
        if text:
            texts.append(str(text)[:300])
    return texts


def _signer(signature: dict) -> tuple[str, str]:
    """The name and personal code from SiVa's ``signedBy`` (or ``subjectDistinguishedName``)."""
    subject = signature.get("subjectDistinguishedName") or {}
    common = str(subject.get("commonName") or signature.get("signedBy") or "")
    serial = str(subject.get("serialNumber") or "")
    code = ""
    if serial:
        code = serial.split("-", 1)[1] if "-" in serial else serial
    parts = [part.strip() for part in common.split(",")]
    if len(parts) >= 2:
        surname, given = parts[0], parts[1]
        code = code or (parts[2] if len(parts) > 2 else "")
        return f"{given} {surname}".title(), code
    return common, code


def verdict_from_report(conclusion: dict) -> signatures.Verdict:
    """SiVa's ``validationConclusion`` as a ``signatures.Verdict``."""
    verdict = signatures.Verdict(
        files=[str((conclusion.get("validatedDocument") or {}).get("filename") or "")],
        container_type=str(conclusion.get("signatureForm") or ""),
    )
    for text in _texts(conclusion.get("validationWarnings")):
        verdict.add("siva_warning", detail=text)
    for item in conclusion.get("signatures") or []:
        if not isinstance(item, dict):
            continue
        name, code = _signer(item)
        info = item.get("info") or {}
        signature = signatures.SignatureVerdict(
            id=str(item.get("id") or ""),
            signer=name,
            code=code,
            profile=str(item.get("signatureLevel") or item.get("signatureFormat") or ""),
            claimed_signing_time=_moment(item.get("claimedSigningTime")),
            trusted_time=_moment(info.get("bestSignatureTime")),
        )
        indication = str(item.get("indication") or "")
        detail = (
            "; ".join([str(item["subIndication"])] if item.get("subIndication") else [])
            or indication
        )
        errors = _texts(item.get("errors"))
        if indication == "TOTAL-PASSED":
            pass
        elif indication == "INDETERMINATE":
            signature.add("siva_indeterminate", detail="; ".join([detail, *errors]))
        else:
            signature.add("siva_failed", detail="; ".join([detail, *errors]))
        for text in _texts(item.get("warnings")):
            signature.add("siva_warning", detail=text)
        verdict.signatures.append(signature)
    if not verdict.signatures:
        verdict.add("siva_no_signature")
    return verdict


def _moment(text):
    try:
        return parse_datetime(str(text)) if text else None
    except (TypeError, ValueError):
        return None
