"""Pagination of staff lists with links that keep the other query parameters."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

PER_PAGE = 25


def page_of(request, queryset, param: str = "page", per_page: int = PER_PAGE) -> Page:
    """A page of ``queryset`` chosen by the query parameter ``param``, with ``page.links``: the
    URLs of the first, previous, next and last pages (the other parameters kept), as
    ``registry/work/pagination.html`` shows them."""
    page = Paginator(queryset, per_page).get_page(request.GET.get(param))

    def url(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}"

    page.links = {
        "first": url(1) if page.has_previous() else None,
        "previous": url(page.previous_page_number()) if page.has_previous() else None,
        "next": url(page.next_page_number()) if page.has_next() else None,
        "last": url(page.paginator.num_pages) if page.has_next() else None,
    }
    return page
