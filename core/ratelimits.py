"""Rates of django-ratelimit read from settings at request time (so tests can lower them), and
the client address the limits are keyed by."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def setting_rate(setting: str, default: str):
    """A ``rate=`` callable for ``@ratelimit``: the setting's value, or ``default``."""

    def rate(group, request) -> str:
        return getattr(settings, setting, default)

    return rate


def client_ip(request) -> str:
    """The client's address for rate limits (``RATELIMIT_IP_META_KEY``).

    Behind a proxy every request comes from the proxy, so keyed by ``REMOTE_ADDR`` all visitors
    would share one limit. With ``AXES_PROXY_COUNT`` = N proxies in front (the same setting
    django-axes uses), the client is the N-th address from the right of ``X-Forwarded-For``: each
    proxy appends the address it saw, so what lies further left was written by the client and is
    not trusted. Without proxies, or with a header too short or not an address, ``REMOTE_ADDR``.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    return candidate
