"""Timeline verbs of the intake (core.events.register_verbs names them, core.apps)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    ATTACHMENT_RELEASED = "intake_attachment_released", _("an attachment released from quarantine")
    ATTACHMENT_DELETED = "intake_attachment_deleted", _("an attachment deleted from quarantine")
    MESSAGE_REQUEUED = "intake_message_requeued", _("an incoming message processed again")
