"""The signature verifier (correspondence.signatures) on real containers made with the test PKI
(tests/signing): the verdicts DigiDoc gives — valid, warnings, indeterminate, invalid."""

import io
import json
import os
import random
import subprocess
import sys
import warnings
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import translation

from core import signatures
from core.trust import TrustStore, load_trust_store
from correspondence.signatures import Verdict, verify_container
from tests.signing import build_container, pki, signed_container, test_trust_store, trust_store
from tests.signing.pki import Party, ec_key
from tests.signing.xades import (
    ASIC_S,
    C14N10,
    EXC_C14N,
    SignatureOptions,
    manifest_xml,
    sign_xades,
    zip_container,
)

AT = datetime(2026, 11, 20, 9, 15, tzinfo=UTC)
FILES = {"kiri.pdf": b"%PDF-1.4 allkirjastatud kiri", "lisa 1.txt": b"lisa \xc3\xb5\xc3\xa4"}


def verify(data: bytes, **options) -> Verdict:
    return verify_container(data, trust=trust_store(), **options)


def codes(verdict: Verdict) -> set[str]:
    return set(verdict.reason_codes) | {c for s in verdict.signatures for c in s.reason_codes}


# --- Valid ----------------------------------------------------------------------------------------


def test_an_lt_signature_with_an_ecdsa_id_card_is_valid_and_names_the_signer():
    verdict = verify(build_container(FILES, at=AT))

    assert verdict.status == "valid", codes(verdict)
    assert verdict.container_type == "ASiC-E"
    assert sorted(verdict.files) == sorted(FILES)
    [signature] = verdict.signatures
    assert (signature.signer, signature.code, signature.country) == (
        "Mari Tamm",
        "38001085718",
        "EE",
    )
    assert signature.profile == "LT"
    assert signature.trusted_time == AT + timedelta(seconds=5)  # the time-stamp's genTime
    assert signature.claimed_signing_time == AT
    assert signature.signature_method.endswith("ecdsa-sha256")
    assert not signature.is_seal
    assert signature.reasons == []
    assert verdict.signers == [signature]


def test_an_rsa_signature_is_valid():
    verdict = verify(build_container(signers=[pki().jaan], at=AT))

    assert verdict.status == "valid", codes(verdict)
    assert verdict.signatures[0].signer == "Jaan Kask"
    assert verdict.signatures[0].signature_method.endswith("rsa-sha256")


def test_a_time_mark_bdoc_signature_is_valid_with_the_ocsp_time_as_trusted_time():
    verdict = verify(build_container(profile="LT-TM", at=AT))

    assert verdict.status == "valid", codes(verdict)
    assert verdict.container_type == "BDOC"
    [signature] = verdict.signatures
    assert signature.profile == "LT-TM"
    assert signature.trusted_time == AT + timedelta(seconds=6)  # OCSP producedAt


def test_an_lta_signature_with_an_archive_time_stamp_is_valid():
    verdict = verify(build_container(FILES, signers=[pki().jaan], profile="LTA", at=AT))

    assert verdict.status == "valid", codes(verdict)
    assert verdict.signatures[0].profile == "LTA"


@pytest.mark.parametrize("digest", ["sha256", "sha384", "sha512"])
def test_signatures_with_sha2_digests_are_valid(digest):
    verdict = verify(build_container(FILES, signers=[pki().mari, pki().jaan], digest=digest))

    assert verdict.status == "valid", codes(verdict)


@pytest.mark.parametrize("method", [C14N10, EXC_C14N])
def test_other_canonicalisation_methods_are_understood(method):
    assert verify(build_container(FILES, c14n=method)).status == "valid"


def test_two_signers_are_both_listed():
    verdict = verify(build_container(FILES, signers=[pki().mari, pki().jaan], at=AT))

    assert verdict.status == "valid", codes(verdict)
    assert [s.signer for s in verdict.signers] == ["Mari Tamm", "Jaan Kask"]
    assert [s.id for s in verdict.signatures] == ["S0", "S1"]


def test_an_e_seal_names_the_organisation():
    verdict = verify(build_container(signers=[pki().seal]))

    assert verdict.status == "valid", codes(verdict)
    [seal] = verdict.signatures
    assert (seal.signer, seal.code, seal.is_seal) == ("Näidisamet", "70000000", True)


def test_an_asic_s_container_with_one_file_is_valid():
    files = {"otsus.pdf": b"%PDF-1.7 otsus"}
    data = zip_container(files, [sign_xades(files, pki().mari)], mimetype=ASIC_S, manifest=b"")
    verdict = verify(data)

    assert verdict.status == "valid", codes(verdict)
    assert verdict.container_type == "ASiC-S"


def test_the_configured_trust_store_is_used_by_default():
    data = signed_container()
    with override_settings(SIGNATURE_TRUST_STORE=test_trust_store()):
        assert verify_container(data).status == "valid"
    with override_settings(SIGNATURE_TRUST_STORE="/nonexistent/trust"):
        assert verify_container(data).status == "indeterminate"


def test_a_folder_of_certificate_files_is_a_trust_store(tmp_path):
    for party in pki().trusted:
        (tmp_path / f"{party.label}.crt").write_bytes(party.pem)
    (tmp_path / "README.md").write_text("not a certificate")
    (tmp_path / "broken.pem").write_bytes(b"-----BEGIN CERTIFICATE-----\nAAAA\n")

    store = load_trust_store(tmp_path)

    assert len(store.certificates) == 2
    assert verify_container(signed_container(), trust=store).status == "valid"
    assert verify_container(signed_container(), trust=str(tmp_path)).status == "valid"


# --- Valid with warnings (DigiDoc's leniencies) ---------------------------------------------------


def test_sha1_is_a_warning():
    verdict = verify(build_container(digest="sha1"))

    assert verdict.status == "warnings"
    assert {"weak_signature", "weak_digest"} <= codes(verdict)
    with translation.override("en"):
        assert "The signature uses SHA-1, which is no longer secure." in (
            verdict.signatures[0].warnings
        )
    assert verdict.signers  # still shown as signed


def test_an_old_bdoc_with_a_compressed_mimetype_is_valid_with_a_warning():
    verdict = verify(build_container(profile="LT-TM", mimetype_compressed=True))

    assert verdict.status == "warnings"
    assert codes(verdict) == {"mimetype_compressed"}


def test_a_byte_order_mark_and_newline_around_the_mimetype_is_a_warning():
    data = build_container(mimetype_text=b"\xef\xbb\xbfapplication/vnd.etsi.asic-e+zip\n")
    verdict = verify(data)

    assert verdict.status == "warnings"
    assert codes(verdict) == {"mimetype_padded"}


def test_a_mimetype_that_is_not_the_first_entry_is_a_warning():
    verdict = verify(build_container(mimetype_first=False))

    assert verdict.status == "warnings"
    assert codes(verdict) == {"mimetype_not_first"}


def test_an_ocsp_response_long_after_the_time_stamp_is_a_warning():
    verdict = verify(build_container(ocsp_delay=timedelta(hours=2)))

    assert verdict.status == "warnings"
    assert codes(verdict) == {"ocsp_late"}


def test_a_claimed_signing_time_far_from_the_time_stamp_is_a_warning():
    verdict = verify(build_container(at=AT, claimed_time=AT - timedelta(days=5)))

    assert verdict.status == "warnings"
    assert codes(verdict) == {"signing_time_differs"}


# --- Indeterminate --------------------------------------------------------------------------------


def test_a_certificate_of_an_unknown_ca_is_indeterminate():
    verdict = verify(build_container(signers=[pki().stranger]))

    assert verdict.status == "indeterminate"
    assert "issuer_untrusted" in codes(verdict)
    assert not verdict.signers
    with translation.override("en"):
        assert "The certificate issuer is not trusted." in verdict.signatures[0].reasons


def test_a_signature_without_time_stamp_or_ocsp_is_indeterminate():
    verdict = verify(build_container(profile="B"))

    assert verdict.status == "indeterminate"
    assert codes(verdict) == {"no_long_term_data"}
    assert verdict.signatures[0].profile == "B"


def test_a_time_stamped_signature_without_ocsp_is_indeterminate():
    verdict = verify(build_container(profile="T"))

    assert verdict.status == "indeterminate"
    assert codes(verdict) == {"no_revocation_data"}


def test_an_empty_trust_store_trusts_nobody():
    verdict = verify_container(signed_container(), trust=TrustStore())

    assert verdict.status == "indeterminate"
    assert codes(verdict) == {"no_trust_store"}


def test_an_ocsp_response_from_an_unknown_responder_is_not_enough():
    verdict = verify(build_container(ocsp_responder=pki().rogue_ocsp))

    assert verdict.status in ("indeterminate", "invalid")
    assert "ocsp_untrusted" in codes(verdict)
    assert not verdict.signers


# --- Invalid: the signature -----------------------------------------------------------------------


def test_a_wrong_signature_value_is_invalid():
    verdict = verify(build_container(tamper="signature_value"))

    assert verdict.status == "invalid"
    assert "signature_value" in codes(verdict)
    with translation.override("en"):
        assert verdict.signatures[0].reasons == [
            "The signature value does not match the signed data."
        ]
    assert not verdict.signers
    assert verdict.signatures[0].signer == "Mari Tamm"  # whom it claims, not shown as signed


def test_swapping_the_keyinfo_certificate_for_another_persons_is_invalid():
    verdict = verify(build_container(tamper="key_info"))

    assert verdict.status == "invalid"
    assert verdict.signatures[0].signer == "Jaan Kask"
    assert "signature_value" in codes(verdict)


def test_signed_properties_naming_another_certificate_is_invalid():
    # Mari signs, but her signed properties name Jaan's certificate (or the reverse attack).
    verdict = verify(build_container(signing_certificate=pki().jaan))

    assert verdict.status == "invalid"
    assert codes(verdict) == {"signing_certificate_mismatch"}


def test_an_attacker_signing_with_the_victims_certificate_is_invalid():
    attacker = Party(key=ec_key(), certificate=pki().mari.certificate, label="attacker")
    verdict = verify(build_container(signers=[attacker]))

    assert verdict.status == "invalid"
    assert "signature_value" in codes(verdict)


def test_a_file_changed_after_signing_is_invalid():
    verdict = verify(build_container(FILES, tamper="file"))

    assert verdict.status == "invalid"
    assert "file_changed" in codes(verdict)
    with translation.override("en"):
        assert "The file kiri.pdf was changed after it was signed." in (
            verdict.signatures[0].reasons
        )


def test_changed_signed_properties_are_invalid():
    verdict = verify(build_container(tamper="signed_properties"))

    assert verdict.status == "invalid"
    assert "signed_properties_changed" in codes(verdict)


def test_a_revoked_certificate_is_invalid():
    verdict = verify(build_container(signers=[pki().revoked], ocsp_status="revoked"))

    assert verdict.status == "invalid"
    assert "revoked_before_signing" in codes(verdict)
    with translation.override("en"):
        assert "The signer's certificate was revoked before signing." in (
            verdict.signatures[0].reasons
        )


def test_a_certificate_the_ocsp_responder_does_not_know_is_invalid():
    verdict = verify(build_container(ocsp_status="unknown"))

    assert verdict.status == "invalid"
    assert "certificate_unknown" in codes(verdict)


def test_an_expired_signer_certificate_is_invalid():
    verdict = verify(build_container(signers=[pki().expired]))

    assert verdict.status == "invalid"
    assert "certificate_expired" in codes(verdict)


def test_a_certificate_without_non_repudiation_is_invalid():
    verdict = verify(build_container(signers=[pki().no_non_repudiation]))

    assert verdict.status == "invalid"
    assert "no_non_repudiation" in codes(verdict)


def test_a_time_mark_whose_ocsp_nonce_is_for_another_signature_is_invalid():
    verdict = verify(build_container(profile="LT-TM", tamper="ocsp_nonce"))

    assert verdict.status == "invalid"
    assert codes(verdict) == {"ocsp_nonce"}


def test_a_time_stamp_over_something_else_is_invalid():
    verdict = verify(build_container(tamper="timestamp_imprint"))

    assert verdict.status == "invalid"
    assert "timestamp_imprint" in codes(verdict)


def test_a_time_stamp_of_an_untrusted_tsa_is_invalid():
    verdict = verify(build_container(tsa=pki().rogue_tsa))

    assert verdict.status == "invalid"
    assert "tsa_untrusted" in codes(verdict)


def test_an_ocsp_response_before_the_time_stamp_is_invalid():
    verdict = verify(build_container(ocsp_delay=timedelta(minutes=-5)))

    assert verdict.status == "invalid"
    assert codes(verdict) == {"ocsp_before_timestamp"}


def test_a_second_element_with_the_signed_properties_id_is_invalid():
    files = {"kiri.pdf": b"%PDF-1.4 kiri"}
    xml = sign_xades(files, pki().mari, options=SignatureOptions(at=AT))
    wrapped = xml.replace(
        b"</asic:XAdESSignatures>",
        b'<xades:SignedProperties Id="S0-SignedProperties"/></asic:XAdESSignatures>',
    )
    verdict = verify(zip_container(files, [wrapped]))

    assert verdict.status == "invalid"
    assert "signed_properties" in codes(verdict)


# --- Invalid: the container -----------------------------------------------------------------------


def test_a_data_file_not_covered_by_a_signature_is_invalid():
    signed = {"kiri.pdf": b"%PDF-1.4 kiri"}
    files = {**signed, "hiljem.txt": b"added later"}
    data = zip_container(files, [sign_xades(signed, pki().mari)])
    verdict = verify(data)

    assert verdict.status == "invalid"
    assert codes(verdict) == {"file_not_signed"}


def test_a_file_missing_from_the_manifest_is_invalid():
    data = build_container(extra_entries=(("salajane.txt", b"x"),))
    verdict = verify(data)

    assert verdict.status == "invalid"
    assert "not_in_manifest" in codes(verdict)


def test_a_manifest_listing_a_missing_file_is_invalid():
    files = {"kiri.pdf": b"%PDF-1.4 kiri"}
    manifest = manifest_xml({**files, "kadunud.pdf": b""})
    verdict = verify(zip_container(files, [sign_xades(files, pki().mari)], manifest=manifest))

    assert verdict.status == "invalid"
    assert "missing_file" in codes(verdict)


def test_duplicate_entry_names_are_invalid():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
        data = build_container(extra_entries=(("kiri.pdf", b"%PDF-1.4 forged"),))
    verdict = verify(data)

    assert verdict.status == "invalid"
    assert "duplicate_entry" in codes(verdict)
    assert verdict.signatures == []


def test_two_manifests_are_invalid():
    data = build_container(extra_entries=(("META-INF/Manifest.xml", manifest_xml(FILES)),))
    verdict = verify(data)

    assert verdict.status == "invalid"
    assert "two_manifests" in codes(verdict)


def test_a_container_without_a_signature_is_invalid():
    verdict = verify(zip_container(FILES, []))

    assert verdict.status == "invalid"
    assert codes(verdict) == {"no_signature"}
    with translation.override("en"):
        assert verdict.reasons == ["The container holds no signature."]


def test_a_wrong_mimetype_is_invalid():
    verdict = verify(build_container(mimetype_text=b"application/zip"))

    assert verdict.status == "invalid"
    assert "wrong_mimetype" in codes(verdict)


def test_a_file_that_is_not_a_zip_is_invalid():
    verdict = verify(b"%PDF-1.4 not a container")

    assert verdict.status == "invalid"
    assert codes(verdict) == {"not_zip"}


@pytest.mark.parametrize("seed", range(20))
def test_random_bytes_never_raise(seed):
    rng = random.Random(seed)
    data = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 4000)))
    if seed % 2:  # a zip header in front of noise
        data = b"PK\x03\x04" + data

    assert verify(data).status == "invalid"


def test_a_mangled_container_never_raises():
    data = bytearray(signed_container())
    rng = random.Random(7)
    for _ in range(30):
        copy = bytearray(data)
        for _ in range(5):
            copy[rng.randrange(len(copy))] = rng.getrandbits(8)
        assert verify(bytes(copy)).status in ("valid", "warnings", "indeterminate", "invalid")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<asic:XAdESSignatures xmlns:asic="http://uri.etsi.org/02918/v1.2.1#">&lol4;</asic:XAdESSignatures>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<asic:XAdESSignatures xmlns:asic="http://uri.etsi.org/02918/v1.2.1#"
 xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:Signature Id="S0">&secret;</ds:Signature>
</asic:XAdESSignatures>"""


@pytest.mark.parametrize("hostile", [BILLION_LAUGHS, EXTERNAL_ENTITY, b"<not xml", b""])
def test_hostile_signature_xml_is_invalid(hostile):
    verdict = verify(zip_container(FILES, [hostile]))

    assert verdict.status == "invalid"
    assert "signature_unreadable" in codes(verdict)
    assert "root:" not in json.dumps(verdict.as_dict())


def test_a_hostile_manifest_is_invalid():
    data = build_container(FILES, manifest=BILLION_LAUGHS)

    assert verify(data).status == "invalid"


def test_a_member_larger_than_the_limit_is_refused_without_reading_it_all(monkeypatch):
    monkeypatch.setattr(signatures.container, "MAX_MEMBER_BYTES", 1024 * 1024)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"application/vnd.etsi.asic-e+zip", zipfile.ZIP_STORED)
        archive.writestr("pomm.bin", b"\0" * (8 * 1024 * 1024))

    verdict = verify(bomb.getvalue())

    assert verdict.status == "invalid"
    assert codes(verdict) == {"too_large"}


# --- Stored verdicts ------------------------------------------------------------------------------


def test_a_verdict_is_stored_as_codes_and_shown_in_the_language_of_the_day():
    verdict = verify(build_container(FILES, signers=[pki().mari, pki().jaan], tamper="file"))
    stored = json.loads(json.dumps(verdict.as_dict()))

    again = Verdict.from_dict(stored)

    assert again.status == verdict.status == "invalid"
    assert [s.signer for s in again.signatures] == ["Mari Tamm", "Jaan Kask"]
    assert again.signatures[0].reason_codes == verdict.signatures[0].reason_codes
    assert again.signatures[0].trusted_time == verdict.signatures[0].trusted_time
    assert stored["signatures"][0]["reasons"][0] == {
        "code": "file_changed",
        "params": {"name": "kiri.pdf"},
    }
    with translation.override("en"):
        assert again.signatures[0].reasons == ["The file kiri.pdf was changed after it was signed."]


def test_an_empty_stored_verdict_is_invalid():
    assert Verdict.from_dict({}).status == "invalid"
    assert Verdict.from_dict(None).signatures == []


# --- Dependencies ---------------------------------------------------------------------------------


def test_verifying_never_imports_oscryptos_asymmetric_module(tmp_path):
    # oscrypto 1.3.0 fails on this OpenSSL ("Error detecting the version of libcrypto").
    container = tmp_path / "kiri.asice"
    container.write_bytes(build_container(profile="LTA", signers=[pki().mari, pki().jaan]))
    store = tmp_path / "trust.pem"
    store.write_bytes(pki().trust_pem())
    script = (
        "import sys, django; django.setup()\n"
        "from correspondence.signatures import verify_container\n"
        f"data = open({str(container)!r}, 'rb').read()\n"
        f"print(verify_container(data, trust={str(store)!r}).status)\n"
        "print(sorted(m for m in sys.modules if m.startswith('oscrypto')))\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1"},
        cwd=Path(__file__).resolve().parents[2],
    )
    status, modules = done.stdout.strip().splitlines()[-2:]
    assert status == "valid"
    assert "oscrypto.asymmetric" not in modules
