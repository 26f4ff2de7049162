"""Writing the trust store's PEM bundle from a trusted list, with a comment per certificate,
atomically."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from core.trust_list.model import TrustList


def _comment(text: str) -> str:
    """One safe comment line: no line breaks or PEM armour inside a name from the list."""
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", text)
    return re.sub(r"-{2,}", "-", text).strip()


def bundle_pem(trust_list: TrustList) -> bytes:
    """The PEM bundle: each certificate once, after ``# <service name> (<type>, <status>)``
    lines for the services that name it (the trust store's loader skips lines outside blocks)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    lines = [
        f"# Trusted list {_comment(trust_list.territory)} "
        f"sequence {_comment(trust_list.sequence_number)}, "
        f"issued {trust_list.issued_at.isoformat() if trust_list.issued_at else '?'}; "
        "written by manage.py import_trust_list",
        "",
    ]
    for der, services in trust_list.certificates():
        for service in services:
            lines.append(
                f"# {_comment(service.name)} ({service.type_label}, {_comment(service.status)})"
            )
        certificate = x509.load_der_x509_certificate(der)
        lines.append(f"# subject: {_comment(certificate.subject.rfc4514_string())}")
        lines.append(certificate.public_bytes(Encoding.PEM).decode("ascii").rstrip("\n"))
        lines.append("")
    return "\n".join(lines).encode("utf-8")


def default_output(store: str | Path) -> Path:
    """Where the bundle goes: the configured store itself, or ``trusted-list.pem`` inside it when
    it is a folder."""
    path = Path(store)
    return path / "trusted-list.pem" if path.is_dir() else path


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename."""
    path = Path(path)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
