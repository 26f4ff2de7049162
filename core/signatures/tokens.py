"""RFC 3161 time-stamp tokens and OCSP responses embedded in a signature: their CMS signatures,
their signers' trust, and what they say (the time, the imprint, the certificate's status, the
nonce of a BDOC time-mark)."""

from __future__ import annotations

from core.signatures.xmldsig import _digest, _verify_raw

_CMS_HASHES = {"sha1", "sha224", "sha256", "sha384", "sha512", "sha3_256", "sha3_384", "sha3_512"}


def _public_key(certificate):
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    return load_der_public_key(certificate.public_key.dump())


def _signature_kind(algorithm) -> tuple[str, str | None]:
    """(rsa|pss|ecdsa, hash or None) of an asn1crypto SignedDigestAlgorithm."""
    name = algorithm.signature_algo
    kind = {"rsassa_pkcs1v15": "rsa", "rsassa_pss": "pss", "ecdsa": "ecdsa"}.get(name, "")
    try:
        hash_name = algorithm.hash_algo
    except Exception:
        hash_name = None
    return kind, hash_name


class _Timestamp:
    """An RFC 3161 time-stamp token (CMS SignedData over TSTInfo)."""

    def __init__(self, der: bytes):
        from asn1crypto import cms, tsp

        content_info = cms.ContentInfo.load(der)
        if content_info["content_type"].native != "signed_data":
            raise ValueError("not SignedData")
        self.signed_data = content_info["content"]
        encapsulated = self.signed_data["encap_content_info"]
        if encapsulated["content_type"].native != "tst_info":
            raise ValueError("not a time-stamp")
        self.tst_bytes = encapsulated["content"].contents
        info = tsp.TSTInfo.load(self.tst_bytes)
        imprint = info["message_imprint"]
        self.hash_name = imprint["hash_algorithm"]["algorithm"].native
        if self.hash_name not in _CMS_HASHES:
            raise ValueError("hash")
        self.imprint = imprint["hashed_message"].native
        self.gen_time = info["gen_time"].native
        signer_infos = self.signed_data["signer_infos"]
        if len(signer_infos) != 1:
            raise ValueError("signer infos")
        self.signer_info = signer_infos[0]
        self.certificates = [
            c.chosen for c in self.signed_data["certificates"] or [] if c.name == "certificate"
        ]

    def signer_certificate(self, pool):
        sid = self.signer_info["sid"]
        for certificate in self.certificates + list(pool):
            if sid.name == "issuer_and_serial_number":
                if (
                    certificate.issuer == sid.chosen["issuer"]
                    and certificate.serial_number == sid.chosen["serial_number"].native
                ):
                    return certificate
            elif certificate.key_identifier == sid.chosen.native:
                return certificate
        return None

    def signature_ok(self) -> bool:
        certificate = self.signer_certificate([])
        if certificate is None:
            return False
        return _cms_signature_ok(self.signer_info, self.tst_bytes, "tst_info", certificate)


def _cms_signature_ok(signer_info, content: bytes, content_type: str, certificate) -> bool:
    digest_name = signer_info["digest_algorithm"]["algorithm"].native
    if digest_name not in _CMS_HASHES:
        return False
    signed_attrs = signer_info["signed_attrs"]
    if not signed_attrs:
        return False
    attributes = {a["type"].native: a["values"] for a in signed_attrs}
    message_digest = attributes.get("message_digest")
    kind_of_content = attributes.get("content_type")
    if not message_digest or message_digest[0].native != _digest(digest_name, content):
        return False
    if not kind_of_content or kind_of_content[0].native != content_type:
        return False
    data = b"\x31" + signed_attrs.dump()[1:]  # the SET OF, not its [0] IMPLICIT tag
    kind, hash_name = _signature_kind(signer_info["signature_algorithm"])
    if kind == "pss":
        params = signer_info["signature_algorithm"]["parameters"]
        hash_name = params["hash_algorithm"]["algorithm"].native
    return _verify_raw(
        _public_key(certificate),
        kind,
        hash_name or digest_name,
        signer_info["signature"].native,
        data,
        der_ecdsa=True,
    )


class _Ocsp:
    """An OCSP response (RFC 6960), as embedded in XAdES ``EncapsulatedOCSPValue``."""

    def __init__(self, der: bytes):
        from asn1crypto import ocsp

        response = ocsp.OCSPResponse.load(der)
        if response["response_status"].native != "successful":
            raise ValueError("not successful")
        basic = response["response_bytes"]["response"].parsed
        self.basic = basic
        self.tbs = basic["tbs_response_data"]
        self.produced_at = self.tbs["produced_at"].native
        self.certificates = list(basic["certs"] or [])

    def single_for(self, certificate, issuers):
        """The SingleResponse about ``certificate`` (issued by one of ``issuers``), or None."""
        for single in self.tbs["responses"]:
            cert_id = single["cert_id"]
            algorithm = cert_id["hash_algorithm"]["algorithm"].native
            if algorithm not in _CMS_HASHES:
                continue
            if cert_id["serial_number"].native != certificate.serial_number:
                continue
            if cert_id["issuer_name_hash"].native != _digest(algorithm, certificate.issuer.dump()):
                continue
            key_hash = cert_id["issuer_key_hash"].native
            if issuers and not any(
                _digest(algorithm, i.public_key["public_key"].contents[1:]) == key_hash
                for i in issuers
            ):
                continue
            return single
        return None

    def responder(self, pool):
        responder_id = self.tbs["responder_id"]
        for certificate in self.certificates + list(pool):
            if responder_id.name == "by_name":
                if certificate.subject == responder_id.chosen:
                    return certificate
            elif certificate.public_key.sha1 == responder_id.chosen.native:
                return certificate
        return None

    def signature_ok(self, responder) -> bool:
        kind, hash_name = _signature_kind(self.basic["signature_algorithm"])
        if kind == "pss":
            params = self.basic["signature_algorithm"]["parameters"]
            hash_name = params["hash_algorithm"]["algorithm"].native
        if not kind or not hash_name:
            return False
        return _verify_raw(
            _public_key(responder),
            kind,
            hash_name,
            self.basic["signature"].native,
            self.tbs.dump(),
            der_ecdsa=True,
        )

    def nonce_matches(self, signature_value: bytes) -> bool:
        """BDOC time-mark: the nonce is the DER DigestInfo of the signature value's digest."""
        from asn1crypto import algos, core

        for extension in self.tbs["response_extensions"] or []:
            if extension["extn_id"].native != "nonce":
                continue
            raw = extension["extn_value"].contents
            for candidate in (raw, _octets(raw, core)):
                try:
                    info = algos.DigestInfo.load(candidate, strict=True)
                    name = info["digest_algorithm"]["algorithm"].native
                    if name in _CMS_HASHES:
                        return info["digest"].native == _digest(name, signature_value)
                except Exception:  # noqa: S112 - try the next way of reading the nonce
                    continue
        return False


def _octets(raw: bytes, core) -> bytes:
    try:
        return core.OctetString.load(raw, strict=True).native
    except Exception:
        return b""
