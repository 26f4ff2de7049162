"""What other apps show on a document's page, contributed by registration (AppConfig.ready),
so the register imports none of them: e.g. the letters answering the document (outgoing mail).
"""

from __future__ import annotations

from collections.abc import Callable

_RELATED: dict[str, Callable] = {}


def register(name: str, rows: Callable) -> None:
    """``rows(document, user)`` is the list shown under ``name`` on the document's page (an
    empty list when the user may not see them)."""
    _RELATED[name] = rows


def for_document(document, user) -> dict[str, list]:
    return {name: rows(document, user) for name, rows in _RELATED.items()}
