"""A test PKI shaped like Estonia's: a root CA, an "ESTEID"-like issuing CA, ID-card-style signer
certificates, an e-seal, an OCSP responder, a time-stamping authority — and the bad ones (an
unknown CA and what it issued, an expired, a revoked certificate, one without non-repudiation).

Keys are made once per test process (``pki()`` is cached): ECDSA P-256/P-384 for most, RSA 2048
for a signer and the TSA, so both kinds of signature are exercised. Validity periods are fixed
(2020–2045) so that tests do not depend on the day they run.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import UTC, datetime

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

ORGANIZATION_IDENTIFIER = ObjectIdentifier("2.5.4.97")
NOT_BEFORE = datetime(2020, 1, 1, tzinfo=UTC)
NOT_AFTER = datetime(2045, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Party:
    """A private key and its certificate (``cryptography`` objects)."""

    key: object
    certificate: x509.Certificate
    label: str = ""

    @functools.cached_property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @functools.cached_property
    def asn1(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.der)

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def is_rsa(self) -> bool:
        return isinstance(self.key, rsa.RSAPrivateKey)


def ec_key(curve=None):
    return ec.generate_private_key(curve or ec.SECP256R1())


def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(*attributes: tuple) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in attributes])


def issue(
    subject: x509.Name,
    key,
    *,
    issuer: Party | None = None,
    ca: bool = False,
    key_usage: dict | None = None,
    extended_key_usage: list | None = None,
    eku_critical: bool = False,
    not_before: datetime = NOT_BEFORE,
    not_after: datetime = NOT_AFTER,
    label: str = "",
) -> Party:
    """A certificate for ``key``, signed by ``issuer`` (self-signed when None)."""
    usage = {
        "digital_signature": False,
        "content_commitment": False,
        "key_encipherment": False,
        "data_encipherment": False,
        "key_agreement": False,
        "key_cert_sign": False,
        "crl_sign": False,
        "encipher_only": False,
        "decipher_only": False,
    }
    usage.update(key_usage or ({"key_cert_sign": True, "crl_sign": True} if ca else {}))
    signing_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(**usage), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()),
            critical=False,
        )
    )
    if extended_key_usage:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage(extended_key_usage), critical=eku_critical
        )
    certificate = builder.sign(signing_key, hashes.SHA256())
    return Party(key=key, certificate=certificate, label=label)


def person_name(given: str, surname: str, code: str) -> x509.Name:
    """An Estonian ID card's subject: C, CN "TAMM,MARI,38001085718", SN, GN, serialNumber."""
    return _name(
        (NameOID.COUNTRY_NAME, "EE"),
        (NameOID.COMMON_NAME, f"{surname.upper()},{given.upper()},{code}"),
        (NameOID.SURNAME, surname.upper()),
        (NameOID.GIVEN_NAME, given.upper()),
        (NameOID.SERIAL_NUMBER, f"PNOEE-{code}"),
    )


def _ca_name(common_name: str) -> x509.Name:
    return _name(
        (NameOID.COUNTRY_NAME, "EE"),
        (NameOID.ORGANIZATION_NAME, "Test SK ID Solutions AS"),
        (ORGANIZATION_IDENTIFIER, "NTREE-10747013"),
        (NameOID.COMMON_NAME, common_name),
    )


@dataclass
class TestPKI:
    root: Party
    esteid: Party
    ocsp: Party
    tsa: Party
    mari: Party
    jaan: Party
    seal: Party
    expired: Party
    revoked: Party
    no_non_repudiation: Party
    unknown_root: Party
    stranger: Party
    rogue_tsa: Party
    rogue_ocsp: Party
    _people: dict = field(default_factory=dict, repr=False)

    __test__ = False  # not a pytest test class

    @property
    def trusted(self) -> list[Party]:
        """What the test trust store holds: the root and the issuing CA (as DigiDoc's TSL)."""
        return [self.root, self.esteid]

    def trust_store(self):
        from core.trust import TrustStore

        return TrustStore.from_certificates([p.der for p in self.trusted], source="test PKI")

    def trust_pem(self) -> bytes:
        return b"".join(p.pem for p in self.trusted)

    def person(self, given: str, surname: str, code: str, *, rsa_key_: bool = False) -> Party:
        """A signer certificate of the ESTEID-like CA for anyone (cached per name)."""
        wanted = (given, surname, code, rsa_key_)
        if wanted not in self._people:
            self._people[wanted] = issue(
                person_name(given, surname, code),
                rsa_key() if rsa_key_ else ec_key(),
                issuer=self.esteid,
                key_usage={"content_commitment": True},
                label=f"{given} {surname}",
            )
        return self._people[wanted]

    def issuer_of(self, party: Party) -> Party:
        for candidate in (self.esteid, self.root, self.unknown_root):
            if candidate.certificate.subject == party.certificate.issuer:
                return candidate
        raise LookupError(party.label)


@functools.cache
def pki() -> TestPKI:
    """The session's test PKI (keys are made once per process)."""
    root = issue(_ca_name("TEST of EE-GovCA2018"), ec_key(ec.SECP384R1()), ca=True, label="root")
    esteid = issue(
        _ca_name("TEST of ESTEID2018"),
        ec_key(ec.SECP384R1()),
        issuer=root,
        ca=True,
        label="ESTEID",
    )
    ocsp = issue(
        _name(
            (NameOID.COUNTRY_NAME, "EE"),
            (NameOID.ORGANIZATION_NAME, "Test SK ID Solutions AS"),
            (NameOID.COMMON_NAME, "TEST of ESTEID2018 AIA OCSP RESPONDER"),
        ),
        ec_key(),
        issuer=esteid,
        key_usage={"digital_signature": True},
        extended_key_usage=[ExtendedKeyUsageOID.OCSP_SIGNING],
        label="OCSP",
    )
    tsa = issue(
        _name(
            (NameOID.COUNTRY_NAME, "EE"),
            (NameOID.ORGANIZATION_NAME, "Test SK ID Solutions AS"),
            (NameOID.COMMON_NAME, "TEST of SK TIMESTAMPING UNIT 2025"),
        ),
        rsa_key(),
        issuer=root,
        key_usage={"digital_signature": True},
        extended_key_usage=[ExtendedKeyUsageOID.TIME_STAMPING],
        eku_critical=True,
        label="TSA",
    )
    person_usage = {"content_commitment": True}
    mari = issue(
        person_name("Mari", "Tamm", "38001085718"),
        ec_key(),
        issuer=esteid,
        key_usage=person_usage,
        label="Mari Tamm",
    )
    jaan = issue(
        person_name("Jaan", "Kask", "37605030299"),
        rsa_key(),
        issuer=esteid,
        key_usage=person_usage,
        label="Jaan Kask",
    )
    seal = issue(
        _name(
            (NameOID.COUNTRY_NAME, "EE"),
            (NameOID.ORGANIZATION_NAME, "Näidisamet"),
            (ORGANIZATION_IDENTIFIER, "NTREE-70000000"),
            (NameOID.COMMON_NAME, "Näidisamet"),
        ),
        ec_key(),
        issuer=esteid,
        key_usage={"digital_signature": True, "content_commitment": True},
        label="e-seal",
    )
    expired = issue(
        person_name("Kalle", "Mets", "37001010008"),
        ec_key(),
        issuer=esteid,
        key_usage=person_usage,
        not_before=datetime(2020, 1, 1, tzinfo=UTC),
        not_after=datetime(2021, 1, 1, tzinfo=UTC),
        label="expired",
    )
    revoked = issue(
        person_name("Liis", "Saar", "48504140012"),
        ec_key(),
        issuer=esteid,
        key_usage=person_usage,
        label="revoked",
    )
    no_non_repudiation = issue(
        person_name("Peeter", "Kuusk", "39001010015"),
        ec_key(),
        issuer=esteid,
        key_usage={"digital_signature": True},
        label="authentication only",
    )
    unknown_root = issue(_ca_name("Unknown Test Root CA"), ec_key(), ca=True, label="unknown CA")
    stranger = issue(
        person_name("Tundmatu", "Võõras", "38912120019"),
        ec_key(),
        issuer=unknown_root,
        key_usage=person_usage,
        label="stranger",
    )
    rogue_tsa = issue(
        _name((NameOID.COUNTRY_NAME, "EE"), (NameOID.COMMON_NAME, "Rogue TSA")),
        ec_key(),
        issuer=unknown_root,
        key_usage={"digital_signature": True},
        extended_key_usage=[ExtendedKeyUsageOID.TIME_STAMPING],
        eku_critical=True,
        label="rogue TSA",
    )
    rogue_ocsp = issue(
        _name((NameOID.COUNTRY_NAME, "EE"), (NameOID.COMMON_NAME, "Rogue OCSP")),
        ec_key(),
        issuer=unknown_root,
        key_usage={"digital_signature": True},
        extended_key_usage=[ExtendedKeyUsageOID.OCSP_SIGNING],
        label="rogue OCSP",
    )
    return TestPKI(
        root=root,
        esteid=esteid,
        ocsp=ocsp,
        tsa=tsa,
        mari=mari,
        jaan=jaan,
        seal=seal,
        expired=expired,
        revoked=revoked,
        no_non_repudiation=no_non_repudiation,
        unknown_root=unknown_root,
        stranger=stranger,
        rogue_tsa=rogue_tsa,
        rogue_ocsp=rogue_ocsp,
    )
