"""The registration inbox (mail and scans waiting to be registered) and the search terms that tell
a rare word from a common one."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models.documents import Document


class InboxItemQuerySet(models.QuerySet):
    def waiting(self):
        """What the clerks still have to register or set aside."""
        return self.filter(status=InboxItem.Status.NEW)


class InboxItem(models.Model):
    """One message or scan of the agency's general mailbox or scanner (``core.intake``, purpose
    "registry") waiting to be registered as an incoming document or set aside with a reason.

    Nothing here is ever deleted: setting aside is reversible ("Return to the inbox"), and an
    automatic message (auto-reply, bounce, newsletter) is kept too, set aside from the start."""

    class Status(models.TextChoices):
        NEW = "new", _("not registered")
        REGISTERED = "registered", _("registered")
        DISMISSED = "dismissed", _("set aside")

    class Reason(models.TextChoices):
        SPAM = "spam", _("spam or advertising")
        DUPLICATE = "duplicate", _("duplicate of a registered document")
        PERSONAL = "personal", _("personal, not for the register")
        AUTOMATIC = "automatic", _("automatic message")
        OTHER = "other", _("other reason")

    message = models.OneToOneField(
        "core.InboundMessage",
        verbose_name=_("message"),
        on_delete=models.PROTECT,
        related_name="inbox_item",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inbox_items",
    )
    reason = models.CharField(
        _("reason for setting aside"), max_length=10, choices=Reason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # The message's arrival, copied so that the list sorts and pages on one table's index.
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    objects = InboxItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration inbox item")
        verbose_name_plural = _("registration inbox items")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-received_at", "-id"], name="registry_inbox_status"),
            models.Index(fields=["-received_at", "-id"], name="registry_inbox_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="registered") | Q(document__isnull=False),
                name="registry_inbox_registered_has_document",
            ),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(reason=""),
                name="registry_inbox_dismissed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(self.message)


class SearchTerm(models.Model):
    """A word seen in a document title: the vocabulary "did you mean" suggests from (pg_trgm).
    ``public`` once the word was in the title of a document without a restriction in force when
    its vectors were computed; the public register suggests only those, and only when a public
    search for the suggestion finds a document (``registry.search.suggestion``)."""

    word = models.CharField(_("word"), max_length=40, unique=True)
    public = models.BooleanField(_("in a public title"), default=False)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        indexes = [
            GinIndex(fields=["word"], name="registry_searchterm_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return self.word
