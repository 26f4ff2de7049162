"""Timeline verbs of user support and the front desk (core.events.register_verbs names them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    ANSWERED = "answered", _("answered")
    REQUESTER_WROTE = "requester_wrote", _("the requester wrote")
    RATED = "rated", _("rated")
    ESCALATED = "escalated", _("escalated to the head")
    PURGED = "purged", _("old records deleted")
    MAIL_HELD = "mail_held", _("an e-mail from an unknown address held for review")
    MAIL_ACCEPTED = "mail_accepted", _("a held e-mail accepted")
    MAIL_REJECTED = "mail_rejected", _("a held e-mail rejected")
    MAIL_AUTOMATIC = "mail_automatic", _("an automatic reply or delivery failure noted")
    FILE_RELEASED = "file_released", _("a file released from quarantine")
    FILE_DELETED = "file_deleted", _("a file deleted from quarantine")
