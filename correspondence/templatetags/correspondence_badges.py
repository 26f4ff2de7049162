"""A letter's status and signature badges and a dispatch's channel: tags, not template includes.

The letters list shows them on each of its 25 rows (a channel per addressee): an
``{% include %}`` each cost the page more than its queries (issue 16: a list page within 25 ms),
a tag a few microseconds. The include templates call these tags, so each has one markup.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.templatetags.kantselei import choice_badge, display

register = template.Library()

STATUS_CSS = {
    "draft": "text-bg-secondary",
    "awaiting_approval": "text-bg-warning",
    "approved": "text-bg-info",
    "sending": "text-bg-primary",
    "sent": "text-bg-success",
    "failed": "text-bg-danger",
}
CHANNEL_MARKS = {"email": "@", "post": "✉", "registered": "✉®", "hand": "✋"}


@register.simple_tag
def letter_status_badge(letter) -> SafeString:
    """The letter's status as a badge (the word, not colour alone)."""
    return choice_badge(letter, "status", STATUS_CSS, "text-bg-light border", wrap=True)


@register.simple_tag
def signature_badge(letter) -> SafeString:
    """Whether the letter awaits its signer's signature or carries a verified one."""
    if letter.awaits_signature:
        return format_html('<span class="badge text-bg-warning">{}</span>', _("Awaiting signature"))
    if letter.is_signed:
        return format_html(
            '<span class="badge text-bg-light border">{}</span>', _("Signed digitally")
        )
    return mark_safe("")


@register.simple_tag
def dispatch_channel(dispatch) -> SafeString:
    """How a copy goes: a mark (hidden from screen readers) and the channel in words."""
    return format_html(
        '<span class="text-nowrap"><span aria-hidden="true">{}</span> {}</span>',
        CHANNEL_MARKS.get(dispatch.channel, "⇄"),
        capfirst(display(dispatch, "channel")),
    )
