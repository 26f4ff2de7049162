"""Really signed containers for tests: XAdES as libdigidocpp (DigiDoc4) writes it, signed with
the test PKI, with a real time-stamp (LT, LTA) or time-mark OCSP response (LT-TM).

    build_container(files={"kiri.pdf": b"..."}, signers=[pki().mari], profile="LT")

``tamper`` names what to break after (or while) signing, for the verifier's tests:
"file" (a data file changed after signing), "signature_value", "signed_properties",
"key_info" (the KeyInfo certificate swapped for another person's), "ocsp_nonce",
"timestamp_imprint". Other keywords make the odd-but-valid and the broken containers.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from asn1crypto import cms, x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from lxml import etree

from tests.signing.pki import Party, pki
from tests.signing.tokens import digest_info, make_ocsp, make_timestamp

ASIC_E = b"application/vnd.etsi.asic-e+zip"
ASIC_S = b"application/vnd.etsi.asic-s+zip"
DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
XADES141 = "http://uri.etsi.org/01903/v1.4.1#"
ASIC = "http://uri.etsi.org/02918/v1.2.1#"
C14N11 = "http://www.w3.org/2006/12/xml-c14n11"
C14N10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
BDOC_POLICY = "urn:oid:1.3.6.1.4.1.10015.1000.3.2.1"
DIGEST_URIS = {
    "sha1": "http://www.w3.org/2000/09/xmldsig#sha1",
    "sha224": "http://www.w3.org/2001/04/xmldsig-more#sha224",
    "sha256": "http://www.w3.org/2001/04/xmlenc#sha256",
    "sha384": "http://www.w3.org/2001/04/xmldsig-more#sha384",
    "sha512": "http://www.w3.org/2001/04/xmlenc#sha512",
}
HASHES = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}
MEDIA_TYPES = {".pdf": "application/pdf", ".txt": "text/plain", ".xml": "application/xml"}
DEFAULT_FILES = {"kiri.pdf": b"%PDF-1.4 allkirjastatud kiri"}
DEFAULT_MOMENT = datetime(2026, 11, 20, 9, 15, tzinfo=UTC)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _media_type(name: str) -> str:
    return next(
        (t for s, t in MEDIA_TYPES.items() if name.lower().endswith(s)), "application/octet-stream"
    )


def _c14n(element, method: str = C14N10) -> bytes:
    return etree.tostring(element, method="c14n", exclusive=method == EXC_C14N, with_comments=False)


def _sub(parent, namespace: str, name: str, text: str | None = None, **attributes):
    element = etree.SubElement(parent, f"{{{namespace}}}{name}", **attributes)
    if text is not None:
        element.text = text
    return element


def signature_method_uri(party: Party, hash_name: str) -> str:
    if party.is_rsa and hash_name == "sha1":
        return "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
    kind = "rsa" if party.is_rsa else "ecdsa"
    return f"http://www.w3.org/2001/04/xmldsig-more#{kind}-{hash_name}"


def _xml_signature(party: Party, hash_name: str, data: bytes) -> bytes:
    """An XML-DSig signature value (PKCS#1 v1.5, or ECDSA as r||s)."""
    algorithm = HASHES[hash_name]()
    if party.is_rsa:
        return party.key.sign(data, padding.PKCS1v15(), algorithm)
    r, s = decode_dss_signature(party.key.sign(data, ec.ECDSA(algorithm)))
    size = (party.key.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


@dataclass
class SignatureOptions:
    profile: str = "LT"  # "LT", "LT-TM", "LTA", "B", "T"
    digest: str = "sha256"
    at: datetime | None = None  # the signing moment (time-stamp and OCSP a few seconds later)
    c14n: str = C14N11
    tsa: Party | None = None
    ocsp_responder: Party | None = None
    ocsp_status: str = "good"
    ocsp_delay: timedelta = timedelta(seconds=6)
    signing_certificate: Party | None = None  # whom SigningCertificateV2 names (key substitution)
    claimed_time: datetime | None = None  # SigningTime, when it should differ from ``at``
    tamper: frozenset = frozenset()


def sign_xades(
    files: dict[str, bytes], signer: Party, *, signature_id: str = "S0", options=None
) -> bytes:
    """``META-INF/signatures*.xml`` for ``files`` signed by ``signer``."""
    options = options or SignatureOptions()
    the_pki = pki()
    at = options.at or datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    digest, tamper = options.digest, options.tamper
    digest_uri = DIGEST_URIS[digest]
    root = etree.Element(
        f"{{{ASIC}}}XAdESSignatures", nsmap={"asic": ASIC, "ds": DS, "xades": XADES}
    )
    signature = _sub(root, DS, "Signature", Id=signature_id)
    signed_info = _sub(signature, DS, "SignedInfo")
    _sub(signed_info, DS, "CanonicalizationMethod", Algorithm=options.c14n)
    method = _sub(signed_info, DS, "SignatureMethod", Algorithm="")
    for index, (name, data) in enumerate(files.items()):
        reference = _sub(
            signed_info, DS, "Reference", Id=f"{signature_id}-RefId{index}", URI=quote(name)
        )
        _sub(reference, DS, "DigestMethod", Algorithm=digest_uri)
        _sub(reference, DS, "DigestValue", _b64(hashlib.new(digest, data).digest()))
    properties_reference = _sub(
        signed_info,
        DS,
        "Reference",
        Id=f"{signature_id}-RefId{len(files)}",
        Type="http://uri.etsi.org/01903#SignedProperties",
        URI=f"#{signature_id}-SignedProperties",
    )
    transforms = _sub(properties_reference, DS, "Transforms")
    _sub(transforms, DS, "Transform", Algorithm=options.c14n)
    _sub(properties_reference, DS, "DigestMethod", Algorithm=digest_uri)
    properties_digest = _sub(properties_reference, DS, "DigestValue", "")
    signature_value = _sub(signature, DS, "SignatureValue", Id=f"{signature_id}-SIG")
    key_info = _sub(signature, DS, "KeyInfo")
    _sub(_sub(key_info, DS, "X509Data"), DS, "X509Certificate", _b64(signer.der))

    qualifying = _sub(
        _sub(signature, DS, "Object"), XADES, "QualifyingProperties", Target=f"#{signature_id}"
    )
    signed_properties = _sub(
        qualifying, XADES, "SignedProperties", Id=f"{signature_id}-SignedProperties"
    )
    signed_signature = _sub(signed_properties, XADES, "SignedSignatureProperties")
    claimed = options.claimed_time or at
    signing_time = _sub(
        signed_signature, XADES, "SigningTime", claimed.strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    named = options.signing_certificate or signer
    cert = _sub(_sub(signed_signature, XADES, "SigningCertificateV2"), XADES, "Cert")
    cert_digest = _sub(cert, XADES, "CertDigest")
    _sub(cert_digest, DS, "DigestMethod", Algorithm=digest_uri)
    _sub(cert_digest, DS, "DigestValue", _b64(hashlib.new(digest, named.der).digest()))
    issuer_serial = cms.IssuerSerial(
        {
            "issuer": [x509.GeneralName(name="directory_name", value=named.asn1.issuer)],
            "serial": named.asn1.serial_number,
        }
    )
    _sub(cert, XADES, "IssuerSerialV2", _b64(issuer_serial.dump()))
    if options.profile == "LT-TM":
        policy = _sub(
            _sub(signed_signature, XADES, "SignaturePolicyIdentifier"), XADES, "SignaturePolicyId"
        )
        _sub(
            _sub(policy, XADES, "SigPolicyId"),
            XADES,
            "Identifier",
            BDOC_POLICY,
            Qualifier="OIDAsURN",
        )
        policy_hash = _sub(policy, XADES, "SigPolicyHash")
        _sub(policy_hash, DS, "DigestMethod", Algorithm=DIGEST_URIS["sha256"])
        _sub(policy_hash, DS, "DigestValue", "3Tl1oILSvOAWomdI9VeWV6IA/32eSXRUri9kPEz1IVs=")
        qualifiers = _sub(policy, XADES, "SigPolicyQualifiers")
        _sub(
            _sub(qualifiers, XADES, "SigPolicyQualifier"),
            XADES,
            "SPURI",
            "https://www.sk.ee/repository/bdoc-spec21.pdf",
        )
    data_objects = _sub(signed_properties, XADES, "SignedDataObjectProperties")
    for index, name in enumerate(files):
        data_format = _sub(
            data_objects, XADES, "DataObjectFormat", ObjectReference=f"#{signature_id}-RefId{index}"
        )
        _sub(data_format, XADES, "MimeType", _media_type(name))

    # Sign: the signed properties' digest, then SignedInfo
    properties_c14n = _c14n(signed_properties, options.c14n)
    properties_digest.text = _b64(hashlib.new(digest, properties_c14n).digest())
    method.set("Algorithm", signature_method_uri(signer, digest))
    value = _xml_signature(signer, digest, _c14n(signed_info, options.c14n))
    if "signature_value" in tamper:
        value = bytes([value[0] ^ 1]) + value[1:]
    signature_value.text = _b64(value)
    if "signed_properties" in tamper:
        signing_time.text = (claimed - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    if "key_info" in tamper:
        other = the_pki.jaan if signer is not the_pki.jaan else the_pki.mari
        key_info.find(f".//{{{DS}}}X509Certificate").text = _b64(other.der)

    if options.profile == "B":
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=False)
    unsigned = _sub(
        _sub(qualifying, XADES, "UnsignedProperties"), XADES, "UnsignedSignatureProperties"
    )
    if options.profile in ("LT", "LTA", "T"):
        imprint = hashlib.sha256(_c14n(signature_value)).digest()
        if "timestamp_imprint" in tamper:
            imprint = hashlib.sha256(b"something else").digest()
        token = make_timestamp(
            imprint=imprint, tsa=options.tsa or the_pki.tsa, gen_time=at + timedelta(seconds=5)
        )
        timestamp = _sub(unsigned, XADES, "SignatureTimeStamp", Id=f"{signature_id}-T0")
        _sub(timestamp, DS, "CanonicalizationMethod", Algorithm=C14N10)
        _sub(timestamp, XADES, "EncapsulatedTimeStamp", _b64(token))
    if options.profile == "T":
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=False)

    issuer = the_pki.issuer_of(signer)
    _sub(
        _sub(unsigned, XADES, "CertificateValues"),
        XADES,
        "EncapsulatedX509Certificate",
        _b64(issuer.der),
        Id=f"{signature_id}-CA-CERT",
    )
    if options.profile == "LT-TM":
        signed_value = base64.b64decode(signature_value.text)
        nonce = digest_info("sha256", hashlib.sha256(signed_value).digest())
        if "ocsp_nonce" in tamper:
            nonce = digest_info("sha256", hashlib.sha256(b"another signature").digest())
    else:
        nonce = digest_info("sha256", hashlib.sha256(at.isoformat().encode()).digest())
    response = make_ocsp(
        certificate=signer,
        issuer=issuer,
        responder=options.ocsp_responder
        or (the_pki.ocsp if issuer is the_pki.esteid else the_pki.rogue_ocsp),
        produced_at=at + options.ocsp_delay,
        status=options.ocsp_status,
        revoked_at=at - timedelta(days=1),
        nonce=nonce,
    )
    _sub(
        _sub(_sub(unsigned, XADES, "RevocationValues"), XADES, "OCSPValues"),
        XADES,
        "EncapsulatedOCSPValue",
        _b64(response),
        Id=f"N{signature_id[1:]}",
    )
    if options.profile == "LTA":
        _archive_timestamp(signature, unsigned, files, at, options)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=False)


def _archive_timestamp(signature, unsigned, files, at, options) -> None:
    """An XAdES 1.4.1 ArchiveTimeStamp over what libdigidocpp hashes for it."""
    digest = hashlib.sha256()
    signed_info = signature.find(f"{{{DS}}}SignedInfo")
    for reference in signed_info.findall(f"{{{DS}}}Reference"):
        uri = reference.get("URI")
        if uri.startswith("#"):
            target = next(e for e in signature.iter() if e.get("Id") == uri[1:])
            digest.update(_c14n(target))
        else:
            digest.update(files[next(n for n in files if quote(n) == uri)])
    for name in ("SignedInfo", "SignatureValue", "KeyInfo"):
        digest.update(_c14n(signature.find(f"{{{DS}}}{name}")))
    for child in unsigned:
        digest.update(_c14n(child))
    token = make_timestamp(
        imprint=digest.digest(),
        tsa=options.tsa or pki().tsa,
        gen_time=at + timedelta(seconds=30),
    )
    archive = etree.SubElement(
        unsigned,
        f"{{{XADES141}}}ArchiveTimeStamp",
        nsmap={"xades141": XADES141},
        Id=f"{signature.get('Id')}-A0",
    )
    _sub(archive, DS, "CanonicalizationMethod", Algorithm=C14N10)
    _sub(archive, XADES, "EncapsulatedTimeStamp", _b64(token))


def manifest_xml(files: dict[str, bytes], mimetype: bytes = ASIC_E) -> bytes:
    entries = "".join(
        f'<manifest:file-entry manifest:full-path="{name}" '
        f'manifest:media-type="{_media_type(name)}"/>'
        for name in files
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype.decode()}"/>'
        f"{entries}</manifest:manifest>"
    ).encode()


def zip_container(
    files: dict[str, bytes],
    signatures: list[bytes],
    *,
    mimetype: bytes = ASIC_E,
    mimetype_text: bytes | None = None,
    mimetype_compressed: bool = False,
    mimetype_first: bool = True,
    manifest: bytes | None = None,
    extra_entries: tuple[tuple[str, bytes], ...] = (),
    signature_names: list[str] | None = None,
) -> bytes:
    """The ZIP package: mimetype, data files, manifest, signatures, in DigiDoc's order."""
    buffer = io.BytesIO()
    mimetype_entry = zipfile.ZipInfo("mimetype", date_time=(2026, 11, 20, 9, 15, 0))
    mimetype_entry.compress_type = (
        zipfile.ZIP_DEFLATED if mimetype_compressed else zipfile.ZIP_STORED
    )
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype_first:
            archive.writestr(mimetype_entry, mimetype_text or mimetype)
        for name, data in files.items():
            archive.writestr(name, data, zipfile.ZIP_DEFLATED)
        if manifest is None:
            manifest = manifest_xml(files, mimetype) if mimetype == ASIC_E else b""
        if manifest:
            archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        names = signature_names or [
            "META-INF/signatures.xml" if mimetype == ASIC_S else f"META-INF/signatures{index}.xml"
            for index in range(len(signatures))
        ]
        for name, signature in zip(names, signatures, strict=True):
            archive.writestr(name, signature, zipfile.ZIP_DEFLATED)
        for name, data in extra_entries:
            archive.writestr(name, data, zipfile.ZIP_DEFLATED)
        if not mimetype_first:
            archive.writestr(mimetype_entry, mimetype_text or mimetype)
    return buffer.getvalue()


def build_container(
    files: dict[str, bytes] | None = None,
    signers: list[Party] | tuple[Party, ...] | None = None,
    *,
    profile: str = "LT",
    digest: str = "sha256",
    at: datetime | None = None,
    tamper=(),
    tsa: Party | None = None,
    ocsp_responder: Party | None = None,
    ocsp_status: str = "good",
    ocsp_delay: timedelta = timedelta(seconds=6),
    signing_certificate: Party | None = None,
    claimed_time: datetime | None = None,
    c14n: str = C14N11,
    mimetype: bytes = ASIC_E,
    **package,
) -> bytes:
    """A container of ``files`` signed by each of ``signers`` (default: Mari Tamm), one
    ``META-INF/signatures<n>.xml`` each. ``package`` goes to ``zip_container``."""
    the_pki = pki()
    files = dict(files or DEFAULT_FILES)
    signers = list(signers or [the_pki.mari])
    tamper = frozenset([tamper] if isinstance(tamper, str) else tamper)
    signatures = []
    for index, signer in enumerate(signers):
        options = SignatureOptions(
            profile=profile,
            digest=digest,
            at=at,
            c14n=c14n,
            tsa=tsa,
            ocsp_responder=ocsp_responder,
            ocsp_status=ocsp_status,
            ocsp_delay=ocsp_delay,
            signing_certificate=signing_certificate,
            claimed_time=claimed_time,
            tamper=tamper,
        )
        signatures.append(sign_xades(files, signer, signature_id=f"S{index}", options=options))
    if "file" in tamper:
        name = next(iter(files))
        files[name] = files[name] + b" muudetud"
    return zip_container(files, signatures, mimetype=mimetype, **package)


def signed_container(files: dict[str, bytes] | None = None, **options) -> bytes:
    """A valid container (LT, signed by Mari Tamm) that the test trust store accepts:
    ``verify_container(signed_container(), trust=test_trust_store()).status == "valid"``."""
    return build_container(files, **options)
