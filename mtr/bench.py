"""The MTR pages ``manage.py bench`` times (core.bench): the processors' queue (the open
applications, soonest deadline first) at its start and its end, every application by the time
submitted, the register's entries at their start and end and searched by a business's name, and
the public register of entries. Each with the plain SQL that fetches its rows by the ideal index."""

from __future__ import annotations

from django.urls import reverse

from core.bench import SEARCH_BUDGET_MS, Case, follow

NAME = "Kütus"  # a word of many businesses' names (mtr.volume)
OPEN = "status IN ('received', 'in_review', 'deficient')"
QUEUE = "ORDER BY COALESCE(deadline, '9999-12-31'::date), submitted_at, id"
QUEUE_DESC = "ORDER BY COALESCE(deadline, '9999-12-31'::date) DESC, submitted_at DESC, id DESC"
APPLICATIONS = (
    "SELECT id, tracking_code, business_name, registry_code, status, submitted_at, deadline, "
    "area_id, assignee_id FROM mtr_application"
)
ENTRIES = (
    "SELECT id, number, kind, status, valid_from, valid_to, area_id, business_id FROM mtr_entry"
)
PUBLIC = "status = 'valid'"  # the public register shows the valid entries by default


def cases(context) -> list[Case]:
    queue = reverse("mtr:application-list")
    entries = reverse("mtr:entry-list")
    public = reverse("mtr:public-entries")
    return [
        Case("mtr", "queue, first page", queue, f"{APPLICATIONS} WHERE {OPEN} {QUEUE} LIMIT 26"),
        Case(
            "mtr",
            "queue, last page",
            lambda client: follow(client, queue, "Last"),
            f"{APPLICATIONS} WHERE {OPEN} {QUEUE_DESC} LIMIT 26",
        ),
        Case(
            "mtr",
            "applications, all, latest first",
            queue + "?status=all&sort=-submitted",
            f"{APPLICATIONS} ORDER BY submitted_at DESC, id DESC LIMIT 26",
        ),
        Case(
            "mtr",
            "applications, all, last page",
            lambda client: follow(client, queue + "?status=all&sort=-submitted", "Last"),
            f"{APPLICATIONS} ORDER BY submitted_at, id LIMIT 26",
        ),
        Case("mtr", "entries, first page", entries, f"{ENTRIES} ORDER BY number LIMIT 26"),
        Case(
            "mtr",
            "entries, last page",
            lambda client: follow(client, entries, "Last"),
            f"{ENTRIES} ORDER BY number DESC LIMIT 26",
        ),
        Case(
            "mtr",
            "entries, search by name",
            entries + f"?q={NAME}",
            f"{ENTRIES} WHERE business_id IN (SELECT id FROM mtr_business "  # noqa: S608
            "WHERE UPPER(name) LIKE UPPER(%s) LIMIT 2001) ORDER BY number LIMIT 26",
            (f"%{NAME}%",),
            budget_ms=SEARCH_BUDGET_MS,
        ),
        Case(
            "mtr",
            "public entries, first page",
            public,
            f"{ENTRIES} WHERE {PUBLIC} ORDER BY number LIMIT 26",
        ),
        Case(
            "mtr",
            "public entries, last page",
            lambda client: follow(client, public, "Last"),
            f"{ENTRIES} WHERE {PUBLIC} ORDER BY number DESC LIMIT 26",
        ),
    ]
