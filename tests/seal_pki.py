"""A throw-away PKI for the e-seal tests, made with ``cryptography``: a root CA, an e-seal
certificate of a legal person (key usage: digital signature + non-repudiation, as Estonian
e-seals have) and a time-stamping unit. Nothing here is fetched or trusted outside the tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _name(common_name: str, organisation: str = "Näidisamet") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "EE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(**set_bits) -> x509.KeyUsage:
    bits = dict.fromkeys(
        (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    bits.update(set_bits)
    return x509.KeyUsage(**bits)


@dataclass
class TestPki:
    ca_cert: x509.Certificate
    ca_key: ec.EllipticCurvePrivateKey
    seal_cert: x509.Certificate
    seal_key: rsa.RSAPrivateKey
    tsa_cert: x509.Certificate
    tsa_key: rsa.RSAPrivateKey

    def seal_pkcs12(self, path: Path, password: str | None) -> Path:
        """Write the seal's key, certificate and CA as a PKCS#12 file (``None``: no password)."""
        encryption = (
            serialization.BestAvailableEncryption(password.encode())
            if password
            else serialization.NoEncryption()
        )
        path.write_bytes(
            pkcs12.serialize_key_and_certificates(
                b"e-seal", self.seal_key, self.seal_cert, [self.ca_cert], encryption
            )
        )
        return path

    def asn1(self, certificate: x509.Certificate):
        """The certificate as asn1crypto (what pyHanko's validation context takes)."""
        from asn1crypto import x509 as asn1_x509

        return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _issue(
    *,
    subject: x509.Name,
    public_key,
    ca_name: x509.Name,
    ca_key,
    not_before: datetime,
    not_after: datetime,
    extensions: list[tuple[x509.ExtensionType, bool]],
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(ca_key, hashes.SHA256())


def make_pki(*, seal_valid_days: int = 365, seal_expired: bool = False) -> TestPki:
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Kantselei Test Root CA", "Kantselei tests")
    ca_cert = _issue(
        subject=ca_name,
        public_key=ca_key.public_key(),
        ca_name=ca_name,
        ca_key=ca_key,
        not_before=now - timedelta(days=30),
        not_after=now + timedelta(days=3650),
        extensions=[
            (x509.BasicConstraints(ca=True, path_length=None), True),
            (_key_usage(key_cert_sign=True, crl_sign=True), True),
        ],
    )
    authority = x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key())

    seal_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if seal_expired:
        seal_from, seal_to = now - timedelta(days=400), now - timedelta(days=1)
    else:
        seal_from, seal_to = now - timedelta(days=1), now + timedelta(days=seal_valid_days)
    seal_cert = _issue(
        subject=_name("Näidisamet e-seal"),
        public_key=seal_key.public_key(),
        ca_name=ca_name,
        ca_key=ca_key,
        not_before=seal_from,
        not_after=seal_to,
        extensions=[
            (x509.BasicConstraints(ca=False, path_length=None), True),
            (_key_usage(digital_signature=True, content_commitment=True), True),
            (authority, False),
        ],
    )

    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_cert = _issue(
        subject=_name("Kantselei Test TSA", "Kantselei tests"),
        public_key=tsa_key.public_key(),
        ca_name=ca_name,
        ca_key=ca_key,
        not_before=now - timedelta(days=1),
        not_after=now + timedelta(days=365),
        extensions=[
            (x509.BasicConstraints(ca=False, path_length=None), True),
            (_key_usage(digital_signature=True, content_commitment=True), True),
            (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True),
            (authority, False),
        ],
    )
    return TestPki(ca_cert, ca_key, seal_cert, seal_key, tsa_cert, tsa_key)
