"""The MTR pages and their rows: applications (notices entered, licences in review), an
application asked for missing data again and again, register entries, one suspended and
reinstated many times, and the public pages of an applicant's session."""

from __future__ import annotations

import itertools
import secrets

from core import roles
from mtr import services
from mtr.models import ActivityArea, Application, Kind
from mtr.views.public import SESSION_KEY
from tests.factories import SeriesFactory, UserFactory
from tests.mtr.conftest import registry_code
from tests.query_budgets.pages import Page

_codes = itertools.count(1)


def _area(code: str, kind: str, prefix: str) -> ActivityArea:
    return ActivityArea.objects.create(
        code=code,
        name_et=code.capitalize(),
        name_en=code.capitalize(),
        name_ru=code.capitalize(),
        emtak_code="80101",
        kind=kind,
        number_prefix=prefix,
    )


class World:
    def __init__(self):
        self.users = {
            "processor": UserFactory(username="processor", roles=[roles.MTR_PROCESSOR]),
            "clerk": UserFactory(username="clerk", roles=[roles.CLERK]),
        }
        # The series applications are registered in (settings.MTR_APPLICATION_SERIES).
        SeriesFactory(code="4-1", title="Tegevusload")
        SeriesFactory(code="4-2", title="Majandustegevusteated")
        self.licence = _area("turvateenus", Kind.LICENCE, "KTO")
        self.notice = _area("majutus", Kind.NOTICE, "HMR")
        self.target = self._submit(self.licence)
        services.application_claim(actor=self.users["processor"], application=self.target)
        self.decided = self._decide(self._submit(self.licence))
        Application.objects.filter(pk=self.decided.pk).update(
            decision_token=secrets.token_urlsafe(32)
        )
        self.decided.refresh_from_db()
        self.entry = self.decided.entry

    def _submit(self, area: ActivityArea) -> Application:
        n = next(_codes)
        return services.application_submit(
            area=area,
            type=Application.Type.NEW,
            business_name=f"Valve {n} OÜ",
            registry_code=registry_code(n),
            address="Rüütli 25, 80010 Pärnu",
            contact_person="Kristjan Õunapuu",
            email="info@valve.example.ee",
            addresses=["Ranna pst 5, Pärnu"],
        )

    def _decide(self, application: Application) -> Application:
        services.application_claim(actor=self.users["processor"], application=application)
        return services.application_decide(
            actor=self.users["processor"], application=application, grant=True, reason="Korras."
        )

    def grow(self, count: int) -> None:
        processor = self.users["processor"]
        for n in range(count):
            self._submit(self.licence)
            self._submit(self.notice)  # in the register at once (MSÜS)
            self._decide(self._submit(self.licence))
            services.application_request_data(
                actor=processor, application=self.target, text=f"Lisage turvaplaan {n}."
            )
            services.application_answer_deficiency(application=self.target, answer=f"Lisatud {n}.")
            services.entry_suspend(actor=processor, entry=self.entry, reason=f"Kontroll {n}")
            services.entry_reinstate(actor=processor, entry=self.entry, reason=f"Korras {n}")


def _applicant(world) -> dict:
    """The session of the applicant who filed the application in review."""
    return {SESSION_KEY: [world.target.pk]}


PAGES = [
    Page("mtr:public-apply", "form", None),
    Page("mtr:public-apply-done", "page", None, session=_applicant),
    Page("mtr:public-status", "form", None),
    Page(
        "mtr:public-status-detail",
        "detail",
        None,
        lambda w: {"code": w.target.tracking_code},
        session=_applicant,
    ),
    Page(
        "mtr:decision-link",
        "detail",
        None,
        lambda w: {"token": w.decided.decision_token},
        fills=False,
    ),
    Page("mtr:public-entries", "list", None),
    Page("mtr:public-entry", "detail", None, lambda w: {"number": w.entry.number}, fills=False),
    Page("mtr:application-list", "list", "processor"),
    Page("mtr:application-detail", "detail", "processor", lambda w: {"pk": w.target.pk}),
    Page("mtr:entry-list", "list", "processor"),
    Page("mtr:entry-detail", "detail", "processor", lambda w: {"number": w.entry.number}),
    Page("mtr:application-new", "form", "clerk"),
]
