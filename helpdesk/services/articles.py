"""The knowledge base (a part of helpdesk.services)."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Q

from core import events
from core.models import Event, User
from helpdesk.models import (
    Article,
)


@transaction.atomic
def article_save(*, actor: User, article: Article | None = None, **fields) -> Article:
    article = article or Article()
    for name, value in fields.items():
        setattr(article, name, value.strip() if isinstance(value, str) else value)
    article.updated_by = actor
    article.full_clean()
    created = article.pk is None
    article.save()
    events.record(actor=actor, obj=article, verb=Event.Verb.CREATED if created else "changed")
    return article


def articles_search(text: str, *, public_only: bool, language: str | None = None):
    """Articles whose title or text (in any language) holds every word of ``text``."""
    queryset = Article.objects.all()
    if public_only:
        queryset = queryset.filter(is_public=True)
    for word in re.findall(r"\w+", text or "")[:8]:
        condition = Q()
        for field in ("title_et", "title_en", "title_ru", "body_et", "body_en", "body_ru"):
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset.order_by("category", "title_et")
