"""Outgoing mail's pages and their rows: letters sent by e-mail and post (a reply to a
registered request among them), a letter to many addressees, templates, and the day's post."""

from __future__ import annotations

from django.utils import timezone

from core import calendar, roles
from correspondence import services
from correspondence.models import Channel, Letter, PdfStatus
from registry import services as registry_services
from registry.models import Channel as RegistryChannel
from registry.models import DocumentType
from tests.factories import PartyFactory, SeriesFactory, UserFactory
from tests.query_budgets.pages import Page
from tests.registry.conftest import last_working_day


class World:
    def __init__(self):
        self.users = {
            "clerk": UserFactory(username="clerk", roles=[roles.CLERK]),
            "advisor": UserFactory(username="advisor", roles=[roles.ADVISOR]),
        }
        self.series = SeriesFactory(code="1-2", title="Kirjavahetus asutuste ja isikutega")
        self.request = registry_services.document_register(
            actor=self.users["clerk"],
            series=self.series,
            doc_type=DocumentType.INFORMATION_REQUEST,
            channel=RegistryChannel.EMAIL,
            title="Teabenõue: ruumide üürilepingud",
            received_on=last_working_day(),
            sender=PartyFactory(is_private_person=True, name="Jüri Õunapuu", code=""),
            restriction_basis=None,
        )
        self.wide = None
        self.draft = self._letter(subject="Mustand", addressees=[])
        self.template = None
        self.parties = []
        self.rows = 0

    def _letter(self, *, subject: str, addressees: list, **kwargs) -> Letter:
        party = PartyFactory()
        return services.letter_create(
            actor=self.users["clerk"],
            subject=subject,
            body="Lugupeetud {{ addressee }}\n\nKoosolek toimub 5. detsembril kell 10.",
            signer=self.users["clerk"],
            addressees=addressees or [services.Addressee(party, Channel.POST)],
            series=self.series,
            needs_signature=False,
            **kwargs,
        )

    def _send(self, letter: Letter) -> None:
        Letter.objects.filter(pk=letter.pk).update(
            pdf_status=PdfStatus.READY, pdf=f"letters/{letter.pk}.pdf"
        )
        services.letter_send(actor=self.users["clerk"], letter=letter)

    def grow(self, count: int) -> None:
        clerk = self.users["clerk"]
        for n in range(self.rows, self.rows + count):
            channel = (Channel.EMAIL, Channel.POST, Channel.REGISTERED)[n % 3]
            letter = self._letter(
                subject=f"Kiri {n}",
                addressees=[services.Addressee(PartyFactory(), channel)],
                in_reply_to=self.request if n % 4 == 0 else None,
            )
            self._send(letter)
            self.parties.append(services.Addressee(PartyFactory(), channel))
            services.letter_update(
                actor=clerk,
                letter=self.draft,
                subject="Mustand",
                body="Lugupeetud {{ addressee }}",
                signer=clerk,
                addressees=self.parties,
                needs_approval=False,
                needs_signature=False,
            )
            self.template = services.template_save(
                actor=self.users["advisor"],
                code=f"mall-{n}",
                language="et",
                name=f"Mall {n}",
                subject="Vastus teabenõudele",
                body="Lugupeetud {{ addressee }}",
            )
        self.rows += count
        # The letter whose page is measured: sent to every addressee so far.
        self.wide = self._letter(subject="Ringkiri", addressees=self.parties)
        self._send(self.wide)


def _today(world) -> dict:
    return {"day": calendar.registration_day(timezone.localdate()).isoformat()}


PAGES = [
    Page("correspondence:letter-list", "list", "clerk"),
    Page("correspondence:letter-new", "form", "clerk"),
    # 10 at most, of random company names containing "O": as many with 3 as with 30 by chance.
    Page("correspondence:letter-party-search", "list", "clerk", query="?q=O", fills=False),
    Page("correspondence:letter-detail", "detail", "clerk", lambda w: {"pk": w.wide.pk}),
    Page("correspondence:letter-edit", "form", "clerk", lambda w: {"pk": w.draft.pk}),
    Page("correspondence:template-list", "list", "advisor"),
    Page("correspondence:template-new", "form", "advisor"),
    Page("correspondence:template-edit", "form", "advisor", lambda w: {"pk": w.template.pk}),
    Page("correspondence:dispatch-today", "list", "clerk"),
    Page("correspondence:dispatch-lists", "list", "clerk"),
    Page("correspondence:dispatch-day", "list", "clerk", _today),
]
