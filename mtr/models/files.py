"""An application's files, and the delivery of its decision to the applicant."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.terms import DeliveryMethod
from core.uploads import active_content_field, storage_name
from mtr.models.applications import Application, DeficiencyRequest


def attachment_path(instance, filename: str) -> str:
    return storage_name("mtr")


class ApplicationAttachment(models.Model):
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    deficiency = models.ForeignKey(
        DeficiencyRequest,
        verbose_name=_("answer to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    requirement = models.CharField(_("required attachment"), max_length=40, blank=True)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("file type"), max_length=20)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    active_content = active_content_field()
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class DecisionDelivery(models.Model):
    """One event in the delivery of an application's decision, kept as evidence: the e-mail
    accepted by the recipient's server, the personal link opened and confirmed, a registered-post
    notice or a signed receipt entered by a processor, a delivery deemed by law.

    The first event that counts as delivery (``core.terms.counts_as_delivery``) sets
    ``Application.decision_delivered_on``; later ones stay here and move nothing."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="decision_deliveries",
    )
    method = models.CharField(_("how"), max_length=20, choices=DeliveryMethod.choices)
    delivered_on = models.DateField(
        _("date"), help_text=_("The day it happened (for a notice: the date on the notice).")
    )
    occurred_at = models.DateTimeField(_("moment"), null=True, blank=True)
    counts = models.BooleanField(
        _("counts as delivery"), help_text=_("False: evidence of sending only.")
    )
    set_the_date = models.BooleanField(
        _("set the delivery date"), default=False, help_text=_("The first delivery.")
    )
    evidence = models.JSONField(
        _("evidence"),
        default=dict,
        blank=True,
        help_text=_("E.g. the e-mail's Message-ID and recipient, the browser, the clerk's note."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    key = models.CharField(
        _("key"),
        max_length=100,
        blank=True,
        help_text=_("Set for events the system records, so that one is recorded once."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: recorded by the system."),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery of a decision")
        verbose_name_plural = _("deliveries of decisions")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "key"],
                condition=~Q(key=""),
                name="mtr_decision_delivery_key",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(set_the_date=True),
                name="mtr_one_decision_delivery_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.get_method_display()} {self.delivered_on}"
