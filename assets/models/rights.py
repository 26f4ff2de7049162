"""IT systems, their roles and the rights people hold in them, from request to removal."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InformationSystem(models.Model):
    # What a row of the systems list reads (``.only()``): not the description, nor the main
    # user's every column.
    LIST_ROW_FIELDS = (
        "name",
        "owner",
        "main_user__first_name",
        "main_user__last_name",
        "main_user__username",
    )

    name = models.CharField(_("name"), max_length=200, unique=True)
    owner = models.CharField(
        _("owner"), max_length=255, help_text=_("The agency or unit responsible.")
    )
    main_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("main user"),
        on_delete=models.PROTECT,
        related_name="main_systems",
        help_text=_("Approves and reviews the rights."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("information system")
        verbose_name_plural = _("information systems")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SystemRole(models.Model):
    system = models.ForeignKey(
        InformationSystem, verbose_name=_("system"), on_delete=models.CASCADE, related_name="roles"
    )
    name = models.CharField(_("role"), max_length=120)
    description = models.CharField(_("description"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("role in a system")
        verbose_name_plural = _("roles in systems")
        ordering = ["system__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["system", "name"], name="assets_system_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.system.name}: {self.name}"


class AccessGrant(models.Model):
    """A person's role in a system, from the request to its end."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")
        REVOKED = "revoked", _("revoked")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="access_grants",
    )
    role = models.ForeignKey(
        SystemRole, verbose_name=_("role"), on_delete=models.PROTECT, related_name="grants"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    reason = models.CharField(_("why it is needed"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted = models.DateTimeField(_("granted at"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoke_reason = models.CharField(_("reason"), max_length=500, blank=True)
    reviewed_at = models.DateTimeField(_("last confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("access right")
        verbose_name_plural = _("access rights")
        ordering = ["role__system__name", "role__name", "person__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role"],
                condition=Q(status__in=["requested", "granted"]),
                name="assets_one_live_grant_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.role}"
