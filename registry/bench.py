"""The register's pages for ``manage.py bench`` (core.bench): the staff list in every order, at
its start and its end, filtered, searched for a rare, an inflected and a common word (and the
same search counted: what the page's count link serves without JavaScript); the public register;
a document page. Each with the plain SQL that fetches its rows by the ideal index."""

from __future__ import annotations

from django.urls import reverse

from core.bench import COMMON_SEARCH_BUDGET_MS, DETAIL_BUDGET_MS, SEARCH_BUDGET_MS, Case, follow

RARE, INFLECTED, COMMON = "ounapuu", "teabenõude", "kiri"

NEWEST = "ORDER BY registered_on DESC, registered_at DESC, id DESC LIMIT 51"
OLDEST = "ORDER BY registered_on, registered_at, id LIMIT 51"
ROWS = "SELECT id, number, title, registered_on, deadline, status FROM registry_document"
HITS = (
    "SELECT id FROM (SELECT id, registered_on, registered_at FROM registry_document "  # noqa: S608
    "WHERE {vector} @@ to_tsquery('simple', unaccent(%s)) OFFSET 0) hits " + NEWEST
)


def _series_id() -> int | None:
    from registry.models import Document

    return Document.objects.order_by("-id").values_list("series_id", flat=True).first()


def _document_id() -> int | None:
    from registry.models import Document

    return Document.objects.order_by("-id").values_list("pk", flat=True).first()


def cases(context) -> list[Case]:
    staff = reverse("registry:document-list")
    public = reverse("registry:public-list")
    series = _series_id()
    document = _document_id()
    result = [
        Case("registry", "staff list, first page", staff, f"{ROWS} {NEWEST}"),
        Case(
            "registry",
            "staff list, last page",
            lambda client: follow(client, staff, "Last"),
            f"{ROWS} {OLDEST}",
        ),
        Case(
            "registry",
            "staff list by title",
            staff + "?sort=title",
            f"{ROWS} ORDER BY title, id LIMIT 51",
        ),
        Case(
            "registry",
            "staff list by title, last page",
            lambda client: follow(client, staff + "?sort=title", "Last"),
            f"{ROWS} ORDER BY title DESC, id DESC LIMIT 51",
        ),
        Case(
            "registry",
            "staff list by deadline",
            staff + "?sort=deadline",
            f"{ROWS} ORDER BY COALESCE(deadline, '9999-12-31'::date), id LIMIT 51",
        ),
        Case(
            "registry",
            "staff list by number, last page",
            lambda client: follow(client, staff + "?sort=number", "Last"),
            f"{ROWS} ORDER BY series_id DESC, year DESC, sequence DESC, "
            "COALESCE(follow_up_index, 0) DESC, id DESC LIMIT 51",
        ),
        Case(
            "registry",
            "staff list, jump to 2019-06-01",
            staff + "?from=2019-06-01",
            f"{ROWS} WHERE registered_on <= '2019-06-01' {NEWEST}",
        ),
        Case(
            "registry",
            "staff list, open ones",
            staff + "?status=open",
            f"{ROWS} WHERE status = 'open' {NEWEST}",
        ),
        Case(
            "registry",
            "staff search, rare word",
            staff + f"?q={RARE}",
            HITS.format(vector="search_vector"),
            (f"{RARE}:*",),
            budget_ms=SEARCH_BUDGET_MS,
        ),
        Case(
            "registry",
            "staff search, inflected word",
            staff + f"?q={INFLECTED}",
            HITS.format(vector="search_vector"),
            ("teabenõu:*",),
            budget_ms=SEARCH_BUDGET_MS,
        ),
        Case(
            "registry",
            "staff search, common word",
            staff + f"?q={COMMON}",
            HITS.format(vector="search_vector"),
            (f"{COMMON}:*",),
            budget_ms=COMMON_SEARCH_BUDGET_MS,
        ),
        Case(
            "registry",
            "staff search counted, common word",
            staff + f"?q={COMMON}&count=1",
            "SELECT count(*) FROM (SELECT 1 FROM registry_document WHERE search_vector @@ "  # noqa: S608
            "to_tsquery('simple', unaccent(%s)) LIMIT 10001) hits",
            (f"{COMMON}:*",),
            budget_ms=COMMON_SEARCH_BUDGET_MS,
        ),
        Case("registry", "public list, first page", public, f"{ROWS} {NEWEST}"),
        Case(
            "registry",
            "public list, last page",
            lambda client: follow(client, public, "Last"),
            f"{ROWS} {OLDEST}",
        ),
        Case(
            "registry",
            "public search, inflected word",
            public + f"?q={INFLECTED}",
            HITS.format(vector="public_search_vector"),
            ("teabenõu:*",),
            budget_ms=SEARCH_BUDGET_MS,
        ),
        Case("registry", "inbox", reverse("registry:inbox"), None),
    ]
    if series:
        result.append(
            Case(
                "registry",
                "staff list, one series, last page",
                lambda client: follow(client, staff + f"?series={series}", "Last"),
                f"{ROWS} WHERE series_id = {int(series)} {OLDEST}",
            )
        )
    if document:
        result.append(
            Case(
                "registry",
                "document page",
                reverse("registry:document-detail", args=[document]),
                f"{ROWS} WHERE id = {int(document)}",
                budget_ms=DETAIL_BUDGET_MS,
                max_queries=12,
            )
        )
    return result
