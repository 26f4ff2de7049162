"""A letter's status and signature badges and a dispatch's channel: tags, not template includes.

The letters list shows them on each of its 25 rows (a channel per addressee): an
``{% include %}`` each cost the page more than its queries (issue 16: a list page within 25 ms),
a tag a few microseconds. The include templates call these tags, so each has one markup. The
rows of the letters list and of the dispatch lists are one tag each (``letter_rows``,
``dispatch_list_rows``), which calls the badge tags as functions.
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from core.html import format_html, format_html_join
from core.templatetags.kantselei import choice_badge, display, url_for_each
from correspondence.models import PdfStatus

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


_ROW = (
    "<tr>\n"
    '<td class="text-nowrap"><a href="{}">{}</a></td>\n'
    '<td class="text-nowrap"><time datetime="{}">{}</time></td>\n'
    "<td>{}{}</td>\n"
    "<td>\n"
    '<ul class="list-unstyled mb-0 small">\n'
    "{}"
    "</ul>\n"
    "</td>\n"
    '<td class="text-nowrap">{}</td>\n'
    "<td>{} {}</td>\n"
    '<td class="text-nowrap">{}</td>\n'
    "</tr>\n"
)
_ADDRESSEE = '<li>{} <span class="text-body-secondary">· {}</span></li>\n'


@register.simple_tag
def letter_rows(letters) -> SafeString:
    """The rows of the letters list: number (a link), date, subject (and the document it
    answers), the addressees with their channels, signer, status and signature badges, and the
    PDF. One tag for the rows: the same cells as template markup cost the list a third of its
    rendering time (issue 16). ``letters`` as ``LetterQuerySet.with_list_data`` reads them."""
    detail = url_for_each("correspondence:letter-detail")
    pdf_before, pdf_after = reverse("correspondence:letter-pdf", args=[0]).rsplit("/0/", 1)
    pdf_ready = _("PDF")
    pdf_failed = format_html('<span class="text-danger">{}</span>', _("failed"))
    pdf_pending = format_html('<span class="text-body-secondary">{}</span>', _("being made"))
    rows = []
    for letter in letters:
        link = detail(letter.pk)
        if letter.in_reply_to:
            reply = format_html(
                '<div class="small text-body-secondary">{}</div>',
                _("reply to %(number)s") % {"number": letter.in_reply_to.number},
            )
        else:
            reply = ""
        if letter.pdf_status == PdfStatus.READY:
            pdf = format_html(
                '<a href="{}/{}/{}">{}<span class="visually-hidden"> {}</span></a>',
                pdf_before,
                letter.pk,
                pdf_after,
                pdf_ready,
                letter.number,
            )
        elif letter.pdf_status == PdfStatus.FAILED:
            pdf = pdf_failed
        else:
            pdf = pdf_pending
        registered_on = letter.document.registered_on
        rows.append(
            format_html(
                _ROW,
                link,
                letter.number,
                registered_on.isoformat(),
                formats.date_format(registered_on, "SHORT_DATE_FORMAT"),
                letter.subject,
                reply,
                format_html_join(
                    "",
                    _ADDRESSEE,
                    ((d.name, dispatch_channel(d)) for d in letter.dispatches.all()),
                ),
                letter.signer.get_full_name() or letter.signer.username,
                letter_status_badge(letter),
                signature_badge(letter),
                pdf,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every row is format_html's


_LIST_ROW = (
    "<tr>\n"
    '<th scope="row" class="fw-normal text-nowrap"><a href="{}">{} {}</a></th>\n'
    '<td class="text-end">{}</td>\n'
    '<td class="text-end">{}</td>\n'
    '<td class="text-end">{}</td>\n'
    '<td class="text-end text-nowrap">{} €</td>\n'
    "<td>{}</td>\n"
    "</tr>\n"
)


@register.simple_tag
def dispatch_list_rows(lists) -> SafeString:
    """The rows of the dispatch lists: the day (a link), its letters counted by kind, the
    postage, and when and by whom it was taken to the post office. One tag for the rows, as the
    letters list (``letter_rows``)."""
    day_link = reverse("correspondence:dispatch-day", args=["0"]).removesuffix("0/")
    not_yet = format_html('<span class="badge text-bg-warning">{}</span>', _("not yet"))
    rows = []
    for item in lists:
        if item.is_taken:
            taken_by = item.taken_by  # nullable: then only the time, as the template showed it
            taken = format_html(
                "{}, {}",
                formats.date_format(localtime(item.taken_at), "SHORT_DATETIME_FORMAT"),
                (taken_by.get_full_name() or taken_by.username) if taken_by else "",
            )
        else:
            taken = not_yet
        totals = item.totals
        rows.append(
            format_html(
                _LIST_ROW,
                f"{day_link}{item.day.isoformat()}/",
                capfirst(formats.date_format(item.day, "l")),
                formats.date_format(item.day, "SHORT_DATE_FORMAT"),
                totals["count"],
                totals["post"],
                totals["registered"],
                floatformat(totals["postage"], "2g"),
                taken,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every row is format_html's
