"""Timeline verbs of outgoing mail (core.events.register_verbs names them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    SIGNED = "signed", _("signed container added")
    SIGNATURES_CHECKED = "signatures_checked", _("signatures checked again")
    CONTAINER_REMOVED = "container_removed", _("signed container removed")
    SIGNING_STARTED = "signing_started", _("signing started on the phone")
    SIGNING_FAILED = "signing_failed", _("signing on the phone failed")
    RESENT = "resent", _("e-mail sent again")
    TRACKING_RECORDED = "tracking_recorded", _("tracking code recorded")
    DELIVERED = "delivered", _("delivered")
    RETURNED = "returned", _("returned by the post")
    BOUNCED = "bounced", _("e-mail bounced")
