"""Rates of django-ratelimit read from settings at request time (so tests can lower them)."""

from __future__ import annotations

from django.conf import settings


def setting_rate(setting: str, default: str):
    """A ``rate=`` callable for ``@ratelimit``: the setting's value, or ``default``."""

    def rate(group, request) -> str:
        return getattr(settings, setting, default)

    return rate
