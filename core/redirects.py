"""Addresses of this site: redirects that carry where to go next (only to this site, the
address encoded), and full URLs for e-mails and PDFs (SITE_URL)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def same_site_url(request, url: str | None) -> str | None:
    """``url`` if it leads to this site (so it is safe to redirect to), else None."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def with_next(url_name: str, next_url: str) -> str:
    """The URL of ``url_name`` with ``?next=`` the given address, encoded whole (an address with
    its own ``&`` or ``#`` arrives unchanged)."""
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def absolute(path: str) -> str:
    """The full address of a path on the site (with its query), for outside the site."""
    return settings.SITE_URL.rstrip("/") + path


def site_url(url_name: str, *args) -> str:
    """The full address of a page, for an e-mail or a PDF that is read outside the site."""
    return absolute(reverse(url_name, args=args))
