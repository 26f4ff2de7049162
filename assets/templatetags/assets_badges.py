"""An asset's state and a stocktaking's status as badges, a cell of the inventory's totals, and
the rows of the inventory, the systems and the requests for quotes: tags, not template markup.

The inventory shows a state on each of its 25 rows and a cell per category and state in its
totals: an ``{% include %}`` each cost the page more than its queries (issue 16: a list page
within 25 ms), a tag a few microseconds. The include templates call these tags, so each has one
markup. The rows of a list likewise: a ``{% for %}`` with a dozen variables and tags a row is
a quarter of the inventory's rendering time, and one tag for all the rows renders the same markup
in a fraction of it.
"""

from __future__ import annotations

import unicodedata

from django import template
from django.template.defaultfilters import floatformat, truncatechars
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.html import conditional_escape, format_html
from core.templatetags.kantselei import choice_badge, display, url_for_each

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


def _shortened(text: str, length: int = 90) -> str:
    """``truncatechars``: the same text, but a text that fits is given back without the filter's
    look-up of its "…" translation (a fifth of an inventory row's time)."""
    text = unicodedata.normalize("NFC", text)  # as the filter counts: by composed characters
    return text if len(text) <= length else truncatechars(text, length)


def _rows(row, items) -> SafeString:
    """``row(item)`` of each item, one after another."""
    return mark_safe("".join(row(item) for item in items))  # noqa: S308 - each is format_html's


_ASSET_ROW = (
    "<tr>\n"
    '<td class="text-nowrap"><a href="{}">{}</a></td>\n'
    "<td>{}{}</td>\n"
    "<td>{}</td>\n"
    "<td>{}</td>\n"
    "<td>{}</td>\n"
    "<td>{}</td>\n"
    '<td class="text-end text-nowrap">{}</td>\n'
    "</tr>\n"
)


@register.simple_tag
def asset_rows(assets) -> SafeString:
    """The rows of the inventory: number (a link), name with the serial number, category,
    location, responsible person, state and price. Reads only ``Asset.LIST_ROW_FIELDS``."""
    link = url_for_each("assets:asset-detail")
    serial = _("S/N")
    nobody = format_html('<span class="text-body-secondary">{}</span>', _("nobody"))

    def row(asset) -> SafeString:
        person = asset.responsible
        return format_html(
            _ASSET_ROW,
            link(asset.pk),
            asset.inventory_number,
            _shortened(asset.name),
            format_html(
                '<div class="small text-body-secondary">{} {}</div>', serial, asset.serial_number
            )
            if asset.serial_number
            else "",
            capfirst(display(asset, "category")),
            asset.location or "—",
            (person.get_full_name() or person.username) if person else nobody,
            state_badge(asset),
            f"{floatformat(asset.price, '2g')} €" if asset.price is not None else "—",
        )

    return _rows(row, assets)


@register.simple_tag
def label_part_links(parts: list[dict]) -> SafeString:
    """The links to the QR labels of a long list in parts (``url``, ``first``, ``last``): a list of
    10,000 assets has 42 of them, each a translation in template markup."""
    return _rows(
        lambda part: format_html(
            '<li class="list-inline-item"><a class="alert-link" href="{}">{}</a></li>',
            part["url"],
            _("QR labels %(first)s–%(last)s") % {"first": part["first"], "last": part["last"]},
        ),
        parts,
    )


def _count(count: int, badge: str) -> SafeString:
    """A count of the systems list: a badge when there is any (what needs doing), else 0."""
    if count:
        return format_html('<span class="badge {}">{}</span>', badge, count)
    return mark_safe("0")


_SYSTEM_ROW = (
    "<tr>\n"
    '<th scope="row" class="fw-normal">\n'
    "{}\n"
    '<div class="small text-body-secondary">{}</div>\n'
    "</th>\n"
    "<td>{}{}</td>\n"
    "{}"
    '<td class="text-end"><a class="btn btn-sm btn-outline-primary text-nowrap" href="{}">{}'
    '<span class="visually-hidden"> — {}</span></a></td>\n'
    "</tr>\n"
)
_SYSTEM_COUNTS = (
    '<td class="text-end">{}</td>\n'
    '<td class="text-end">{}</td>\n'
    '<td class="text-end">{}</td>\n'
    '<td class="text-end">{}</td>\n'
)


@register.simple_tag
def system_rows(systems, looks_after: bool, user) -> SafeString:
    """The rows of the information systems: name (a link when the user may see the system) and
    owner, main user ("you" marked), the counts of rights when the user ``looks_after`` systems
    (of those they may see), and the link to request a right."""
    detail = url_for_each("assets:system-detail")
    ask = url_for_each("assets:grant-request")
    you = format_html(' <span class="badge text-bg-info">{}</span>', _("you"))
    request_a_right = _("Request a right")
    hidden = format_html(
        '<td class="text-end text-body-secondary" colspan="4">'
        '<span class="visually-hidden">{}</span></td>\n',
        _("not shown"),
    )

    def row(system) -> SafeString:
        if not looks_after:
            counts = ""
        elif system.visible:
            counts = format_html(
                _SYSTEM_COUNTS,
                system.counts["granted"],
                _count(system.counts["requested"], "text-bg-primary"),
                _count(system.counts["review"], "text-bg-warning"),
                _count(system.counts["ending"], "text-bg-warning"),
            )
        else:
            counts = hidden
        name = (
            format_html('<a href="{}">{}</a>', detail(system.pk), system.name)
            if system.visible
            else conditional_escape(system.name)
        )
        return format_html(
            _SYSTEM_ROW,
            name,
            system.owner,
            system.main_user,
            you if system.main_user_id == user.pk else "",
            counts,
            ask(system.pk),
            request_a_right,
            system.name,
        )

    return _rows(row, systems)


_QUOTE_ROW = (
    "<tr>\n"
    '<th scope="row" class="fw-normal"><a href="{}">{}</a></th>\n'
    "<td>{}</td>\n"
    '<td class="text-end text-nowrap">{}</td>\n'
    '<td class="text-nowrap"><time datetime="{}">{}</time></td>\n'
    '<td class="text-end">{}</td>\n'
    "<td>{}</td>\n"
    "</tr>\n"
)


@register.simple_tag
def quote_rows(requests) -> SafeString:
    """The rows of the requests for quotes: subject (a link), kind, estimate, the day quotes are
    due by, quotes received of those asked, and the chosen supplier. Reads only
    ``QuoteRequest.LIST_ROW_FIELDS`` and the counts annotated by the list."""
    link = url_for_each("assets:quote-detail")
    not_chosen = format_html('<span class="text-body-secondary">{}</span>', _("not chosen yet"))

    def row(item) -> SafeString:
        return format_html(
            _QUOTE_ROW,
            link(item.pk),
            _shortened(item.subject),
            capfirst(display(item, "kind")),
            floatformat(item.estimated_value, "2g"),
            formats.date_format(item.deadline, "Y-m-d"),
            formats.date_format(item.deadline, "SHORT_DATE_FORMAT"),
            _("%(received)s of %(asked)s")
            % {"received": item.received_count, "asked": item.quote_count},
            item.chosen.supplier if item.chosen else not_chosen,
        )

    return _rows(row, requests)
