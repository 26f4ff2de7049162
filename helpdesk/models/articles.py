"""The knowledge base's articles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from helpdesk.models.common import Category


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
