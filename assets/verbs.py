"""Timeline verbs of the assets (core.events.register_verbs names them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    HANDED_OVER = "handed_over", _("handed over")
    HANDOVER_CONFIRMED = "handover_confirmed", _("handover confirmed")
    DISPOSAL_PROPOSED = "disposal_proposed", _("disposal proposed")
    DISPOSAL_APPROVED = "disposal_approved", _("disposal approved")
    DISPOSAL_REFUSED = "disposal_refused", _("disposal refused")
    DISPOSED = "disposed", _("disposed")
    GRANT_REQUESTED = "grant_requested", _("right requested")
    GRANTED = "granted", _("right granted")
    GRANT_REFUSED = "grant_refused", _("right refused")
    GRANT_CONFIRMED = "grant_confirmed", _("right confirmed as still needed")
    REVOKED = "revoked", _("right revoked")
    CHOSEN = "chosen", _("quote chosen")
    ATTACHMENT_ADDED = "attachment_added", _("file added")
