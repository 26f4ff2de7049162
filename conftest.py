"""Shared fixtures. The embedded database for runs without DATABASE_URL is in core/testing.py.

``KANTSELEI_TEST_NOW`` (an ISO date and time with its offset, e.g. ``2026-12-05T23:30+02:00``)
runs the whole session on a clock that starts at that moment and ticks on: `.ci/run` runs the
date-sensitive tests on a Saturday night, a public holiday and New Year's Eve with it, so that no
test depends on the day or hour it happens to run."""

import os
from datetime import datetime

import pytest

_clock = None


def pytest_configure(config):
    global _clock
    moment = os.environ.get("KANTSELEI_TEST_NOW", "").strip()
    if moment and _clock is None:
        import time_machine

        _clock = time_machine.travel(datetime.fromisoformat(moment), tick=True)
        _clock.start()


def pytest_report_header(config):
    moment = os.environ.get("KANTSELEI_TEST_NOW", "").strip()
    return f"clock: frozen at {moment}, ticking" if moment else None


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Hashing a password the real way takes ~0.3 s; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Signed containers are verified against the test PKI's CAs (tests/signing).
    from tests.signing import test_trust_store

    settings.SIGNATURE_TRUST_STORE = test_trust_store()


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a request made by an earlier test in the same
    process leaves the language it chose active in the thread (LocaleMiddleware)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
