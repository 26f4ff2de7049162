"""The scheme's CSV: its columns, limits and the words taken for yes and no, and the order of codes
(1-2 before 1-10)."""

from __future__ import annotations

COLUMNS = (
    "function_code",
    "function_title",
    "series_code",
    "series_title",
    "retention_years",
    "default_restriction_code",
    "closed",
)


DELIMITER = ";"


MAX_BYTES = 2 * 1024 * 1024


MAX_ROWS = 10_000


CODE_MAX = 20


TITLE_MAX = 255


RETENTION_MAX = 999


TRUE_VALUES = {"1", "x", "yes", "true", "jah", "closed", "suletud", "да"}


FALSE_VALUES = {"", "0", "no", "false", "ei", "open", "avatud", "нет"}


def code_key(code: str) -> tuple:
    """Sort key of a scheme code: 2-10 after 2-9 (numbers, not text)."""
    return tuple(int(part) if part.isdigit() else 0 for part in code.split("-"))
