"""Signed containers (ASiC-E) for tests, shaped as DigiDoc makes them: a self-signed
certificate stands in for the ID card's, so the structure and digests are real."""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import zipfile

MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.etsi.asic-e+zip"/>'
    "{entries}</manifest:manifest>"
)


def certificate_b64(common_name: str, code: str, given: str, surname: str) -> str:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "EE"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.SURNAME, surname),
            x509.NameAttribute(NameOID.GIVEN_NAME, given),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, f"PNOEE-{code}"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()


def signature_xml(files: dict[str, bytes], *, given: str, surname: str, code: str, at: str) -> str:
    references = "".join(
        f'<ds:Reference URI="{name}">'
        '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>'
        f"<ds:DigestValue>{base64.b64encode(hashlib.sha256(data).digest()).decode()}"
        "</ds:DigestValue></ds:Reference>"
        for name, data in files.items()
    )
    cert = certificate_b64(f"{surname.upper()},{given.upper()},{code}", code, given, surname)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<asic:XAdESSignatures xmlns:asic="http://uri.etsi.org/02918/v1.2.1#" '
        'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" '
        'xmlns:xades="http://uri.etsi.org/01903/v1.3.2#">'
        '<ds:Signature Id="S0"><ds:SignedInfo>'
        f'{references}<ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" '
        'URI="#S0-SignedProperties"><ds:DigestMethod '
        'Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>AA==</ds:DigestValue>'
        "</ds:Reference></ds:SignedInfo><ds:SignatureValue>AA==</ds:SignatureValue>"
        f"<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate>"
        "</ds:X509Data></ds:KeyInfo><ds:Object><xades:QualifyingProperties>"
        '<xades:SignedProperties Id="S0-SignedProperties"><xades:SignedSignatureProperties>'
        f"<xades:SigningTime>{at}</xades:SigningTime>"
        "</xades:SignedSignatureProperties></xades:SignedProperties>"
        "</xades:QualifyingProperties></ds:Object></ds:Signature></asic:XAdESSignatures>"
    )


def make_asice(
    files: dict[str, bytes] | None = None,
    *,
    signers: tuple[tuple[str, str, str], ...] = (("Mari", "Tamm", "38001085718"),),
    at: str = "2026-11-20T09:15:00Z",
    tamper: bool = False,
    mimetype_first: bool = True,
) -> bytes:
    """An ASiC-E container of ``files`` signed by ``signers`` ((given, surname, code), …).
    ``tamper`` changes a file after signing."""
    files = files or {"kiri.pdf": b"%PDF-1.4 allkirjastatud kiri"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype_first:
            archive.writestr(
                zipfile.ZipInfo("mimetype"), b"application/vnd.etsi.asic-e+zip", zipfile.ZIP_STORED
            )
        stored = {name: (data + b" muudetud" if tamper else data) for name, data in files.items()}
        for name, data in stored.items():
            archive.writestr(name, data, zipfile.ZIP_DEFLATED)
        entries = "".join(
            f'<manifest:file-entry manifest:full-path="{name}" '
            'manifest:media-type="application/pdf"/>'
            for name in files
        )
        archive.writestr("META-INF/manifest.xml", MANIFEST.format(entries=entries))
        for index, (given, surname, code) in enumerate(signers):
            archive.writestr(
                f"META-INF/signatures{index}.xml",
                signature_xml(files, given=given, surname=surname, code=code, at=at),
            )
        if not mimetype_first:
            archive.writestr("mimetype", b"application/vnd.etsi.asic-e+zip")
    return buffer.getvalue()
