"""``manage.py import_trust_list``: an ETSI trusted list (built here from the test PKI and signed
enveloped, as the member states sign theirs) becomes a PEM bundle the signature verifier trusts."""

from __future__ import annotations

import base64
import functools
import hashlib
from datetime import UTC, datetime
from io import StringIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from django.core.management import CommandError, call_command
from django.test import override_settings
from lxml import etree

from core.signatures import verify_container
from core.trust import load_trust_store
from tests.signing import build_container, pki

TSL = "http://uri.etsi.org/02231/v2#"
DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
SVCTYPE = "http://uri.etsi.org/TrstSvc/Svctype/"
STATUS = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/"
GRANTED = f"{STATUS}granted"
WITHDRAWN = f"{STATUS}withdrawn"
SIG_MARK = "<!--SIGNATURE-->"


@functools.cache
def list_signer():
    """The trusted list's signing key and certificate (as the scheme operator's)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "EE"),
            x509.NameAttribute(NameOID.COMMON_NAME, "TEST Tarbijakaitse ja Tehnilise Järelevalve"),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime(2020, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2045, 1, 1, tzinfo=UTC))
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def _sub(parent, namespace, name, text=None, **attributes):
    element = etree.SubElement(parent, f"{{{namespace}}}{name}", **attributes)
    if text is not None:
        element.text = text
    return element


def _names(parent, tag, name):
    holder = _sub(parent, TSL, tag)
    _sub(
        holder, TSL, "Name", f"{name} (et)", **{"{http://www.w3.org/XML/1998/namespace}lang": "et"}
    )
    _sub(holder, TSL, "Name", name, **{"{http://www.w3.org/XML/1998/namespace}lang": "en"})


def _der_b64(party_or_der) -> str:
    der = party_or_der if isinstance(party_or_der, bytes) else party_or_der.der
    return base64.b64encode(der).decode()


def _service_information(parent, tag, *, type_, status, name, certs, since):
    information = _sub(parent, TSL, tag)
    _sub(information, TSL, "ServiceTypeIdentifier", f"{SVCTYPE}{type_}")
    _names(information, "ServiceName", name)
    identity = _sub(information, TSL, "ServiceDigitalIdentity")
    for cert in certs:
        _sub(_sub(identity, TSL, "DigitalId"), TSL, "X509Certificate", _der_b64(cert))
    _sub(_sub(identity, TSL, "DigitalId"), TSL, "X509SubjectName", f"CN={name}")
    _sub(information, TSL, "ServiceStatus", status)
    _sub(information, TSL, "StatusStartingTime", since)
    return information


def default_services():
    p = pki()
    return [
        {"type": "CA/QC", "name": "TEST of EE-GovCA2018", "certs": [p.root]},
        {"type": "CA/QC", "name": "TEST of ESTEID2018", "certs": [p.esteid]},
        {"type": "Certstatus/OCSP/QC", "name": "TEST of ESTEID2018 OCSP", "certs": [p.ocsp]},
        {"type": "TSA/QTST", "name": "TEST of SK TIMESTAMPING UNIT 2025", "certs": [p.tsa]},
        # Not a kind the verifier needs: skipped.
        {"type": "EDS/Q", "name": "TEST delivery service", "certs": [p.unknown_root]},
    ]


def unsigned_tsl(services=None, *, next_update="2045-06-01T00:00:00Z") -> str:
    """A TSL as the member states publish it (version 5), with ``SIG_MARK`` where the signature
    goes."""
    # As the member states write them: the TSL namespace as the default one.
    nsmap = {None: TSL, "ds": DS, "xades": XADES}
    root = etree.Element(
        f"{{{TSL}}}TrustServiceStatusList",
        nsmap=nsmap,
        Id="TrustServiceStatusList",
        TSLTag="http://uri.etsi.org/19612/TSLTag",
    )
    scheme = _sub(root, TSL, "SchemeInformation")
    _sub(scheme, TSL, "TSLVersionIdentifier", "5")
    _sub(scheme, TSL, "TSLSequenceNumber", "77")
    _sub(scheme, TSL, "TSLType", "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric")
    _names(scheme, "SchemeOperatorName", "TEST Consumer Protection and Technical Regulatory")
    _sub(scheme, TSL, "SchemeTerritory", "EE")
    _sub(scheme, TSL, "ListIssueDateTime", "2026-11-01T10:00:00Z")
    _sub(_sub(scheme, TSL, "NextUpdate"), TSL, "dateTime", next_update)
    providers = _sub(root, TSL, "TrustServiceProviderList")
    provider = _sub(providers, TSL, "TrustServiceProvider")
    _names(_sub(provider, TSL, "TSPInformation"), "TSPName", "TEST SK ID Solutions AS")
    tsp_services = _sub(provider, TSL, "TSPServices")
    for service in default_services() if services is None else services:
        element = _sub(tsp_services, TSL, "TSPService")
        _service_information(
            element,
            "ServiceInformation",
            type_=service["type"],
            status=service.get("status", GRANTED),
            name=service["name"],
            certs=service["certs"],
            since=service.get("since", "2018-07-01T00:00:00Z"),
        )
        for past in service.get("history", []):
            history = _sub(element, TSL, "ServiceHistory")
            _service_information(history, "ServiceHistoryInstance", **past)
    etree.indent(root)
    text = etree.tostring(root, encoding="unicode")
    closing = "</TrustServiceStatusList>"
    return text.replace(closing, f"  {SIG_MARK}\n{closing}")


def _digest(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def sign_tsl(text: str, *, key=None, certificate=None) -> bytes:
    """The list signed enveloped as TSL signers (DSS) do it: a reference to the whole document
    (enveloped-signature + exc-c14n) and one to XAdES SignedProperties (no transform), RSA-SHA256
    over the exc-c14n SignedInfo."""
    default_key, default_certificate = list_signer()
    key, certificate = key or default_key, certificate or default_certificate
    # The digest of the list without its signature: the document with nothing where it goes.
    unsigned = etree.fromstring(text.replace(SIG_MARK, "").encode())
    document_digest = _digest(etree.tostring(unsigned.getroottree(), method="c14n", exclusive=True))

    root = etree.fromstring(text.replace(SIG_MARK, '<ds:Signature Id="tsl-signature"/>').encode())
    signature = root.find(f"{{{DS}}}Signature")
    signed_info = _sub(signature, DS, "SignedInfo")
    _sub(signed_info, DS, "CanonicalizationMethod", Algorithm=EXC_C14N)
    _sub(
        signed_info,
        DS,
        "SignatureMethod",
        Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    )
    reference = _sub(signed_info, DS, "Reference", Id="ref-list", URI="")
    transforms = _sub(reference, DS, "Transforms")
    _sub(transforms, DS, "Transform", Algorithm=f"{DS}enveloped-signature")
    _sub(transforms, DS, "Transform", Algorithm=EXC_C14N)
    _sub(reference, DS, "DigestMethod", Algorithm="http://www.w3.org/2001/04/xmlenc#sha256")
    _sub(reference, DS, "DigestValue", document_digest)
    properties_reference = _sub(
        signed_info,
        DS,
        "Reference",
        URI="#signed-properties",
        Type="http://uri.etsi.org/01903#SignedProperties",
    )
    _sub(
        properties_reference,
        DS,
        "DigestMethod",
        Algorithm="http://www.w3.org/2001/04/xmlenc#sha256",
    )
    properties_digest = _sub(properties_reference, DS, "DigestValue")
    signature_value = _sub(signature, DS, "SignatureValue")
    der = certificate.public_bytes(serialization.Encoding.DER)
    _sub(_sub(_sub(signature, DS, "KeyInfo"), DS, "X509Data"), DS, "X509Certificate", _der_b64(der))
    qualifying = _sub(
        _sub(signature, DS, "Object"), XADES, "QualifyingProperties", Target="#tsl-signature"
    )
    signed_properties = _sub(qualifying, XADES, "SignedProperties", Id="signed-properties")
    _sub(
        _sub(signed_properties, XADES, "SignedSignatureProperties"),
        XADES,
        "SigningTime",
        "2026-11-01T10:00:00Z",
    )
    # No transform: inclusive C14N 1.0 in the document's context (the ancestors' namespaces).
    properties_digest.text = _digest(etree.tostring(signed_properties, method="c14n"))
    signed_bytes = etree.tostring(signed_info, method="c14n", exclusive=True)
    value = key.sign(signed_bytes, padding.PKCS1v15(), hashes.SHA256())
    signature_value.text = base64.b64encode(value).decode()
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")


def signer_pem(tmp_path, certificate=None) -> str:
    path = tmp_path / "tsl-signer.pem"
    certificate = certificate or list_signer()[1]
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return str(path)


def run(tmp_path, data: bytes, *options):
    source = tmp_path / "tsl.xml"
    source.write_bytes(data)
    out, err = StringIO(), StringIO()
    call_command("import_trust_list", str(source), *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_signed_list_gives_a_bundle_the_verifier_trusts(tmp_path):
    bundle = tmp_path / "trust.pem"
    out, err = run(
        tmp_path,
        sign_tsl(unsigned_tsl()),
        "--signer-cert",
        signer_pem(tmp_path),
        "--output",
        str(bundle),
    )

    assert "signature verifies" in out
    assert "NOT checked" not in err
    assert "Trusted list of EE, sequence number 77, issued 2026-11-01T10:00:00+00:00" in out
    assert "next update 2045-06-01T00:00:00+00:00" in out
    assert "4 certificates" in out
    assert "2 CA, 1 TSA, 1 OCSP" in out
    assert "Skipped 1 services" in out
    store = load_trust_store(bundle)
    p = pki()
    assert len(store.certificates) == 4
    assert all(store.contains(party.asn1) for party in (p.root, p.esteid, p.ocsp, p.tsa))
    assert not store.contains(p.unknown_root.asn1)
    text = bundle.read_text()
    assert "# TEST of ESTEID2018 (CA/QC, granted)\n# subject: " in text
    assert "# TEST of SK TIMESTAMPING UNIT 2025 (TSA/QTST, granted)" in text
    verdict = verify_container(build_container(signers=[p.mari]), trust=str(bundle))
    assert verdict.status == "valid", verdict.reasons


def test_bundle_without_the_issuing_ca_does_not_make_a_signature_valid(tmp_path):
    p = pki()
    services = [{"type": "CA/QC", "name": "Unknown", "certs": [p.unknown_root]}]
    bundle = tmp_path / "trust.pem"
    run(tmp_path, sign_tsl(unsigned_tsl(services)), "--output", str(bundle))

    verdict = verify_container(build_container(signers=[p.mari]), trust=str(bundle))
    assert verdict.status != "valid"


def test_certificate_added_after_signing_is_refused(tmp_path):
    root = etree.fromstring(sign_tsl(unsigned_tsl()))
    identity = root.find(f".//{{{TSL}}}ServiceDigitalIdentity")
    digital_id = etree.SubElement(identity, f"{{{TSL}}}DigitalId")
    etree.SubElement(digital_id, f"{{{TSL}}}X509Certificate").text = _der_b64(pki().unknown_root)
    tampered = etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")
    bundle = tmp_path / "trust.pem"

    with pytest.raises(CommandError, match="changed after it was signed"):
        run(tmp_path, tampered, "--signer-cert", signer_pem(tmp_path), "--output", str(bundle))
    assert not bundle.exists()


def test_signed_properties_changed_after_signing_are_refused(tmp_path):
    tampered = sign_tsl(unsigned_tsl()).replace(
        b"<xades:SigningTime>2026-11-01T10:00:00Z", b"<xades:SigningTime>2026-11-02T10:00:00Z"
    )
    with pytest.raises(CommandError, match="digest of reference '#signed-properties'"):
        run(
            tmp_path,
            tampered,
            "--signer-cert",
            signer_pem(tmp_path),
            "--output",
            str(tmp_path / "b.pem"),
        )


def test_list_signed_by_another_key_is_refused(tmp_path):
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = sign_tsl(unsigned_tsl(), key=other_key)  # the real certificate in KeyInfo
    bundle = tmp_path / "trust.pem"

    with pytest.raises(CommandError, match="not made with the given signer certificate"):
        run(tmp_path, forged, "--signer-cert", signer_pem(tmp_path), "--output", str(bundle))
    assert not bundle.exists()


def test_unsigned_list_is_refused_with_signer_cert(tmp_path):
    unsigned = unsigned_tsl().replace(SIG_MARK, "").encode()
    with pytest.raises(CommandError, match="not signed"):
        run(
            tmp_path,
            unsigned,
            "--signer-cert",
            signer_pem(tmp_path),
            "--output",
            str(tmp_path / "b.pem"),
        )


def test_without_signer_cert_the_bundle_is_written_with_a_warning(tmp_path):
    bundle = tmp_path / "trust.pem"
    out, err = run(tmp_path, unsigned_tsl().replace(SIG_MARK, "").encode(), "--output", str(bundle))

    assert "authenticity was NOT checked" in err
    assert len(load_trust_store(bundle).certificates) == 4


def test_withdrawn_service_is_included_and_reported(tmp_path):
    p = pki()
    old_ca = p.unknown_root
    services = [
        *default_services(),
        {
            "type": "CA/QC",
            "name": "TEST of ESTEID-SK 2011",
            "certs": [old_ca],
            "status": WITHDRAWN,
            "since": "2024-01-01T00:00:00Z",
            "history": [
                {
                    "type_": "CA/QC",
                    "status": GRANTED,
                    "name": "TEST of ESTEID-SK 2011",
                    "certs": [],
                    "since": "2016-07-01T00:00:00Z",
                }
            ],
        },
    ]
    bundle = tmp_path / "trust.pem"
    out, _err = run(
        tmp_path,
        sign_tsl(unsigned_tsl(services)),
        "--signer-cert",
        signer_pem(tmp_path),
        "--output",
        str(bundle),
    )

    assert load_trust_store(bundle).contains(old_ca.asn1)
    assert "# TEST of ESTEID-SK 2011 (CA/QC, withdrawn)" in bundle.read_text()
    assert "3 CA, 1 TSA, 1 OCSP" in out
    assert "Included 1 withdrawn services" in out
    assert "TEST of ESTEID-SK 2011 (CA/QC, withdrawn since 2024-01-01T00:00:00+00:00)" in out


def test_certificate_of_a_history_entry_is_kept(tmp_path):
    p = pki()
    services = [
        {
            "type": "TSA/QTST",
            "name": "TEST TSA",
            "certs": [p.tsa],
            "history": [
                {
                    "type_": "TSA/QTST",
                    "status": GRANTED,
                    "name": "TEST TSA (before re-key)",
                    "certs": [p.rogue_tsa],
                    "since": "2016-07-01T00:00:00Z",
                }
            ],
        },
    ]
    bundle = tmp_path / "trust.pem"
    out, _err = run(tmp_path, sign_tsl(unsigned_tsl(services)), "--output", str(bundle))

    store = load_trust_store(bundle)
    assert store.contains(p.tsa.asn1)
    assert store.contains(p.rogue_tsa.asn1)
    assert "0 CA, 2 TSA, 0 OCSP" in out


def test_unreadable_certificate_is_skipped_with_a_warning(tmp_path):
    p = pki()
    services = [
        {"type": "CA/QC", "name": "Broken CA", "certs": [b"not a certificate"]},
        {"type": "CA/QC", "name": "TEST of ESTEID2018", "certs": [p.esteid]},
    ]
    bundle = tmp_path / "trust.pem"
    _out, err = run(tmp_path, sign_tsl(unsigned_tsl(services)), "--output", str(bundle))

    assert "Broken CA: a certificate that cannot be read was skipped" in err
    assert len(load_trust_store(bundle).certificates) == 1


def test_list_past_its_next_update_gives_a_warning(tmp_path):
    stale = sign_tsl(unsigned_tsl(next_update="2021-01-01T00:00:00Z"))
    _out, err = run(tmp_path, stale, "--output", str(tmp_path / "trust.pem"))

    assert "out of date: its next update was due 2021-01-01T00:00:00+00:00" in err


def test_default_output_is_inside_the_configured_store_folder(tmp_path):
    store = tmp_path / "trust"
    store.mkdir()
    with override_settings(SIGNATURE_TRUST_STORE=str(store)):
        out, _err = run(tmp_path, sign_tsl(unsigned_tsl()), "--signer-cert", signer_pem(tmp_path))

    assert str(store / "trusted-list.pem") in out
    assert [p.name for p in store.iterdir()] == ["trusted-list.pem"]  # no temporary file left
    assert len(load_trust_store(store).certificates) == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><body>Not found</body></html>", "not a trusted list"),
        (b"PK\x03\x04 a zip file", "not valid XML"),
        (b"", "not valid XML"),
    ],
)
def test_a_file_that_is_not_a_trusted_list_gives_a_clear_error(tmp_path, data, message):
    with pytest.raises(CommandError, match=message):
        run(tmp_path, data, "--output", str(tmp_path / "trust.pem"))
    assert not (tmp_path / "trust.pem").exists()


def test_missing_file_gives_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read the trusted list"):
        call_command("import_trust_list", str(tmp_path / "missing.xml"), stdout=StringIO())


@pytest.mark.parametrize(
    "data",
    [
        # billion laughs
        b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b'<tsl:TrustServiceStatusList xmlns:tsl="http://uri.etsi.org/02231/v2#">&c;'
        b"</tsl:TrustServiceStatusList>",
        # external entity
        b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<tsl:TrustServiceStatusList xmlns:tsl="http://uri.etsi.org/02231/v2#">&x;'
        b"</tsl:TrustServiceStatusList>",
    ],
    ids=["billion-laughs", "external-entity"],
)
def test_hostile_xml_is_refused(tmp_path, data):
    with pytest.raises(CommandError, match="DTD or entities"):
        run(tmp_path, data, "--output", str(tmp_path / "trust.pem"))
    assert not (tmp_path / "trust.pem").exists()
