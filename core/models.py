import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# People in use before those who left: the order of lists of people (an index of User serves it).
ACTIVE_FIRST = models.Case(
    models.When(is_active=True, then=models.Value(0)),
    default=models.Value(1),
    output_field=models.IntegerField(),
)


class User(AbstractUser):
    """A member of staff. Roles are groups (core.roles); views check permissions only."""

    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]
        indexes = [
            # Lists of people (core.listing): those in use first, by name (assets' people list).
            models.Index(
                ACTIVE_FIRST,
                models.F("last_name"),
                models.F("first_name"),
                models.F("username"),
                name="core_user_active_name",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Event(models.Model):
    """One state change of one object: the object's timeline and the audit log."""

    class Verb(models.TextChoices):
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")
        REGISTERED = "registered", _("registered")
        ASSIGNED = "assigned", _("assigned")
        STATUS_CHANGED = "status_changed", _("status changed")
        CLOSED = "closed", _("closed")
        ARCHIVED = "archived", _("archived")
        SENT = "sent", _("sent")
        SIGNED_OUT_OTHER_SESSIONS = "signed_out_other_sessions", _("signed out other sessions")
        PASSWORD_CHANGED = "password_changed", _("password changed")
        ROLES_CHANGED = "roles_changed", _("roles changed")
        SECOND_FACTOR_SET = "second_factor_set", _("authenticator set up")

    created = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text=_("Empty when the system itself made the change."),
    )
    # No choices= here: each app names its own verbs (core.events.register_verbs), so a new verb
    # needs no migration of core.
    verb = models.CharField(_("action"), max_length=64, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT
    )
    object_id = models.CharField(_("object id"), max_length=64)
    obj = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=255)
    data = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "-created"], name="core_event_object_idx"
            ),
            models.Index(fields=["actor", "-created"], name="core_event_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.object_repr}: {self.get_verb_display()}"

    def get_verb_display(self) -> str:
        from core.events import verb_label

        return verb_label(self.verb)


class NumberCounter(models.Model):
    """The last number handed out in a series and year (core.numbering); one row each."""

    series = models.CharField(_("series"), max_length=64)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="core_counter_series_year")
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last}"


class UserSession(AbstractBaseSession):
    """A database session that knows its user, so a user can sign out their other sessions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sessions",
    )

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from core.sessions import SessionStore

        return SessionStore


def _email_token() -> str:
    return secrets.token_hex(8)


class OutboundEmail(models.Model):
    """An e-mail to send. The row is the record of the job; Celery only triggers it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        DELIVERING = "delivering", _("handed to the mail server")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        UNCERTAIN = "uncertain", _("uncertain: check before sending again")

    to = models.JSONField(_("recipients"), default=list)
    subject = models.CharField(_("subject"), max_length=255)
    token = models.CharField(
        _("message token"),
        max_length=32,
        default=_email_token,
        editable=False,
        help_text=_("Part of the Message-ID, the same on every attempt to send the e-mail."),
    )
    automatic = models.BooleanField(
        _("automatic"),
        default=True,
        help_text=_("Sent with Auto-Submitted: auto-generated (receipts, notices, digests)."),
    )
    auto_submitted = models.CharField(
        _("Auto-Submitted"),
        max_length=20,
        blank=True,
        choices=[("auto-generated", "auto-generated"), ("auto-replied", "auto-replied")],
        help_text=_(
            "Set on automatic e-mails: auto-replied for an automatic answer to a message that "
            "came in, auto-generated (the default for automatic e-mails) for the rest."
        ),
    )
    in_reply_to = models.CharField(
        _("in reply to"),
        max_length=255,
        blank=True,
        help_text=_("The Message-ID of the message this e-mail answers."),
    )
    body = models.TextField(_("text"))
    attachments = models.JSONField(
        _("attachments"),
        default=list,
        blank=True,
        help_text=_("Stored files sent with the e-mail: {name, path, content_type}."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    callback = models.CharField(
        _("task told of the outcome"),
        max_length=200,
        blank=True,
        help_text=_("A Celery task (dotted path) queued with the e-mail's id after each attempt."),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    key = models.CharField(
        _("key"),
        max_length=200,
        blank=True,
        help_text=_(
            "Set for e-mails that must go only once (a daily digest): queued once per key."
        ),
    )

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=~models.Q(key=""), name="core_outboundemail_key"
            )
        ]
        indexes = [models.Index(fields=["status", "created"], name="core_email_status_idx")]

    def __str__(self) -> str:
        return self.subject


class Submission(models.Model):
    """One rendered form's key. The first POST that carries it does the work (in the same
    transaction that inserts this row); every later POST with the same key (a double click, a
    retried request, a resubmitted tab) finds the row and shows the first one's result instead
    of creating or sending anything again. See ``core.submissions``."""

    key = models.UUIDField(_("key"), primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    result_url = models.CharField(_("result"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return str(self.key)


class Job(models.Model):
    """One background job. PostgreSQL is the record of every job and Redis only its trigger
    (DESIGN.md): the row is written in the transaction that needs the work, Celery is asked to
    run it after commit, and the sweeper (``core.jobs``) queues again whatever is due and not
    running, so a lost message, a stopped broker or a killed worker costs a delay, never a job."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=100)
    key = models.CharField(_("key"), max_length=200, unique=True)
    args = models.JSONField(_("arguments"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    queued_at = models.DateTimeField(_("last queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        _("last sign of life"),
        null=True,
        blank=True,
        help_text=_("A running job's worker writes this every few seconds."),
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(state__in=["pending", "running"]),
                name="core_job_due_idx",
            ),
            models.Index(fields=["kind", "state"], name="core_job_kind_state_idx"),
            models.Index(
                fields=["finished_at"],
                condition=models.Q(state="failed"),
                name="core_job_failed_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.key


# The intake's rows live in their own module (core.intake.models); Django finds them here.
from core.intake.models import InboundAttachment, InboundMessage, Mailbox  # noqa: E402,F401
