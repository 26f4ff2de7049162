"""Reading a trusted list's XML (entities and DTDs refused): its providers, services, their
certificates and status history."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime

from core.signatures import (
    UnsafeXML,
    _q,
    _text,
    parse_untrusted_xml,
)
from core.trust_list.model import (
    ACTIVE_STATUSES,
    ENDED_STATUSES,
    MAX_TSL_BYTES,
    SERVICE_TYPES,
    TSL,
    XML_LANG,
    Service,
    TrustList,
    TrustListError,
)


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
