"""The agency's e-seal: a PAdES baseline signature (B-B, or B-T with a time stamp) on the PDFs
the portal sends by itself — the MTR receipts and decision letters.

A document may say it is sealed only when it is: ``core.pdf.render_pdf(..., seal=True)`` asks
``is_configured()`` before rendering (the template then says so) and seals the result; without a
seal the documents name who approved them and when, and claim no signature. A seal that is
configured but fails (unreadable file, wrong password, time-stamping authority down) raises
``SealError``: the job that makes the document fails and is tried again, and nothing unsealed
goes out claiming a seal. ``core.checks`` reports an unreadable or expired seal at ``check``.

Settings (environment): ``SEAL_PKCS12_FILE`` (the e-seal's PKCS#12 file; empty = no seal),
``SEAL_PKCS12_PASSWORD``, ``SEAL_TIMESTAMP_URL`` (an RFC 3161 time-stamping authority; empty =
no time stamp), ``SEAL_REASON`` and ``SEAL_NAME`` (shown by PDF readers; default: the agency).

The key is read with ``cryptography`` (pyHanko's ``load_pkcs12_data``); nothing here imports
``oscrypto``, which does not load on OpenSSL 3.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

#: The name of the signature field the seal fills (one per document).
FIELD_NAME = "AgencySeal"


class SealError(RuntimeError):
    """The e-seal is configured but cannot be used (its file, password or time stamp)."""


def is_configured() -> bool:
    """True when a seal file is set: documents are then sealed (or their making fails)."""
    return bool(getattr(settings, "SEAL_PKCS12_FILE", ""))


def _password() -> bytes | None:
    password = getattr(settings, "SEAL_PKCS12_PASSWORD", "") or ""
    return password.encode() if password else None


def load_signer():
    """The pyHanko signer of the configured seal; ``SealError`` if it cannot be read."""
    from pyhanko.sign import signers

    path = Path(settings.SEAL_PKCS12_FILE)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SealError(f"The e-seal file {path} cannot be read: {error.strerror}") from error
    try:
        return signers.SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=_password())
    except (ValueError, TypeError) as error:
        raise SealError(
            f"The e-seal file {path} is not a PKCS#12 file with a key, or the password is wrong."
        ) from error


def certificate_not_after(signer=None) -> datetime:
    """When the seal's certificate expires (aware, UTC)."""
    signer = signer or load_signer()
    return signer.signing_cert.not_valid_after.astimezone(UTC)


def _timestamper():
    url = getattr(settings, "SEAL_TIMESTAMP_URL", "") or ""
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=getattr(settings, "SEAL_TIMESTAMP_TIMEOUT", 10))


def is_sealed(content: bytes) -> bool:
    """Whether the PDF already carries the seal's signature field, filled."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(content), strict=False)
    return any(sig.field_name == FIELD_NAME for sig in reader.embedded_signatures)


def seal_pdf(content: bytes, *, reason: str = "") -> bytes:
    """The PDF with the agency's e-seal (PAdES baseline: B-T when a time-stamping authority is
    set, B-B otherwise), as an incremental update: the original bytes are kept as they are. A
    PDF that already carries the seal is returned unchanged. ``SealError`` when the seal is not
    configured or cannot be used."""
    if not is_configured():
        raise SealError("No e-seal is configured (SEAL_PKCS12_FILE).")
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps import TimestampRequestError

    if is_sealed(content):
        return content
    signer = load_signer()
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or settings.SEAL_REASON or None,
        name=settings.SEAL_NAME or settings.AGENCY_NAME,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    try:
        output = signers.sign_pdf(writer, metadata, signer=signer, timestamper=_timestamper())
    except TimestampRequestError as error:
        raise SealError(f"The time-stamping authority did not answer: {error}") from error
    return output.getvalue()


def seal_if_configured(content: bytes, *, reason: str = "") -> bytes:
    """``seal_pdf`` when a seal is configured, otherwise the PDF as it is."""
    return seal_pdf(content, reason=reason) if is_configured() else content
