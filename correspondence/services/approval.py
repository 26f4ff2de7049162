"""Approval of letters by the head: submitted, approved, returned, cancelled (a part of
correspondence.services)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import roles
from core.models import User
from core.redirects import site_url
from core.services import email_queue_template
from correspondence.models import (
    Letter,
)
from correspondence.workflows import LETTER


def approvers():
    return roles.holders("approve_letter")


@transaction.atomic
def letter_submit(*, actor: User, letter: Letter) -> Letter:
    """Send a draft to the head for approval (they get an e-mail)."""
    letter = LETTER.lock(letter)
    LETTER.move(letter, "submit", actor=actor)
    letter.needs_approval = True
    letter.save(update_fields=["status", "needs_approval"])
    to = [user.email for user in approvers() if user.email]
    if to:
        email_queue_template(
            to=to,
            template="correspondence/email/approval_asked",
            context={"letter": letter, "url": site_url("correspondence:letter-detail", letter.pk)},
            language=settings.LANGUAGE_CODE,
        )
    return letter


@transaction.atomic
def letter_approve(*, actor: User, letter: Letter) -> Letter:
    letter = LETTER.lock(letter)
    LETTER.move(letter, "approve", actor=actor)
    letter.approved_by, letter.approved_at, letter.return_comment = actor, timezone.now(), ""
    letter.save(update_fields=["status", "approved_by", "approved_at", "return_comment"])
    return letter


@transaction.atomic
def letter_return(*, actor: User, letter: Letter, comment: str) -> Letter:
    """The head sends the letter back to its author with a comment; it is a draft again."""
    if not comment.strip():
        raise ValidationError({"comment": _("Say what should be changed.")})
    letter = LETTER.lock(letter)
    LETTER.move(letter, "return", actor=actor, comment=comment.strip())
    letter.return_comment = comment.strip()
    letter.save(update_fields=["status", "return_comment"])
    if letter.created_by.email:
        email_queue_template(
            to=[letter.created_by.email],
            template="correspondence/email/returned",
            context={"letter": letter, "url": site_url("correspondence:letter-detail", letter.pk)},
            language=settings.LANGUAGE_CODE,
        )
    return letter


@transaction.atomic
def letter_cancel(*, actor: User, letter: Letter, reason: str) -> Letter:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    letter = LETTER.lock(letter)
    LETTER.move(letter, "cancel", actor=actor, reason=reason.strip())
    letter.save(update_fields=["status"])
    return letter
