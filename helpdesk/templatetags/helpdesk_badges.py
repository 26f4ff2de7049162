"""A ticket's badges (priority, status, a service-level target) as tags, not template includes.

The queue shows four of them on each of its 25 rows: an ``{% include %}`` each cost the page
more than its queries (issue 16: a list page within 25 ms), a tag a few microseconds. The
markup is what the includes gave: the word on every badge, never colour alone.
"""

from __future__ import annotations

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.templatetags.kantselei import choice_badge

register = template.Library()

PRIORITY_CSS = {
    "urgent": "text-bg-danger",
    "high": "text-bg-warning",
    "normal": "text-bg-light border",
}
STATUS_CSS = {
    "new": "text-bg-primary",
    "open": "text-bg-info",
    "waiting": "text-bg-warning",
    "resolved": "text-bg-success",
}


@register.simple_tag
def priority_badge(ticket) -> SafeString:
    """The ticket's priority as a badge."""
    return choice_badge(ticket, "priority", PRIORITY_CSS, "text-bg-light border fw-normal")


@register.simple_tag
def status_badge(ticket) -> SafeString:
    """The ticket's status as a badge."""
    return choice_badge(ticket, "status", STATUS_CSS, "text-bg-secondary", wrap=True)


@register.simple_tag
def sla_target(target: dict, label: str = "", short: bool = False) -> SafeString:
    """One service-level target in words (helpdesk.views.tickets._target_view): ``label`` says
    which (first answer or resolution); ``short`` leaves out the time it is due."""
    parts = []
    if label:
        parts.append(format_html('<span class="small text-body-secondary">{}:</span> ', label))
    if target["css"]:
        parts.append(
            format_html('<span class="badge text-wrap {}">{}</span>', target["css"], target["text"])
        )
    else:
        parts.append(format_html('<span class="small text-nowrap">{}</span>', target["text"]))
    if target["due"] and not short:
        due = timezone.localtime(target["due"])  # as the |date filter shows it
        parts.append(
            format_html(
                ' <span class="small text-body-secondary text-nowrap">({} <time datetime="{}">{}'
                "</time>)</span>",
                pgettext("a time limit", "due"),
                formats.date_format(due, "c"),
                formats.date_format(due, "SHORT_DATETIME_FORMAT"),
            )
        )
    return format_html("<span>{}</span>", mark_safe("".join(parts)))  # noqa: S308 (each part escaped)


@register.simple_tag
def article_visibility(article) -> SafeString:
    """Who sees a knowledge base article: the public, or staff only."""
    if article.is_public:
        return format_html('<span class="badge text-bg-primary">{}</span>', _("Public"))
    return format_html('<span class="badge text-bg-secondary">{}</span>', _("Internal"))


@register.simple_tag
def article_languages(languages: list[dict]) -> SafeString:
    """A badge per language, struck through where the article is not written in it (in words
    for screen readers, not by colour alone). ``languages``: [{code, label, filled}]."""
    written, missing = _("written"), _("missing")
    return format_html_join(
        "",
        '<span class="badge {} me-1 text-uppercase" title="{}">{}<span class="visually-hidden">'
        " ({}: {})</span></span>",
        (
            (
                "text-bg-success"
                if language["filled"]
                else "text-bg-light border text-body-secondary text-decoration-line-through",
                language["label"],
                language["code"],
                language["label"],
                written if language["filled"] else missing,
            )
            for language in languages
        ),
    )
