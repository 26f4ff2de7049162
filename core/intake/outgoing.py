"""What every e-mail the portal sends carries so that other mail systems treat it right
(RFC 3834, RFC 5322; issue 15).

- ``Auto-Submitted``: ``auto-generated`` on notices, receipts and digests; ``auto-replied`` on an
  automatic answer to a message that came in (a ticket's acknowledgement). Auto-responders
  (out-of-office, vacation) must not answer either, so two robots cannot loop. An e-mail a
  person wrote carries none.
- ``X-Auto-Response-Suppress: All``: Exchange's own way of saying the same to Outlook rules.
- ``In-Reply-To``/``References`` on an automatic answer, as RFC 3834 § 3.1.5 recommends.
- A ``Message-ID`` on the site's own domain (``message_domain``), so a bounce or a reply can be
  matched to the outbox row, and a ``Date`` in the agency's local time (Europe/Tallinn).
- An HTML alternative beside the text: the same words, escaped, in paragraphs, with links.
"""

from __future__ import annotations

import email.utils
import ipaddress
import re
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape, urlize

AUTO_GENERATED = "auto-generated"
AUTO_REPLIED = "auto-replied"
AUTO_SUBMITTED_VALUES = (AUTO_GENERATED, AUTO_REPLIED)


def _is_domain(host: str) -> bool:
    if not host or "." not in host or host.endswith((".localhost", ".local", ".internal")):
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return True
    return False


def message_domain() -> str:
    """The domain of our Message-IDs: SITE_URL's host when it is a domain name, else the domain
    of DEFAULT_FROM_EMAIL (a site served on an IP address or localhost has no domain of its
    own)."""
    host = (urlsplit(settings.SITE_URL).hostname or "").lower().rstrip(".")
    if _is_domain(host):
        return host
    domain = email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    return domain.lower() or "kantselei.invalid"


def local_date(moment: datetime | None = None) -> str:
    """An RFC 5322 ``Date`` in the agency's time zone (``settings.TIME_ZONE``), e.g.
    ``Sat, 05 Dec 2026 09:00:00 +0200``."""
    return email.utils.format_datetime(timezone.localtime(moment or timezone.now()))


def automatic_headers(*, auto_submitted: str = AUTO_GENERATED, in_reply_to: str = "") -> dict:
    """The headers of an automatic e-mail (``auto_submitted``: ``auto-generated`` or
    ``auto-replied``); ``in_reply_to``: the Message-ID of the message it answers."""
    if auto_submitted not in AUTO_SUBMITTED_VALUES:
        raise ValueError(f"Auto-Submitted must be one of {AUTO_SUBMITTED_VALUES}")
    headers = {"Auto-Submitted": auto_submitted, "X-Auto-Response-Suppress": "All"}
    headers.update(reply_headers(in_reply_to))
    return headers


def reply_headers(in_reply_to: str) -> dict:
    """``In-Reply-To`` and ``References`` for an answer to the message ``in_reply_to``."""
    found = re.search(r"<[^<>\s]+>", in_reply_to or "")
    if not found:
        return {}
    return {"In-Reply-To": found.group(0), "References": found.group(0)}


def text_to_html(text: str, *, title: str = "") -> str:
    """The HTML alternative of a plain-text e-mail: paragraphs at blank lines, line breaks
    kept, everything escaped, web addresses and e-mail addresses as links."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()) if p.strip()]
    body = "\n".join(
        "<p>" + "<br>\n".join(urlize(line, autoescape=True) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head>\n"
        f'<body style="font-family: sans-serif; line-height: 1.4">\n{body}\n</body></html>\n'
    )
