"""A document's badges (access restriction, deadline, status) as tags, not template includes.

A list shows them on each of its 50 rows: an ``{% include %}`` per badge per row cost a list page
a third of its time (issue 16: a list page within 25 ms), a tag a few microseconds.
"""

from __future__ import annotations

from django import template
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.html import conditional_escape, format_html
from core.templatetags.kantselei import display, url_for_each
from registry.models import Direction

register = template.Library()


@register.simple_tag
def restriction_badge(document, today=None) -> SafeString:
    """ "AK" (for internal use) when the access restriction is in force today; nothing otherwise.
    ``document`` needs ``restriction_basis`` selected."""
    if not document.is_restricted(today):
        return mark_safe("")
    until = formats.date_format(document.restriction_end)
    return format_html(
        '<span class="badge restriction-badge" title="{}"><abbr title="{}">{}</abbr>'
        '<span class="visually-hidden"> — {}</span></span>',
        _("For internal use: %(basis)s, until %(until)s")
        % {"basis": document.restriction_basis, "until": until},
        _("for internal use (access restricted)"),
        pgettext("access restriction badge", "AK"),
        _("access restricted"),
    )


@register.simple_tag
def deadline_badge(document, today=None) -> SafeString:
    """The deadline; an overdue one in red and with the word "overdue" (not colour alone)."""
    if not document.deadline:
        return format_html(
            '<span class="text-body-secondary" aria-hidden="true">—</span>'
            '<span class="visually-hidden">{}</span>',
            _("no deadline"),
        )
    moment = format_html(
        '<time{} datetime="{}">{}</time>',
        mark_safe("") if document.is_overdue(today) else mark_safe(' class="deadline text-nowrap"'),
        document.deadline.isoformat(),
        formats.date_format(document.deadline),
    )
    if not document.is_overdue(today):
        return moment
    return format_html(
        '<span class="deadline deadline-overdue text-danger fw-semibold text-nowrap">{} '
        '<span class="badge text-bg-danger">{}</span></span>',
        moment,
        _("overdue"),
    )


@register.simple_tag
def status_badge(document) -> SafeString:
    """The document's status as a badge."""
    return format_html(
        '<span class="badge status-badge status-{}">{}</span>',
        document.status,
        capfirst(display(document, "status")),
    )


_ROW = (
    "<tr>\n"
    '<td class="text-nowrap"><a href="{}">{}</a> {}</td>\n'
    '<td class="text-nowrap">{}</td>\n'
    "<td>{}</td>\n"
    '<td class="document-title">{}</td>\n'
    "<td>{}</td>\n"
    "<td>{}</td>\n"
    "<td>{}</td>\n"
    "<td>{}</td>\n"
    "</tr>\n"
)


@register.simple_tag
def document_rows(documents, marks: dict, today=None) -> SafeString:
    """The rows of the document list: number (a link) with the restriction badge, date, type,
    title (marked by the search: ``marks`` from ``search_headlines``), sender or recipient,
    responsible, deadline and status. One tag for the 50 rows: the same cells as template
    markup cost the list a third of its rendering time (issue 16)."""
    link = url_for_each("registry:document-detail")
    to = _("to")
    today = today or timezone.localdate()
    # What repeats from row to row (a day, a type, a status, a deadline) is rendered once a page.
    days, types, statuses, deadlines = {}, {}, {}, {}
    rows = []
    for document in documents:
        day = document.registered_on
        if day not in days:
            days[day] = formats.date_format(day)
        if document.doc_type not in types:
            types[document.doc_type] = capfirst(display(document, "doc_type"))
        if document.status not in statuses:
            statuses[document.status] = status_badge(document)
        due = (document.deadline, document.is_overdue(today))
        if due not in deadlines:
            deadlines[due] = deadline_badge(document, today)
        if document.direction == Direction.INCOMING:
            party = conditional_escape(document.sender or "—")
        else:
            party = format_html(
                '<span class="visually-hidden">{} </span><span aria-hidden="true">→ </span>{}',
                to,
                document.recipient or "—",
            )
        rows.append(
            format_html(
                _ROW,
                link(document.pk),
                document.number,
                restriction_badge(document, today),
                days[day],
                types[document.doc_type],
                marks.get(document.pk) or conditional_escape(document.title),
                party,
                document.responsible or "—",
                deadlines[due],
                statuses[document.status],
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every row is format_html's
