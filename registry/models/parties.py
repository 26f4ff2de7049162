"""The parties of the register: senders and recipients, organisations or private persons (whose
names the public register withholds)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Party(models.Model):
    """A sender or recipient: a private person or an organisation."""

    is_private_person = models.BooleanField(
        _("private person"),
        default=False,
        help_text=_("A private person's name never appears in the public register."),
    )
    name = models.CharField(_("name"), max_length=255)
    code = models.CharField(
        _("personal or registry code"),
        max_length=11,
        blank=True,
        help_text=_("Personal code (isikukood) of a person, registry code of an organisation."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    created = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="registry_party_code_unique"
            )
        ]
        indexes = [models.Index(models.functions.Upper("name"), name="registry_party_name_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def public_name(self) -> str:
        return (
            str(pgettext_lazy("public register", "Private person"))
            if (self.is_private_person)
            else self.name
        )
