"""Text of e-mails (.eml: the text part, else the HTML as text) and of HTML files (their declared
charset or a guess)."""

from __future__ import annotations

import codecs
import email
import email.policy
import re
from html.parser import HTMLParser
from typing import IO

from registry.extract.common import _Text
from registry.extract.plain import decode_text


class _HtmlText(HTMLParser):
    BLOCKS = frozenset(
        {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "table"}
    )
    HIDDEN = frozenset({"script", "style", "head", "title", "template", "noscript"})

    def __init__(self, text: _Text):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.text.add("\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in ("td", "th"):
            self.text.add(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.text.add(data)


def _html_to_text(html: str, text: _Text) -> None:
    parser = _HtmlText(text)
    parser.feed(html)
    parser.close()


def _part_text(part) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):  # an unknown or wrong charset
        content = decode_text(part.get_payload(decode=True) or b"")
    return content if isinstance(content, str) else ""


def _eml(file: IO[bytes], text: _Text, **_options) -> None:
    message = email.message_from_binary_file(file, policy=email.policy.default)
    for header in ("subject", "from", "to", "cc"):
        try:
            value = message.get(header)
        except (ValueError, LookupError, TypeError, AttributeError):
            continue  # a header the parser cannot make sense of: the body may still be fine
        if value:
            text.add(f"{value}\n")
    plain, html = [], []
    for part in message.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        if part.get_content_type() == "text/plain":
            plain.append(part)
        elif part.get_content_type() == "text/html":
            html.append(part)
    for part in plain:
        text.add("\n" + _part_text(part))
    if not plain:
        for part in html:
            _html_to_text(_part_text(part), text)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _html(file: IO[bytes], text: _Text, **_options) -> None:
    """An HTML page (Word's "Save as web page", a saved e-mail): the charset its BOM or
    ``<meta>`` names, else detected; scripts, styles and the head left out."""
    raw = file.read(text.limit * 4)
    declared = None
    if not raw.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        match = _META_CHARSET.search(raw[:4096])
        declared = match.group(1).decode("ascii").lower() if match else None
    decoded = None
    if declared:
        try:
            decoded = raw.decode(declared, "replace")
        except LookupError:
            decoded = None
    _html_to_text(decoded if decoded is not None else decode_text(raw), text)
