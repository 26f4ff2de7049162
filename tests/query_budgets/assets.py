"""The property pages and their rows: assets (with files, handovers and history), an open
stocktaking of them all, disposals, information systems with access rights, people's holdings,
and price-quote requests."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assets import services
from assets.models import Category, Disposal, InformationSystem, QuoteRequest, SystemRole
from core import roles
from tests.factories import UserFactory
from tests.query_budgets.pages import Page

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class World:
    def __init__(self):
        self.users = {
            "manager": UserFactory(
                username="andres",
                first_name="Andres",
                last_name="Mägi",
                roles=[roles.ASSET_MANAGER],
            ),
            "clerk": UserFactory(username="clerk", roles=[roles.CLERK]),
        }
        manager = self.users["manager"]
        self.room = services.location_get("Suur-Ameerika 1, 101")
        self.asset = self._asset("Sülearvuti Lenovo ThinkPad T14")
        self.handover = services.handover_create(
            actor=manager, asset=self.asset, to_person=self.users["clerk"]
        )
        self.system = InformationSystem.objects.create(name="Dokumendihaldus", main_user=manager)
        self.role = SystemRole.objects.create(system=self.system, name="Sekretär")
        self.quote_request = services.quote_request_create(
            actor=manager,
            subject="Sülearvutid",
            kind=QuoteRequest.Kind.GOODS,
            estimated_value=Decimal("9000"),
            deadline=timezone.localdate() + timedelta(days=14),
        )
        self.disposal = services.disposal_propose(
            actor=manager,
            asset=self._asset("Monitor Dell P2422H"),
            method=Disposal.Method.DESTRUCTION,
            reason="Katki",
        )
        self.stocktaking = None
        self.rows = 0

    def _asset(self, name: str, **fields):
        values = {
            "name": name,
            "category": Category.COMPUTER,
            "location": self.room,
            "responsible": self.users["manager"],
            "price": Decimal("1200.00"),
        }
        values.update(fields)
        return services.asset_create(actor=self.users["manager"], **values)

    def grow(self, count: int) -> None:
        manager, clerk = self.users["manager"], self.users["clerk"]
        for n in range(self.rows, self.rows + count):
            asset = self._asset(f"Monitor {n}", category=Category.MONITOR, responsible=clerk)
            if n % 3 == 0:
                services.disposal_propose(
                    actor=manager, asset=asset, method=Disposal.Method.WRITE_OFF, reason="Vana"
                )
            services.asset_add_file(
                actor=manager,
                asset=self.asset,
                uploaded=SimpleUploadedFile(f"arve-{n}.pdf", PDF, "application/pdf"),
            )
            services.asset_update(actor=manager, asset=self.asset, notes=f"Märkus {n}")
            person = UserFactory(username=f"tootaja{n}", roles=[roles.CLERK])
            services.grant_request(actor=manager, person=person, role=self.role, reason="Töö")
            services.grant_request(
                actor=manager,
                person=clerk,
                role=SystemRole.objects.create(
                    system=InformationSystem.objects.create(name=f"Süsteem {n}", main_user=manager),
                    name="Kasutaja",
                ),
                reason="Töö",
            )
            services.quote_add(
                actor=manager,
                request=self.quote_request,
                supplier=f"Tarnija {n} OÜ",
                amount=Decimal("8000") + n,
                received_on=timezone.localdate(),
            )
            services.quote_request_create(
                actor=manager,
                subject=f"Toolid {n}",
                kind=QuoteRequest.Kind.GOODS,
                estimated_value=Decimal("500"),
                deadline=timezone.localdate() + timedelta(days=14),
            )
        self.rows += count
        # The stocktaking whose page is measured lists every asset so far.
        self.stocktaking = services.stocktaking_start(actor=manager, title=f"Inventuur {self.rows}")


PAGES = [
    Page("assets:asset-list", "list", "manager"),
    Page("assets:asset-new", "form", "manager"),
    Page("assets:asset-import", "form", "manager"),
    Page("assets:asset-detail", "detail", "manager", lambda w: {"pk": w.asset.pk}),
    Page("assets:asset-edit", "form", "manager", lambda w: {"pk": w.asset.pk}),
    Page("assets:handover-new", "form", "manager", lambda w: {"pk": w.asset.pk}),
    Page(
        "assets:handover-detail", "detail", "manager", lambda w: {"pk": w.handover.pk}, fills=False
    ),
    Page("assets:stocktaking-list", "list", "manager"),
    Page("assets:stocktaking-detail", "detail", "manager", lambda w: {"pk": w.stocktaking.pk}),
    Page("assets:stocktaking-scan", "form", "manager", lambda w: {"pk": w.stocktaking.pk}),
    Page("assets:disposal-list", "list", "manager"),
    Page("assets:disposal-new", "form", "manager"),
    Page(
        "assets:disposal-detail", "detail", "manager", lambda w: {"pk": w.disposal.pk}, fills=False
    ),
    Page("assets:system-list", "list", "manager"),
    Page("assets:system-detail", "detail", "manager", lambda w: {"pk": w.system.pk}),
    Page("assets:grant-request", "form", "manager", lambda w: {"pk": w.system.pk}),
    Page("assets:people", "list", "manager"),
    Page("assets:holdings", "detail", "manager", lambda w: {"pk": w.users["clerk"].pk}),
    Page("assets:quote-list", "list", "manager"),
    Page("assets:quote-new", "form", "manager"),
    Page("assets:quote-detail", "detail", "manager", lambda w: {"pk": w.quote_request.pk}),
]
