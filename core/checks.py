"""System checks of the portal's own configuration (run by ``manage.py check``, ``migrate`` and
``check --deploy``; registered when core.apps imports this module).

The e-seal: a seal that is configured but cannot be read (a missing file, a wrong password, not
PKCS#12) or whose certificate has expired is an error, so a deployment fails at ``migrate``
instead of at the first decision letter; a certificate that expires within
``SEAL_EXPIRY_WARNING_DAYS`` is a warning (time to rotate it, see docs/operations.md).
"""

from __future__ import annotations

from datetime import timedelta

from django.core import checks
from django.utils import timezone

SEAL_EXPIRY_WARNING_DAYS = 30


@checks.register(checks.Tags.security)
def check_seal(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from core import seal

    if not seal.is_configured():
        return []
    try:
        signer = seal.load_signer()
    except seal.SealError as error:
        return [
            checks.Error(
                str(error),
                hint="Check SEAL_PKCS12_FILE and SEAL_PKCS12_PASSWORD (docs/operations.md, "
                "'The agency's e-seal'); unset SEAL_PKCS12_FILE to send documents unsealed.",
                id="core.E110",
            )
        ]
    not_after = seal.certificate_not_after(signer)
    now = timezone.now()
    if not_after <= now:
        return [
            checks.Error(
                f"The e-seal's certificate expired on {not_after:%Y-%m-%d}.",
                hint="Install the renewed e-seal (docs/operations.md, 'The agency's e-seal').",
                id="core.E111",
            )
        ]
    if not_after <= now + timedelta(days=SEAL_EXPIRY_WARNING_DAYS):
        return [
            checks.Warning(
                f"The e-seal's certificate expires on {not_after:%Y-%m-%d}.",
                hint="Order and install the renewed e-seal before then.",
                id="core.W112",
            )
        ]
    return []
