"""Choices as lists and menus show them."""

from __future__ import annotations

from django.utils.text import capfirst


def capitalised(choices) -> list[tuple[str, str]]:
    """Choices as a list shows them: "Letter", not "letter" (the labels are lower case for
    use inside sentences)."""
    return [(value, capfirst(label)) for value, label in choices]
