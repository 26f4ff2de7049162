"""Signed containers' verification, as the correspondence app (and outside checks) call it.

The verifier lives in ``core.signatures`` because the registry verifies incoming containers too
(the layers: registry cannot import correspondence); this module keeps the documented name
``correspondence.signatures.verify_container``.
"""

from core.signatures import (  # noqa: F401
    NOT_TRUSTED,
    REASONS,
    Reason,
    SignatureVerdict,
    Verdict,
    status_label,
    subject_of,
    verify_container,
    worst,
)
