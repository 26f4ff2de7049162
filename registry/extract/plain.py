"""Plain text in whatever encoding it came (UTF-8, the Baltic and Cyrillic Windows code pages,
KOI8-R), and RTF."""

from __future__ import annotations

import codecs
from typing import IO

from registry.extract.common import ExtractionError, _Text

#: What an Estonian office's text files are written in, besides Unicode: Windows Baltic, Windows
#: Cyrillic, DOS Cyrillic and KOI8-R. Fewer candidates make a better guess on short texts.
TEXT_ENCODINGS = ("utf_8", "cp1257", "cp1251", "cp866", "koi8_r")


def decode_text(raw: bytes) -> str:
    """Bytes of text in an unknown encoding: a BOM decides, else UTF-8 if it is valid (a
    character cut at the end is no reason to doubt), else ``charset-normalizer`` among
    ``TEXT_ENCODINGS``, else Windows-1257 (Estonian Windows)."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", "replace")
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) and len(raw) % 4 == 0:
        return raw.decode("utf-32", "replace")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", "replace")
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(raw, final=False)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=list(TEXT_ENCODINGS)).best()
    if best is not None:
        return str(best)
    return raw.decode("cp1257", "replace")


def _txt(file: IO[bytes], text: _Text, **_options) -> None:
    text.add(decode_text(file.read(text.limit * 4)))


def _rtf(file: IO[bytes], text: _Text, **_options) -> None:
    """RTF is 7-bit text; its code page (``\\ansicpg``) and ``\\uN`` escapes give the letters."""
    from striprtf.striprtf import rtf_to_text

    raw = file.read(text.limit * 8)
    if not raw.lstrip().startswith(b"{\\rtf"):
        raise ExtractionError("The file is not RTF.")
    text.add(rtf_to_text(raw.decode("latin-1"), errors="ignore"))
