"""Search hits in the register's lists: marked titles, file snippets and "did you mean".

Template tags, so that the list views only render: the text comes from ``?q=`` of the request.
``search_headlines`` runs at most one query (file snippets for the rows of the page whose title
has no hit), none without search words; ``did_you_mean`` runs at most two, and only where a list
found nothing.

    {% load registry_search %}
    {% search_headlines documents as marks %}      staff: once, before the rows
    {% headline marks document %}                 the title cell of a row
    {% public_title entry.title %}                 public: the title only, never file text
    {% did_you_mean %} / {% did_you_mean public=True %}
"""

from __future__ import annotations

from django import template
from django.utils.html import escape

from registry import search

register = template.Library()

# Paging parameters a suggestion link drops: the suggestion starts at the first page.
PAGING = ("page", "after", "before", "last", "from")


def _text(context) -> str:
    request = context.get("request")
    return request.GET.get("q", "").strip() if request is not None else ""


@register.simple_tag(takes_context=True)
def search_headlines(context, documents) -> dict:
    """``{id: html}`` of the rows of the page: marked title, or a marked file snippet."""
    text = _text(context)
    return search.headlines(documents, text, files=True) if text else {}


@register.simple_tag
def headline(marks: dict, document):
    """The marked title of ``document`` from ``search_headlines``, else its escaped title."""
    return marks.get(document.pk) or escape(document.title)


@register.simple_tag(takes_context=True)
def public_title(context, title: str):
    """A public entry's title with the words of the search marked (no query, no file text)."""
    text = _text(context)
    return search.mark(title, text) if text else escape(title)


@register.inclusion_tag("registry/includes/did_you_mean.html", takes_context=True)
def did_you_mean(context, public: bool = False) -> dict:
    """A link repeating the search with the suggestion, when there is one the asker may see."""
    request = context["request"]
    text = _text(context)
    suggestion = None
    if text:
        if public:
            suggestion = search.public_suggestion(text)
        else:
            suggestion = search.staff_suggestion(request.user, text)
    href = ""
    if suggestion:
        query = request.GET.copy()
        for name in PAGING:
            query.pop(name, None)
        query["q"] = suggestion
        href = f"?{query.urlencode()}"
    return {"suggestion": suggestion, "href": href}
