"""An application's status and deadline and an entry's status as badges: tags, not template
includes; and the rows of the queue and of the register, each list's rows in one tag.

The queue and the register show them on each of their 25 rows: an ``{% include %}`` each cost a
list page more than its queries (issue 16: a list page within 25 ms), a tag a few microseconds.
The include templates (mtr/staff/*_badge.html) call these tags, so a badge has one markup. The
same rows as template markup, a dozen variables and tags each, cost the queue half of its
rendering time; the row tags call the badge tags as plain functions.
"""

from __future__ import annotations

from django import template
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.html import format_html
from core.templatetags.kantselei import choice_badge, display, url_for_each
from mtr.models import Application

register = template.Library()

APPLICATION_CSS = {
    "received": "text-bg-primary",
    "in_review": "text-bg-info",
    "deficient": "text-bg-warning",
    "granted": "text-bg-success",
    "refused": "text-bg-danger",
    "unexamined": "text-bg-dark",
    "entered": "text-bg-success",
    "checked": "text-bg-success",
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


_APPLICATION_ROW = (
    "<tr>\n"
    '<td class="text-nowrap"><a href="{}">{}</a></td>\n'
    '<td>{}<div class="small text-body-secondary">{}</div></td>\n'
    '<td>{}<div class="small text-body-secondary">{}</div></td>\n'
    "<td>{}</td>\n"
    '<td class="text-nowrap"><time datetime="{}">{}</time></td>\n'
    "<td>{}</td>\n"
    '<td class="text-nowrap">{}</td>\n'
    "</tr>\n"
)


@register.simple_tag
def application_rows(applications) -> SafeString:
    """The rows of the queue: tracking code (a link), business and registry code, area and
    what was filed, status, time submitted, deadline and processor (or "nobody yet")."""
    link = url_for_each("mtr:application-detail")
    nobody = format_html('<span class="text-body-secondary">{}</span>', _("nobody yet"))
    rows = []
    for application in applications:
        submitted = timezone.localtime(application.submitted_at)
        rows.append(
            format_html(
                _APPLICATION_ROW,
                link(application.pk),
                application.tracking_code_display,
                application.business_name,
                application.registry_code,
                application.area.name,
                capfirst(
                    # kind_label, a change's or a termination's from the table of labels
                    application.kind_label
                    if application.type == Application.Type.NEW
                    else display(application, "type")
                ),
                application_status_badge(application),
                submitted.isoformat(),  # the date filter's "c"
                formats.date_format(submitted, "SHORT_DATE_FORMAT"),
                application_deadline_badge(application),
                str(application.assignee) if application.assignee else nobody,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every row is format_html's


_ENTRY_ROW = (
    "<tr>\n"
    '<td class="text-nowrap"><a href="{}">{}</a></td>\n'
    '<td>{}<div class="small text-body-secondary">{}</div></td>\n'
    "<td>{}</td>\n"
    "<td>{}</td>\n"
    "<td>{}</td>\n"
    '<td class="text-nowrap">{}</td>\n'
    '<td class="text-nowrap">{}</td>\n'
    "</tr>\n"
)


@register.simple_tag
def entry_rows(entries) -> SafeString:
    """The rows of the staff register: number (a link), business and registry code, area,
    kind, status and the dates of validity."""
    link = url_for_each("mtr:entry-detail")
    rows = []
    for entry in entries:
        rows.append(
            format_html(
                _ENTRY_ROW,
                link(entry.number),
                entry.number,
                entry.business.name,
                entry.business.registry_code,
                entry.area.name,
                capfirst(display(entry, "kind")),
                entry_status_badge(entry),
                formats.date_format(entry.valid_from),
                formats.date_format(entry.valid_to) if entry.valid_to else "—",
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every row is format_html's
