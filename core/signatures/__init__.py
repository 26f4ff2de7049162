"""Verifying the signatures of a signed container (ASiC-E / BDOC 2.1 / ASiC-S with XAdES) offline,
the way DigiDoc (libdigidocpp, DigiDoc4) judges them.

``verify_container(data)`` never raises: whatever the bytes, it returns a ``Verdict`` whose
``status`` is the worst of its signatures' (invalid > indeterminate > warnings > valid), or
"invalid" for a container that is not well formed or holds no signature. Per signature it checks:

1. the container (ETSI EN 319 162-1): a ZIP with the ``mimetype`` of ASiC-E or ASiC-S, no two
   entries of one name, one manifest listing exactly the data files (ASiC-E). DigiDoc's
   leniencies stay warnings: a compressed mimetype (old DigiDoc3/JDigiDoc BDOC 2.1), a byte order
   mark or a newline around its text, the mimetype not being the first entry;
2. XML-DSig: ``SignedInfo`` canonicalised with its method (C14N 1.0/1.1 — 1.1 is taken as 1.0,
   which is the same for documents without ``xml:id``/``xml:base`` —, exclusive C14N) and the
   ``SignatureValue`` checked with the ``KeyInfo`` certificate's key (RSA PKCS#1 v1.5, RSA-PSS,
   ECDSA); every ``Reference``: the signed properties (exactly one) and each data file, every one
   of which each signature must cover;
3. the XAdES ``SigningCertificate(V2)``: the signed digest (and issuer and serial) of the
   ``KeyInfo`` certificate, so that a certificate cannot be swapped (key substitution);
4. the signer's certificate: non-repudiation key usage, a path to the trust store
   (``core.trust``) valid at the trusted time (pyhanko-certvalidator, nothing fetched);
5. long-term data: the embedded OCSP response (responder signature and trust, status of the
   signer's certificate, for time-marks — BDOC TM — the nonce over the signature value), the
   signature time-stamp (RFC 3161: imprint over the canonical ``SignatureValue``, the TSA's
   signature and trust; OCSP after the time-stamp, a warning when more than 15 minutes after) and
   archive time-stamps (XAdES 1.4.1, imprint computed as libdigidocpp does). A signature without
   them (XAdES-B, -T) is "indeterminate", as in DigiDoc.

Reasons are stored as codes with parameters (``Verdict.as_dict``/``from_dict``) and rendered in
the active language when shown. The XML is parsed with entities and DTDs refused and no network.
"""

from __future__ import annotations

from datetime import UTC, datetime

from core.signatures.common import (  # noqa: F401 - the package's names
    _MORE,
    _PSS,
    ASIC,
    ASIC_E,
    ASIC_S,
    BDOC_POLICY,
    C14N_METHODS,
    DEFAULT_C14N,
    DIGESTS,
    DS,
    INDETERMINATE,
    INVALID,
    MANIFEST,
    MAX_ENTRIES,
    MAX_MEMBER_BYTES,
    MAX_TOTAL_BYTES,
    MAX_XML_BYTES,
    NOT_TRUSTED,
    OCSP_LATE,
    SIGNATURE_METHODS,
    SIGNED_PROPERTIES_TYPE,
    SIGNING_TIME_DRIFT,
    STATUS_ORDER,
    VALID,
    WARNINGS,
    WEAK_DIGESTS,
    XADES,
    XADES141,
    _Problem,
    log,
)
from core.signatures.container import (  # noqa: F401 - the package's names
    _Container,
    _read_member,
    _Stop,
)
from core.signatures.names import (  # noqa: F401 - the package's names
    _ID_PREFIX,
    Subject,
    _code,
    subject_of,
)
from core.signatures.paths import (  # noqa: F401 - the package's names
    _run,
    _validate_path,
)
from core.signatures.reasons import (  # noqa: F401 - the package's names
    REASONS,
    Reason,
    SignatureVerdict,
    Status,
    Verdict,
    _iso,
    _messages,
    _moment,
    _rank,
    status_label,
    worst,
)
from core.signatures.signature import (  # noqa: F401 - the package's names
    _SignatureCheck,
)
from core.signatures.tokens import (  # noqa: F401 - the package's names
    _CMS_HASHES,
    _cms_signature_ok,
    _Ocsp,
    _octets,
    _public_key,
    _signature_kind,
    _Timestamp,
)
from core.signatures.xmldsig import (  # noqa: F401 - the package's names
    _NAME_KEYS,
    UnsafeXML,
    _b64,
    _c14n,
    _digest,
    _elements_with_id,
    _has_non_repudiation,
    _hash,
    _inclusive_prefixes,
    _issuer_name_matches,
    _issuer_serial_v2_matches,
    _parse_xml,
    _q,
    _text,
    _verify_raw,
    parse_untrusted_xml,
)
from core.trust import as_trust_store


def verify_container(data: bytes, *, at: datetime | None = None, trust=None) -> Verdict:
    """The verdict on a signed container (ASiC-E, BDOC 2.1, ASiC-S). Never raises.

    ``at``: the moment to check certificates at when a signature has no trusted time (XAdES-B/T);
    ``trust``: a ``TrustStore`` (or a path, PEM bytes, certificates); default: the configured one.
    """
    checked_at = datetime.now(UTC)
    try:
        store = as_trust_store(trust)
        verdict = _Container(bytes(data), store=store, at=at or checked_at).verify()
    except Exception:  # never raise on hostile input: the container is simply not valid
        log.exception("signature verification failed unexpectedly")
        verdict = Verdict()
        verdict.add("unreadable")
    verdict.checked_at = checked_at
    return verdict
