"""What the register's models share: the random codes of public URLs."""

from __future__ import annotations

import secrets


def public_code() -> str:
    """A random code for public URLs: nothing on a public page is addressed by a sequential id."""
    return secrets.token_urlsafe(12)
