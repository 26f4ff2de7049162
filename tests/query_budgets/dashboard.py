"""The head's pages and their rows: a department's documents (overdue, restricted, due soon),
MTR applications, tickets breaching their SLA and property, built as the dashboard's own tests
build them (tests/dashboard/conftest.py), in rounds."""

from __future__ import annotations

from dashboard import periods, services
from dashboard.models import Report
from tests.dashboard.conftest import make_applications, make_documents, make_property, make_tickets
from tests.factories import UserFactory
from tests.query_budgets.pages import Page


class World:
    def __init__(self):
        from core import roles

        self.users = {
            "clerk": UserFactory(
                username="mari", first_name="Mari", last_name="Tamm", roles=[roles.CLERK]
            ),
            "processor": UserFactory(username="jaan", roles=[roles.MTR_PROCESSOR]),
            "advisor": UserFactory(username="liis", roles=[roles.ADVISOR]),
            "manager": UserFactory(username="andres", roles=[roles.ASSET_MANAGER]),
            "head": UserFactory(username="kadri", roles=[roles.HEAD]),
        }
        make_property(self.users)
        self.report = services.report_request(
            actor=self.users["head"],
            scope=Report.Scope.DEPARTMENT,
            period=periods.choices()[0][0],
        )

    def grow(self, count: int) -> None:
        """A round per three rows: six documents, three applications, three tickets each."""
        rounds = max(1, count // 3)
        make_documents(self.users, count=rounds)
        make_applications(self.users, count=rounds)
        make_tickets(self.users, count=rounds)


PAGES = [
    Page("dashboard:overview", "page", "head"),
    Page("dashboard:trends", "page", "head"),
    Page("dashboard:workload", "list", "head"),
    Page("dashboard:workload-person", "list", "head", lambda w: {"pk": w.users["clerk"].pk}),
    Page("dashboard:report-detail", "detail", "head", lambda w: {"pk": w.report.pk}, fills=False),
]
