"""Who signed: the signer's name and personal code read from a certificate's subject (the ETSI
semantics identifier PNOEE-…, the serial number, the given name and surname)."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
