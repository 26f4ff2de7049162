"""Letter templates with their placeholders, in three languages."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from correspondence.models.common import LANGUAGES


class LetterTemplate(models.Model):
    """A standard letter with placeholders such as ``{{ addressee }}`` (see services.PLACEHOLDERS),
    one row per language of the same ``code``."""

    code = models.SlugField(_("code"), max_length=60)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="et")
    name = models.CharField(_("name"), max_length=200)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))
    for_replies = models.BooleanField(
        _("for replies"), default=True, help_text=_("Offered when replying to a document.")
    )
    is_active = models.BooleanField(_("in use"), default=True)
    needs_signature = models.BooleanField(
        _("needs a signature"),
        default=False,
        help_text=_("Letters from this template are sent only after their signer signs them."),
    )
    updated = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["name", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "language"], name="correspondence_template_code_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"
