"""Read an ETSI TS 119 612 trusted list (TSL) into a PEM bundle for the signature verifier's
trust store (``core.trust``), the way DigiDoc takes its trust anchors from the EU trusted lists.

This machine has no network: an administrator downloads the list (for Estonia
https://sr.riik.ee/tsl/estonian-tsl.xml) and ``python manage.py import_trust_list FILE`` reads it.

- The list is untrusted input until its signature is checked: it is parsed without DTD, entities
  or network, and a file that declares any is refused.
- Kept are the services whose word the verifier needs: CAs (``CA/QC``), time-stamping
  (``TSA/QTST``, ``TSA``) and OCSP responders (``Certstatus/OCSP/QC``, ``Certstatus/OCSP``).
  Withdrawn services are kept too (as DigiDoc does): signatures made while they were granted must
  still verify. The summary names them separately.
- The list's own enveloped XML signature is checked against a signing certificate the
  administrator checked out of band (the LOTL or the published fingerprint): every reference's
  digest (the whole list with the Signature removed, and XAdES SignedProperties), then the
  SignatureValue over the canonical SignedInfo. Without that certificate the authenticity of the
  list is not known, and the command says so.
- The bundle is written atomically (temp file + rename), so the verifier, which reloads the
  store when its files change, never reads half a file.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from core.signatures import (
    C14N_METHODS,
    DIGESTS,
    SIGNATURE_METHODS,
    UnsafeXML,
    _elements_with_id,
    _q,
    _text,
    parse_untrusted_xml,
)
from core.signatures import _inclusive_prefixes as inclusive_prefixes
from core.signatures import _verify_raw as verify_raw

TSL = "http://uri.etsi.org/02231/v2#"
DS = "http://www.w3.org/2000/09/xmldsig#"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
DEFAULT_C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
MAX_TSL_BYTES = 50 * 1024 * 1024

_SVCTYPE = "http://uri.etsi.org/TrstSvc/Svctype/"
#: Service type URI: (kind, short name).
SERVICE_TYPES = {
    f"{_SVCTYPE}CA/QC": ("CA", "CA/QC"),
    f"{_SVCTYPE}TSA/QTST": ("TSA", "TSA/QTST"),
    f"{_SVCTYPE}TSA": ("TSA", "TSA"),
    f"{_SVCTYPE}Certstatus/OCSP/QC": ("OCSP", "OCSP/QC"),
    f"{_SVCTYPE}Certstatus/OCSP": ("OCSP", "OCSP"),
}
KINDS = ("CA", "TSA", "OCSP")

_STATUS = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/"
#: Statuses under which a service's word counts now (eIDAS "granted"; before eIDAS, TS 119 612
#: v1 "undersupervision", "accredited", "supervisionincessation"; national "recognised").
ACTIVE_STATUSES = frozenset(
    f"{_STATUS}{name}"
    for name in ("granted", "undersupervision", "accredited", "supervisionincessation")
) | {f"{_STATUS}recognisedatnationallevel"}
#: Statuses of a service that no longer counts for new signatures but did for older ones.
ENDED_STATUSES = frozenset(
    f"{_STATUS}{name}"
    for name in (
        "withdrawn",
        "supervisionceased",
        "supervisionrevoked",
        "accreditationceased",
        "accreditationrevoked",
        "deprecatedatnationallevel",
    )
)


class TrustListError(Exception):
    """The file cannot be used: the message says why, in plain words."""


@dataclass
class Service:
    """One TSPService (or one of its history entries) that the bundle keeps."""

    name: str
    provider: str
    type_uri: str
    status_uri: str
    status_since: datetime | None
    certificates: list[bytes] = field(default_factory=list)  # DER
    from_history: bool = False

    @property
    def kind(self) -> str:
        return SERVICE_TYPES[self.type_uri][0]

    @property
    def type_label(self) -> str:
        return SERVICE_TYPES[self.type_uri][1]

    @property
    def status(self) -> str:
        return self.status_uri.rsplit("/", 1)[-1] or "?"

    @property
    def is_withdrawn(self) -> bool:
        return self.status_uri in ENDED_STATUSES


@dataclass
class TrustList:
    territory: str = ""
    sequence_number: str = ""
    issued_at: datetime | None = None
    next_update: datetime | None = None
    services: list[Service] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped_services: int = 0

    def certificates(self) -> list[tuple[bytes, list[Service]]]:
        """Each distinct certificate (DER) once, with every kept service that names it, in the
        order of the list."""
        found: dict[bytes, tuple[bytes, list[Service]]] = {}
        for service in self.services:
            for der in service.certificates:
                key = hashlib.sha256(der).digest()
                entry = found.setdefault(key, (der, []))
                if service not in entry[1]:
                    entry[1].append(service)
        return list(found.values())

    def counts(self) -> dict[str, int]:
        """Distinct certificates per kind (a certificate of two kinds counts for both)."""
        counts = dict.fromkeys(KINDS, 0)
        for _der, services in self.certificates():
            for kind in {s.kind for s in services}:
                counts[kind] += 1
        return counts

    def withdrawn(self) -> list[Service]:
        """Current services whose status has ended (history entries not counted)."""
        return [s for s in self.services if s.is_withdrawn and not s.from_history]

    def is_past_next_update(self, now: datetime | None = None) -> bool:
        return self.next_update is not None and self.next_update < (now or datetime.now(UTC))


# --- Reading -------------------------------------------------------------------------------------


def _moment(text: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_xml(data: bytes):
    """The document (an lxml ElementTree) of untrusted XML: no DTD, no entities, no network
    (``core.signatures.parse_untrusted_xml``), refused in the trusted list's words."""
    try:
        return parse_untrusted_xml(data, max_bytes=MAX_TSL_BYTES).getroottree()
    except UnsafeXML as error:
        if error.detail == "too large":
            message = (
                f"The file is too large for a trusted list ({len(data) // (1024 * 1024)} MiB)."
            )
        elif error.detail == "not XML":
            message = f"The file is not a trusted list: it is not valid XML ({error.__cause__})."
        elif error.detail == "DTD":
            message = (
                "The file declares a DTD or entities, which a trusted list never does: refused."
            )
        else:
            message = "The file uses XML entities, which a trusted list never does: refused."
        raise TrustListError(message) from error


def _name(parent, tag: str) -> str:
    """The English ``Name`` under ``parent/tag`` (or the first one in any language)."""
    names = parent.findall(f"{_q(TSL, tag)}/{_q(TSL, 'Name')}") if parent is not None else []
    for name in names:
        if name.get(XML_LANG, "").lower().startswith("en"):
            return _text(name)
    return _text(names[0]) if names else ""


def _certificates(parent, label: str, warnings: list[str]) -> list[bytes]:
    """The DER certificates of ``ServiceDigitalIdentity``; ones that don't parse are skipped."""
    from cryptography import x509

    found = []
    path = (
        f"{_q(TSL, 'ServiceDigitalIdentity')}/{_q(TSL, 'DigitalId')}/{_q(TSL, 'X509Certificate')}"
    )
    for element in parent.findall(path):
        try:
            der = base64.b64decode(re.sub(r"\s+", "", _text(element)), validate=True)
            x509.load_der_x509_certificate(der)
        except (binascii.Error, ValueError) as error:
            warnings.append(f"{label}: a certificate that cannot be read was skipped ({error}).")
            continue
        found.append(der)
    return found


def _service(information, *, provider: str, from_history: bool, warnings: list[str]):
    """A ``Service`` of a ServiceInformation or ServiceHistoryInstance element, or None."""
    type_uri = _text(information.find(_q(TSL, "ServiceTypeIdentifier")))
    if type_uri not in SERVICE_TYPES:
        return None
    name = _name(information, "ServiceName") or "(no name)"
    status_uri = _text(information.find(_q(TSL, "ServiceStatus")))
    label = f"{provider} / {name}" + (" (history)" if from_history else "")
    if status_uri not in ACTIVE_STATUSES | ENDED_STATUSES:
        warnings.append(f"{label}: unknown status {status_uri or '(none)'}; kept as listed.")
    return Service(
        name=name,
        provider=provider,
        type_uri=type_uri,
        status_uri=status_uri,
        status_since=_moment(_text(information.find(_q(TSL, "StatusStartingTime")))),
        certificates=_certificates(information, label, warnings),
        from_history=from_history,
    )


def read_trust_list(root) -> TrustList:
    """The kept services and the scheme information of a parsed TSL (its root element)."""
    if root.tag != _q(TSL, "TrustServiceStatusList"):
        raise TrustListError(
            "The file is not a trusted list (no ETSI TrustServiceStatusList element "
            f"in the namespace {TSL})."
        )
    scheme = root.find(_q(TSL, "SchemeInformation"))
    if scheme is None:
        raise TrustListError("The file is not a trusted list (it has no SchemeInformation).")
    result = TrustList(
        territory=_text(scheme.find(_q(TSL, "SchemeTerritory"))),
        sequence_number=_text(scheme.find(_q(TSL, "TSLSequenceNumber"))),
        issued_at=_moment(_text(scheme.find(_q(TSL, "ListIssueDateTime")))),
        next_update=_moment(_text(scheme.find(f"{_q(TSL, 'NextUpdate')}/{_q(TSL, 'dateTime')}"))),
    )
    providers = root.findall(
        f"{_q(TSL, 'TrustServiceProviderList')}/{_q(TSL, 'TrustServiceProvider')}"
    )
    for provider in providers:
        provider_name = _name(provider.find(_q(TSL, "TSPInformation")), "TSPName") or "(no name)"
        for service in provider.findall(f"{_q(TSL, 'TSPServices')}/{_q(TSL, 'TSPService')}"):
            information = service.find(_q(TSL, "ServiceInformation"))
            if information is None:
                continue
            current = _service(
                information, provider=provider_name, from_history=False, warnings=result.warnings
            )
            if current is None:
                result.skipped_services += 1
                continue
            result.services.append(current)
            history = service.findall(
                f"{_q(TSL, 'ServiceHistory')}/{_q(TSL, 'ServiceHistoryInstance')}"
            )
            for instance in history:
                # Older entries of the same service: usually only its key identifier, sometimes
                # the certificate it had before a re-key: keep those certificates too.
                past = _service(
                    instance, provider=provider_name, from_history=True, warnings=result.warnings
                )
                if past is not None and past.certificates:
                    result.services.append(past)
    return result


# --- The list's own signature --------------------------------------------------------------------


def _c14n(node, method: str, prefixes=None) -> bytes:
    """Canonical bytes of an element or a whole document (same-document references never
    carry comments: URI="" and "#id" select the nodes without them)."""
    from lxml import etree

    if method not in C14N_METHODS:
        raise TrustListError(f"The list's signature uses an unsupported canonicalisation {method}.")
    exclusive, _comments = C14N_METHODS[method]
    return etree.tostring(
        node,
        method="c14n",
        exclusive=exclusive,
        with_comments=False,
        inclusive_ns_prefixes=prefixes if exclusive and prefixes else None,
    )


def _remove_keeping_tail(element) -> None:
    """Remove ``element`` but not the text after it (the enveloped-signature transform removes
    the Signature's nodes only)."""
    parent = element.getparent()
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _ids(element) -> set[str]:
    return {element.get(name) for name in ("Id", "ID", "id") if element.get(name) is not None}


def _signature_element(root):
    signatures = root.findall(_q(DS, "Signature"))
    all_signatures = list(root.iter(_q(DS, "Signature")))
    if not signatures:
        raise TrustListError("The list is not signed (it has no enveloped ds:Signature).")
    if len(signatures) != 1 or len(all_signatures) != 1:
        raise TrustListError("The list holds more than one XML signature: refused.")
    return signatures[0]


def _reference_data(reference, data: bytes, tree) -> bytes:
    """The canonical bytes a Reference's digest is over (the whole list without its signature,
    or an element inside the signature such as XAdES SignedProperties)."""
    uri = reference.get("URI")
    root = tree.getroot()
    transforms = [
        (t.get("Algorithm", ""), t)
        for t in reference.findall(f"{_q(DS, 'Transforms')}/{_q(DS, 'Transform')}")
    ]
    methods = [algorithm for algorithm, _t in transforms]
    if uri is None:
        raise TrustListError("The list's signature has a reference without a URI.")
    if any(m != ENVELOPED and m not in C14N_METHODS for m in methods):
        unknown = next(m for m in methods if m != ENVELOPED and m not in C14N_METHODS)
        raise TrustListError(f"The list's signature uses an unsupported transform {unknown}.")
    c14n = [(m, t) for m, t in transforms if m in C14N_METHODS]
    method, transform = c14n[-1] if c14n else (DEFAULT_C14N, None)
    prefixes = inclusive_prefixes(transform)
    whole = uri == "" or (uri.startswith("#") and uri[1:] in _ids(root))
    if whole:
        if uri and len(_elements_with_id(root, uri[1:])) != 1:
            raise TrustListError("The list's signature refers to an Id used more than once.")
        if ENVELOPED not in methods:
            raise TrustListError("The list's signature does not use the enveloped transform.")
        # A fresh copy of the document, the Signature removed, canonicalised.
        copy = parse_xml(data)
        _remove_keeping_tail(_signature_element(copy.getroot()))
        return _c14n(copy if uri == "" else copy.getroot(), method, prefixes)
    if not uri.startswith("#"):
        raise TrustListError(f"The list's signature refers to something outside the list ({uri}).")
    targets = _elements_with_id(root, uri[1:])
    if len(targets) != 1:
        raise TrustListError(f"The list's signature refers to {uri}, which is not there once.")
    if ENVELOPED in methods:
        raise TrustListError("The list's signature applies the enveloped transform to a part.")
    return _c14n(targets[0], method, prefixes)


def load_certificates(data: bytes) -> list:
    """``cryptography`` certificates of a PEM file (one or more) or one DER certificate."""
    from cryptography import x509

    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError as error:
        raise TrustListError(
            f"The signer certificate file holds no certificate ({error})."
        ) from error


def verify_signature(data: bytes, signer_certificates: list) -> None:
    """Check the TSL's enveloped XML signature with one of ``signer_certificates``
    (``cryptography`` certificates); raise ``TrustListError`` when it does not verify."""
    tree = parse_xml(data)
    root = tree.getroot()
    signature = _signature_element(root)
    signed_info = signature.find(_q(DS, "SignedInfo"))
    value = signature.find(_q(DS, "SignatureValue"))
    if signed_info is None or value is None:
        raise TrustListError("The list's signature has no SignedInfo or SignatureValue.")
    references = signed_info.findall(_q(DS, "Reference"))
    if not references:
        raise TrustListError("The list's signature has no references.")
    covers_list = False
    for reference in references:
        uri = reference.get("URI")
        digest_method = reference.find(_q(DS, "DigestMethod"))
        algorithm_uri = digest_method.get("Algorithm") if digest_method is not None else None
        algorithm = DIGESTS.get(algorithm_uri or "")
        if algorithm is None:
            raise TrustListError(
                f"The list's signature uses an unsupported digest {algorithm_uri}."
            )
        try:
            expected = base64.b64decode(
                re.sub(r"\s+", "", _text(reference.find(_q(DS, "DigestValue")))), validate=True
            )
        except (binascii.Error, ValueError) as error:
            raise TrustListError("The list's signature has a malformed digest value.") from error
        if hashlib.new(algorithm, _reference_data(reference, data, tree)).digest() != expected:
            raise TrustListError(
                "The list's signature is invalid: the list was changed after it was signed "
                f"(the digest of reference {uri!r} does not match)."
            )
        covers_list = covers_list or uri == "" or (uri or "")[1:] in _ids(root)
    if not covers_list:
        raise TrustListError("The list's signature does not cover the list itself.")
    method_element = signed_info.find(_q(DS, "SignatureMethod"))
    method = method_element.get("Algorithm", "") if method_element is not None else ""
    if method not in SIGNATURE_METHODS:
        raise TrustListError(f"The list's signature uses an unsupported method {method or '?'}.")
    kind, hash_name = SIGNATURE_METHODS[method]
    c14n_element = signed_info.find(_q(DS, "CanonicalizationMethod"))
    c14n_method = c14n_element.get("Algorithm", "") if c14n_element is not None else ""
    signed_bytes = _c14n(signed_info, c14n_method, inclusive_prefixes(c14n_element))
    try:
        signature_value = base64.b64decode(re.sub(r"\s+", "", _text(value)), validate=True)
    except (binascii.Error, ValueError) as error:
        raise TrustListError("The list's signature value is malformed.") from error
    if not any(
        verify_raw(c.public_key(), kind, hash_name, signature_value, signed_bytes)
        for c in signer_certificates
    ):
        raise TrustListError(
            "The list's signature is invalid: it was not made with the given signer certificate, "
            "or the signed information was changed."
        )


# --- Writing -------------------------------------------------------------------------------------


def _comment(text: str) -> str:
    """One safe comment line: no line breaks or PEM armour inside a name from the list."""
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", text)
    return re.sub(r"-{2,}", "-", text).strip()


def bundle_pem(trust_list: TrustList) -> bytes:
    """The PEM bundle: each certificate once, after ``# <service name> (<type>, <status>)``
    lines for the services that name it (the trust store's loader skips lines outside blocks)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    lines = [
        f"# Trusted list {_comment(trust_list.territory)} "
        f"sequence {_comment(trust_list.sequence_number)}, "
        f"issued {trust_list.issued_at.isoformat() if trust_list.issued_at else '?'}; "
        "written by manage.py import_trust_list",
        "",
    ]
    for der, services in trust_list.certificates():
        for service in services:
            lines.append(
                f"# {_comment(service.name)} ({service.type_label}, {_comment(service.status)})"
            )
        certificate = x509.load_der_x509_certificate(der)
        lines.append(f"# subject: {_comment(certificate.subject.rfc4514_string())}")
        lines.append(certificate.public_bytes(Encoding.PEM).decode("ascii").rstrip("\n"))
        lines.append("")
    return "\n".join(lines).encode("utf-8")


def default_output(store: str | Path) -> Path:
    """Where the bundle goes: the configured store itself, or ``trusted-list.pem`` inside it when
    it is a folder."""
    path = Path(store)
    return path / "trusted-list.pem" if path.is_dir() else path


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename."""
    path = Path(path)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
