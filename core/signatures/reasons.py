"""Why a signature or container is judged as it is: the reason codes with their severity and
message (DigiDoc4-like sentences), a signature's and a container's verdict, stored as codes and
parameters and rendered in the active language when shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.signatures.common import INDETERMINATE, INVALID, STATUS_ORDER, VALID, WARNINGS

#: code: (severity, message). Messages are DigiDoc4-like sentences; parameters by name.
REASONS: dict[str, tuple[str, str]] = {
    # The container
    "unreadable": (INVALID, _("The container cannot be read.")),
    "not_zip": (INVALID, _("The file is not a signed container (not a ZIP package).")),
    "too_large": (INVALID, _("A file in the container is too large.")),
    "too_many_files": (INVALID, _("The container holds too many files.")),
    "duplicate_entry": (INVALID, _("The container holds more than one file named %(name)s.")),
    "two_manifests": (INVALID, _("The container holds more than one manifest.")),
    "no_mimetype": (INVALID, _("The container has no mimetype file: it is not an ASiC container.")),
    "wrong_mimetype": (
        INVALID,
        _("The container's type (%(mimetype)s) is not a signed container."),
    ),
    "mimetype_compressed": (WARNINGS, _("The container's mimetype file is compressed.")),
    "mimetype_not_first": (WARNINGS, _("The container's mimetype file is not its first file.")),
    "mimetype_padded": (
        WARNINGS,
        _("The container's mimetype file holds a byte order mark or a line break."),
    ),
    "no_manifest": (INVALID, _("The container has no manifest.")),
    "manifest_unreadable": (INVALID, _("The container's manifest cannot be read.")),
    "manifest_duplicate": (INVALID, _("The manifest lists the file %(name)s more than once.")),
    "manifest_media_type": (INVALID, _("The manifest does not give the container's type.")),
    "not_in_manifest": (INVALID, _("The file %(name)s is not listed in the container's manifest.")),
    "missing_file": (
        INVALID,
        _("The manifest lists the file %(name)s, which is not in the container."),
    ),
    "no_data_file": (INVALID, _("The container holds no signed document.")),
    "asics_files": (INVALID, _("An ASiC-S container must hold exactly one document.")),
    "no_signature": (INVALID, _("The container holds no signature.")),
    "timestamp_only": (
        INDETERMINATE,
        _("The container holds only a time-stamp, no signature."),
    ),
    "signature_unreadable": (INVALID, _("The signature file %(name)s cannot be read.")),
    "signature_unsupported": (
        INVALID,
        _("The signature file %(name)s is of a kind that cannot be checked here."),
    ),
    # The signature itself
    "malformed": (INVALID, _("The signature is not well formed (%(detail)s).")),
    "no_certificate": (INVALID, _("The signature holds no readable signer's certificate.")),
    "unsupported_algorithm": (
        INVALID,
        _("The signature uses an algorithm that is not supported (%(algorithm)s)."),
    ),
    "signature_value": (INVALID, _("The signature value does not match the signed data.")),
    "weak_signature": (WARNINGS, _("The signature uses SHA-1, which is no longer secure.")),
    "weak_digest": (
        WARNINGS,
        _("A digest in the signature uses SHA-1 or SHA-224, which are no longer secure."),
    ),
    "file_changed": (INVALID, _("The file %(name)s was changed after it was signed.")),
    "file_not_signed": (INVALID, _("The file %(name)s is not covered by the signature.")),
    "reference_missing": (
        INVALID,
        _("The signature refers to a file that is not in the container (%(name)s)."),
    ),
    "signed_properties": (
        INVALID,
        _("The signature's signed properties are missing or referred to more than once."),
    ),
    "signed_properties_changed": (
        INVALID,
        _("The signature's signed properties were changed after signing."),
    ),
    "data_object_format": (
        INVALID,
        _("The signature does not give the type of the signed files (DataObjectFormat)."),
    ),
    "mime_mismatch": (
        WARNINGS,
        _("The type of the file %(name)s in the signature differs from the manifest's."),
    ),
    "signing_certificate_missing": (
        INVALID,
        _("The signature does not name the certificate it was made with."),
    ),
    "signing_certificate_mismatch": (
        INVALID,
        _("The signer's certificate is not the one named in the signed properties."),
    ),
    "no_non_repudiation": (
        INVALID,
        _("The signer's certificate is not meant for digital signatures (no non-repudiation)."),
    ),
    "issuer_untrusted": (INDETERMINATE, _("The certificate issuer is not trusted.")),
    "no_trust_store": (
        INDETERMINATE,
        _("No trusted certificates are set up, so the signature cannot be checked."),
    ),
    "certificate_expired": (
        INVALID,
        _("The signer's certificate was not valid at the time of signing."),
    ),
    "certificate_invalid": (INVALID, _("The signer's certificate chain is not valid.")),
    "tm_policy": (
        INVALID,
        _("The time-mark signature does not follow the BDOC 2.1 signature policy."),
    ),
    "no_long_term_data": (
        INDETERMINATE,
        _("The signature lacks long-term validation data (no time-stamp and no OCSP response)."),
    ),
    "no_revocation_data": (
        INDETERMINATE,
        _("The signature holds no OCSP response on the signer's certificate."),
    ),
    "timestamp_invalid": (INVALID, _("The signature's time-stamp is not valid.")),
    "timestamp_imprint": (INVALID, _("The time-stamp was not made for this signature.")),
    "tsa_untrusted": (INVALID, _("The time-stamping authority is not trusted.")),
    "archive_timestamp_invalid": (INVALID, _("The archive time-stamp is not valid.")),
    "archive_timestamp_imprint": (
        INVALID,
        _("The archive time-stamp was not made for this signature."),
    ),
    "ocsp_invalid": (INVALID, _("The OCSP response in the signature is not valid.")),
    "ocsp_untrusted": (INDETERMINATE, _("The OCSP responder is not trusted.")),
    "ocsp_other_certificate": (
        INVALID,
        _("The OCSP response is not about the signer's certificate."),
    ),
    "revoked_before_signing": (
        INVALID,
        _("The signer's certificate was revoked before signing."),
    ),
    "revoked": (INVALID, _("The signer's certificate has been revoked.")),
    "certificate_unknown": (
        INVALID,
        _("The OCSP responder does not know the signer's certificate."),
    ),
    "ocsp_nonce": (INVALID, _("The OCSP response was not given for this signature (nonce).")),
    "ocsp_before_timestamp": (
        INVALID,
        _("The OCSP response was given before the signature's time-stamp."),
    ),
    "ocsp_late": (
        WARNINGS,
        _("The OCSP response was given more than 15 minutes after the time-stamp."),
    ),
    "signing_time_differs": (
        WARNINGS,
        _("The signing time the signer's computer gave differs by more than a day."),
    ),
}


def _rank(status: str) -> int:
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else STATUS_ORDER.index(INVALID)


def worst(statuses) -> str:
    return max(statuses, key=_rank, default=VALID)


@dataclass(frozen=True)
class Reason:
    """A problem or warning: a code from ``REASONS`` and its parameters (plain strings)."""

    code: str
    params: dict = field(default_factory=dict)

    @property
    def severity(self) -> str:
        return REASONS.get(self.code, (INVALID, ""))[0]

    @property
    def message(self) -> str:
        text = REASONS.get(self.code, (INVALID, None))[1]
        if text is None:
            return gettext("The signature cannot be verified.")
        message = gettext(str(text))
        try:
            return message % self.params if self.params else message
        except (KeyError, TypeError, ValueError):
            return message

    def as_dict(self) -> dict:
        return {"code": self.code, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data) -> Reason:
        if isinstance(data, str):
            return cls(code=data)
        params = data.get("params") or {}
        return cls(
            code=str(data.get("code", "")), params={str(k): str(v) for k, v in params.items()}
        )


def _messages(findings: list[Reason], severity: str | None = None) -> list[str]:
    ordered = sorted(findings, key=lambda r: -_rank(r.severity))
    return [r.message for r in ordered if severity is None or r.severity == severity]


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def _moment(text) -> datetime | None:
    try:
        return parse_datetime(text) if text else None
    except (TypeError, ValueError):
        return None


@dataclass
class SignatureVerdict:
    """One signature's verdict. ``signer`` is the certificate's name even for an invalid
    signature (show it as "claims to be signed by"); ``verified_signer`` only when proven."""

    id: str = ""
    signer: str = ""
    code: str = ""
    country: str = ""
    is_seal: bool = False
    profile: str = ""
    claimed_signing_time: datetime | None = None
    trusted_time: datetime | None = None
    signature_method: str = ""
    issuer: str = ""
    file: str = ""
    findings: list[Reason] = field(default_factory=list)

    @property
    def status(self) -> str:
        return worst(r.severity for r in self.findings)

    @property
    def reasons(self) -> list[str]:
        """Every problem and warning, worst first, in the active language."""
        return _messages(self.findings)

    @property
    def warnings(self) -> list[str]:
        return _messages(self.findings, WARNINGS)

    @property
    def errors(self) -> list[str]:
        return [r.message for r in self.findings if r.severity != WARNINGS]

    @property
    def reason_codes(self) -> list[str]:
        return [r.code for r in self.findings]

    @property
    def is_verified(self) -> bool:
        return self.status in (VALID, WARNINGS)

    @property
    def verified_signer(self) -> str:
        return self.signer if self.is_verified else ""

    def add(self, code: str, **params) -> None:
        self.findings.append(Reason(code, {k: str(v) for k, v in params.items()}))

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "status": self.status,
            "signer": self.signer,
            "code": self.code,
            "country": self.country,
            "is_seal": self.is_seal,
            "profile": self.profile,
            "claimed_signing_time": _iso(self.claimed_signing_time),
            "trusted_time": _iso(self.trusted_time),
            "signature_method": self.signature_method,
            "issuer": self.issuer,
            "file": self.file,
            "reasons": [r.as_dict() for r in self.findings],
        }

    @classmethod
    def from_dict(cls, data: dict) -> SignatureVerdict:
        verdict = cls(
            id=str(data.get("id", "")),
            signer=str(data.get("signer", "")),
            code=str(data.get("code", "")),
            country=str(data.get("country", "")),
            is_seal=bool(data.get("is_seal", False)),
            profile=str(data.get("profile", "")),
            claimed_signing_time=_moment(data.get("claimed_signing_time")),
            trusted_time=_moment(data.get("trusted_time")),
            signature_method=str(data.get("signature_method", "")),
            issuer=str(data.get("issuer", "")),
            file=str(data.get("file", "")),
            findings=[Reason.from_dict(r) for r in data.get("reasons") or []],
        )
        return verdict


@dataclass
class Verdict:
    """A container's verdict: the worst of its signatures and of the container's own findings."""

    signatures: list[SignatureVerdict] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    container_type: str = ""
    findings: list[Reason] = field(default_factory=list)
    checked_at: datetime | None = None

    @property
    def status(self) -> str:
        statuses = [r.severity for r in self.findings] + [s.status for s in self.signatures]
        if not self.signatures:
            statuses.append(INVALID)
        return worst(statuses)

    @property
    def reasons(self) -> list[str]:
        """The container's own problems and warnings (each signature has its own)."""
        return _messages(self.findings)

    @property
    def reason_codes(self) -> list[str]:
        return [r.code for r in self.findings]

    @property
    def is_valid(self) -> bool:
        return self.status in (VALID, WARNINGS)

    @property
    def signers(self) -> list[SignatureVerdict]:
        """The signatures that are proven (valid, or valid with warnings)."""
        return [s for s in self.signatures if s.is_verified]

    def add(self, code: str, **params) -> None:
        self.findings.append(Reason(code, {k: str(v) for k, v in params.items()}))

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "container_type": self.container_type,
            "files": list(self.files),
            "checked_at": _iso(self.checked_at),
            "reasons": [r.as_dict() for r in self.findings],
            "signatures": [s.as_dict() for s in self.signatures],
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> Verdict:
        data = data or {}
        return cls(
            signatures=[SignatureVerdict.from_dict(s) for s in data.get("signatures") or []],
            files=[str(f) for f in data.get("files") or []],
            container_type=str(data.get("container_type", "")),
            findings=[Reason.from_dict(r) for r in data.get("reasons") or []],
            checked_at=_moment(data.get("checked_at")),
        )


class Status(models.TextChoices):
    """The verdicts in DigiDoc4's words ("unknown" is its word for indeterminate)."""

    VALID = VALID, pgettext_lazy("signature verdict", "valid")
    WARNINGS = WARNINGS, pgettext_lazy("signature verdict", "valid with warnings")
    INDETERMINATE = INDETERMINATE, pgettext_lazy("signature verdict", "unknown")
    INVALID = INVALID, pgettext_lazy("signature verdict", "invalid")


def status_label(status: str) -> str:
    try:
        return str(Status(status).label)
    except ValueError:
        return status
