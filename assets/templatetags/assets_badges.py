"""An asset's state and a stocktaking's status as badges, and a cell of the inventory's totals:
tags, not template includes.

The inventory shows a state on each of its 25 rows and a cell per category and state in its
totals: an ``{% include %}`` each cost the page more than its queries (issue 16: a list page
within 25 ms), a tag a few microseconds. The include templates call these tags, so each has one
markup.
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from core.templatetags.kantselei import choice_badge

register = template.Library()

STATE_CSS = {
    "in_use": "text-bg-success",
    "in_storage": "text-bg-secondary",
    "in_repair": "text-bg-warning",
    "missing": "text-bg-danger",
}


@register.simple_tag
def state_badge(asset) -> SafeString:
    """The asset's state as a badge, in words (never colour alone)."""
    return choice_badge(asset, "state", STATE_CSS, "text-bg-dark")


@register.simple_tag
def stocktaking_badge(stocktaking) -> SafeString:
    """A stocktaking's status in words."""
    return choice_badge(stocktaking, "status", {"open": "text-bg-primary"}, "text-bg-secondary")


@register.simple_tag
def total_cell(count: int, value) -> SafeString:
    """One cell of the totals: the count (pieces) above, the value below."""
    pieces = ngettext("%(counter)s pc", "%(counter)s pcs", count) % {
        "counter": formats.localize(count)
    }
    return format_html(
        '{}<div class="fw-normal text-body-secondary">{}</div>',
        pieces,
        f"{floatformat(value, '2g')} €" if value else "—",
    )
