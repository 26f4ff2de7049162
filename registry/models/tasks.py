"""Tasks given on a document: who does what by when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models.documents import Document


class TaskQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=[Task.Status.GIVEN, Task.Status.ACCEPTED])


class Task(models.Model):
    """An instruction to a person to do something about a document (ülesanne)."""

    class Status(models.TextChoices):
        GIVEN = "given", _("given")
        ACCEPTED = "accepted", _("accepted")
        COMPLETED = "completed", _("completed")
        RETURNED = "returned", _("returned")
        FORWARDED = "forwarded", _("forwarded")
        CANCELLED = "cancelled", _("cancelled")

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="tasks"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        related_name="registry_tasks",
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("given by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    instruction = models.TextField(_("instruction"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.GIVEN
    )
    comment = models.TextField(_("comment"), blank=True)
    forwarded_from = models.ForeignKey(
        "self",
        verbose_name=_("forwarded from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forwarded_to",
    )
    forwarded_to_agency = models.CharField(_("forwarded to agency"), max_length=255, blank=True)
    created = models.DateTimeField(_("given at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["assignee", "status", "due_on"], name="registry_task_idx"),
            # My work: one's active tasks and the active tasks one gave, the earliest due first.
            models.Index(
                F("assignee"),
                F("due_on"),
                F("id"),
                name="registry_task_assignee_due",
                condition=Q(status__in=["given", "accepted"]),
            ),
            models.Index(
                F("given_by"),
                F("due_on"),
                F("id"),
                name="registry_task_giver_due",
                condition=Q(status__in=["given", "accepted"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.number}: {self.instruction[:60]}"
