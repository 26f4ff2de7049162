"""The letters list ``manage.py bench`` times (core.bench): every letter newest first, at its
start and its end, with the plain SQL that fetches its rows by the ideal index."""

from __future__ import annotations

from django.urls import reverse

from core.bench import Case, follow

LETTERS = (
    "SELECT id, number, subject, status, pdf_status, created, signer_id, document_id, "
    "in_reply_to_id FROM correspondence_letter"
)


def cases(context) -> list[Case]:
    letters = reverse("correspondence:letter-list")
    return [
        Case(
            "correspondence",
            "letters, first page",
            letters,
            f"{LETTERS} ORDER BY created DESC, id DESC LIMIT 26",
        ),
        Case(
            "correspondence",
            "letters, last page",
            lambda client: follow(client, letters, "Last"),
            f"{LETTERS} ORDER BY created, id LIMIT 26",
        ),
    ]
