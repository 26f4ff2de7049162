"""User support's pages and their rows: tickets (a third resolved), a ticket with a long
conversation, knowledge-base articles (half public), calls and visitors of the day."""

from __future__ import annotations

from core import roles
from helpdesk import services
from helpdesk.models import Article, Call, Category, Ticket, TicketChannel
from helpdesk.views.public import SENT_KEY
from tests.factories import UserFactory
from tests.query_budgets.pages import Page


class World:
    def __init__(self):
        self.users = {
            "clerk": UserFactory(
                username="clerk", first_name="Mari", last_name="Tamm", roles=[roles.CLERK]
            ),
            "head": UserFactory(username="head", roles=[roles.HEAD]),
        }
        self.ticket = self._ticket("Ei saa e-teenusesse sisse logida")
        self.resolved = self._ticket("Parool ununes")
        services.ticket_resolve(actor=self.users["clerk"], ticket=self.resolved)
        self.resolved.refresh_from_db()
        self.article = self._article(0, public=True)

    def _ticket(self, subject: str) -> Ticket:
        return services.ticket_create(
            subject=subject,
            body="Tere! Mobiil-ID-ga sisselogimine annab vea. Mida teha?",
            channel=TicketChannel.WEB,
            category=Category.ACCOUNT,
            requester_email="kasutaja@example.ee",
            requester_name="Kati Kask",
        )

    def _article(self, n: int, *, public: bool) -> Article:
        return services.article_save(
            actor=self.users["clerk"],
            category=(Category.ACCOUNT, Category.OTHER)[n % 2],
            title_et=f"Kuidas siseneda {n}",
            title_en=f"How to sign in {n}",
            body_et="Kasutage ID-kaarti.",
            body_en="Use the ID card.",
            is_public=public,
        )

    def grow(self, count: int) -> None:
        clerk = self.users["clerk"]
        for n in range(count):
            ticket = self._ticket(f"Küsimus {n}")
            if n % 3 == 0:
                services.ticket_reply(actor=clerk, ticket=ticket, body="Vastus.", then="resolve")
            services.ticket_reply(actor=clerk, ticket=self.ticket, body=f"Vastus {n}.")
            services.ticket_note(actor=clerk, ticket=self.ticket, body=f"Märkus {n}.")
            self._article(n + 1, public=n % 2 == 0)
            services.call_log(
                actor=clerk,
                caller=f"Helistaja {n}",
                topic="Sisselogimine",
                category=Category.ACCOUNT,
                outcome=Call.Outcome.values[n % len(Call.Outcome.values)],
            )
            services.visit_arrive(
                actor=clerk, name=f"Külaline {n}", host=self.users["head"], purpose="Koosolek"
            )


PAGES = [
    Page("helpdesk:ticket-list", "list", "clerk"),
    Page("helpdesk:ticket-new", "form", "clerk"),
    Page("helpdesk:ticket-detail", "detail", "clerk", lambda w: {"pk": w.ticket.pk}),
    Page("helpdesk:article-list", "list", "clerk"),
    Page("helpdesk:article-new", "form", "clerk"),
    Page("helpdesk:article-edit", "form", "clerk", lambda w: {"pk": w.article.pk}),
    Page("helpdesk:call-list", "list", "clerk"),
    Page("helpdesk:visit-list", "list", "clerk"),
    Page("helpdesk:public-help", "list", None),
    Page("helpdesk:public-article", "detail", None, lambda w: {"pk": w.article.pk}, fills=False),
    Page("helpdesk:public-contact", "form", None),
    Page(
        "helpdesk:public-contact-sent",
        "page",
        None,
        session=lambda w: {SENT_KEY: w.ticket.pk},
    ),
    Page(
        "helpdesk:public-rate",
        "form",
        None,
        lambda w: {"token": w.resolved.feedback_token},
    ),
]
