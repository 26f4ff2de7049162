"""The language a page, an e-mail or a PDF is being made in."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def active() -> str:
    """The active language as one of LANGUAGES ("et", "en", "ru"), else the site's own."""
    language = (translation.get_language() or "").split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
