"""Real signed containers for tests: a test PKI (``pki()``), OCSP responses and time-stamps
(``tokens``) and a XAdES container builder (``build_container``, ``signed_container``).

    from tests.signing import signed_container, test_trust_store

    with override_settings(SIGNATURE_TRUST_STORE=test_trust_store()):
        verdict = verify_container(signed_container())     # "valid", signed by Mari Tamm
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from pathlib import Path

from tests.signing.pki import Party, TestPKI, pki
from tests.signing.xades import build_container, sign_xades, signed_container, zip_container

__all__ = [
    "Party",
    "TestPKI",
    "build_container",
    "pki",
    "sign_xades",
    "signed_container",
    "test_trust_store",
    "trust_store",
    "zip_container",
]


@functools.cache
def test_trust_store() -> str:
    """A PEM bundle of the test PKI's trusted CAs, for ``SIGNATURE_TRUST_STORE`` (a path)."""
    folder = tempfile.mkdtemp(prefix="kantselei-trust-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = Path(folder) / "test-trust.pem"
    path.write_bytes(pki().trust_pem())
    os.chmod(path, 0o644)
    return str(path)


test_trust_store.__test__ = False  # not a pytest test


def trust_store():
    """The test PKI's trust store as an object, for ``verify_container(trust=...)``."""
    return pki().trust_store()
