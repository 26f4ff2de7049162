"""A trusted list (ETSI TS 119 612) as the portal keeps it: its services (CA, TSA, OCSP) with their
status and history, and the error for a list that cannot be used."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

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
