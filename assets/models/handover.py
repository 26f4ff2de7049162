"""An asset handed over to a person, confirmed by the receiver."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assets.models.inventory import Asset, Location


class Handover(models.Model):
    """An asset handed to a person (or to a room): the act the receiver confirms."""

    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="handovers"
    )
    from_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_handovers",
    )
    to_location = models.ForeignKey(
        Location,
        verbose_name=_("to the room"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("act number"), max_length=20, unique=True)
    created = models.DateTimeField(_("handed over at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_person__isnull=False) | Q(to_location__isnull=False),
                name="assets_handover_has_a_receiver",
            )
        ]

    def __str__(self) -> str:
        return self.number
