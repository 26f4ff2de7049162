"""The pages every signed-in user has: the home page with their last actions across the apps,
the account page with their other sessions, the password change form."""

from __future__ import annotations

from django.contrib.sessions.backends.base import SessionBase

from core import roles
from core.sessions import SessionStore
from registry import services as registry_services
from registry.models import Channel, DocumentType
from tests.factories import PartyFactory, SeriesFactory, UserFactory
from tests.query_budgets.pages import Page
from tests.registry.conftest import last_working_day


class World:
    def __init__(self):
        self.users = {
            "clerk": UserFactory(username="clerk", roles=[roles.CLERK, roles.HEAD]),
        }
        self.series = SeriesFactory(code="1-2", title="Kirjavahetus")
        self.sender = PartyFactory(name="OÜ Põhjarannik", code="")

    def grow(self, count: int) -> None:
        """The user's actions (registrations, each an event) and sessions on other devices."""
        clerk = self.users["clerk"]
        for n in range(count):
            registry_services.document_register(
                actor=clerk,
                series=self.series,
                doc_type=DocumentType.LETTER,
                channel=Channel.POST,
                title=f"Kiri {n}",
                received_on=last_working_day(),
                sender=self.sender,
                restriction_basis=None,
            )
            session: SessionBase = SessionStore()
            session["_auth_user_id"] = str(clerk.pk)
            session.create()


PAGES = [
    Page("core:home", "page", "clerk"),
    Page("core:account", "page", "clerk"),
    Page("password_change", "form", "clerk"),
]
