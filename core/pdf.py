"""Render a template to PDF bytes with WeasyPrint.

Fonts come from ``static/fonts`` (DejaVu: Estonian and Cyrillic glyphs), so the result is the
same on every machine. Only files under ``static/`` and ``data:`` URLs may be loaded: a template
can never make the PDF renderer fetch anything from the network. What the portal sends by itself
is rendered with ``seal=True``: sealed with the agency's e-seal when one is configured.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string

STATIC_DIR = Path(settings.BASE_DIR) / "static"


class ForbiddenResource(ValueError):
    """A PDF template referred to something outside static/."""


@cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """Loads ``data:`` URLs and files under static/; refuses anything else, fatally."""

        def __init__(self):
            super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)

        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if not path.is_relative_to(STATIC_DIR.resolve()):
                    raise ForbiddenResource(f"PDF templates may only load static/, not {url}")
            elif not url.startswith("data:"):
                raise ForbiddenResource(f"PDF templates may not load {url}")
            return super().fetch(url, headers)

    return LocalOnlyFetcher


def fetcher():
    """A new fetcher that loads only local static files (WeasyPrint is imported late)."""
    return _fetcher_class()()


def render_pdf(
    template_name: str, context: dict | None = None, *, seal: bool = False, seal_reason: str = ""
) -> bytes:
    """The PDF of ``template_name`` rendered with ``context`` (in the active language).

    ``seal=True`` (documents the portal sends by itself) seals the PDF with the agency's e-seal
    when one is configured (core/seal.py); the template gets ``sealed`` to say so, and says
    nothing of a seal or signature otherwise. A configured seal that fails raises
    ``core.seal.SealError``: no document claims a seal it does not carry."""
    from core import seal as agency_seal

    sealed = seal and agency_seal.is_configured()
    context = {"agency_name": settings.AGENCY_NAME, **(context or {}), "sealed": sealed}
    content = html_to_pdf(render_to_string(template_name, context))
    return agency_seal.seal_pdf(content, reason=seal_reason) if sealed else content


def html_to_pdf(html: str) -> bytes:
    """The PDF of an HTML document; relative URLs point into static/."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher())
    return document.write_pdf(font_config=FontConfiguration())
