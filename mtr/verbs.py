"""The MTR's timeline verbs (core.events.register_verbs names them on the timeline)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    STATUS_CHANGED = "status_changed", _("status changed")
    DEFICIENCY_ANSWERED = "deficiency_answered", _("missing data sent")
    ENTRY_CHANGED = "entry_changed", _("entry changed")
    SUSPENDED = "suspended", _("suspended")
    REINSTATED = "reinstated", _("valid again")
    ENDED = "ended", _("ended")
    TERM_EXTENDED = "term_extended", _("term of the decision extended")
    DECISION_DELIVERED = "decision_delivered", _("decision delivered")
    DELIVERY_RECORDED = "delivery_recorded", _("delivery evidence recorded")
