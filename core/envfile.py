"""Reading a ``.env`` file the way ``.env.example`` is written (imported by the settings, so it
must not import Django).

``.env.example`` explains each variable in a comment after its value
(``MTR_LICENCE_DECISION_DAYS=30   # licence decisions …``); django-environ's reader keeps such a
comment as part of the value, so a copied example would give ``int("30   # …")``. Here an
unquoted value ends at whitespace followed by ``#``, a quoted one at its closing quote, and an
empty value leaves the variable unset (its default applies). The environment wins over the file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_COMMENT = re.compile(r"(?:^|\s+)#.*$")


def parse(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        key = key.strip().removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] in "\"'" and value[0] in value[1:]:
            value = value[1 : value.index(value[0], 1)]
        else:
            value = _COMMENT.sub("", value).strip()
        if key and value:
            values[key] = value
    return values


def load(path: Path) -> None:
    """Put the file's values into the environment, never over what is already set."""
    if path.is_file():
        for key, value in parse(path.read_text(encoding="utf-8")).items():
            os.environ.setdefault(key, value)
