"""Certificate paths to the trust store at a moment (pyhanko-certvalidator, nothing fetched)."""

from __future__ import annotations

import asyncio
import concurrent.futures
from datetime import datetime

from core.signatures.common import log
from core.trust import TrustStore


def _run(coroutine):
    """Run a coroutine to completion from sync code, also when an event loop is running here."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _validate_path(
    certificate,
    *,
    store: TrustStore,
    others,
    moment: datetime,
    key_usage=None,
    extended_key_usage=None,
) -> str | None:
    """None when ``certificate`` has a valid path to the trust store at ``moment``; else
    "untrusted", "expired", "revoked" or "invalid"."""
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator import errors as certificate_errors

    if store.is_empty:
        return "untrusted"
    context = ValidationContext(
        trust_roots=list(store.certificates),
        other_certs=list(others),
        moment=moment,
        allow_fetching=False,
        revocation_mode="soft-fail",
        weak_hash_algos={"md2", "md5"},
    )
    validator = CertificateValidator(certificate, validation_context=context)
    try:
        _run(
            validator.async_validate_usage(
                set(key_usage or ()), extended_key_usage=set(extended_key_usage or ()) or None
            )
        )
    except certificate_errors.PathBuildingError:
        return "untrusted"
    except (certificate_errors.ExpiredError, certificate_errors.NotYetValidError):
        return "expired"
    except certificate_errors.RevokedError:
        return "revoked"
    except (certificate_errors.PathValidationError, certificate_errors.InvalidCertificateError):
        return "invalid"
    except Exception:
        log.warning("certificate path check failed", exc_info=True)
        return "invalid"
    return None
