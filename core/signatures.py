"""Verifying the signatures of a signed container (ASiC-E / BDOC 2.1 / ASiC-S with XAdES) offline,
the way DigiDoc (libdigidocpp, DigiDoc4) judges them.

``verify_container(data)`` never raises: whatever the bytes, it returns a ``Verdict`` whose
``status`` is the worst of its signatures' (invalid > indeterminate > warnings > valid), or
"invalid" for a container that is not well formed or holds no signature. Per signature it checks:

1. the container (ETSI EN 319 162-1): a ZIP with the ``mimetype`` of ASiC-E or ASiC-S, no two
   entries of one name, one manifest listing exactly the data files (ASiC-E). DigiDoc's
   leniencies stay warnings: a compressed mimetype (old DigiDoc3/JDigiDoc BDOC 2.1), a byte order
   mark or a newline around its text, the mimetype not being the first entry;
2. XML-DSig: ``SignedInfo`` canonicalised with its method (C14N 1.0/1.1 — 1.1 is taken as 1.0,
   which is the same for documents without ``xml:id``/``xml:base`` —, exclusive C14N) and the
   ``SignatureValue`` checked with the ``KeyInfo`` certificate's key (RSA PKCS#1 v1.5, RSA-PSS,
   ECDSA); every ``Reference``: the signed properties (exactly one) and each data file, every one
   of which each signature must cover;
3. the XAdES ``SigningCertificate(V2)``: the signed digest (and issuer and serial) of the
   ``KeyInfo`` certificate, so that a certificate cannot be swapped (key substitution);
4. the signer's certificate: non-repudiation key usage, a path to the trust store
   (``core.trust``) valid at the trusted time (pyhanko-certvalidator, nothing fetched);
5. long-term data: the embedded OCSP response (responder signature and trust, status of the
   signer's certificate, for time-marks — BDOC TM — the nonce over the signature value), the
   signature time-stamp (RFC 3161: imprint over the canonical ``SignatureValue``, the TSA's
   signature and trust; OCSP after the time-stamp, a warning when more than 15 minutes after) and
   archive time-stamps (XAdES 1.4.1, imprint computed as libdigidocpp does). A signature without
   them (XAdES-B, -T) is "indeterminate", as in DigiDoc.

Reasons are stored as codes with parameters (``Verdict.as_dict``/``from_dict``) and rendered in
the active language when shown. The XML is parsed with entities and DTDs refused and no network.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import concurrent.futures
import hashlib
import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

from django.db import models
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.trust import TrustStore, as_trust_store

log = logging.getLogger(__name__)

VALID, WARNINGS, INDETERMINATE, INVALID = "valid", "warnings", "indeterminate", "invalid"
STATUS_ORDER = (VALID, WARNINGS, INDETERMINATE, INVALID)
#: Verdicts under which a signature does not count as proven.
NOT_TRUSTED = frozenset({INVALID, INDETERMINATE})

ASIC_E = "application/vnd.etsi.asic-e+zip"
ASIC_S = "application/vnd.etsi.asic-s+zip"
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_TOTAL_BYTES = 250 * 1024 * 1024  # all members together, decompressed
MAX_XML_BYTES = 10 * 1024 * 1024
MAX_ENTRIES = 5000

DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
XADES141 = "http://uri.etsi.org/01903/v1.4.1#"
ASIC = "http://uri.etsi.org/02918/v1.2.1#"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
SIGNED_PROPERTIES_TYPE = "http://uri.etsi.org/01903#SignedProperties"
BDOC_POLICY = "urn:oid:1.3.6.1.4.1.10015.1000.3.2.1"

DIGESTS = {
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
    "http://www.w3.org/2001/04/xmldsig-more#sha224": "sha224",
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
    "http://www.w3.org/2007/05/xmldsig-more#sha3-256": "sha3_256",
    "http://www.w3.org/2007/05/xmldsig-more#sha3-384": "sha3_384",
    "http://www.w3.org/2007/05/xmldsig-more#sha3-512": "sha3_512",
}
WEAK_DIGESTS = frozenset({"sha1", "sha224"})
_MORE = "http://www.w3.org/2001/04/xmldsig-more#"
_PSS = "http://www.w3.org/2007/05/xmldsig-more#"
SIGNATURE_METHODS = {
    "http://www.w3.org/2000/09/xmldsig#rsa-sha1": ("rsa", "sha1"),
    f"{_MORE}rsa-sha224": ("rsa", "sha224"),
    f"{_MORE}rsa-sha256": ("rsa", "sha256"),
    f"{_MORE}rsa-sha384": ("rsa", "sha384"),
    f"{_MORE}rsa-sha512": ("rsa", "sha512"),
    f"{_MORE}ecdsa-sha1": ("ecdsa", "sha1"),
    f"{_MORE}ecdsa-sha224": ("ecdsa", "sha224"),
    f"{_MORE}ecdsa-sha256": ("ecdsa", "sha256"),
    f"{_MORE}ecdsa-sha384": ("ecdsa", "sha384"),
    f"{_MORE}ecdsa-sha512": ("ecdsa", "sha512"),
    f"{_PSS}sha224-rsa-MGF1": ("pss", "sha224"),
    f"{_PSS}sha256-rsa-MGF1": ("pss", "sha256"),
    f"{_PSS}sha384-rsa-MGF1": ("pss", "sha384"),
    f"{_PSS}sha512-rsa-MGF1": ("pss", "sha512"),
}
#: Canonicalisation methods: (exclusive, with comments). C14N 1.1 is done as 1.0 (see above).
C14N_METHODS = {
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315": (False, False),
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments": (False, True),
    "http://www.w3.org/2006/12/xml-c14n11": (False, False),
    "http://www.w3.org/2006/12/xml-c14n11#WithComments": (False, True),
    "http://www.w3.org/2001/10/xml-exc-c14n#": (True, False),
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments": (True, True),
}
DEFAULT_C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"

OCSP_LATE = timedelta(minutes=15)
SIGNING_TIME_DRIFT = timedelta(hours=24)


# --- Reasons --------------------------------------------------------------------------------------

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


# --- Entry points --------------------------------------------------------------------------------


def verify_container(data: bytes, *, at: datetime | None = None, trust=None) -> Verdict:
    """The verdict on a signed container (ASiC-E, BDOC 2.1, ASiC-S). Never raises.

    ``at``: the moment to check certificates at when a signature has no trusted time (XAdES-B/T);
    ``trust``: a ``TrustStore`` (or a path, PEM bytes, certificates); default: the configured one.
    """
    checked_at = datetime.now(UTC)
    try:
        store = as_trust_store(trust)
        verdict = _Container(bytes(data), store=store, at=at or checked_at).verify()
    except Exception:  # never raise on hostile input: the container is simply not valid
        log.exception("signature verification failed unexpectedly")
        verdict = Verdict()
        verdict.add("unreadable")
    verdict.checked_at = checked_at
    return verdict


# --- Subject names -------------------------------------------------------------------------------

_ID_PREFIX = re.compile(r"^(PNO|PAS|IDC|NTR|VAT|PSD|LEI)([A-Z]{2}|:[A-Z]{2})?-")


@dataclass(frozen=True)
class Subject:
    name: str
    code: str
    country: str
    is_seal: bool


def subject_of(certificate) -> Subject:
    """Who a certificate names: an Estonian ID card (GN/SN, or CN "TAMM,MARI,38001085718";
    serialNumber "PNOEE-38001085718") or an e-seal (O/CN, organizationIdentifier "NTREE-…")."""
    from cryptography.x509.oid import NameOID, ObjectIdentifier

    subject = certificate.subject

    def first(oid) -> str:
        try:
            values = subject.get_attributes_for_oid(oid)
        except Exception:
            return ""
        return str(values[0].value).strip() if values else ""

    def nice(text: str) -> str:
        return text.title() if text.isupper() else text

    given, surname = first(NameOID.GIVEN_NAME), first(NameOID.SURNAME)
    common, serial = first(NameOID.COMMON_NAME), first(NameOID.SERIAL_NUMBER)
    organisation = first(NameOID.ORGANIZATION_NAME)
    organisation_id = first(ObjectIdentifier("2.5.4.97"))
    country = first(NameOID.COUNTRY_NAME)
    parts = [p.strip() for p in common.split(",")]
    if given or surname:
        return Subject(
            f"{nice(given)} {nice(surname)}".strip(), _code(serial), country, is_seal=False
        )
    if len(parts) >= 2 and (len(parts) == 2 or parts[2].replace("-", "").isalnum()):
        surname, given = parts[0], parts[1]
        code = _code(serial) or (parts[2] if len(parts) > 2 else "")
        return Subject(f"{nice(given)} {nice(surname)}".strip(), code, country, is_seal=False)
    if organisation_id or organisation:
        return Subject(
            organisation or common,
            _code(organisation_id) or _code(serial),
            country,
            is_seal=True,
        )
    return Subject(common, _code(serial), country, is_seal=False)


def _code(identifier: str) -> str:
    return _ID_PREFIX.sub("", identifier) if identifier else ""


# --- The container --------------------------------------------------------------------------------


class _Problem(Exception):
    """Stops checking a signature (or the container) with a reason."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params


class _Container:
    def __init__(self, data: bytes, *, store: TrustStore, at: datetime):
        self.data, self.store, self.at = data, store, at
        self.verdict = Verdict()
        self.members: dict[str, bytes] = {}

    def verify(self) -> Verdict:
        try:
            self._read()
        except _Problem as problem:
            self.verdict.add(problem.code, **problem.params)
        return self.verdict

    def _read(self) -> None:
        verdict = self.verdict
        try:
            archive = zipfile.ZipFile(io.BytesIO(self.data))
            infos = archive.infolist()
        except Exception as error:
            raise _Problem("not_zip") from error
        if len(infos) > MAX_ENTRIES:
            raise _Problem("too_many_files")
        names = [i.filename for i in infos]
        for name in sorted({n for n in names if names.count(n) > 1}):
            verdict.add("duplicate_entry", name=name)
        if sum(n.lower() == "meta-inf/manifest.xml" for n in names) > 1:
            verdict.add("two_manifests")
        if verdict.findings:
            return  # an entry could be read either way: nothing in it can be trusted
        if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
            raise _Problem("too_large")
        files = [i for i in infos if not i.is_dir()]
        for info in files:
            self.members[info.filename] = _read_member(archive, info)

        mimetype = self._mimetype(infos)
        data_files = [n for n in self.members if n != "mimetype" and not n.startswith("META-INF/")]
        verdict.files = data_files
        if not data_files:
            raise _Problem("no_data_file")
        if mimetype == ASIC_S:
            verdict.container_type = "ASiC-S"
            if len(data_files) != 1:
                raise _Problem("asics_files")
            media_types = self._manifest(data_files, required=False)
        else:
            media_types = self._manifest(data_files, required=True)
            verdict.container_type = (
                "BDOC" if any(self._is_bdoc_tm(n) for n in self._signature_files()) else "ASiC-E"
            )
        signature_files = self._signature_files()
        if not signature_files:
            if mimetype == ASIC_S and "META-INF/timestamp.tst" in self.members:
                raise _Problem("timestamp_only")
            raise _Problem("no_signature")
        for name in signature_files:
            self._signatures_in(name, data_files, media_types)

    def _mimetype(self, infos: list[zipfile.ZipInfo]) -> str:
        info = next((i for i in infos if i.filename == "mimetype"), None)
        if info is None:
            raise _Problem("no_mimetype")
        raw = self.members.get("mimetype", b"")
        text = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
        text = text.strip(b" \t\r\n")
        try:
            mimetype = text.decode("ascii")
        except UnicodeDecodeError:
            raise _Problem("wrong_mimetype", mimetype="?") from None
        if mimetype not in (ASIC_E, ASIC_S):
            raise _Problem("wrong_mimetype", mimetype=mimetype[:80])
        if infos[0] is not info:
            self.verdict.add("mimetype_not_first")
        if info.compress_type != zipfile.ZIP_STORED:
            self.verdict.add("mimetype_compressed")
        if raw != text:
            self.verdict.add("mimetype_padded")
        return mimetype

    def _manifest(self, data_files: list[str], *, required: bool) -> dict[str, str]:
        raw = self.members.get("META-INF/manifest.xml")
        if raw is None:
            if required:
                raise _Problem("no_manifest")
            return {}
        try:
            root = _parse_xml(raw)
        except _Problem:
            raise _Problem("manifest_unreadable") from None
        media_types: dict[str, str] = {}
        root_entry = False
        for entry in root.iter(f"{{{MANIFEST}}}file-entry"):
            path = entry.get(f"{{{MANIFEST}}}full-path", "")
            media_type = entry.get(f"{{{MANIFEST}}}media-type", "")
            if path == "/":
                root_entry = True
                continue
            if not path or path.endswith("/") or path.startswith("META-INF/"):
                continue
            if path in media_types:
                raise _Problem("manifest_duplicate", name=path)
            media_types[path] = media_type
        if required and not root_entry:
            raise _Problem("manifest_media_type")
        problems = False
        for name in data_files:
            if name not in media_types:
                self.verdict.add("not_in_manifest", name=name)
                problems = True
        for name in media_types:
            if name not in self.members:
                self.verdict.add("missing_file", name=name)
                problems = True
        if problems:
            raise _Stop()
        return media_types

    def _signature_files(self) -> list[str]:
        return [
            n
            for n in self.members
            if n.startswith("META-INF/") and "signatures" in n.rsplit("/", 1)[-1].lower()
        ]

    def _is_bdoc_tm(self, name: str) -> bool:
        return BDOC_POLICY.encode() in self.members.get(name, b"")

    def _signatures_in(self, name: str, data_files, media_types) -> None:
        if not name.lower().endswith(".xml"):
            self.verdict.add("signature_unsupported", name=name)
            return
        try:
            root = _parse_xml(self.members[name])
        except _Problem:
            self.verdict.add("signature_unreadable", name=name)
            return
        signatures = (
            [root] if root.tag == f"{{{DS}}}Signature" else root.findall(f"{{{DS}}}Signature")
        )
        if not signatures:
            self.verdict.add("signature_unreadable", name=name)
            return
        for element in signatures:
            checker = _SignatureCheck(
                element,
                members={n: self.members[n] for n in data_files},
                media_types=media_types,
                store=self.store,
                at=self.at,
            )
            result = checker.verify()
            result.file = name
            self.verdict.signatures.append(result)


class _Stop(_Problem):
    """The reasons are already in the verdict."""

    def __init__(self):
        super().__init__("")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, reading at most ``MAX_MEMBER_BYTES`` whatever its header claims."""
    if info.file_size > MAX_MEMBER_BYTES:
        raise _Problem("too_large")
    try:
        with archive.open(info) as member:
            data = member.read(MAX_MEMBER_BYTES + 1)
    except Exception as error:
        raise _Problem("unreadable") from error
    if len(data) > MAX_MEMBER_BYTES:
        raise _Problem("too_large")
    return data


class UnsafeXML(ValueError):
    """Untrusted XML refused by ``parse_untrusted_xml``; ``detail`` says why: "too large",
    "not XML", "DTD" or "entity"."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


def parse_untrusted_xml(data: bytes, *, max_bytes: int):
    """The root element of untrusted XML: no DTD (so no entities: billion laughs, external
    entities), no network, no huge text nodes; a file that declares a DTD or entities is refused,
    not quietly read (``UnsafeXML``). The signatures and the trusted list (core.trust_list) both
    read XML from outside through this."""
    from lxml import etree

    if len(data) > max_bytes:
        raise UnsafeXML("too large")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_blank_text=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except Exception as error:
        raise UnsafeXML("not XML") from error
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise UnsafeXML("DTD")
    if any(node.tag is etree.Entity for node in root.iter()):
        raise UnsafeXML("entity")
    return root


def _parse_xml(data: bytes):
    try:
        return parse_untrusted_xml(data, max_bytes=MAX_XML_BYTES)
    except UnsafeXML as error:
        raise _Problem("malformed", detail=error.detail) from error


# --- One signature --------------------------------------------------------------------------------


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def _text(element) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _b64(element) -> bytes:
    text = re.sub(r"\s+", "", _text(element))
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise _Problem("malformed", detail="base64") from error


def _c14n(element, method: str | None, prefixes: list[str] | None = None) -> bytes:
    from lxml import etree

    method = method or DEFAULT_C14N
    if method not in C14N_METHODS:
        raise _Problem("unsupported_algorithm", algorithm=method)
    exclusive, comments = C14N_METHODS[method]
    return etree.tostring(
        element,
        method="c14n",
        exclusive=exclusive,
        with_comments=comments,
        inclusive_ns_prefixes=prefixes if exclusive and prefixes else None,
    )


def _digest(algorithm: str, *chunks: bytes) -> bytes:
    digest = hashlib.new(algorithm)
    for chunk in chunks:
        digest.update(chunk)
    return digest.digest()


class _SignatureCheck:
    def __init__(self, element, *, members, media_types, store: TrustStore, at: datetime):
        self.element = element
        self.members = members
        self.media_types = media_types
        self.store = store
        self.at = at
        self.result = SignatureVerdict(id=element.get("Id", ""))
        self.other_certs: list = []  # asn1crypto certificates met in the signature

    # Helpers reading the XML
    def _one(self, parent, namespace: str, name: str, *, required=True):
        found = parent.findall(_q(namespace, name)) if parent is not None else []
        if len(found) > 1 or (required and not found):
            raise _Problem("malformed", detail=name)
        return found[0] if found else None

    def verify(self) -> SignatureVerdict:
        try:
            self._verify()
        except _Problem as problem:
            if problem.code:
                self.result.add(problem.code, **problem.params)
        except Exception:
            log.exception("signature %s: unexpected error", self.result.id)
            self.result.add("malformed", detail="unexpected")
        if not self.result.findings and not self.result.trusted_time:
            self.result.add("no_long_term_data")  # never "valid" without a trusted time
        return self.result

    def _verify(self) -> None:
        from asn1crypto import x509 as asn1_x509
        from cryptography import x509

        result, element = self.result, self.element
        signed_info = self._one(element, DS, "SignedInfo")
        signature_value = self._one(element, DS, "SignatureValue")
        key_info = self._one(element, DS, "KeyInfo")
        certificates = key_info.findall(f"{_q(DS, 'X509Data')}/{_q(DS, 'X509Certificate')}")
        if len(certificates) != 1:
            raise _Problem("no_certificate")
        try:
            der = _b64(certificates[0])
            certificate = x509.load_der_x509_certificate(der)
            self.certificate = asn1_x509.Certificate.load(der)
            self.certificate.native  # noqa: B018 - parse it all now
        except Exception:
            raise _Problem("no_certificate") from None
        self.certificate_der, self.crypto_certificate = der, certificate
        subject = subject_of(certificate)
        result.signer, result.code = subject.name, subject.code
        result.country, result.is_seal = subject.country, subject.is_seal
        try:
            result.issuer = certificate.issuer.rfc4514_string()
        except Exception:
            result.issuer = ""

        qualifying = self._one(self._one(element, DS, "Object"), XADES, "QualifyingProperties")
        signed_properties = self._one(qualifying, XADES, "SignedProperties")
        signed_signature = self._one(signed_properties, XADES, "SignedSignatureProperties")
        result.claimed_signing_time = _moment(
            _text(self._one(signed_signature, XADES, "SigningTime", required=False))
        )
        unsigned = self._one(qualifying, XADES, "UnsignedProperties", required=False)
        self.unsigned_signature = self._one(
            unsigned, XADES, "UnsignedSignatureProperties", required=False
        )
        if not result.id:
            raise _Problem("malformed", detail="Id")

        # 2. References and the signature value
        self._check_references(signed_info, signed_properties)
        self._check_signature_value(signed_info, signature_value, certificate)
        # 3. The signed certificate is the KeyInfo's
        self._check_signing_certificate(signed_signature)
        # 4-5. Trusted time, revocation, chain
        if not _has_non_repudiation(certificate):
            result.add("no_non_repudiation")
        self._collect_certificates()
        self._check_long_term(signed_signature, signature_value)

    def _check_references(self, signed_info, signed_properties) -> None:
        result = self.result
        references = signed_info.findall(_q(DS, "Reference"))
        signed_properties_id = signed_properties.get("Id", "")
        formats = self._data_object_formats(signed_properties)
        covered: set[str] = set()
        signed_properties_refs, missing_formats = 0, False
        for reference in references:
            uri = reference.get("URI")
            method = reference.find(_q(DS, "DigestMethod"))
            algorithm_uri = method.get("Algorithm", "") if method is not None else ""
            algorithm = DIGESTS.get(algorithm_uri)
            if uri is None:
                raise _Problem("malformed", detail="Reference URI")
            if algorithm is None:
                raise _Problem("unsupported_algorithm", algorithm=algorithm_uri or "?")
            if algorithm in WEAK_DIGESTS and "weak_digest" not in result.reason_codes:
                result.add("weak_digest")
            expected = _b64(self._one(reference, DS, "DigestValue"))
            transforms = reference.findall(f"{_q(DS, 'Transforms')}/{_q(DS, 'Transform')}")
            if reference.get("Type") == SIGNED_PROPERTIES_TYPE or uri.startswith("#"):
                if uri != f"#{signed_properties_id}" or not signed_properties_id:
                    raise _Problem("signed_properties")
                if _elements_with_id(self.element, signed_properties_id) != [signed_properties]:
                    raise _Problem("signed_properties")
                signed_properties_refs += 1
                method_uri, prefixes = DEFAULT_C14N, None
                for transform in transforms:
                    method_uri = transform.get("Algorithm", "")
                    prefixes = _inclusive_prefixes(transform)
                data = _c14n(signed_properties, method_uri, prefixes)
                if _digest(algorithm, data) != expected:
                    result.add("signed_properties_changed")
                continue
            name = unquote(uri)
            name = name[1:] if name.startswith("/") else name
            if name not in self.members:
                result.add("reference_missing", name=name)
                continue
            if transforms:
                raise _Problem("unsupported_algorithm", algorithm="Transform")
            if _digest(algorithm, self.members[name]) != expected:
                result.add("file_changed", name=name)
            covered.add(name)
            media_type = self.media_types.get(name)
            ref_format = formats.get(f"#{reference.get('Id', '')}")
            if formats and reference.get("Id") and ref_format is None:
                missing_formats = True
            elif media_type and ref_format and ref_format != media_type:
                result.add("mime_mismatch", name=name)
        if signed_properties_refs != 1:
            raise _Problem("signed_properties")
        if missing_formats or not formats:
            result.add("data_object_format")
        for name in self.members:
            if name not in covered:
                result.add("file_not_signed", name=name)

    def _data_object_formats(self, signed_properties) -> dict[str, str]:
        formats = {}
        for data_format in signed_properties.iter(_q(XADES, "DataObjectFormat")):
            mime = data_format.find(_q(XADES, "MimeType"))
            formats[data_format.get("ObjectReference", "")] = _text(mime)
        return formats

    def _check_signature_value(self, signed_info, signature_value, certificate) -> None:
        result = self.result
        c14n_method = self._one(signed_info, DS, "CanonicalizationMethod")
        method = self._one(signed_info, DS, "SignatureMethod").get("Algorithm", "")
        result.signature_method = method
        if method not in SIGNATURE_METHODS:
            raise _Problem("unsupported_algorithm", algorithm=method or "?")
        kind, hash_name = SIGNATURE_METHODS[method]
        if hash_name == "sha1":
            result.add("weak_signature")
        data = _c14n(
            signed_info, c14n_method.get("Algorithm", ""), _inclusive_prefixes(c14n_method)
        )
        self.signature_value_bytes = _b64(signature_value)
        if not _verify_raw(
            certificate.public_key(), kind, hash_name, self.signature_value_bytes, data
        ):
            raise _Problem("signature_value")

    def _check_signing_certificate(self, signed_signature) -> None:
        v2 = self._one(signed_signature, XADES, "SigningCertificateV2", required=False)
        v1 = self._one(signed_signature, XADES, "SigningCertificate", required=False)
        container = v2 if v2 is not None else v1
        if container is None:
            raise _Problem("signing_certificate_missing")
        certs = container.findall(_q(XADES, "Cert"))
        if len(certs) != 1:
            raise _Problem("signing_certificate_mismatch")
        cert = certs[0]
        cert_digest = self._one(cert, XADES, "CertDigest")
        method = self._one(cert_digest, DS, "DigestMethod").get("Algorithm", "")
        algorithm = DIGESTS.get(method)
        if algorithm is None:
            raise _Problem("unsupported_algorithm", algorithm=method or "?")
        if _digest(algorithm, self.certificate_der) != _b64(
            self._one(cert_digest, DS, "DigestValue")
        ):
            raise _Problem("signing_certificate_mismatch")
        if container is v2:
            issuer_serial = self._one(cert, XADES, "IssuerSerialV2", required=False)
            if issuer_serial is not None and not _issuer_serial_v2_matches(
                _b64(issuer_serial), self.certificate
            ):
                raise _Problem("signing_certificate_mismatch")
        else:
            issuer_serial = self._one(cert, XADES, "IssuerSerial", required=False)
            if issuer_serial is not None:
                serial = _text(issuer_serial.find(_q(DS, "X509SerialNumber")))
                name = _text(issuer_serial.find(_q(DS, "X509IssuerName")))
                try:
                    same_serial = int(serial) == self.certificate.serial_number
                except ValueError:
                    same_serial = False
                if not same_serial or not _issuer_name_matches(name, self.crypto_certificate):
                    raise _Problem("signing_certificate_mismatch")

    def _collect_certificates(self) -> None:
        from asn1crypto import x509 as asn1_x509

        usp = self.unsigned_signature
        if usp is None:
            return
        for values in usp.findall(_q(XADES, "CertificateValues")):
            for encapsulated in values.findall(_q(XADES, "EncapsulatedX509Certificate")):
                try:
                    self.other_certs.append(asn1_x509.Certificate.load(_b64(encapsulated)))
                except Exception:  # noqa: S112 - an unreadable extra certificate is ignored
                    continue

    # Long-term data -----------------------------------------------------------------------------

    def _check_long_term(self, signed_signature, signature_value) -> None:
        result, usp = self.result, self.unsigned_signature
        timestamps = usp.findall(_q(XADES, "SignatureTimeStamp")) if usp is not None else []
        archives = usp.findall(_q(XADES141, "ArchiveTimeStamp")) if usp is not None else []
        ocsp_values = (
            usp.findall(
                f"{_q(XADES, 'RevocationValues')}/{_q(XADES, 'OCSPValues')}/"
                f"{_q(XADES, 'EncapsulatedOCSPValue')}"
            )
            if usp is not None
            else []
        )
        policy = _text(
            signed_signature.find(
                f"{_q(XADES, 'SignaturePolicyIdentifier')}/{_q(XADES, 'SignaturePolicyId')}/"
                f"{_q(XADES, 'SigPolicyId')}/{_q(XADES, 'Identifier')}"
            )
        )
        if timestamps:
            result.profile = "LTA" if archives else ("LT" if ocsp_values else "T")
        elif ocsp_values:
            result.profile = "LT-TM"
        else:
            result.profile = "B"

        timestamp_time = None
        if timestamps:
            for timestamp in timestamps:
                method = timestamp.find(_q(DS, "CanonicalizationMethod"))
                method_uri = method.get("Algorithm") if method is not None else None
                imprint_input = [_c14n(signature_value, method_uri)]
                moment = self._check_timestamp(
                    timestamp, imprint_input, "timestamp_invalid", "timestamp_imprint"
                )
                if moment and timestamp_time is None:
                    timestamp_time = moment
            result.trusted_time = timestamp_time  # None when no time-stamp holds (reason given)

        if result.profile == "LT-TM" and policy != BDOC_POLICY:
            result.add("tm_policy")

        if ocsp_values:
            produced_at = self._check_ocsp(ocsp_values, timestamp_time)
            if produced_at is None:
                pass  # the reason is given
            elif result.profile == "LT-TM":
                result.trusted_time = produced_at
            elif timestamp_time is None:
                pass
            elif produced_at < timestamp_time:
                result.add("ocsp_before_timestamp")
            elif produced_at - timestamp_time > OCSP_LATE:
                result.add("ocsp_late")
        elif timestamps:
            result.add("no_revocation_data")
        else:
            result.add("no_long_term_data")

        for archive in archives:
            self._check_archive_timestamp(archive)

        # The signer's certificate at the trusted time (or the given moment: B, T)
        self._check_chain(result.trusted_time or self.at)
        claimed, trusted = result.claimed_signing_time, result.trusted_time
        if claimed and trusted and abs(trusted - claimed) > SIGNING_TIME_DRIFT:
            result.add("signing_time_differs")

    def _check_chain(self, moment: datetime) -> None:
        problem = _validate_path(
            self.certificate,
            store=self.store,
            others=self.other_certs,
            moment=moment,
        )
        codes = {
            "untrusted": "issuer_untrusted",
            "expired": "certificate_expired",
            "revoked": "revoked",
            "invalid": "certificate_invalid",
        }
        if problem == "untrusted":
            self._untrusted("issuer_untrusted")
        elif problem:
            self.result.add(codes.get(problem, "certificate_invalid"))

    def _untrusted(self, code: str) -> None:
        """Someone the trust store does not know; with an empty store (not set up yet) that is
        everyone, and the verdict "indeterminate" rather than a fault of the container."""
        if not self.store.is_empty:
            self.result.add(code)
        elif "no_trust_store" not in self.result.reason_codes:
            self.result.add("no_trust_store")

    def _check_timestamp(self, element, chunks, invalid_code, imprint_code) -> datetime | None:
        encapsulated = element.find(_q(XADES, "EncapsulatedTimeStamp"))
        if encapsulated is None:
            self.result.add(invalid_code)
            return None
        try:
            token = _Timestamp(_b64(encapsulated))
        except Exception:
            self.result.add(invalid_code)
            return None
        self.other_certs.extend(token.certificates)
        if not token.signature_ok():
            self.result.add(invalid_code)
            return None
        if token.imprint != _digest(token.hash_name, *chunks):
            self.result.add(imprint_code)
            return None
        signer = token.signer_certificate(self.other_certs + list(self.store.certificates))
        if signer is None:
            self.result.add(invalid_code)
            return None
        if not self.store.contains(signer):
            problem = _validate_path(
                signer,
                store=self.store,
                others=self.other_certs,
                moment=token.gen_time,
                extended_key_usage={"time_stamping"},
            )
            if problem:
                self._untrusted("tsa_untrusted")
                return None
        return token.gen_time

    def _check_archive_timestamp(self, element) -> None:
        method = element.find(_q(DS, "CanonicalizationMethod"))
        method_uri = method.get("Algorithm") if method is not None else None
        try:
            chunks = list(self._archive_input(element, method_uri))
        except _Problem:
            self.result.add("archive_timestamp_invalid")
            return
        self._check_timestamp(
            element, chunks, "archive_timestamp_invalid", "archive_timestamp_imprint"
        )

    def _archive_input(self, timestamp, method_uri):
        """The archive time-stamp's input as libdigidocpp computes it (XAdES 1.4.1): each
        reference's data, SignedInfo, SignatureValue, KeyInfo, then the unsigned signature
        properties before this time-stamp, all canonicalised."""
        element = self.element
        signed_info = element.find(_q(DS, "SignedInfo"))
        for reference in signed_info.findall(_q(DS, "Reference")):
            uri = reference.get("URI", "")
            if reference.get("Type") == SIGNED_PROPERTIES_TYPE:
                found = _elements_with_id(element, uri[1:]) if uri.startswith("#") else []
                if len(found) != 1:
                    raise _Problem("archive_timestamp_invalid")
                yield _c14n(found[0], method_uri)
                continue
            name = unquote(uri)
            name = name[1:] if name.startswith("/") else name
            if name not in self.members:
                raise _Problem("archive_timestamp_invalid")
            yield self.members[name]
        for name in ("SignedInfo", "SignatureValue", "KeyInfo"):
            found = element.find(_q(DS, name))
            if found is not None:
                yield _c14n(found, method_uri)
        for child in self.unsigned_signature:
            if child is timestamp:
                break
            if isinstance(child.tag, str):
                yield _c14n(child, method_uri)

    def _check_ocsp(self, values, timestamp_time) -> datetime | None:
        """Check the OCSP response about the signer's certificate; its producedAt, or None."""
        result = self.result
        responses = []
        for value in values:
            try:
                responses.append(_Ocsp(_b64(value)))
            except Exception:  # noqa: S112 - unreadable responses count as absent
                continue
        if not responses:
            result.add("ocsp_invalid")
            return None
        issuers = self._issuer_candidates()
        response = next((r for r in responses if r.single_for(self.certificate, issuers)), None)
        if response is None:
            result.add("ocsp_other_certificate")
            return None
        self.other_certs.extend(response.certificates)
        responder = response.responder(self.other_certs + list(self.store.certificates))
        if responder is None or not response.signature_ok(responder):
            result.add("ocsp_invalid")
            return None
        if not self.store.contains(responder):
            same_issuer = responder.issuer == self.certificate.issuer
            problem = _validate_path(
                responder,
                store=self.store,
                others=self.other_certs,
                moment=response.produced_at,
                extended_key_usage={"ocsp_signing"},
            )
            if problem or not same_issuer:
                self._untrusted("ocsp_untrusted")
                return None
        single = response.single_for(self.certificate, issuers)
        status = single["cert_status"].name
        trusted_time = timestamp_time or response.produced_at
        if status == "revoked":
            revoked_at = single["cert_status"].chosen["revocation_time"].native
            result.add("revoked_before_signing" if revoked_at <= trusted_time else "revoked")
        elif status != "good":
            result.add("certificate_unknown")
        if result.profile == "LT-TM" and not response.nonce_matches(self.signature_value_bytes):
            result.add("ocsp_nonce")
        return response.produced_at

    def _issuer_candidates(self) -> list:
        issuer = self.certificate.issuer
        pool = self.other_certs + list(self.store.certificates)
        return [c for c in pool if c.subject == issuer]


def _elements_with_id(root, identifier: str) -> list:
    """Every element of the document with this Id (more than one: a wrapping attack)."""
    document = root.getroottree().getroot()
    return [
        e
        for e in document.iter()
        if isinstance(e.tag, str)
        and identifier
        and identifier in (e.get("Id"), e.get("ID"), e.get("id"))
    ]


def _inclusive_prefixes(element) -> list[str] | None:
    if element is None:
        return None
    found = element.find("{http://www.w3.org/2001/10/xml-exc-c14n#}InclusiveNamespaces")
    if found is None:
        return None
    return [p if p != "#default" else None for p in found.get("PrefixList", "").split()] or None


def _hash(name: str):
    from cryptography.hazmat.primitives import hashes

    return {
        "sha1": hashes.SHA1(),  # noqa: S303 - old signatures are verified (with a warning)
        "sha224": hashes.SHA224(),
        "sha256": hashes.SHA256(),
        "sha384": hashes.SHA384(),
        "sha512": hashes.SHA512(),
        "sha3_256": hashes.SHA3_256(),
        "sha3_384": hashes.SHA3_384(),
        "sha3_512": hashes.SHA3_512(),
    }[name]


def _verify_raw(
    public_key, kind: str, hash_name: str, signature: bytes, data: bytes, *, der_ecdsa=False
) -> bool:
    """Check a signature over ``data``. XML-DSig ECDSA values are r||s; CMS's are DER."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    try:
        algorithm = _hash(hash_name)
        if kind == "ecdsa":
            if not isinstance(public_key, ec.EllipticCurvePublicKey):
                return False
            if not der_ecdsa:
                if not signature or len(signature) % 2:
                    return False
                half = len(signature) // 2
                r = int.from_bytes(signature[:half], "big")
                s = int.from_bytes(signature[half:], "big")
                signature = encode_dss_signature(r, s)
            public_key.verify(signature, data, ec.ECDSA(algorithm))
            return True
        if not isinstance(public_key, rsa.RSAPublicKey):
            return False
        if kind == "pss":
            pad = padding.PSS(mgf=padding.MGF1(algorithm), salt_length=padding.PSS.AUTO)
        else:
            pad = padding.PKCS1v15()
        public_key.verify(signature, data, pad, algorithm)
        return True
    except (InvalidSignature, ValueError, TypeError, KeyError):
        return False


def _has_non_repudiation(certificate) -> bool:
    from cryptography import x509

    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except (x509.ExtensionNotFound, ValueError):
        return False
    return bool(usage.content_commitment)


def _issuer_serial_v2_matches(der: bytes, certificate) -> bool:
    from asn1crypto import cms

    try:
        issuer_serial = cms.IssuerSerial.load(der)
        names = [n.chosen for n in issuer_serial["issuer"] if n.name == "directory_name"]
        serial = issuer_serial["serial"].native
    except Exception:
        return False
    return serial == certificate.serial_number and any(n == certificate.issuer for n in names)


_NAME_KEYS = {
    "CN": "2.5.4.3",
    "C": "2.5.4.6",
    "L": "2.5.4.7",
    "ST": "2.5.4.8",
    "S": "2.5.4.8",
    "O": "2.5.4.10",
    "OU": "2.5.4.11",
    "SN": "2.5.4.4",
    "SURNAME": "2.5.4.4",
    "GN": "2.5.4.42",
    "GIVENNAME": "2.5.4.42",
    "SERIALNUMBER": "2.5.4.5",
    "ORGANIZATIONIDENTIFIER": "2.5.4.97",
    "E": "1.2.840.113549.1.9.1",
    "EMAILADDRESS": "1.2.840.113549.1.9.1",
}


def _issuer_name_matches(text: str, certificate) -> bool:
    """Compare ``X509IssuerName`` (an RFC 4514-like string, written in many ways) leniently with
    the certificate's issuer: every attribute the string gives that can be read must match."""
    if not text:
        return True
    actual: dict[str, set[str]] = {}
    for attribute in certificate.issuer:
        value = attribute.value if isinstance(attribute.value, str) else ""
        actual.setdefault(attribute.oid.dotted_string, set()).add(value.strip().lower())
    parts = re.split(r"(?<!\\)[,+]", text)
    for part in parts:
        if "=" not in part:
            continue
        key, value = part.split("=", 1)
        key = key.strip().upper()
        oid = _NAME_KEYS.get(
            key, key.removeprefix("OID.") if re.fullmatch(r"(OID\.)?[\d.]+", key) else ""
        )
        if not oid or oid not in actual:
            continue
        value = value.strip()
        if value.startswith("#"):
            try:
                from asn1crypto.core import Any

                value = str(Any.load(bytes.fromhex(value[1:])).parsed.native)
            except Exception:  # noqa: S112 - an attribute that cannot be read is not compared
                continue
        value = re.sub(r"\\(.)", r"\1", value).strip().strip('"').lower()
        if value not in actual[oid]:
            return False
    return True


# --- Certificate paths (pyhanko-certvalidator, nothing fetched) -----------------------------------


def _run(coroutine):
    """Run a coroutine to completion from sync code, also when an event loop is running here."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _validate_path(
    certificate,
    *,
    store: TrustStore,
    others,
    moment: datetime,
    key_usage=None,
    extended_key_usage=None,
) -> str | None:
    """None when ``certificate`` has a valid path to the trust store at ``moment``; else
    "untrusted", "expired", "revoked" or "invalid"."""
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator import errors as certificate_errors

    if store.is_empty:
        return "untrusted"
    context = ValidationContext(
        trust_roots=list(store.certificates),
        other_certs=list(others),
        moment=moment,
        allow_fetching=False,
        revocation_mode="soft-fail",
        weak_hash_algos={"md2", "md5"},
    )
    validator = CertificateValidator(certificate, validation_context=context)
    try:
        _run(
            validator.async_validate_usage(
                set(key_usage or ()), extended_key_usage=set(extended_key_usage or ()) or None
            )
        )
    except certificate_errors.PathBuildingError:
        return "untrusted"
    except (certificate_errors.ExpiredError, certificate_errors.NotYetValidError):
        return "expired"
    except certificate_errors.RevokedError:
        return "revoked"
    except (certificate_errors.PathValidationError, certificate_errors.InvalidCertificateError):
        return "invalid"
    except Exception:
        log.warning("certificate path check failed", exc_info=True)
        return "invalid"
    return None


# --- RFC 3161 time-stamp tokens and OCSP responses ------------------------------------------------

_CMS_HASHES = {"sha1", "sha224", "sha256", "sha384", "sha512", "sha3_256", "sha3_384", "sha3_512"}


def _public_key(certificate):
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    return load_der_public_key(certificate.public_key.dump())


def _signature_kind(algorithm) -> tuple[str, str | None]:
    """(rsa|pss|ecdsa, hash or None) of an asn1crypto SignedDigestAlgorithm."""
    name = algorithm.signature_algo
    kind = {"rsassa_pkcs1v15": "rsa", "rsassa_pss": "pss", "ecdsa": "ecdsa"}.get(name, "")
    try:
        hash_name = algorithm.hash_algo
    except Exception:
        hash_name = None
    return kind, hash_name


class _Timestamp:
    """An RFC 3161 time-stamp token (CMS SignedData over TSTInfo)."""

    def __init__(self, der: bytes):
        from asn1crypto import cms, tsp

        content_info = cms.ContentInfo.load(der)
        if content_info["content_type"].native != "signed_data":
            raise ValueError("not SignedData")
        self.signed_data = content_info["content"]
        encapsulated = self.signed_data["encap_content_info"]
        if encapsulated["content_type"].native != "tst_info":
            raise ValueError("not a time-stamp")
        self.tst_bytes = encapsulated["content"].contents
        info = tsp.TSTInfo.load(self.tst_bytes)
        imprint = info["message_imprint"]
        self.hash_name = imprint["hash_algorithm"]["algorithm"].native
        if self.hash_name not in _CMS_HASHES:
            raise ValueError("hash")
        self.imprint = imprint["hashed_message"].native
        self.gen_time = info["gen_time"].native
        signer_infos = self.signed_data["signer_infos"]
        if len(signer_infos) != 1:
            raise ValueError("signer infos")
        self.signer_info = signer_infos[0]
        self.certificates = [
            c.chosen for c in self.signed_data["certificates"] or [] if c.name == "certificate"
        ]

    def signer_certificate(self, pool):
        sid = self.signer_info["sid"]
        for certificate in self.certificates + list(pool):
            if sid.name == "issuer_and_serial_number":
                if (
                    certificate.issuer == sid.chosen["issuer"]
                    and certificate.serial_number == sid.chosen["serial_number"].native
                ):
                    return certificate
            elif certificate.key_identifier == sid.chosen.native:
                return certificate
        return None

    def signature_ok(self) -> bool:
        certificate = self.signer_certificate([])
        if certificate is None:
            return False
        return _cms_signature_ok(self.signer_info, self.tst_bytes, "tst_info", certificate)


def _cms_signature_ok(signer_info, content: bytes, content_type: str, certificate) -> bool:
    digest_name = signer_info["digest_algorithm"]["algorithm"].native
    if digest_name not in _CMS_HASHES:
        return False
    signed_attrs = signer_info["signed_attrs"]
    if not signed_attrs:
        return False
    attributes = {a["type"].native: a["values"] for a in signed_attrs}
    message_digest = attributes.get("message_digest")
    kind_of_content = attributes.get("content_type")
    if not message_digest or message_digest[0].native != _digest(digest_name, content):
        return False
    if not kind_of_content or kind_of_content[0].native != content_type:
        return False
    data = b"\x31" + signed_attrs.dump()[1:]  # the SET OF, not its [0] IMPLICIT tag
    kind, hash_name = _signature_kind(signer_info["signature_algorithm"])
    if kind == "pss":
        params = signer_info["signature_algorithm"]["parameters"]
        hash_name = params["hash_algorithm"]["algorithm"].native
    return _verify_raw(
        _public_key(certificate),
        kind,
        hash_name or digest_name,
        signer_info["signature"].native,
        data,
        der_ecdsa=True,
    )


class _Ocsp:
    """An OCSP response (RFC 6960), as embedded in XAdES ``EncapsulatedOCSPValue``."""

    def __init__(self, der: bytes):
        from asn1crypto import ocsp

        response = ocsp.OCSPResponse.load(der)
        if response["response_status"].native != "successful":
            raise ValueError("not successful")
        basic = response["response_bytes"]["response"].parsed
        self.basic = basic
        self.tbs = basic["tbs_response_data"]
        self.produced_at = self.tbs["produced_at"].native
        self.certificates = list(basic["certs"] or [])

    def single_for(self, certificate, issuers):
        """The SingleResponse about ``certificate`` (issued by one of ``issuers``), or None."""
        for single in self.tbs["responses"]:
            cert_id = single["cert_id"]
            algorithm = cert_id["hash_algorithm"]["algorithm"].native
            if algorithm not in _CMS_HASHES:
                continue
            if cert_id["serial_number"].native != certificate.serial_number:
                continue
            if cert_id["issuer_name_hash"].native != _digest(algorithm, certificate.issuer.dump()):
                continue
            key_hash = cert_id["issuer_key_hash"].native
            if issuers and not any(
                _digest(algorithm, i.public_key["public_key"].contents[1:]) == key_hash
                for i in issuers
            ):
                continue
            return single
        return None

    def responder(self, pool):
        responder_id = self.tbs["responder_id"]
        for certificate in self.certificates + list(pool):
            if responder_id.name == "by_name":
                if certificate.subject == responder_id.chosen:
                    return certificate
            elif certificate.public_key.sha1 == responder_id.chosen.native:
                return certificate
        return None

    def signature_ok(self, responder) -> bool:
        kind, hash_name = _signature_kind(self.basic["signature_algorithm"])
        if kind == "pss":
            params = self.basic["signature_algorithm"]["parameters"]
            hash_name = params["hash_algorithm"]["algorithm"].native
        if not kind or not hash_name:
            return False
        return _verify_raw(
            _public_key(responder),
            kind,
            hash_name,
            self.basic["signature"].native,
            self.tbs.dump(),
            der_ecdsa=True,
        )

    def nonce_matches(self, signature_value: bytes) -> bool:
        """BDOC time-mark: the nonce is the DER DigestInfo of the signature value's digest."""
        from asn1crypto import algos, core

        for extension in self.tbs["response_extensions"] or []:
            if extension["extn_id"].native != "nonce":
                continue
            raw = extension["extn_value"].contents
            for candidate in (raw, _octets(raw, core)):
                try:
                    info = algos.DigestInfo.load(candidate, strict=True)
                    name = info["digest_algorithm"]["algorithm"].native
                    if name in _CMS_HASHES:
                        return info["digest"].native == _digest(name, signature_value)
                except Exception:  # noqa: S112 - try the next way of reading the nonce
                    continue
        return False


def _octets(raw: bytes, core) -> bytes:
    try:
        return core.OctetString.load(raw, strict=True).native
    except Exception:
        return b""
