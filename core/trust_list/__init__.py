"""Read an ETSI TS 119 612 trusted list (TSL) into a PEM bundle for the signature verifier's
trust store (``core.trust``), the way DigiDoc takes its trust anchors from the EU trusted lists.

This machine has no network: an administrator downloads the list (for Estonia
https://sr.riik.ee/tsl/estonian-tsl.xml) and ``python manage.py import_trust_list FILE`` reads it.

- The list is untrusted input until its signature is checked: it is parsed without DTD, entities
  or network, and a file that declares any is refused.
- Kept are the services whose word the verifier needs: CAs (``CA/QC``), time-stamping
  (``TSA/QTST``, ``TSA``) and OCSP responders (``Certstatus/OCSP/QC``, ``Certstatus/OCSP``).
  Withdrawn services are kept too (as DigiDoc does): signatures made while they were granted must
  still verify. The summary names them separately.
- The list's own enveloped XML signature is checked against a signing certificate the
  administrator checked out of band (the LOTL or the published fingerprint): every reference's
  digest (the whole list with the Signature removed, and XAdES SignedProperties), then the
  SignatureValue over the canonical SignedInfo. Without that certificate the authenticity of the
  list is not known, and the command says so.
- The bundle is written atomically (temp file + rename), so the verifier, which reloads the
  store when its files change, never reads half a file.
"""

from __future__ import annotations

from core.trust_list.model import (  # noqa: F401 - the package's names
    _STATUS,
    _SVCTYPE,
    ACTIVE_STATUSES,
    DEFAULT_C14N,
    DS,
    ENDED_STATUSES,
    ENVELOPED,
    KINDS,
    MAX_TSL_BYTES,
    SERVICE_TYPES,
    TSL,
    XML_LANG,
    Service,
    TrustList,
    TrustListError,
)
from core.trust_list.reading import (  # noqa: F401 - the package's names
    _certificates,
    _moment,
    _name,
    _service,
    parse_xml,
    read_trust_list,
)
from core.trust_list.signature import (  # noqa: F401 - the package's names
    _c14n,
    _ids,
    _reference_data,
    _remove_keeping_tail,
    _signature_element,
    load_certificates,
    verify_signature,
)
from core.trust_list.writing import (  # noqa: F401 - the package's names
    _comment,
    bundle_pem,
    default_output,
    write_atomically,
)
