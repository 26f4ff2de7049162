"""XML-DSig helpers: XML parsed with entities and DTDs refused, qualified names, canonicalisation,
digests, raw signature values checked with a certificate's key (RSA PKCS#1 v1.5, RSA-PSS,
ECDSA), and the XAdES signing certificate's issuer and serial compared with a certificate."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

from core.signatures.common import C14N_METHODS, DEFAULT_C14N, MAX_XML_BYTES, _Problem


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
