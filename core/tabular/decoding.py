"""A CSV file's bytes made text: a BOM, else UTF-8 (also UTF-16 without a BOM), else the Estonian
or Russian Windows code page whose text reads as words."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.tabular.common import (
    BOMS,
    CODE_PAGES,
    CYRILLIC,
    CYRILLIC_VOWELS,
    ESTONIAN_LETTERS,
    LATIN,
    NON_ASCII_LINE,
    SAMPLE_BYTES,
    SIGN_IN_WORD,
    WORD,
    TableError,
)


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the codec it was read with (see the module docstring)."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec).lstrip("\ufeff"), codec
            except UnicodeDecodeError as error:
                raise TableError(_not_text_message()) from error
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        return _utf16_without_bom(data)
    return _code_page(data)


def _not_text_message() -> str:
    return _(
        "The file cannot be read as text. Save it in Excel as “CSV UTF-8 (comma delimited)” "
        "or “CSV (semicolon delimited)” and try again."
    )


def _utf16_without_bom(data: bytes) -> tuple[str, str]:
    """UTF-16 text without a byte-order mark: in Latin text every other byte is zero."""
    even, odd = data[0::2], data[1::2]
    for codec, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
        if zeros and zeros.count(0) > len(zeros) * 0.6:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                break
    raise TableError(_not_text_message())


def _odd_words(text: str) -> int:
    """Words a wrong code page makes of real ones:

    - Latin and Cyrillic letters in one word (``Tццtool`` for ``Töötool``);
    - a Cyrillic word without a vowel (``хдцьрю`` for ``õäöüšž``: Estonian letters read as
      windows-1251 give only х д ц ь р ю);
    - a Latin word of four or more letters most of which carry diacritics, some not Estonian
      (``Ïðèâåò`` or ``Čāąķīā`` for Russian words; Estonian words have few and only õäöüšž);
    - a multiplication or division sign inside a word (``ń÷øņ`` for ``счёт``).
    """
    odd = len(SIGN_IN_WORD.findall(text))
    for word in WORD.findall(text):
        if CYRILLIC.search(word):
            odd += bool(LATIN.search(word)) or (
                len(word) >= 2 and not any(char in CYRILLIC_VOWELS for char in word.lower())
            )
        elif len(word) >= 4:
            foreign = [char for char in word if not char.isascii()]
            odd += len(foreign) * 2 > len(word) and any(
                char not in ESTONIAN_LETTERS for char in foreign
            )
    return odd


def _code_page(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    # The lines with bytes beyond ASCII are where code pages differ: judge on (some of) them.
    sample = b"\n".join(NON_ASCII_LINE.findall(data[: SAMPLE_BYTES * 8]))[:SAMPLE_BYTES]
    candidates = []
    for rank, codec in enumerate(CODE_PAGES):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        match = from_bytes(sample, cp_isolation=[codec]).best()
        chaos = 1.0 if match is None else round(match.chaos, 2)  # None: too garbled, or short
        candidates.append((_odd_words(sample.decode(codec)), chaos, rank, codec, text))
    if candidates:
        *_, codec, text = min(candidates)
        return text, codec
    match = from_bytes(data).best()
    if match is None:
        raise TableError(_not_text_message())
    return str(match), match.encoding
