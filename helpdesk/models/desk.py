"""The front desk: the phone-call log and the visitor log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.models.common import Category
from helpdesk.models.tickets import Ticket


class Call(models.Model):
    """A phone call: who called, about what, what came of it."""

    # What a row of the call lists reads (``.only()``, helpdesk_badges.call_rows).
    LIST_ROW_FIELDS = (
        "caller",
        "phone",
        "topic",
        "notes",
        "category",
        "outcome",
        "duration_minutes",
        "at",
        "taken_by__first_name",
        "taken_by__last_name",
        "taken_by__username",
        "ticket__code",
    )

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("answered during the call")
        TICKET = "ticket", _("ticket made")
        FORWARDED = "forwarded", _("forwarded to a colleague")
        CALL_BACK = "call_back", _("to call back")

    caller = models.CharField(_("caller"), max_length=255)
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    topic = models.CharField(_("topic"), max_length=255)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    notes = models.TextField(_("notes"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=1)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        on_delete=models.PROTECT,
        related_name="calls",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calls",
    )
    document = models.ForeignKey(
        "registry.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calls",
    )

    class Meta:
        verbose_name = _("phone call")
        verbose_name_plural = _("phone calls")
        ordering = ["-at"]
        indexes = [
            # The call log newest first, alone and by who took it (core.listing keyset pages).
            models.Index(F("at"), F("id"), name="helpdesk_call_at"),
            models.Index(F("taken_by"), F("at"), F("id"), name="helpdesk_call_taker_at"),
        ]

    def __str__(self) -> str:
        return f"{self.caller}: {self.topic}"


class VisitQuerySet(models.QuerySet):
    def in_building(self):
        return self.filter(departed_at__isnull=True)


class Visit(models.Model):
    """A visitor at the front desk, from arrival to departure."""

    # What a row of the visit lists reads (``.only()``, helpdesk_badges.visit_rows).
    LIST_ROW_FIELDS = (
        "name",
        "organisation",
        "purpose",
        "arrived_at",
        "departed_at",
        "badge_number",
        "document_checked",
        "host__first_name",
        "host__last_name",
        "host__username",
    )

    name = models.CharField(_("visitor"), max_length=255)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    document_checked = models.BooleanField(_("identity document checked"), default=False)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    purpose = models.CharField(_("purpose"), max_length=255)
    badge_number = models.PositiveIntegerField(_("badge number"))
    arrived_at = models.DateTimeField(_("arrived at"), default=timezone.now, db_index=True)
    departed_at = models.DateTimeField(_("left at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-arrived_at"]
        indexes = [
            # The log of ended visits, newest first (core.listing keyset pages).
            models.Index(
                F("arrived_at"),
                F("id"),
                name="helpdesk_visit_log",
                condition=Q(departed_at__isnull=False),
            ),
            # Who is in the building now (the overview's tile): the few visits not ended.
            models.Index(
                fields=["arrived_at"],
                name="helpdesk_visit_in_building",
                condition=Q(departed_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(departed_at__isnull=True) | Q(departed_at__gte=models.F("arrived_at")),
                name="helpdesk_visit_leaves_after_arriving",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.arrived_at:%d.%m.%Y})"
