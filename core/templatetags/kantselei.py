from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language

from core import events
from core.html import format_html

register = template.Library()


@register.inclusion_tag("core/includes/timeline.html")
def timeline(obj, limit: int = 200):
    """The history of ``obj``: ``{% timeline document %}`` (one query)."""
    return {
        "timeline_events": list(events.for_object(obj)[:limit]),
        "timeline_id": f"{obj._meta.label_lower.replace('.', '-')}-{obj.pk}",
    }


@register.filter
def minutes(value) -> int:
    """Whole minutes of a timedelta, rounded up (for "try again in N minutes")."""
    if not value:
        return 0
    return max(1, -(-int(value.total_seconds()) // 60))


@register.filter
def money(value) -> str:
    """``1234.5`` → ``1 234,50 €`` in every language (DOMAIN.md), with no-break spaces."""
    if value in (None, ""):
        return ""
    return f"{formats.number_format(value, 2, use_l10n=True, force_grouping=True)}\xa0€"


@register.inclusion_tag("core/includes/active_content.html")
def active_content(attachment):
    """A badge on a file whose PDF carried JavaScript or embedded files (core/pdf_active.py)."""
    from core import pdf_active

    flags = getattr(attachment, "active_content", "") or ""
    return {"labels": pdf_active.labels(flags)}


@register.filter
def signature_status(status: str) -> str:
    """A signature verdict in DigiDoc's words: "valid", "valid with warnings", ..."""
    from core import signatures

    return signatures.status_label(status)


@register.filter
def signature_badge(status: str) -> str:
    """The badge colour of a signature verdict (text, not colour alone, carries the meaning)."""
    return {
        "valid": "text-bg-success",
        "warnings": "text-bg-warning",
        "indeterminate": "text-bg-secondary",
    }.get(status, "text-bg-danger")


@lru_cache(maxsize=256)
def _labels(model, name: str, language: str | None) -> dict:
    field = model._meta.get_field(name)
    return {value: str(label) for value, label in field.flatchoices}


@register.filter
def display(obj, name: str) -> str:
    """``obj.get_<name>_display()`` from a table of the field's labels built once per language:
    Django builds the table again on every call, which cost a list of 50 rows 1,000 translations."""
    value = getattr(obj, name)
    return _labels(type(obj), name, get_language()).get(value, value)


def choice_badge(obj, name: str, css: dict, default: str, *, wrap: bool = False) -> SafeString:
    """The label of ``obj``'s choice field ``name`` as a Bootstrap badge, its colour from
    ``css`` (value: classes; ``default`` otherwise) and the word always shown (never colour
    alone); ``wrap`` lets a long label break. What every app's status badge tag renders."""
    classes = css.get(getattr(obj, name), default)
    return format_html(
        '<span class="badge {}{}">{}</span>',
        "text-wrap text-start " if wrap else "",
        classes,
        capfirst(display(obj, name)),
    )


def url_for_each(name: str) -> Callable[[object], str]:
    """``value -> reverse(name, args=[value])`` for the rows of a list: ``reverse()`` once for
    the page (50 reversals were a tenth of a list row tag's time), the value quoted as
    ``reverse()`` quotes it."""
    head, _zero, tail = reverse(name, args=["0"]).rpartition("/0/")
    safe = RFC3986_SUBDELIMS + "/~:@"
    return lambda value: f"{head}/{quote(str(value), safe=safe)}/{tail}"
