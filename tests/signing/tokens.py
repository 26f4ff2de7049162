"""OCSP responses (RFC 6960) and RFC 3161 time-stamp tokens made by the test PKI's responder and
TSA, in DER, as a signing service would have embedded them in XAdES."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from asn1crypto import algos, cms, core, ocsp, tsp
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding

from tests.signing.pki import Party

_HASHES = {"sha1": hashes.SHA1, "sha256": hashes.SHA256, "sha384": hashes.SHA384}


def sign_der(party: Party, data: bytes, hash_name: str = "sha256") -> tuple[bytes, str]:
    """A CMS/OCSP-style signature (DER ECDSA or PKCS#1 v1.5) and its algorithm's name."""
    algorithm = _HASHES[hash_name]()
    if party.is_rsa:
        return party.key.sign(data, padding.PKCS1v15(), algorithm), f"{hash_name}_rsa"
    return party.key.sign(data, ec.ECDSA(algorithm)), f"{hash_name}_ecdsa"


def digest_info(hash_name: str, digest: bytes) -> bytes:
    """DER DigestInfo, the BDOC time-mark nonce's form."""
    return algos.DigestInfo({"digest_algorithm": {"algorithm": hash_name}, "digest": digest}).dump()


def make_ocsp(
    *,
    certificate: Party,
    issuer: Party,
    responder: Party,
    produced_at: datetime,
    status: str = "good",
    revoked_at: datetime | None = None,
    nonce: bytes | None = None,
) -> bytes:
    """A successful OCSP response about ``certificate`` signed by ``responder``.
    ``status``: "good", "revoked" (at ``revoked_at``) or "unknown"."""
    subject = certificate.asn1
    issuer_key = issuer.asn1.public_key["public_key"].contents[1:]
    cert_id = ocsp.CertId(
        {
            "hash_algorithm": {"algorithm": "sha1"},
            "issuer_name_hash": hashlib.sha1(subject.issuer.dump()).digest(),  # noqa: S324
            "issuer_key_hash": hashlib.sha1(issuer_key).digest(),  # noqa: S324
            "serial_number": subject.serial_number,
        }
    )
    if status == "revoked":
        cert_status = ocsp.CertStatus(
            name="revoked",
            value={
                "revocation_time": revoked_at or produced_at,
                "revocation_reason": "key_compromise",
            },
        )
    else:
        cert_status = ocsp.CertStatus(name=status, value=core.Null())
    extensions = []
    if nonce is not None:
        extensions.append({"extn_id": "nonce", "critical": False, "extn_value": nonce})
    data = {
        "responder_id": ocsp.ResponderId(name="by_key", value=responder.asn1.public_key.sha1),
        "produced_at": produced_at,
        "responses": [{"cert_id": cert_id, "cert_status": cert_status, "this_update": produced_at}],
    }
    if extensions:
        data["response_extensions"] = extensions
    tbs = ocsp.ResponseData(data)
    signature, algorithm = sign_der(responder, tbs.dump())
    basic = ocsp.BasicOCSPResponse(
        {
            "tbs_response_data": tbs,
            "signature_algorithm": {"algorithm": algorithm},
            "signature": signature,
            "certs": [responder.asn1],
        }
    )
    return ocsp.OCSPResponse(
        {
            "response_status": "successful",
            "response_bytes": {"response_type": "basic_ocsp_response", "response": basic},
        }
    ).dump()


def make_timestamp(
    *, imprint: bytes, tsa: Party, gen_time: datetime, hash_name: str = "sha256"
) -> bytes:
    """An RFC 3161 time-stamp token (CMS SignedData over TSTInfo) for ``imprint``."""
    info = tsp.TSTInfo(
        {
            "version": "v1",
            "policy": "1.3.6.1.4.1.10015.7.1",
            "message_imprint": {
                "hash_algorithm": {"algorithm": hash_name},
                "hashed_message": imprint,
            },
            "serial_number": secrets.randbits(64),
            "gen_time": gen_time,
        }
    )
    content = info.dump()
    attributes = cms.CMSAttributes(
        [
            {"type": "content_type", "values": ["tst_info"]},
            {"type": "message_digest", "values": [hashlib.sha256(content).digest()]},
            {
                "type": "signing_certificate_v2",
                "values": [{"certs": [{"cert_hash": hashlib.sha256(tsa.der).digest()}]}],
            },
        ]
    )
    signature, algorithm = sign_der(tsa, attributes.dump())
    signer = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                name="issuer_and_serial_number",
                value={"issuer": tsa.asn1.issuer, "serial_number": tsa.asn1.serial_number},
            ),
            "digest_algorithm": {"algorithm": "sha256"},
            "signed_attrs": attributes,
            "signature_algorithm": {"algorithm": algorithm},
            "signature": signature,
        }
    )
    signed_data = cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {
                "content_type": "tst_info",
                "content": core.ParsableOctetString(content),
            },
            "certificates": [tsa.asn1],
            "signer_infos": [signer],
        }
    )
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()
