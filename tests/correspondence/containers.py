"""Signed containers (ASiC-E) for tests, shaped as DigiDoc makes them and really signed with the
test PKI (tests/signing): ``correspondence.signatures.verify_container`` finds them valid with
the test trust store (``tests.signing.test_trust_store()``)."""

from __future__ import annotations

from datetime import datetime

from tests.signing import build_container, pki


def make_asice(
    files: dict[str, bytes] | None = None,
    *,
    signers: tuple[tuple[str, str, str], ...] = (("Mari", "Tamm", "38001085718"),),
    at: str = "2026-11-20T09:15:00Z",
    tamper: bool = False,
    mimetype_first: bool = True,
    profile: str = "LT",
) -> bytes:
    """An ASiC-E container of ``files`` signed by ``signers`` ((given, surname, code), …) at
    ``at`` (time-stamp and OCSP a few seconds later). ``tamper`` changes a file after signing."""
    the_pki = pki()
    return build_container(
        files or {"kiri.pdf": b"%PDF-1.4 allkirjastatud kiri"},
        [the_pki.person(given, surname, code) for given, surname, code in signers],
        profile=profile,
        at=datetime.fromisoformat(at.replace("Z", "+00:00")),
        tamper=("file",) if tamper else (),
        mimetype_first=mimetype_first,
    )
