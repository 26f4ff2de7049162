"""What the letters' models share: languages, channels and the state of a generated PDF."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGES = [("et", _("Estonian")), ("en", _("English")), ("ru", _("Russian"))]


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    POST = "post", _("ordinary post")
    REGISTERED = "registered", _("registered post")
    HAND = "hand", _("hand delivery")
    DHX = "dhx", _("document exchange (DHX)")


#: Channels that wait for the daily dispatch list and the post office.
POSTAL_CHANNELS = (Channel.POST, Channel.REGISTERED)


class PdfStatus(models.TextChoices):
    PENDING = "pending", _("being prepared")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")
