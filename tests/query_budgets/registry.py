"""The register's pages and their rows: documents (a third restricted, with files, tasks and
events), a parcel holding many of everything, the classification scheme, parties and the
registration inbox."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core import roles
from core.intake.models import InboundAttachment
from registry import services
from registry.models import Channel, DocumentType
from tests.factories import (
    FunctionFactory,
    PartyFactory,
    PrivatePersonFactory,
    RestrictionBasisFactory,
    SeriesFactory,
    UserFactory,
)
from tests.query_budgets.pages import Page
from tests.registry.conftest import last_working_day
from tests.registry.inbox_helpers import make_item

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class World:
    def __init__(self):
        self.users = {
            "clerk": UserFactory(username="clerk", roles=[roles.CLERK]),
            "advisor": UserFactory(username="advisor", roles=[roles.ADVISOR]),
        }
        self.series = SeriesFactory(code="1-2", title="Kirjavahetus asutuste ja isikutega")
        self.basis = RestrictionBasisFactory()
        self.sender = PartyFactory(name="OÜ Põhjarannik", code="")
        self.day = last_working_day()
        self.rows = 0
        self.parcel = self._register(
            title="Pakk",
            doc_type=DocumentType.PARCEL,
            parcel={"carrier": "Omniva", "tracking_code": "CC1EE"},
            responsible=self.users["clerk"],
        )
        self.restricted = self._register(
            title="Terviseandmetega avaldus",
            restriction_basis=self.basis,
            responsible=self.users["clerk"],
        )
        self.public_file = services.attachment_add(
            actor=self.users["clerk"],
            document=self.parcel,
            uploaded=pdf("avalik.pdf"),
            is_public=True,
        )
        self.inbox_item = make_item(subject="Taotlus", files=(("a.pdf", PDF),))
        self.case_file = services.case_file_save(
            actor=None, series=self.series, year=self.day.year, title="Toimik"
        )

    def _register(self, **kwargs):
        values = {
            "actor": self.users["clerk"],
            "series": self.series,
            "doc_type": DocumentType.LETTER,
            "channel": Channel.POST,
            "title": "Kiri teenuse kohta",
            "received_on": self.day,
            "sender": self.sender,
            "restriction_basis": None,
        }
        values.update(kwargs)
        return services.document_register(**values)

    def grow(self, count: int) -> None:
        clerk, advisor = self.users["clerk"], self.users["advisor"]
        for n in range(self.rows, self.rows + count):
            restricted = n % 3 == 0
            document = self._register(
                title=f"Kiri {n}",
                sender=PrivatePersonFactory() if n % 2 else PartyFactory(),
                responsible=clerk,
                restriction_basis=self.basis if restricted else None,
                deadline=self.day + timedelta(days=n % 10),
                files=[pdf(f"kiri-{n}.pdf")] if n % 2 else [],
            )
            services.task_give(
                actor=advisor,
                document=document,
                assignee=clerk,
                instruction=f"Vasta {n}",
                due_on=timezone.localdate() + timedelta(days=5),
            )
            services.attachment_add(
                actor=clerk, document=self.parcel, uploaded=pdf(f"fail-{n}.pdf"), is_public=True
            )
            for target in (self.parcel, self.restricted):
                services.task_give(
                    actor=advisor,
                    document=target,
                    assignee=clerk,
                    instruction=f"Ülesanne {n}",
                    due_on=timezone.localdate() + timedelta(days=n % 7 + 1),
                )
            # Files, shares, follow-ups and replies on the parcel only: the restricted document's
            # page differs by its access record, not by these (its tasks and events grow).
            services.document_share(
                actor=advisor,
                document=self.parcel,
                user=UserFactory(username=f"jagatud-{n}", roles=[roles.CLERK]),
            )
            self._register(parent=self.parcel, title=f"Järg {n}")
            services.document_register_reply(
                actor=clerk,
                document=self.parcel,
                title=f"Vastus {n}",
                channel=Channel.EMAIL,
                sent_on=self.parcel.registered_on,
            )
            function = FunctionFactory(code=f"{n + 10}", title=f"Funktsioon {n}")
            SeriesFactory(function=function, code=f"{n + 10}-1", title=f"Sari {n}")
            services.case_file_save(
                actor=None, series=self.series, year=self.day.year, title=f"Toimik {n}"
            )
            make_item(
                subject=f"Kiri {n}",
                files=(("a.pdf", PDF), ("b.exe", b"MZ", "quarantined", "not allowed")),
            )
            _attach(self.inbox_item, position=n + 1)
        self.rows += count


def _attach(item, *, position: int) -> None:
    """One more kept PDF on the inbox item's message, as the intake keeps one."""
    attachment = InboundAttachment(
        message=item.message,
        position=position,
        name=f"lisa-{position}.pdf",
        content_type="application/pdf",
        kind="pdf",
        size=len(PDF),
        sha256=f"{position:064d}",
        status=InboundAttachment.Status.KEPT,
    )
    attachment.file.save(attachment.name, ContentFile(PDF), save=False)
    attachment.save()


def _document(world) -> dict:
    return {"pk": world.parcel.pk}


def _restricted(world) -> dict:
    return {"pk": world.restricted.pk}


PAGES = [
    Page("registry:document-list", "list", "clerk"),
    Page("registry:document-list", "list", "clerk", query="?q=kiri", variant="search"),
    Page("registry:document-register", "form", "clerk"),
    Page("registry:party-search", "list", "clerk", query="?q=O", fills=False),  # 10 at most
    Page("registry:document-detail", "detail", "clerk", _document),
    Page("registry:document-detail", "detail", "clerk", _restricted, variant="restricted"),
    Page("registry:my-documents", "list", "clerk"),
    Page("registry:deadlines", "list", "clerk"),
    Page("registry:scheme", "list", "advisor"),
    Page("registry:scheme-import", "form", "advisor"),
    Page("registry:function-create", "form", "advisor"),
    Page("registry:function-update", "form", "advisor", lambda w: {"pk": w.series.function_id}),
    Page("registry:series-create", "form", "advisor"),
    Page("registry:series-update", "form", "advisor", lambda w: {"pk": w.series.pk}),
    Page("registry:casefile-create", "form", "advisor", lambda w: {"series_pk": w.series.pk}),
    Page("registry:casefile-update", "form", "advisor", lambda w: {"pk": w.case_file.pk}),
    Page("registry:public-list", "list", None),
    Page("registry:public-list", "list", None, query="?q=kiri", variant="search"),
    Page("registry:public-feed", "list", None),
    Page("registry:public-detail", "detail", None, lambda w: {"code": w.parcel.public_code}),
    Page("registry:inbox", "list", "clerk"),
    Page("registry:inbox-item", "detail", "clerk", lambda w: {"pk": w.inbox_item.pk}),
]
