"""An application's status and deadline and an entry's status as badges: tags, not template
includes.

The queue and the register show them on each of their 25 rows: an ``{% include %}`` each cost a
list page more than its queries (issue 16: a list page within 25 ms), a tag a few microseconds.
The include templates (mtr/staff/*_badge.html) call these tags, so a badge has one markup.
"""

from __future__ import annotations

from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.templatetags.kantselei import choice_badge

register = template.Library()

APPLICATION_CSS = {
    "received": "text-bg-primary",
    "in_review": "text-bg-info",
    "deficient": "text-bg-warning",
    "granted": "text-bg-success",
    "refused": "text-bg-danger",
}
ENTRY_CSS = {"valid": "text-bg-success", "suspended": "text-bg-warning", "pending": "text-bg-info"}


@register.simple_tag
def application_status_badge(application) -> SafeString:
    """The application's status as a badge."""
    return choice_badge(application, "status", APPLICATION_CSS, "text-bg-secondary", wrap=True)


@register.simple_tag
def entry_status_badge(entry) -> SafeString:
    """The entry's status as a badge."""
    return choice_badge(entry, "status", ENTRY_CSS, "text-bg-secondary")


def _state(state: dict) -> SafeString:
    key, days = state.get("key"), state.get("days")
    if key == "overdue":
        text = ngettext("%(days)s day overdue", "%(days)s days overdue", days) % {"days": days}
        return format_html(' <span class="badge text-bg-danger">{}</span>', text)
    if key == "soon":
        if days == 0:
            text = _("due today")
        else:
            text = ngettext("due in %(days)s day", "due in %(days)s days", days) % {"days": days}
        return format_html(' <span class="badge text-bg-warning">{}</span>', text)
    if key == "due":
        text = ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}
        return format_html(' <span class="small text-body-secondary text-nowrap">{}</span>', text)
    if key == "paused":
        return format_html(' <span class="badge text-bg-light border">{}</span>', _("paused"))
    return mark_safe("")


@register.simple_tag
def application_deadline_badge(application) -> SafeString:
    """The processing deadline with what it means today (``application.deadline_state``, set
    by mtr.views.staff._deadline_state): overdue, due soon, days left or paused, in words."""
    if not application.deadline:
        return format_html(
            '<span class="text-body-secondary" aria-hidden="true">—</span>'
            '<span class="visually-hidden">{}</span>',
            _("no deadline"),
        )
    return format_html(
        '<time class="text-nowrap" datetime="{}">{}</time>{}',
        application.deadline.isoformat(),
        formats.date_format(application.deadline),
        _state(getattr(application, "deadline_state", None) or {}),
    )
