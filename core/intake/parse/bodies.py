"""Message bodies as text: HTML made readable text (links, lists, tables, quotes kept as text), and
a part's payload decoded in its declared or guessed charset."""

from __future__ import annotations

import html
import re
from email.message import Message
from html.parser import HTMLParser

from core.intake.parse.headers import _clean, _text_from_bytes
from core.intake.parse.model import log


class _HTMLText(HTMLParser):
    """HTML turned into readable text: block elements on lines of their own, list items with a
    dash, links with their address, blockquotes as ``>`` lines; scripts and styles never."""

    SKIP = {"script", "style", "head", "title", "noscript", "template", "svg", "object"}
    BLOCK = {
        "p", "div", "br", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
        "blockquote", "pre", "hr", "section", "article", "header", "footer", "address", "dl",
        "dt", "dd", "center", "form", "fieldset", "figure", "main", "nav", "aside",
    }  # fmt: skip

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip = 0
        self.quote = 0
        self.pre = 0
        self.links: list[str | None] = []

    def _break(self):
        line = "".join(self.current)
        if not self.pre:
            line = " ".join(line.split())
        self.lines.append(("> " * self.quote) + line if line else ("> " * self.quote).rstrip())
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        if tag in self.BLOCK:
            self._break()
        if tag == "blockquote":
            self.quote += 1
        elif tag == "pre":
            self.pre += 1
        elif tag == "li":
            self.current.append("- ")
        elif tag in ("td", "th"):
            self.current.append("\t")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.current.append(f"[{alt}]")
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag == "a" and self.links:
            href = self.links.pop()
            shown = "".join(self.current)
            if href and href.startswith(("http:", "https:")) and href not in shown:
                self.current.append(f" <{href}>")
        if tag in self.BLOCK:
            self._break()
        if tag == "blockquote":
            self.quote = max(0, self.quote - 1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)

    def handle_data(self, data):
        if not self.skip:
            self.current.append(data)

    def text(self) -> str:
        self._break()
        text = "\n".join(line.rstrip() for line in self.lines)
        return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_to_text(markup: str) -> str:
    """Readable plain text of an HTML body (scripts and styles dropped)."""
    parser = _HTMLText()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # HTMLParser is lenient; this is for the unforeseen
        return html.unescape(re.sub(r"<[^>]*>", " ", markup))
    return parser.text()


def _payload_bytes(part: Message) -> bytes:
    """The part's decoded content; the payload as it came when it cannot be decoded."""
    try:
        data = part.get_payload(decode=True)
        if isinstance(data, bytes):
            return data
    except Exception:
        log.debug("part could not be decoded; kept as it came", exc_info=True)
    payload = part.get_payload()
    if isinstance(payload, str):
        return payload.encode("utf-8", "surrogateescape")
    if isinstance(payload, bytes):
        return payload
    try:
        return part.as_bytes()
    except Exception:
        return b""


def _part_text(part: Message) -> str:
    data = _payload_bytes(part)
    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    if not charset and part.get_content_type() == "text/html":  # <meta charset> says it
        found = re.search(rb"""<meta[^>]+charset=["']?([\w.:-]+)""", data[:4096], re.I)
        charset = found.group(1).decode("ascii") if found else None
    return _clean(_text_from_bytes(data, charset)).replace("\r\n", "\n").replace("\r", "\n")
