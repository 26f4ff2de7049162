"""The registry's timeline verbs (core.events.register_verbs names them on the timeline)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    REGISTERED = "registered", _("registered")
    ASSIGNED = "assigned", _("assigned")
    CHANGED = "changed", _("changed")
    ATTACHMENT_ADDED = "attachment_added", _("file added")
    ATTACHMENT_PUBLISHED = "attachment_published", _("file made public")
    ATTACHMENT_UNPUBLISHED = "attachment_unpublished", _("file made non-public")
    SIGNATURES_CHECKED = "signatures_checked", _("signatures checked again")
    DEADLINE_EXTENDED = "deadline_extended", _("deadline extended")
    CLOSED = "closed", _("deadline closed")
    REPLIED = "replied", _("reply registered")
    REOPENED = "reopened", _("reopened")
    RESTRICTION_SET = "restriction_set", _("access restriction set")
    RESTRICTION_EXTENDED = "restriction_extended", _("access restriction extended")
    RESTRICTION_LIFTED = "restriction_lifted", _("access restriction lifted")
    RESTRICTION_EXPIRED = "restriction_expired", _("access restriction expired")
    RESTRICTED_VIEWED = "restricted_viewed", _("restricted document opened")
    RESTRICTED_FILE_OPENED = "restricted_file_opened", _("restricted file opened")
    RESTRICTED_REFUSED = "restricted_refused", _("access to restricted document refused")
    SHARED = "shared", _("shared")
    UNSHARED = "unshared", _("sharing ended")
    PARCEL_HANDED_OVER = "parcel_handed_over", _("parcel handed over")
    TASK_GIVEN = "task_given", _("task given")
    TASK_ACCEPTED = "task_accepted", _("task accepted")
    TASK_COMPLETED = "task_completed", _("task completed")
    TASK_RETURNED = "task_returned", _("task returned")
    TASK_FORWARDED = "task_forwarded", _("task forwarded")
    TASK_CANCELLED = "task_cancelled", _("task cancelled")
    SERIES_CLOSED = "series_closed", _("series closed")
    INBOX_RECEIVED = "inbox_received", _("arrived in the registration inbox")
    INBOX_REGISTERED = "inbox_registered", _("registered from the registration inbox")
    INBOX_SET_ASIDE = "inbox_set_aside", _("set aside: not for registration")
    INBOX_RETURNED = "inbox_returned", _("returned to the registration inbox")
