"""The trust store of the signature verifier (``core.signatures``): the certificates of
the certification authorities, OCSP responders and time-stamping authorities whose word counts.

DigiDoc trusts what the EU trusted lists (for Estonia: SK ID Solutions' TSL) name; this portal
cannot fetch lists at run time (no network), so an administrator keeps a PEM bundle (or a folder
of PEM/CRT/CER/DER files) at ``settings.SIGNATURE_TRUST_STORE``: the root CAs *and* the issuing CAs
(ESTEID2018, EID-SK 2016, …), and, where they are not issued by a CA in the store, the OCSP
responders' and TSAs' own certificates. Every certificate in the store is a trust anchor, the way
DigiDoc takes every service certificate of the trusted list as one (``config/trust/README.md``
says how to refresh it). The store is read once and read again when the files change.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509

log = logging.getLogger(__name__)

CERTIFICATE_SUFFIXES = (".pem", ".crt", ".cer", ".der")
MAX_STORE_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class TrustStore:
    """Trusted certificates (asn1crypto), each a trust anchor."""

    certificates: tuple[asn1_x509.Certificate, ...] = ()
    source: str = ""
    _fingerprints: frozenset[bytes] = field(default=frozenset(), repr=False, compare=False)

    def __post_init__(self):
        prints = frozenset(hashlib.sha256(c.dump()).digest() for c in self.certificates)
        object.__setattr__(self, "_fingerprints", prints)

    @classmethod
    def from_pem(cls, data: bytes, *, source: str = "") -> TrustStore:
        """Certificates from a PEM bundle (or one DER certificate)."""
        return cls(certificates=tuple(_certificates_in(data, source)), source=source)

    @classmethod
    def from_certificates(cls, certificates, *, source: str = "") -> TrustStore:
        """From DER bytes, ``cryptography`` or asn1crypto certificates."""
        return cls(certificates=tuple(_as_asn1(c) for c in certificates), source=source)

    def contains(self, certificate: asn1_x509.Certificate) -> bool:
        return hashlib.sha256(certificate.dump()).digest() in self._fingerprints

    @property
    def is_empty(self) -> bool:
        return not self.certificates


def _as_asn1(certificate) -> asn1_x509.Certificate:
    if isinstance(certificate, asn1_x509.Certificate):
        return certificate
    if isinstance(certificate, bytes | bytearray):
        return asn1_x509.Certificate.load(bytes(certificate))
    from cryptography.hazmat.primitives.serialization import Encoding

    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))


def _certificates_in(data: bytes, source: str) -> list[asn1_x509.Certificate]:
    try:
        blocks = (
            [der for kind, _h, der in pem.unarmor(data, multiple=True) if kind == "CERTIFICATE"]
            if pem.detect(data)
            else [data]
        )
    except Exception:  # a broken file must not stop the others being read
        log.warning("trust store: %s is not a PEM bundle", source)
        return []
    found = []
    for der in blocks:
        try:
            certificate = asn1_x509.Certificate.load(der)
            certificate.native  # noqa: B018 - parse it all now, not at first use
        except Exception:
            log.warning("trust store: %s holds something that is not a certificate", source)
            continue
        found.append(certificate)
    return found


def load_trust_store(path: str | Path) -> TrustStore:
    """Read a PEM bundle, or every certificate file of a folder. A missing path gives an empty
    store (then no signature can be valid, only "indeterminate")."""
    path = Path(path)
    files = (
        sorted(p for p in path.iterdir() if p.suffix.lower() in CERTIFICATE_SUFFIXES)
        if path.is_dir()
        else [path]
        if path.is_file()
        else []
    )
    certificates = []
    for file in files:
        if file.stat().st_size > MAX_STORE_FILE_BYTES:
            log.warning("trust store: %s is too large, skipped", file)
            continue
        certificates.extend(_certificates_in(file.read_bytes(), str(file)))
    if not certificates:
        log.warning("trust store %s holds no certificates: no signature can be valid", path)
    return TrustStore(certificates=tuple(certificates), source=str(path))


_cache: dict[str, tuple[tuple, TrustStore]] = {}
_lock = threading.Lock()


def _stamp(path: Path) -> tuple:
    """What changes when the store's files change (names, sizes, modification times)."""
    try:
        if path.is_dir():
            return tuple(
                (p.name, p.stat().st_size, p.stat().st_mtime_ns)
                for p in sorted(path.iterdir())
                if p.suffix.lower() in CERTIFICATE_SUFFIXES
            )
        stat = path.stat()
        return ((path.name, stat.st_size, stat.st_mtime_ns),)
    except OSError:
        return ()


def default_trust_store() -> TrustStore:
    """The store at ``settings.SIGNATURE_TRUST_STORE``, read again when its files change."""
    from django.conf import settings

    path = Path(getattr(settings, "SIGNATURE_TRUST_STORE", "") or "")
    key, stamp = str(path), _stamp(path)
    with _lock:
        cached = _cache.get(key)
        if cached and cached[0] == stamp:
            return cached[1]
    store = load_trust_store(path) if key not in ("", ".") else TrustStore()
    with _lock:
        _cache[key] = (stamp, store)
    return store


def as_trust_store(value) -> TrustStore:
    """A ``TrustStore`` from what ``verify_container(trust=…)`` accepts: a store, a path, PEM
    bytes, a list of certificates, or None for the configured store."""
    if value is None:
        return default_trust_store()
    if isinstance(value, TrustStore):
        return value
    if isinstance(value, str | Path):
        return load_trust_store(value)
    if isinstance(value, bytes | bytearray):
        return TrustStore.from_pem(bytes(value))
    return TrustStore.from_certificates(list(value))
