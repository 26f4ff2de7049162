"""User support and the front desk: tickets with their conversation and SLA clock, the
knowledge base, the phone-call log and the visitor log.

Rules (statuses, the SLA clock, e-mail) live in services.py; the models hold the data and the
constraints the database can keep.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce, Upper
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.uploads import active_content_field, storage_name

LANGUAGES = [("et", _("Estonian")), ("en", _("English")), ("ru", _("Russian"))]


TICKET_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud on the phone
#: 13 characters of 31: 64 bits of randomness (the reference travels in e-mail subjects, so it
#: must not be guessable). Tickets made before 2026-12 keep their 8-character codes.
TICKET_CODE_LENGTH = 13


def ticket_code() -> str:
    """The ticket's code in e-mail subjects ("[KT-7Q4M2XAB9KD3P]"): random, so replies thread
    to it and nobody can guess another ticket's."""
    return "".join(secrets.choice(TICKET_CODE_ALPHABET) for _ in range(TICKET_CODE_LENGTH))


def feedback_token() -> str:
    return secrets.token_urlsafe(24)


# The queue's order (services.queue_order): waiting tickets after the rest, then the clock that
# runs (the first answer until it is given, then the resolution), a ticket without one last,
# then the oldest. NULLs do not compare in a keyset (core.listing), so the missing due time is a
# far-away moment, and the queue's indexes are on these very expressions.
OPEN_STATUS_VALUES = ("new", "open", "waiting")  # selectors.OPEN_STATUSES, for the indexes
NO_DUE = datetime(9999, 1, 1, tzinfo=UTC)
WAITING_LAST = Case(When(status="waiting", then=Value(1)), default=Value(0))
SLA_DUE = Coalesce(
    Case(When(first_responded_at__isnull=True, then=F("first_response_due"))),
    F("resolution_due"),
    Value(NO_DUE),
    output_field=models.DateTimeField(),
)
QUEUE_TERMS = (WAITING_LAST, SLA_DUE, F("created"))


class Category(models.TextChoices):
    ESERVICE = "eservice", _("MTR e-service")
    ACCOUNT = "account", _("access and sign-in")
    APPLICATION = "application", _("an application or entry")
    DOCUMENTS = "documents", _("documents and information requests")
    TECHNICAL = "technical", _("technical problem")
    OTHER = "other", _("other")


class Priority(models.TextChoices):
    URGENT = "urgent", _("urgent")
    HIGH = "high", _("high")
    NORMAL = "normal", _("normal")
    LOW = "low", _("low")


class TicketChannel(models.TextChoices):
    WEB = "web", _("web form")
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("phone")
    VISIT = "visit", _("front desk")
    STAFF = "staff", _("entered by staff")


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


class Message(models.Model):
    """One message of a ticket's conversation: from the requester, an answer sent to them, or
    an internal note only staff see."""

    class Kind(models.TextChoices):
        INCOMING = "in", _("from the requester")
        REPLY = "reply", _("answer")
        NOTE = "note", _("internal note")
        # An auto-reply, a bounce or a list message naming the ticket: shown (greyed) for staff,
        # it changes nothing and is never answered.
        AUTO = "auto", _("automatic message")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sender = models.CharField(_("from"), max_length=255, blank=True)
    body = models.TextField(_("text"))
    # The earlier messages the e-mail quoted: kept whole, folded in the conversation.
    quoted = models.TextField(_("quoted text"), blank=True)
    created = models.DateTimeField(_("time"), default=timezone.now)
    email_message_id = models.CharField(max_length=255, blank=True, db_index=True)
    inbound_email = models.ForeignKey(
        "InboundEmail",
        verbose_name=_("incoming e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    outbound_email = models.OneToOneField(
        "core.OutboundEmail",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.ticket.reference} {self.get_kind_display()}"


def attachment_path(instance, filename: str) -> str:
    return storage_name("helpdesk")


class MessageAttachment(models.Model):
    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    active_content = active_content_field()
    # The file of an incoming e-mail it was copied from (kept at once, or released from
    # quarantine): what makes copying it twice impossible.
    inbound_attachment = models.OneToOneField(
        "core.InboundAttachment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class InboundEmail(models.Model):
    """What the helpdesk made of one message of the support mailbox (the message itself, raw,
    is ``core.intake``'s ``InboundMessage``): a ticket or a reply (done), a note or nothing for
    an automatic message (done, with the outcome), held for review on the ticket's page until
    accepted or rejected, or failed with the reason."""

    class Status(models.TextChoices):
        NEW = "new", _("not processed")
        DONE = "done", _("made into a ticket or a reply")
        FAILED = "failed", _("could not be processed")
        # A reply naming a ticket from an address that is neither the requester's nor staff's.
        HELD = "held", _("held for review")
        REJECTED = "rejected", _("rejected after review")

    inbound = models.OneToOneField(
        "core.InboundMessage",
        verbose_name=_("message as it came"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="helpdesk_email",
    )
    message_id = models.CharField(max_length=255, blank=True, db_index=True)
    received = models.DateTimeField(_("received at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    outcome = models.CharField(_("outcome"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("incoming e-mail")
        verbose_name_plural = _("incoming e-mails")
        ordering = ["-received"]

    def __str__(self) -> str:
        return self.message_id or str(self.pk)


class Article(models.Model):
    """A standard answer of the knowledge base, in three languages; a public one is on the
    public help page, an internal one only for staff. Its text may be used as a canned answer
    with ``{{ name }}`` and ``{{ code }}`` placeholders."""

    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    title_et = models.CharField(_("title in Estonian"), max_length=255)
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    title_ru = models.CharField(_("title in Russian"), max_length=255, blank=True)
    body_et = models.TextField(_("text in Estonian"))
    body_en = models.TextField(_("text in English"), blank=True)
    body_ru = models.TextField(_("text in Russian"), blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    updated = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("knowledge base article")
        verbose_name_plural = _("knowledge base articles")
        ordering = ["category", "title_et"]
        indexes = [
            # The staff list's orders: by category and title, or the latest changed first.
            models.Index(F("category"), F("title_et"), F("id"), name="helpdesk_article_title"),
            models.Index(F("updated"), F("id"), name="helpdesk_article_updated"),
        ]

    def __str__(self) -> str:
        return self.title_et

    def title_in(self, language: str | None = None) -> str:
        language = (language or translation.get_language() or "et")[:2]
        return getattr(self, f"title_{language}", "") or self.title_et

    def body_in(self, language: str | None = None) -> str:
        language = (language or translation.get_language() or "et")[:2]
        return getattr(self, f"body_{language}", "") or self.body_et

    @property
    def title(self) -> str:
        return self.title_in()

    @property
    def body(self) -> str:
        return self.body_in()


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
