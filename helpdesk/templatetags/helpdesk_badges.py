"""A ticket's badges (priority, status, a service-level target) as tags, not template includes;
and the rows of the staff lists (tickets, calls, visits), each list's rows one tag.

The queue shows four of them on each of its 25 rows: an ``{% include %}`` each cost the page
more than its queries (issue 16: a list page within 25 ms), a tag a few microseconds. The
markup is what the includes gave: the word on every badge, never colour alone. The rows' cells
as template markup (a dozen variables, filters and tags a row) still cost a list a third of its
time; one tag builds them as the template did.
"""

from __future__ import annotations

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils import dateformat, formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import submissions
from core.html import conditional_escape, format_html, format_html_join
from core.templatetags.kantselei import choice_badge, display, url_for_each

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


# --- The rows of the staff lists ----------------------------------------------------------------


def _person(user) -> str:
    """A user as the lists show them: ``get_full_name|default:username``."""
    return user.get_full_name() or user.username


def _when(moment, shown: str) -> SafeString:
    """A moment (local time) as ``<time datetime="{{ moment|date:'c' }}">{{ shown }}</time>``
    (the "c" format is ``isoformat()``: through ``date_format`` a tenth of the rows' time)."""
    return format_html('<time datetime="{}">{}</time>', moment.isoformat(), shown)


_TICKET_ROW = (
    "<tr>\n"
    '<td class="text-nowrap"><a href="{}">{}</a></td>\n'
    '<td>{}\n<div class="small text-body-secondary">{}</div></td>\n'
    "<td>{}</td>\n"
    "<td>{}</td>\n"
    "<td>{}</td>\n"
    "<td>\n<div>{}</div>\n<div>{}</div>\n</td>\n"
    "<td>{}</td>\n"
    '<td class="text-nowrap">{}</td>\n'
    "</tr>\n"
)


def _requester(ticket) -> SafeString:
    """Name, e-mail, or the phone number when there is neither (or a dash)."""
    if ticket.requester_name and ticket.requester_email:
        return format_html("{}, {}", ticket.requester_name, ticket.requester_email)
    return conditional_escape(
        ticket.requester_name or ticket.requester_email or ticket.requester_phone or "—"
    )


@register.simple_tag
def ticket_rows(tickets) -> SafeString:
    """The rows of the ticket queue: reference (a link), subject and requester, category,
    priority, status, both service-level targets (``ticket.sla``: views.tickets.sla_view),
    assignee and the time created. One tag for the 25 rows (see the module docstring)."""
    link = url_for_each("helpdesk:ticket-detail")
    short = formats.get_format("SHORT_DATETIME_FORMAT")
    first, resolution = _("First answer"), _("Resolution")
    nobody = format_html('<span class="text-body-secondary">{}</span>', _("nobody yet"))
    rows = []
    for ticket in tickets:
        created = timezone.localtime(ticket.created)
        rows.append(
            format_html(
                _TICKET_ROW,
                link(ticket.pk),
                ticket.reference,
                Truncator(ticket.subject).chars(90),
                _requester(ticket),
                capfirst(display(ticket, "category")),
                priority_badge(ticket),
                status_badge(ticket),
                sla_target(ticket.sla["first"], first, short=True),
                sla_target(ticket.sla["resolution"], resolution, short=True),
                _person(ticket.assignee) if ticket.assignee_id else nobody,
                _when(created, dateformat.format(created, short)),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every row is format_html's


_CALL_ROW = (
    "<tr>\n"
    '<td class="text-nowrap">{}</td>\n'
    "<td>{}</td>\n"
    "<td>{}</td>\n"
    "<td>{}</td>\n"
    "<td>{}</td>\n"
    '<td class="text-end">{}</td>\n'
    '<td class="text-nowrap">{}</td>\n'
    "<td>\n{}\n</td>\n"
    "</tr>\n"
)
_CALL_TICKET_FORM = (
    '<details class="task-action">\n'
    '<summary class="btn btn-sm btn-outline-secondary text-nowrap">{}'
    '<span class="visually-hidden"> — {}: {}</span></summary>\n'
    '<form method="post" action="{}" class="card card-body p-2 mt-2">{}{}\n'
    '<input type="hidden" name="next" value="{}">\n'
    '<label class="form-label small mb-1" for="{}-call-{}-email">{}</label>\n'
    '<input type="email" class="form-control form-control-sm" name="call-{}-requester_email"'
    ' id="{}-call-{}-email" autocomplete="off">\n'
    '<div><button type="submit" class="btn btn-sm btn-primary mt-2">{}</button></div>\n'
    "</form>\n"
    "</details>"
)


@register.simple_tag(takes_context=True)
def call_rows(context, calls, table: str, time_only: bool = False) -> SafeString:
    """The rows of a table of calls: time (``time_only``: today's table) or day and time,
    caller and phone, topic and notes, category, outcome, minutes, who took it, and the ticket
    (a link if ``may_view_tickets``) or, if ``may_ticket``, a small form that makes one.
    ``table`` keeps the ids of the two tables of the page apart. One tag for the rows (see the
    module docstring): the row as an ``{% include %}`` cost the page more than its queries."""
    ticket_cell = _call_ticket_cell(context, table)
    shown = "H:i" if time_only else formats.get_format("SHORT_DATETIME_FORMAT")
    rows = []
    for call in calls:
        at = timezone.localtime(call.at)
        ticket = ticket_cell(call)
        rows.append(
            format_html(
                _CALL_ROW,
                _when(at, dateformat.format(at, shown)),
                _with_note(call.caller, call.phone, " text-nowrap"),
                _with_note(call.topic, call.notes and Truncator(call.notes).chars(140)),
                capfirst(display(call, "category")),
                capfirst(display(call, "outcome")),
                formats.localize(call.duration_minutes),
                _person(call.taken_by),
                ticket,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every row is format_html's


def _call_ticket_cell(context, table: str):
    """A function giving a call's ticket cell: the ticket's reference (a link with
    ``may_view_tickets``), else with ``may_ticket`` a small form that makes one, else a dash."""
    ticket_link = url_for_each("helpdesk:ticket-detail")
    make_ticket = url_for_each("helpdesk:call-ticket")
    may_ticket, may_view = context.get("may_ticket"), context.get("may_view_tickets")
    csrf = CsrfTokenNode().render(context)
    request, back = context.get("request"), context.get("next", "")
    labels = [  # as {% translate %} shows a template's own words: unescaped (the apostrophe)
        mark_safe(label)  # noqa: S308 - our translations
        for label in (_("Make a ticket"), _("Caller's e-mail (optional)"), _("Make the ticket"))
    ]
    none = mark_safe('<span class="text-body-secondary">—</span>')

    def cell(call) -> SafeString:
        if call.ticket_id and may_view:
            return format_html(
                '<a class="text-nowrap" href="{}">{}</a>',
                ticket_link(call.ticket_id),
                call.ticket.reference,
            )
        if call.ticket_id:
            return format_html('<span class="text-nowrap">{}</span>', call.ticket.reference)
        if not may_ticket:
            return none
        return format_html(
            _CALL_TICKET_FORM,
            labels[0],
            call.caller,
            call.topic,
            make_ticket(call.pk),
            csrf,
            submissions.key_field(request),
            back,
            table,
            call.pk,
            labels[1],
            call.pk,
            table,
            call.pk,
            labels[2],
        )

    return cell


def _with_note(text: str, note: str, css: str = "") -> SafeString:
    """``text``, and under it ``note`` in small grey letters when there is one."""
    if not note:
        return conditional_escape(text)
    return format_html('{}<div class="small text-body-secondary{}">{}</div>', text, css, note)


_VISIT_ROW = (
    "<tr>\n"
    '<td class="text-nowrap">{}</td>\n'
    "<td>{}</td>\n"
    "<td>{}</td>\n"
    "<td>{}</td>\n"
    '<td class="text-nowrap">{}</td>\n'
    '<td class="text-nowrap">{}</td>\n'
    "<td>{}</td>\n"
    "<td>{}</td>\n"
    "</tr>\n"
)


@register.simple_tag
def visit_rows(visits) -> SafeString:
    """The rows of the log of ended visits: day, visitor and organisation, host, purpose, the
    times of arrival and departure (the departure's day too when it was another), badge number
    and whether the identity document was checked. One tag for the rows (see the module
    docstring)."""
    checked = conditional_escape(_("checked"))
    unchecked = format_html('<span class="text-body-secondary">{}</span>', _("not checked"))
    day = formats.get_format("SHORT_DATE_FORMAT")
    day_and_time = formats.get_format("SHORT_DATETIME_FORMAT")
    rows = []
    for visit in visits:
        arrived, departed = (
            timezone.localtime(visit.arrived_at),
            timezone.localtime(visit.departed_at),
        )
        rows.append(
            format_html(
                _VISIT_ROW,
                dateformat.format(arrived, day),
                _with_note(visit.name, visit.organisation),
                _person(visit.host),
                visit.purpose,
                dateformat.time_format(arrived, "H:i"),
                dateformat.time_format(departed, "H:i")
                if departed.date() == arrived.date()
                else dateformat.format(departed, day_and_time),
                formats.localize(visit.badge_number),
                checked if visit.document_checked else unchecked,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every row is format_html's
