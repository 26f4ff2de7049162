"""One XAdES signature: SignedInfo and its references, the signature value, the signing certificate
(no key substitution), the certificate's path to the trust store, and the long-term data
(signature.LongTermChecks)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import unquote

from core.signatures.common import (
    DEFAULT_C14N,
    DIGESTS,
    DS,
    SIGNATURE_METHODS,
    SIGNED_PROPERTIES_TYPE,
    WEAK_DIGESTS,
    XADES,
    _Problem,
    log,
)
from core.signatures.long_term import LongTermChecks
from core.signatures.names import subject_of
from core.signatures.paths import _validate_path
from core.signatures.reasons import SignatureVerdict, _moment
from core.signatures.xmldsig import (
    _b64,
    _c14n,
    _digest,
    _elements_with_id,
    _has_non_repudiation,
    _inclusive_prefixes,
    _issuer_name_matches,
    _issuer_serial_v2_matches,
    _q,
    _text,
    _verify_raw,
)
from core.trust import TrustStore


class _SignatureCheck(LongTermChecks):
    def __init__(self, element, *, members, media_types, store: TrustStore, at: datetime):
        self.element = element
        self.members = members
        self.media_types = media_types
        self.store = store
        self.at = at
        self.result = SignatureVerdict(id=element.get("Id", ""))
        self.other_certs: list = []  # asn1crypto certificates met in the signature

    # Helpers reading the XML
    def _one(self, parent, namespace: str, name: str, *, required=True):
        found = parent.findall(_q(namespace, name)) if parent is not None else []
        if len(found) > 1 or (required and not found):
            raise _Problem("malformed", detail=name)
        return found[0] if found else None

    def verify(self) -> SignatureVerdict:
        try:
            self._verify()
        except _Problem as problem:
            if problem.code:
                self.result.add(problem.code, **problem.params)
        except Exception:
            log.exception("signature %s: unexpected error", self.result.id)
            self.result.add("malformed", detail="unexpected")
        if not self.result.findings and not self.result.trusted_time:
            self.result.add("no_long_term_data")  # never "valid" without a trusted time
        return self.result

    def _verify(self) -> None:
        from asn1crypto import x509 as asn1_x509
        from cryptography import x509

        result, element = self.result, self.element
        signed_info = self._one(element, DS, "SignedInfo")
        signature_value = self._one(element, DS, "SignatureValue")
        key_info = self._one(element, DS, "KeyInfo")
        certificates = key_info.findall(f"{_q(DS, 'X509Data')}/{_q(DS, 'X509Certificate')}")
        if len(certificates) != 1:
            raise _Problem("no_certificate")
        try:
            der = _b64(certificates[0])
            certificate = x509.load_der_x509_certificate(der)
            self.certificate = asn1_x509.Certificate.load(der)
            self.certificate.native  # noqa: B018 - parse it all now
        except Exception:
            raise _Problem("no_certificate") from None
        self.certificate_der, self.crypto_certificate = der, certificate
        subject = subject_of(certificate)
        result.signer, result.code = subject.name, subject.code
        result.country, result.is_seal = subject.country, subject.is_seal
        try:
            result.issuer = certificate.issuer.rfc4514_string()
        except Exception:
            result.issuer = ""

        qualifying = self._one(self._one(element, DS, "Object"), XADES, "QualifyingProperties")
        signed_properties = self._one(qualifying, XADES, "SignedProperties")
        signed_signature = self._one(signed_properties, XADES, "SignedSignatureProperties")
        result.claimed_signing_time = _moment(
            _text(self._one(signed_signature, XADES, "SigningTime", required=False))
        )
        unsigned = self._one(qualifying, XADES, "UnsignedProperties", required=False)
        self.unsigned_signature = self._one(
            unsigned, XADES, "UnsignedSignatureProperties", required=False
        )
        if not result.id:
            raise _Problem("malformed", detail="Id")

        # 2. References and the signature value
        self._check_references(signed_info, signed_properties)
        self._check_signature_value(signed_info, signature_value, certificate)
        # 3. The signed certificate is the KeyInfo's
        self._check_signing_certificate(signed_signature)
        # 4-5. Trusted time, revocation, chain
        if not _has_non_repudiation(certificate):
            result.add("no_non_repudiation")
        self._collect_certificates()
        self._check_long_term(signed_signature, signature_value)

    def _check_references(self, signed_info, signed_properties) -> None:
        result = self.result
        references = signed_info.findall(_q(DS, "Reference"))
        signed_properties_id = signed_properties.get("Id", "")
        formats = self._data_object_formats(signed_properties)
        covered: set[str] = set()
        signed_properties_refs, missing_formats = 0, False
        for reference in references:
            uri = reference.get("URI")
            method = reference.find(_q(DS, "DigestMethod"))
            algorithm_uri = method.get("Algorithm", "") if method is not None else ""
            algorithm = DIGESTS.get(algorithm_uri)
            if uri is None:
                raise _Problem("malformed", detail="Reference URI")
            if algorithm is None:
                raise _Problem("unsupported_algorithm", algorithm=algorithm_uri or "?")
            if algorithm in WEAK_DIGESTS and "weak_digest" not in result.reason_codes:
                result.add("weak_digest")
            expected = _b64(self._one(reference, DS, "DigestValue"))
            transforms = reference.findall(f"{_q(DS, 'Transforms')}/{_q(DS, 'Transform')}")
            if reference.get("Type") == SIGNED_PROPERTIES_TYPE or uri.startswith("#"):
                if uri != f"#{signed_properties_id}" or not signed_properties_id:
                    raise _Problem("signed_properties")
                if _elements_with_id(self.element, signed_properties_id) != [signed_properties]:
                    raise _Problem("signed_properties")
                signed_properties_refs += 1
                method_uri, prefixes = DEFAULT_C14N, None
                for transform in transforms:
                    method_uri = transform.get("Algorithm", "")
                    prefixes = _inclusive_prefixes(transform)
                data = _c14n(signed_properties, method_uri, prefixes)
                if _digest(algorithm, data) != expected:
                    result.add("signed_properties_changed")
                continue
            name = unquote(uri)
            name = name[1:] if name.startswith("/") else name
            if name not in self.members:
                result.add("reference_missing", name=name)
                continue
            if transforms:
                raise _Problem("unsupported_algorithm", algorithm="Transform")
            if _digest(algorithm, self.members[name]) != expected:
                result.add("file_changed", name=name)
            covered.add(name)
            media_type = self.media_types.get(name)
            ref_format = formats.get(f"#{reference.get('Id', '')}")
            if formats and reference.get("Id") and ref_format is None:
                missing_formats = True
            elif media_type and ref_format and ref_format != media_type:
                result.add("mime_mismatch", name=name)
        if signed_properties_refs != 1:
            raise _Problem("signed_properties")
        if missing_formats or not formats:
            result.add("data_object_format")
        for name in self.members:
            if name not in covered:
                result.add("file_not_signed", name=name)

    def _data_object_formats(self, signed_properties) -> dict[str, str]:
        formats = {}
        for data_format in signed_properties.iter(_q(XADES, "DataObjectFormat")):
            mime = data_format.find(_q(XADES, "MimeType"))
            formats[data_format.get("ObjectReference", "")] = _text(mime)
        return formats

    def _check_signature_value(self, signed_info, signature_value, certificate) -> None:
        result = self.result
        c14n_method = self._one(signed_info, DS, "CanonicalizationMethod")
        method = self._one(signed_info, DS, "SignatureMethod").get("Algorithm", "")
        result.signature_method = method
        if method not in SIGNATURE_METHODS:
            raise _Problem("unsupported_algorithm", algorithm=method or "?")
        kind, hash_name = SIGNATURE_METHODS[method]
        if hash_name == "sha1":
            result.add("weak_signature")
        data = _c14n(
            signed_info, c14n_method.get("Algorithm", ""), _inclusive_prefixes(c14n_method)
        )
        self.signature_value_bytes = _b64(signature_value)
        if not _verify_raw(
            certificate.public_key(), kind, hash_name, self.signature_value_bytes, data
        ):
            raise _Problem("signature_value")

    def _check_signing_certificate(self, signed_signature) -> None:
        v2 = self._one(signed_signature, XADES, "SigningCertificateV2", required=False)
        v1 = self._one(signed_signature, XADES, "SigningCertificate", required=False)
        container = v2 if v2 is not None else v1
        if container is None:
            raise _Problem("signing_certificate_missing")
        certs = container.findall(_q(XADES, "Cert"))
        if len(certs) != 1:
            raise _Problem("signing_certificate_mismatch")
        cert = certs[0]
        cert_digest = self._one(cert, XADES, "CertDigest")
        method = self._one(cert_digest, DS, "DigestMethod").get("Algorithm", "")
        algorithm = DIGESTS.get(method)
        if algorithm is None:
            raise _Problem("unsupported_algorithm", algorithm=method or "?")
        if _digest(algorithm, self.certificate_der) != _b64(
            self._one(cert_digest, DS, "DigestValue")
        ):
            raise _Problem("signing_certificate_mismatch")
        if container is v2:
            issuer_serial = self._one(cert, XADES, "IssuerSerialV2", required=False)
            if issuer_serial is not None and not _issuer_serial_v2_matches(
                _b64(issuer_serial), self.certificate
            ):
                raise _Problem("signing_certificate_mismatch")
        else:
            issuer_serial = self._one(cert, XADES, "IssuerSerial", required=False)
            if issuer_serial is not None:
                serial = _text(issuer_serial.find(_q(DS, "X509SerialNumber")))
                name = _text(issuer_serial.find(_q(DS, "X509IssuerName")))
                try:
                    same_serial = int(serial) == self.certificate.serial_number
                except ValueError:
                    same_serial = False
                if not same_serial or not _issuer_name_matches(name, self.crypto_certificate):
                    raise _Problem("signing_certificate_mismatch")

    def _collect_certificates(self) -> None:
        from asn1crypto import x509 as asn1_x509

        usp = self.unsigned_signature
        if usp is None:
            return
        for values in usp.findall(_q(XADES, "CertificateValues")):
            for encapsulated in values.findall(_q(XADES, "EncapsulatedX509Certificate")):
                try:
                    self.other_certs.append(asn1_x509.Certificate.load(_b64(encapsulated)))
                except Exception:  # noqa: S112 - an unreadable extra certificate is ignored
                    continue

    # Long-term data -----------------------------------------------------------------------------

    def _check_chain(self, moment: datetime) -> None:
        problem = _validate_path(
            self.certificate,
            store=self.store,
            others=self.other_certs,
            moment=moment,
        )
        codes = {
            "untrusted": "issuer_untrusted",
            "expired": "certificate_expired",
            "revoked": "revoked",
            "invalid": "certificate_invalid",
        }
        if problem == "untrusted":
            self._untrusted("issuer_untrusted")
        elif problem:
            self.result.add(codes.get(problem, "certificate_invalid"))

    def _untrusted(self, code: str) -> None:
        """Someone the trust store does not know; with an empty store (not set up yet) that is
        everyone, and the verdict "indeterminate" rather than a fault of the container."""
        if not self.store.is_empty:
            self.result.add(code)
        elif "no_trust_store" not in self.result.reason_codes:
            self.result.add("no_trust_store")
