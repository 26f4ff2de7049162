"""A support ticket with its service level targets."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.models.common import (
    LANGUAGES,
    OPEN_STATUS_VALUES,
    QUEUE_TERMS,
    Category,
    Priority,
    TicketChannel,
    feedback_token,
    ticket_code,
)


class TicketQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=(Ticket.Status.RESOLVED, Ticket.Status.CLOSED))


class Ticket(models.Model):
    # What a row of the staff queue reads (``.only()``): its cells and what the service-level
    # badges test (services.sla_state); the orders' keys are annotations of their own. The other
    # columns of the ticket and its assignee cost the list a part of its time (issue 16).
    LIST_ROW_FIELDS = (
        "code",
        "subject",
        "requester_name",
        "requester_email",
        "requester_phone",
        "category",
        "priority",
        "status",
        "created",
        "first_response_due",
        "first_responded_at",
        "resolution_due",
        "resolved_at",
        "assignee__first_name",
        "assignee__last_name",
        "assignee__username",
    )

    class Status(models.TextChoices):
        NEW = "new", _("new")
        OPEN = "open", _("open")
        WAITING = "waiting", _("waiting for the requester")
        RESOLVED = "resolved", _("resolved")
        CLOSED = "closed", _("closed")

    code = models.CharField(_("code"), max_length=16, unique=True, default=ticket_code)
    subject = models.CharField(_("subject"), max_length=255)
    requester_email = models.EmailField(
        _("requester's e-mail"),
        blank=True,
        db_index=True,
        help_text=_("Empty for a caller who gave none: answers are then given by phone."),
    )
    requester_phone = models.CharField(_("requester's phone"), max_length=40, blank=True)
    requester_name = models.CharField(_("requester's name"), max_length=255, blank=True)
    registry_code = models.CharField(_("registry code"), max_length=8, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="et")
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    channel = models.CharField(_("channel"), max_length=10, choices=TicketChannel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    document = models.ForeignKey(
        "registry.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    application = models.ForeignKey(
        "mtr.Application",
        verbose_name=_("MTR application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    created = models.DateTimeField(_("created at"), default=timezone.now)
    first_response_due = models.DateTimeField(_("first answer due"), null=True, blank=True)
    first_responded_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    paused = models.DurationField(
        _("time waiting for the requester"),
        default=timezone.timedelta,
        help_text=_("Working time the SLA clock stood while waiting for the requester."),
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"), null=True, blank=True)
    rating_comment = models.TextField(_("comment on the answer"), blank=True)
    feedback_token = models.CharField(max_length=40, unique=True, default=feedback_token)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["status", "resolution_due"], name="helpdesk_ticket_queue"),
            models.Index(fields=["assignee", "status"], name="helpdesk_ticket_assignee"),
            # The queue's orders (helpdesk.filters.ORDERS) alone and with its common filters:
            # each keyset page is one range of one of these (tests/helpdesk/test_list_plans.py).
            # What is not resolved (the default tab) has partial ones: an IN list cannot lead a
            # sorted range.
            models.Index(
                *QUEUE_TERMS,
                F("id"),
                name="helpdesk_tkt_open_queue",
                condition=Q(status__in=OPEN_STATUS_VALUES),
            ),
            models.Index(
                F("assignee"),
                *QUEUE_TERMS,
                F("id"),
                name="helpdesk_tkt_open_assignee",
                condition=Q(status__in=OPEN_STATUS_VALUES),
            ),
            models.Index(F("status"), *QUEUE_TERMS, F("id"), name="helpdesk_tkt_status_queue"),
            models.Index(*QUEUE_TERMS, F("id"), name="helpdesk_tkt_queue"),
            models.Index(F("created"), F("id"), name="helpdesk_tkt_created"),
            models.Index(F("subject"), F("id"), name="helpdesk_tkt_subject"),
            # The search (helpdesk.filters.TicketFilter.filter_search): each of its icontains is
            # UPPER(column) LIKE '%…%', which only a trigram index finds without reading every
            # ticket (tests/helpdesk/test_list_plans.py).
            *[
                GinIndex(
                    OpClass(Upper(column), name="gin_trgm_ops"), name=f"helpdesk_tkt_{short}_trgm"
                )
                for column, short in (
                    ("subject", "subject"),
                    ("requester_email", "email"),
                    ("requester_name", "name"),
                )
            ],
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="helpdesk_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"[KT-{self.code}] {self.subject}"

    @property
    def reference(self) -> str:
        return f"KT-{self.code}"

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.RESOLVED, self.Status.CLOSED)
