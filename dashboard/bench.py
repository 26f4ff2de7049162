"""The head's pages for ``manage.py bench`` (core.bench): the overview (warm: its figures are
cached for a minute, as the head sees them on a second look) and the workload table."""

from __future__ import annotations

from django.urls import reverse

from core.bench import DASHBOARD_BUDGET_MS, Case


def cases(context) -> list[Case]:
    return [
        Case(
            "dashboard",
            "overview",
            reverse("dashboard:overview"),
            None,
            budget_ms=DASHBOARD_BUDGET_MS,
            max_queries=12,
        ),
        Case(
            "dashboard",
            "trends",
            reverse("dashboard:trends"),
            None,
            budget_ms=DASHBOARD_BUDGET_MS,
            max_queries=12,
        ),
        Case(
            "dashboard",
            "workload",
            reverse("dashboard:workload"),
            None,
            budget_ms=DASHBOARD_BUDGET_MS,
            max_queries=12,
        ),
    ]
