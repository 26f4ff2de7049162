"""Access restrictions: their terms (AvTS § 40), extension, lifting, expiry and sharing (a part of
registry.services)."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events
from core.models import User
from core.workflow import locking
from registry.models import (
    Attachment,
    Document,
    DocumentShare,
    RestrictionBasis,
)
from registry.verbs import Verb
from registry.workflows import DOCUMENT


def _restriction_limit_years(basis: RestrictionBasis) -> int:
    if basis.is_personal_data:
        return settings.REGISTRY_RESTRICTION_PERSONAL_DATA_MAX_YEARS
    return settings.REGISTRY_RESTRICTION_MAX_YEARS


def _check_restriction(basis: RestrictionBasis, start: date, end: date | None) -> date:
    latest = start + relativedelta(years=_restriction_limit_years(basis))
    if end is None:
        return latest
    if end < start:
        raise ValidationError(
            {"restriction_end": _("The restriction cannot end before it starts.")}
        )
    if end > latest:
        raise ValidationError(
            {
                "restriction_end": _(
                    "A restriction on this basis may last until %(date)s at the latest."
                )
                % {"date": latest.strftime("%d.%m.%Y")}
            }
        )
    return end


@transaction.atomic
def document_restrict(
    *, actor: User, document: Document, basis: RestrictionBasis, end: date | None = None
) -> Document:
    document = DOCUMENT.lock(document)
    if document.is_restricted():
        raise ValidationError(_("The document is already restricted."))
    if not basis.is_active:
        raise ValidationError({"basis": _("This restriction basis is no longer in use.")})
    start = timezone.localdate()
    document.restriction_basis = basis
    document.restriction_start = start
    document.restriction_end = _check_restriction(basis, start, end)
    document.restriction_extended = False
    document.restriction_lifted_on = None
    document.restriction_lifted_by = None
    document.restriction_lift_reason = ""
    document.restriction_expiry_recorded = False
    document.save()
    events.record(
        actor=actor,
        obj=document,
        verb=Verb.RESTRICTION_SET,
        data={"basis": str(basis), "until": document.restriction_end},
    )
    return document


@transaction.atomic
def document_extend_restriction(
    *, actor: User, document: Document, new_end: date, reason: str
) -> Document:
    """Extend a restriction once, by at most the extension period (personal data: to the
    personal-data limit from the start)."""
    document = DOCUMENT.lock(document)
    if not document.is_restricted():
        raise ValidationError(_("The document has no restriction in force."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    basis = document.restriction_basis
    if basis.is_personal_data:
        latest = document.restriction_start + relativedelta(
            years=settings.REGISTRY_RESTRICTION_PERSONAL_DATA_MAX_YEARS
        )
    else:
        if document.restriction_extended:
            raise ValidationError(_("The restriction has already been extended once."))
        latest = document.restriction_end + relativedelta(
            years=settings.REGISTRY_RESTRICTION_EXTENSION_YEARS
        )
    if new_end <= document.restriction_end:
        raise ValidationError({"new_end": _("The new end must be later than the current one.")})
    if new_end > latest:
        raise ValidationError(
            {
                "new_end": _("The restriction may be extended to %(date)s at the latest.")
                % {"date": latest.strftime("%d.%m.%Y")}
            }
        )
    old = document.restriction_end
    document.restriction_end = new_end
    document.restriction_extended = True
    document.save(update_fields=["restriction_end", "restriction_extended"])
    events.record(
        actor=actor,
        obj=document,
        verb=Verb.RESTRICTION_EXTENDED,
        data={"previous": old, "new": new_end, "reason": reason.strip()},
    )
    return document


@transaction.atomic
def document_lift_restriction(*, actor: User, document: Document, reason: str) -> Document:
    """Lift a restriction before its end, recording who did it and why."""
    document = DOCUMENT.lock(document)
    if not document.is_restricted():
        raise ValidationError(_("The document has no restriction in force."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for lifting the restriction.")})
    document.restriction_lifted_on = timezone.localdate()
    document.restriction_lifted_by = actor
    document.restriction_lift_reason = reason.strip()
    document.save(
        update_fields=["restriction_lifted_on", "restriction_lifted_by", "restriction_lift_reason"]
    )
    events.record(
        actor=actor, obj=document, verb=Verb.RESTRICTION_LIFTED, data={"reason": reason.strip()}
    )
    return document


def restrictions_expire(*, today: date | None = None) -> int:
    """Record the end of every restriction that ended before ``today`` (the daily beat task).

    The register hides a document only while its restriction is in force, so an expired one is
    public from its first day whatever this does; this writes the timeline. Safe to run twice.
    """
    today = today or timezone.localdate()
    count = 0
    expired = Document.objects.filter(
        restriction_basis__isnull=False,
        restriction_end__lt=today,
        restriction_lifted_on__isnull=True,
        restriction_expiry_recorded=False,
    ).values_list("pk", flat=True)
    for pk in expired.iterator():
        with transaction.atomic():
            document = (
                locking(Document.objects, skip_locked=True)
                .filter(pk=pk, restriction_expiry_recorded=False)
                .first()
            )
            if document is None:
                continue
            document.restriction_expiry_recorded = True
            document.save(update_fields=["restriction_expiry_recorded"])
            events.record(
                actor=None,
                obj=document,
                verb=Verb.RESTRICTION_EXPIRED,
                data={"ended": document.restriction_end},
            )
            count += 1
    return count


def restricted_access_record(
    *, actor: User, document: Document, attachment: Attachment | None = None
) -> None:
    """Log that someone opened a restricted document or one of its files."""
    if attachment is None:
        events.record(actor=actor, obj=document, verb=Verb.RESTRICTED_VIEWED)
    else:
        events.record(
            actor=actor,
            obj=document,
            verb=Verb.RESTRICTED_FILE_OPENED,
            data={"file": attachment.name},
        )


def restricted_refusal_record(*, actor: User, document: Document) -> None:
    events.record(actor=actor, obj=document, verb=Verb.RESTRICTED_REFUSED)


@transaction.atomic
def document_share(*, actor: User, document: Document, user: User) -> DocumentShare:
    share, created = DocumentShare.objects.get_or_create(
        document=document, user=user, defaults={"shared_by": actor}
    )
    if created:
        events.record(actor=actor, obj=document, verb=Verb.SHARED, data={"person": str(user)})
    return share


@transaction.atomic
def document_unshare(*, actor: User, document: Document, user: User) -> None:
    deleted, _detail = DocumentShare.objects.filter(document=document, user=user).delete()
    if deleted:
        events.record(actor=actor, obj=document, verb=Verb.UNSHARED, data={"person": str(user)})
