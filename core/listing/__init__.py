"""One list layer for every list page: whitelisted orders, keyset (cursor) paging, capped counts.

A list of a million rows must cost what a list of fifty costs, at any depth. OFFSET paging
reads and throws away every row before the page, so ``?page=10000`` of a large table is slow;
``COUNT(*)`` reads the whole filtered set. Instead:

- **Orders** are whitelisted (:class:`Order`), each one a list of columns (or expressions) that
  an index serves, with the primary key last so that the order is total.
- **Keyset paging**: a page is "the next ``per_page`` rows after this row's sort values"
  (``?after=<cursor>``), or "the ``per_page`` rows before that one" (``?before=``), or the end
  of the list (``?last=1``), or the rows from a value on (``?from=2024-03-01``: a date, a
  title's first letters, whatever the order's first column holds). With an index on the order's
  columns each page is an index range scan of ``per_page + 1`` rows, however deep it is.
- **Counts are capped** (``COUNT_CAP``): "over 10,000" instead of an exact count of a million.

Cursors are the sort values of a row, encoded in the URL (base64 of JSON): they reveal nothing
the page does not show, and a forged one only moves where the list starts (every filter, and
what the user may see, is applied as before). A cursor that cannot be read is ignored: the list
starts at the beginning.

NULLs do not compare, so an order's columns must never be NULL: a nullable column is ordered
through ``Coalesce`` with a value that sorts it where the list wants it (and an index on that
very expression). The model's :meth:`Listing` raises ``ImproperlyConfigured`` otherwise.

Templates: ``core/list/pager.html`` (first/previous/next/last links, plain ``<a href>``),
``core/list/table_head.html`` (the column headers with sort links and ``aria-sort``) and
``core/list/count.html`` (the capped count). Views build them from :class:`Listing`.
"""

from __future__ import annotations

import json

from django.core.exceptions import (
    EmptyResultSet,
    ImproperlyConfigured,
)
from django.db import connections
from django.db.models import Q
from django.utils.functional import cached_property

from core.listing.keyset import Keyset
from core.listing.parts import (  # noqa: F401 - the package's names
    CURSOR_MAX,
    Column,
    Order,
    Page,
    Row,
    _json_value,
    decode_cursor,
    encode_cursor,
)

PER_PAGE = 50


COUNT_CAP = 10_000


# A search the planner expects to find fewer rows than this pages its hits only (``few``).
FEW_ROWS = 5_000


class Listing(Keyset):
    """A list page's rows: ``Listing(request, queryset, orders=…, default=…).page``.

    ``orders`` maps the ``?sort=`` keys to :class:`Order`; anything else gets ``default``.
    The queryset carries the filters and what the user may see; its own ordering is replaced.
    ``prefix`` names the parameters when a page holds two lists (``tasks_after`` …).

    ``few``: the queryset may match few rows (it is searched). A search for a rare word is best
    served by finding its hits first and sorting only them (``_keys``), where a common word is
    best found by walking the order's index. The capped count runs first; when it is under the
    cap, the page's rows are found the first way.

    ``count_later``: the page is served without its count, which the page then asks for at
    ``page.count_url`` (the same list with ``?count=1``; htmx swaps the sentence in, and without
    JavaScript the link serves the whole page counted). For a search: counting even 10,001 hits
    of a common word means building a bitmap of all its hits in the GIN index and visiting
    them, 50–150 ms on a million documents, while the page itself needs a few milliseconds.
    Without the count, the planner's estimate of the hits chooses between the two (under
    ``FEW_ROWS``: hits first); an estimate cannot be wrong in a way that loses rows,
    only in one that costs time.
    """

    def __init__(
        self,
        request,
        queryset,
        *,
        orders: dict[str, Order],
        default: str,
        per_page: int = PER_PAGE,
        count_cap: int | None = None,
        prefix: str = "",
        count: bool = True,
        few: bool = False,
        count_later: bool = False,
        found: int | None = None,
    ):
        if default not in orders:
            raise ImproperlyConfigured(f"The default order {default!r} is not offered.")
        self.request = request
        self.queryset = queryset
        self.orders = orders
        self.per_page = per_page
        self.count_cap = COUNT_CAP if count_cap is None else count_cap
        self.prefix = prefix
        self.counted = count
        self.few = few
        self.count_later = count and count_later and not request.GET.get(self.param("count"))
        self._two_step = False  # the page's keys first, then its rows (``_rows``)
        # The capped count already made, e.g. by core.counts.capped_counts for several lists of
        # one page in one query (rows up to count_cap + 1).
        self.found = found
        sort = request.GET.get(self.param("sort"), default)
        self.sort = sort if sort in orders else default
        self.default = default
        self.order = orders[self.sort]

    def param(self, name: str) -> str:
        return f"{self.prefix}{name}" if self.prefix else name

    # --- the query ------------------------------------------------------------------------------

    def ordered(self):
        """The whole list in the chosen order (for an export: slice it)."""
        return self._annotated.order_by(*self._ordering())

    # --- the page -------------------------------------------------------------------------------

    @cached_property
    def page(self) -> Page:
        get = self.request.GET
        if self.count_later:
            count, capped = None, False
            few = self.few and self._estimate() < FEW_ROWS
        else:
            count, capped = self._count()
            # Few rows (a rare word): the query made for few rows, when the view gave one.
            few = self.few and self.counted and not capped
        self._two_step = few
        jump_text = get.get(self.param("from"), "") if self.order.jump else ""
        jump = self._from_value(jump_text) if jump_text else None
        rows, has_previous, has_next = self._rows_here(jump)
        page = Page(
            rows=rows,
            count=count,
            capped=capped,
            has_previous=has_previous,
            has_next=has_next,
            sort=self.sort,
            jump=self.order.jump,
            jump_value=jump_text if jump is not None else "",
        )
        page.links = self._links(page)
        if self.count_later:
            query = self.request.GET.copy()
            query[self.param("count")] = "1"
            page.count_url = f"?{query.urlencode()}"
        return page

    def _rows_here(self, jump):
        """The page's rows where the request puts it (before or after a cursor, the last page,
        a jump to a value, else the first page), and whether pages come before and after it."""
        get, size, annotated = self.request.GET, self.per_page, self._annotated
        after = self._values(decode_cursor(get.get(self.param("after"), "")) or [])
        before = self._values(decode_cursor(get.get(self.param("before"), "")) or [])
        has_previous = has_next = False
        if before is not None:
            rows = self._rows(
                annotated.filter(self._beyond(before, backwards=True)),
                self._ordering(reverse=True),
                size + 1,
            )
            has_previous, rows = len(rows) > size, rows[:size][::-1]
            has_next = True
            if not has_previous and len(rows) < size:  # reached the start: the first page
                rows, has_next = self._first(annotated, size)
        elif after is not None:
            rows = self._rows(
                annotated.filter(self._beyond(after, backwards=False)), self._ordering(), size + 1
            )
            has_next, rows = len(rows) > size, rows[:size]
            has_previous = True
        elif get.get(self.param("last")):
            rows = self._rows(annotated, self._ordering(reverse=True), size + 1)
            has_previous, rows = len(rows) > size, rows[:size][::-1]
        elif jump is not None:
            name, desc = self._terms[0]
            step = Q(**{f"{name}__{'lte' if desc else 'gte'}": jump})
            rows = self._rows(annotated.filter(step), self._ordering(), size + 1)
            has_next, rows = len(rows) > size, rows[:size]
            has_previous = True
        else:
            rows, has_next = self._first(annotated, size)
        return rows, has_previous, has_next

    def _first(self, annotated, size: int):
        rows = self._rows(annotated, self._ordering(), size + 1)
        return rows[:size], len(rows) > size

    def _rows(self, queryset, ordering: list, limit: int) -> list:
        """The first ``limit`` rows of ``queryset`` in ``ordering``. From the few hits of a rare
        word, first only the page's keys (``_keys``), then those rows in full."""
        if not self._two_step:
            return list(queryset.order_by(*ordering)[:limit])
        keys = self._keys(queryset, ordering, limit)
        full = {row.pk: row for row in self._annotated.filter(pk__in=keys)}
        return [full[key] for key in keys if key in full]

    def _keys(self, queryset, ordering: list, limit: int) -> list:
        """The keys of the first ``limit`` rows of ``queryset`` in ``ordering``, its matching
        set found first: the rows with their sort values in a subquery that PostgreSQL may not
        merge into the outer one (``OFFSET 0``), then only those sorted (a top-N sort).

        Without the fence, a LIMIT makes the planner walk the order's index and test every row
        until it has a page, which for a rare word is the whole table (issue 16: 1,005,925 rows
        discarded). The subquery has no order and no limit: its best plan is the bitmap of the
        search index, whose heap visits already read the sort values (3,322 hits of a rare word
        on a million documents: 3.6 ms, where fetching the hits again by key to sort them cost
        21 ms)."""
        names = [name for name, _desc in self._terms]
        inner = queryset.order_by().values_list("pk", *names)
        try:
            sql, params = inner.query.sql_with_params()
        except EmptyResultSet:
            return []
        # Columns by position: 1 is the key, 2… the terms in ``ordering``'s order.
        directions = ", ".join(
            f"{position} {'DESC' if term.descending else 'ASC'}"
            for position, term in enumerate(ordering, start=2)
        )
        fenced = f"SELECT * FROM ({sql} OFFSET 0) AS hits ORDER BY {directions} LIMIT {int(limit)}"  # noqa: S608
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(fenced, params)
            return [row[0] for row in cursor.fetchall()]

    def _count(self) -> tuple[int, bool]:
        if not self.counted:
            return 0, False
        found = self.found
        if found is None:
            from core.counts import capped_counts  # (core.counts reads COUNT_CAP from here)

            found = capped_counts({"rows": self.queryset}, self.count_cap)["rows"]
        return min(found, self.count_cap), found > self.count_cap

    def count(self) -> Page:
        """Only the capped count, as a page without rows (what ``page.count_url`` answers)."""
        count, capped = self._count()
        return Page(rows=[], count=count, capped=capped)

    def _estimate(self) -> float:
        """The planner's estimate of the rows of ``queryset`` (an EXPLAIN: planning only)."""
        queryset = self.queryset.order_by().values("pk")
        try:
            sql, params = queryset.query.get_compiler(queryset.db).as_sql()
        except EmptyResultSet:  # a condition that can match nothing (a search without words)
            return 0.0
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return float(plan[0]["Plan"]["Plan Rows"])

    def _cursor(self, row) -> str:
        return encode_cursor([_row_value(row, name) for name, _desc in self._terms])

    def _url(self, **changes) -> str:
        query = self.request.GET.copy()
        for name in ("after", "before", "last", "from", "page", "count"):
            query.pop(self.param(name), None)
        for name, value in changes.items():
            query[self.param(name)] = value
        encoded = query.urlencode()
        return f"?{encoded}" if encoded else "?"

    def _links(self, page: Page) -> dict:
        links = {"first": None, "previous": None, "next": None, "last": None}
        if page.has_previous and page.rows:
            links["first"] = self._url()
            links["previous"] = self._url(before=self._cursor(page.rows[0]))
        if page.has_next and page.rows:
            links["next"] = self._url(after=self._cursor(page.rows[-1]))
            links["last"] = self._url(last="1")
        return links

    # --- the column headers ---------------------------------------------------------------------

    def columns(self, columns: list[tuple]) -> list[Column]:
        """Headers of ``columns`` [(label, key or None[, classes])]. ``key`` is the order a
        first click asks for (``"title"``, or ``"-registered"`` for newest first); a click on
        the sorted column reverses it."""
        result = []
        for label, key, *rest in columns:
            column = Column(label=label, key=key, classes=rest[0] if rest else "")
            if key:
                base = key.lstrip("-")
                if self.sort == base:
                    column.aria_sort = "ascending"
                    column.next = f"-{base}" if f"-{base}" in self.orders else None
                elif self.sort == f"-{base}":
                    column.aria_sort = "descending"
                    column.next = base if base in self.orders else None
                else:
                    column.next = key
            result.append(column)
        return result

    def sort_url(self, key: str) -> str:
        """The list in the order ``key``, from its start (other parameters kept)."""
        query = self.request.GET.copy()
        for name in ("after", "before", "last", "from", "page", "sort", "count"):
            query.pop(self.param(name), None)
        if key != self.default:
            query[self.param("sort")] = key
        encoded = query.urlencode()
        return f"?{encoded}" if encoded else "?"


def _row_value(row, name: str):
    return row[name] if isinstance(row, dict) else getattr(row, name)


def listing_context(listing: Listing, columns: list[tuple] | None = None) -> dict:
    """What the list templates need: ``page``, ``columns`` (with sort URLs) and ``sort``."""
    headers = listing.columns(columns or [])
    for column in headers:
        column.url = listing.sort_url(column.next) if column.next else None
    return {"page": listing.page, "columns": headers, "sort": listing.sort}
