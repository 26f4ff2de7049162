"""A signature's long-term data (XAdES-T and -LT, BDOC TM, XAdES-A): the signature time-stamp
(RFC 3161, its imprint over the canonical SignatureValue), the embedded OCSP response (the
responder's signature and trust, the signer's certificate's status, the nonce of a time-mark,
OCSP after the time-stamp) and archive time-stamps (the imprint computed as libdigidocpp does).
A signature without them is "indeterminate", as in DigiDoc."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import unquote

from core.signatures.common import (
    BDOC_POLICY,
    DS,
    OCSP_LATE,
    SIGNED_PROPERTIES_TYPE,
    SIGNING_TIME_DRIFT,
    XADES,
    XADES141,
    _Problem,
)
from core.signatures.paths import _validate_path
from core.signatures.tokens import _Ocsp, _Timestamp
from core.signatures.xmldsig import (
    _b64,
    _c14n,
    _digest,
    _elements_with_id,
    _q,
    _text,
)


class LongTermChecks:
    """The long-term checks of ``signature._SignatureCheck`` (a mixin: it uses the check's
    ``result``, ``store``, ``at``, ``certificate``, ``other_certs``, ``members``, ``element``,
    ``unsigned_signature``, ``signature_value_bytes``, ``_check_chain`` and ``_untrusted``)."""

    def _check_long_term(self, signed_signature, signature_value) -> None:
        result, usp = self.result, self.unsigned_signature
        timestamps = usp.findall(_q(XADES, "SignatureTimeStamp")) if usp is not None else []
        archives = usp.findall(_q(XADES141, "ArchiveTimeStamp")) if usp is not None else []
        ocsp_values = (
            usp.findall(
                f"{_q(XADES, 'RevocationValues')}/{_q(XADES, 'OCSPValues')}/"
                f"{_q(XADES, 'EncapsulatedOCSPValue')}"
            )
            if usp is not None
            else []
        )
        policy = _text(
            signed_signature.find(
                f"{_q(XADES, 'SignaturePolicyIdentifier')}/{_q(XADES, 'SignaturePolicyId')}/"
                f"{_q(XADES, 'SigPolicyId')}/{_q(XADES, 'Identifier')}"
            )
        )
        if timestamps:
            result.profile = "LTA" if archives else ("LT" if ocsp_values else "T")
        elif ocsp_values:
            result.profile = "LT-TM"
        else:
            result.profile = "B"

        timestamp_time = self._check_timestamps(timestamps, signature_value)

        if result.profile == "LT-TM" and policy != BDOC_POLICY:
            result.add("tm_policy")

        if ocsp_values:
            produced_at = self._check_ocsp(ocsp_values, timestamp_time)
            if produced_at is None:
                pass  # the reason is given
            elif result.profile == "LT-TM":
                result.trusted_time = produced_at
            elif timestamp_time is None:
                pass
            elif produced_at < timestamp_time:
                result.add("ocsp_before_timestamp")
            elif produced_at - timestamp_time > OCSP_LATE:
                result.add("ocsp_late")
        elif timestamps:
            result.add("no_revocation_data")
        else:
            result.add("no_long_term_data")

        for archive in archives:
            self._check_archive_timestamp(archive)

        # The signer's certificate at the trusted time (or the given moment: B, T)
        self._check_chain(result.trusted_time or self.at)
        claimed, trusted = result.claimed_signing_time, result.trusted_time
        if claimed and trusted and abs(trusted - claimed) > SIGNING_TIME_DRIFT:
            result.add("signing_time_differs")

    def _check_timestamps(self, timestamps, signature_value) -> datetime | None:
        """The signature time-stamps, each over the canonical SignatureValue: the time of the
        first that holds becomes the trusted time (None when none does: the reason is given)."""
        timestamp_time = None
        if not timestamps:
            return None
        for timestamp in timestamps:
            method = timestamp.find(_q(DS, "CanonicalizationMethod"))
            method_uri = method.get("Algorithm") if method is not None else None
            imprint_input = [_c14n(signature_value, method_uri)]
            moment = self._check_timestamp(
                timestamp, imprint_input, "timestamp_invalid", "timestamp_imprint"
            )
            if moment and timestamp_time is None:
                timestamp_time = moment
        self.result.trusted_time = timestamp_time
        return timestamp_time

    def _check_timestamp(self, element, chunks, invalid_code, imprint_code) -> datetime | None:
        encapsulated = element.find(_q(XADES, "EncapsulatedTimeStamp"))
        if encapsulated is None:
            self.result.add(invalid_code)
            return None
        try:
            token = _Timestamp(_b64(encapsulated))
        except Exception:
            self.result.add(invalid_code)
            return None
        self.other_certs.extend(token.certificates)
        if not token.signature_ok():
            self.result.add(invalid_code)
            return None
        if token.imprint != _digest(token.hash_name, *chunks):
            self.result.add(imprint_code)
            return None
        signer = token.signer_certificate(self.other_certs + list(self.store.certificates))
        if signer is None:
            self.result.add(invalid_code)
            return None
        if not self.store.contains(signer):
            problem = _validate_path(
                signer,
                store=self.store,
                others=self.other_certs,
                moment=token.gen_time,
                extended_key_usage={"time_stamping"},
            )
            if problem:
                self._untrusted("tsa_untrusted")
                return None
        return token.gen_time

    def _check_archive_timestamp(self, element) -> None:
        method = element.find(_q(DS, "CanonicalizationMethod"))
        method_uri = method.get("Algorithm") if method is not None else None
        try:
            chunks = list(self._archive_input(element, method_uri))
        except _Problem:
            self.result.add("archive_timestamp_invalid")
            return
        self._check_timestamp(
            element, chunks, "archive_timestamp_invalid", "archive_timestamp_imprint"
        )

    def _archive_input(self, timestamp, method_uri):
        """The archive time-stamp's input as libdigidocpp computes it (XAdES 1.4.1): each
        reference's data, SignedInfo, SignatureValue, KeyInfo, then the unsigned signature
        properties before this time-stamp, all canonicalised."""
        element = self.element
        signed_info = element.find(_q(DS, "SignedInfo"))
        for reference in signed_info.findall(_q(DS, "Reference")):
            uri = reference.get("URI", "")
            if reference.get("Type") == SIGNED_PROPERTIES_TYPE:
                found = _elements_with_id(element, uri[1:]) if uri.startswith("#") else []
                if len(found) != 1:
                    raise _Problem("archive_timestamp_invalid")
                yield _c14n(found[0], method_uri)
                continue
            name = unquote(uri)
            name = name[1:] if name.startswith("/") else name
            if name not in self.members:
                raise _Problem("archive_timestamp_invalid")
            yield self.members[name]
        for name in ("SignedInfo", "SignatureValue", "KeyInfo"):
            found = element.find(_q(DS, name))
            if found is not None:
                yield _c14n(found, method_uri)
        for child in self.unsigned_signature:
            if child is timestamp:
                break
            if isinstance(child.tag, str):
                yield _c14n(child, method_uri)

    def _check_ocsp(self, values, timestamp_time) -> datetime | None:
        """Check the OCSP response about the signer's certificate; its producedAt, or None."""
        result = self.result
        responses = []
        for value in values:
            try:
                responses.append(_Ocsp(_b64(value)))
            except Exception:  # noqa: S112 - unreadable responses count as absent
                continue
        if not responses:
            result.add("ocsp_invalid")
            return None
        issuers = self._issuer_candidates()
        response = next((r for r in responses if r.single_for(self.certificate, issuers)), None)
        if response is None:
            result.add("ocsp_other_certificate")
            return None
        self.other_certs.extend(response.certificates)
        responder = response.responder(self.other_certs + list(self.store.certificates))
        if responder is None or not response.signature_ok(responder):
            result.add("ocsp_invalid")
            return None
        if not self.store.contains(responder):
            same_issuer = responder.issuer == self.certificate.issuer
            problem = _validate_path(
                responder,
                store=self.store,
                others=self.other_certs,
                moment=response.produced_at,
                extended_key_usage={"ocsp_signing"},
            )
            if problem or not same_issuer:
                self._untrusted("ocsp_untrusted")
                return None
        single = response.single_for(self.certificate, issuers)
        status = single["cert_status"].name
        trusted_time = timestamp_time or response.produced_at
        if status == "revoked":
            revoked_at = single["cert_status"].chosen["revocation_time"].native
            result.add("revoked_before_signing" if revoked_at <= trusted_time else "revoked")
        elif status != "good":
            result.add("certificate_unknown")
        if result.profile == "LT-TM" and not response.nonce_matches(self.signature_value_bytes):
            result.add("ocsp_nonce")
        return response.produced_at

    def _issuer_candidates(self) -> list:
        issuer = self.certificate.issuer
        pool = self.other_certs + list(self.store.certificates)
        return [c for c in pool if c.subject == issuer]
