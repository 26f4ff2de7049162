"""The quoted earlier messages under a reply (Outlook's header block, Gmail's and iPhone's "On …
wrote:", "> " lines) split from what the sender wrote now."""

from __future__ import annotations

import re

_QUOTE_HEADS = [
    re.compile(
        r"^\s*-{2,}\s*(original message|algne (kiri|sõnum)|algsõnum|исходное сообщение"
        r"|ursprüngliche nachricht|message d'origine)\s*-{2,}\s*$",
        re.I,
    ),  # fmt: skip
    re.compile(r"^.{0,250}\bwrote:\s*$", re.I),
    re.compile(r"^.{0,250}\bkirjutas\b.{0,120}:\s*$", re.I),
    re.compile(r"^.{0,250}\b(написал|написала|написал\(а\)|пишет)\s*:\s*$", re.I),
    re.compile(r"^.{0,250}\bschrieb\b.{0,80}:\s*$", re.I),
]


_OUTLOOK_FROM = re.compile(r"^\s*\*?(from|saatja|kellelt|от|von|de|lähettäjä)\s*:\*?\s*\S", re.I)


_OUTLOOK_SENT = re.compile(
    r"^\s*\*?(sent|date|saadetud|saatmisaeg|kuupäev|отправлено|дата|gesendet|envoyé|lähetetty)"
    r"\s*:\*?\s*\S",
    re.I,
)


_RULE = re.compile(r"^\s*_{10,}\s*$")


def _quote_start(lines: list[str]) -> int | None:
    start = _quote_head(lines)
    # the line above a quote head that introduces it ("Friday, 4 December 2026, 10:00 from X:")
    while (
        start and lines[start - 1].rstrip().endswith(":") and re.search(r"[@\d]", lines[start - 1])
    ):
        start -= 1
    return start


def _quote_head(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        # "<date> <name> <address>:" right above ">" lines (mail.ru, Yandex, many others)
        if (
            line.rstrip().endswith(":")
            and re.search(r"@|\d", line)
            and index + 1 < len(lines)
            and lines[index + 1].startswith(">")
        ):
            return index
        if any(pattern.match(line) for pattern in _QUOTE_HEADS):
            return index
        # Gmail's "On …, Name <address> wrote:" wrapped over two lines
        if index + 1 < len(lines) and re.match(r"^\s*(on|kontakti)\b", line, re.I):
            joined = f"{line} {lines[index + 1]}"
            if len(joined) < 300 and any(p.match(joined) for p in _QUOTE_HEADS[1:]):
                return index
        if _OUTLOOK_FROM.match(line):
            following = lines[index + 1 : index + 5]
            if any(_OUTLOOK_SENT.match(other) for other in following):
                if index > 0 and _RULE.match(lines[index - 1]):
                    return index - 1
                return index
    # ">"-quoted lines at the end (a reply above the quote; interleaved answers stay whole)
    quoted = [i for i, line in enumerate(lines) if line.startswith(">")]
    if quoted:
        first = quoted[0]
        rest = lines[first:]
        if all(line.startswith(">") or not line.strip() for line in rest):
            return first
    return None


def split_quoted(text: str) -> tuple[str, str]:
    """The new part of a message's text and the quoted earlier messages below it (Outlook's
    "-----Original Message-----" and "From: … Sent: …" blocks in English and Estonian, Gmail's
    "On … wrote:", "… kirjutas:", "… написал(а):", ">" lines). Nothing is removed: when no new
    text is left above the quote, all of it is the new part."""
    if not text:
        return "", ""
    lines = text.replace("\r\n", "\n").split("\n")
    start = _quote_start(lines)
    if start is None:
        return text.strip(), ""
    new = "\n".join(lines[:start]).strip()
    quoted = "\n".join(lines[start:]).strip()
    if not new:
        return text.strip(), ""
    return new, quoted
