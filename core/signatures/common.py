"""What every part of the signature check shares: the verdicts' statuses, the container's limits,
the XML namespaces, the digest and signature methods DigiDoc accepts, and the problem that ends
a check."""

from __future__ import annotations

import logging
from datetime import timedelta

log = logging.getLogger(__name__)


VALID, WARNINGS, INDETERMINATE, INVALID = "valid", "warnings", "indeterminate", "invalid"


STATUS_ORDER = (VALID, WARNINGS, INDETERMINATE, INVALID)


#: Verdicts under which a signature does not count as proven.
NOT_TRUSTED = frozenset({INVALID, INDETERMINATE})


ASIC_E = "application/vnd.etsi.asic-e+zip"


ASIC_S = "application/vnd.etsi.asic-s+zip"


MAX_MEMBER_BYTES = 200 * 1024 * 1024


MAX_TOTAL_BYTES = 250 * 1024 * 1024  # all members together, decompressed


MAX_XML_BYTES = 10 * 1024 * 1024


MAX_ENTRIES = 5000


DS = "http://www.w3.org/2000/09/xmldsig#"


XADES = "http://uri.etsi.org/01903/v1.3.2#"


XADES141 = "http://uri.etsi.org/01903/v1.4.1#"


ASIC = "http://uri.etsi.org/02918/v1.2.1#"


MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"


SIGNED_PROPERTIES_TYPE = "http://uri.etsi.org/01903#SignedProperties"


BDOC_POLICY = "urn:oid:1.3.6.1.4.1.10015.1000.3.2.1"


DIGESTS = {
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
    "http://www.w3.org/2001/04/xmldsig-more#sha224": "sha224",
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
    "http://www.w3.org/2007/05/xmldsig-more#sha3-256": "sha3_256",
    "http://www.w3.org/2007/05/xmldsig-more#sha3-384": "sha3_384",
    "http://www.w3.org/2007/05/xmldsig-more#sha3-512": "sha3_512",
}


WEAK_DIGESTS = frozenset({"sha1", "sha224"})


_MORE = "http://www.w3.org/2001/04/xmldsig-more#"


_PSS = "http://www.w3.org/2007/05/xmldsig-more#"


SIGNATURE_METHODS = {
    "http://www.w3.org/2000/09/xmldsig#rsa-sha1": ("rsa", "sha1"),
    f"{_MORE}rsa-sha224": ("rsa", "sha224"),
    f"{_MORE}rsa-sha256": ("rsa", "sha256"),
    f"{_MORE}rsa-sha384": ("rsa", "sha384"),
    f"{_MORE}rsa-sha512": ("rsa", "sha512"),
    f"{_MORE}ecdsa-sha1": ("ecdsa", "sha1"),
    f"{_MORE}ecdsa-sha224": ("ecdsa", "sha224"),
    f"{_MORE}ecdsa-sha256": ("ecdsa", "sha256"),
    f"{_MORE}ecdsa-sha384": ("ecdsa", "sha384"),
    f"{_MORE}ecdsa-sha512": ("ecdsa", "sha512"),
    f"{_PSS}sha224-rsa-MGF1": ("pss", "sha224"),
    f"{_PSS}sha256-rsa-MGF1": ("pss", "sha256"),
    f"{_PSS}sha384-rsa-MGF1": ("pss", "sha384"),
    f"{_PSS}sha512-rsa-MGF1": ("pss", "sha512"),
}


#: Canonicalisation methods: (exclusive, with comments). C14N 1.1 is done as 1.0 (see above).
C14N_METHODS = {
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315": (False, False),
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments": (False, True),
    "http://www.w3.org/2006/12/xml-c14n11": (False, False),
    "http://www.w3.org/2006/12/xml-c14n11#WithComments": (False, True),
    "http://www.w3.org/2001/10/xml-exc-c14n#": (True, False),
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments": (True, True),
}


DEFAULT_C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"


OCSP_LATE = timedelta(minutes=15)


SIGNING_TIME_DRIFT = timedelta(hours=24)


class _Problem(Exception):
    """Stops checking a signature (or the container) with a reason."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params
