"""The support desk pages ``manage.py bench`` times (core.bench): the ticket queue (what is not
resolved, what breaches first on top) at its start and its end, every ticket newest first at
its start and end, a search; the calls, the visits and the knowledge base. Each with the plain
SQL that fetches its rows by the ideal index."""

from __future__ import annotations

from django.urls import reverse

from core.bench import SEARCH_BUDGET_MS, Case, follow

WORD = "Smart-ID"  # a subject of many tickets (helpdesk.volume)
UNRESOLVED = "status IN ('new', 'open', 'waiting')"
WAITING_LAST = "(CASE WHEN status = 'waiting' THEN 1 ELSE 0 END)"
SLA_DUE = (
    "COALESCE(CASE WHEN first_responded_at IS NULL THEN first_response_due END, resolution_due, "
    "'9999-01-01 00:00:00+00')"
)
QUEUE = f"{WAITING_LAST}, {SLA_DUE}, created"
QUEUE_DESC = f"{WAITING_LAST} DESC, {SLA_DUE} DESC, created DESC, id DESC"
TICKETS = (
    "SELECT id, code, subject, requester_name, requester_email, category, priority, status, "
    "created, assignee_id FROM helpdesk_ticket"
)
CALLS = "SELECT id, caller, phone, topic, category, outcome, at, taken_by_id FROM helpdesk_call"
VISITS = (
    "SELECT id, name, organisation, purpose, arrived_at, departed_at, host_id FROM helpdesk_visit "
    "WHERE departed_at IS NOT NULL"
)
ARTICLES = "SELECT id, category, title_et, is_public, updated FROM helpdesk_article"


def cases(context) -> list[Case]:
    tickets = reverse("helpdesk:ticket-list")
    newest = tickets + "?status=all&sort=-created"
    return [
        Case(
            "helpdesk",
            "ticket queue, first page",
            tickets,
            f"{TICKETS} WHERE {UNRESOLVED} ORDER BY {QUEUE}, id LIMIT 26",
        ),
        Case(
            "helpdesk",
            "ticket queue, last page",
            lambda client: follow(client, tickets, "Last"),
            f"{TICKETS} WHERE {UNRESOLVED} ORDER BY {QUEUE_DESC} LIMIT 26",
        ),
        Case(
            "helpdesk",
            "tickets, all, newest first",
            newest,
            f"{TICKETS} ORDER BY created DESC, id DESC LIMIT 26",
        ),
        Case(
            "helpdesk",
            "tickets, all, last page",
            lambda client: follow(client, newest, "Last"),
            f"{TICKETS} ORDER BY created, id LIMIT 26",
        ),
        Case(
            "helpdesk",
            "tickets, all, search",
            tickets + f"?status=all&q={WORD}",
            f"{TICKETS} WHERE subject ILIKE %s ORDER BY {QUEUE}, id LIMIT 26",
            (f"%{WORD}%",),
            budget_ms=SEARCH_BUDGET_MS,
        ),
        Case(
            "helpdesk",
            "calls, first page",
            reverse("helpdesk:call-list"),
            f"{CALLS} ORDER BY at DESC, id DESC LIMIT 26",
        ),
        Case(
            "helpdesk",
            "calls, last page",
            lambda client: follow(client, reverse("helpdesk:call-list"), "Last"),
            f"{CALLS} ORDER BY at, id LIMIT 26",
        ),
        Case(
            "helpdesk",
            "visits, first page",
            reverse("helpdesk:visit-list"),
            f"{VISITS} ORDER BY arrived_at DESC, id DESC LIMIT 26",
        ),
        Case(
            "helpdesk",
            "visits, last page",
            lambda client: follow(client, reverse("helpdesk:visit-list"), "Last"),
            f"{VISITS} ORDER BY arrived_at, id LIMIT 26",
        ),
        Case(
            "helpdesk",
            "articles",
            reverse("helpdesk:article-list"),
            f"{ARTICLES} ORDER BY category, title_et, id LIMIT 26",
        ),
    ]
