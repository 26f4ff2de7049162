"""The visitor log (a part of helpdesk.services)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events, numbering, pdf
from core.models import Event, User
from core.workflow import locking
from helpdesk.models import (
    Visit,
)
from helpdesk.verbs import Verb


@transaction.atomic
def visit_arrive(
    *,
    actor: User,
    name: str,
    host: User,
    purpose: str,
    organisation: str = "",
    document_checked: bool = False,
) -> Visit:
    """Register a visitor; the badge numbers start from 1 each day."""
    if not name.strip():
        raise ValidationError({"name": _("Write the visitor's name.")})
    today = timezone.localdate()
    visit = Visit(
        name=name.strip(),
        organisation=organisation.strip(),
        document_checked=document_checked,
        host=host,
        purpose=purpose.strip(),
        registered_by=actor,
        badge_number=numbering.next_number(f"visit-badge:{today.isoformat()}", 0),
    )
    visit.full_clean()
    visit.save()
    events.record(actor=actor, obj=visit, verb=Event.Verb.REGISTERED, data={"host": str(host)})
    return visit


@transaction.atomic
def visit_depart(*, actor: User, visit: Visit) -> Visit:
    visit = locking(Visit.objects).get(pk=visit.pk)
    if visit.departed_at is not None:
        raise ValidationError(_("The visitor has already left."))
    visit.departed_at = timezone.now()
    visit.save(update_fields=["departed_at"])
    events.record(actor=actor, obj=visit, verb=Event.Verb.CLOSED)
    return visit


def visit_badge_pdf(visit: Visit) -> bytes:
    return pdf.render_pdf(
        "helpdesk/pdf/badge.html", {"visit": visit, "agency_name": settings.AGENCY_NAME}
    )


def visits_purge(*, now: datetime | None = None) -> int:
    """Delete the visits older than the retention period; the timeline keeps only the count."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.HELPDESK_VISIT_RETENTION_DAYS)
    with transaction.atomic():
        count, _deleted = Visit.objects.filter(
            departed_at__isnull=False, arrived_at__lt=cutoff
        ).delete()
        if count:
            Event.objects.create(
                actor=None,
                verb=Verb.PURGED,
                content_type=ContentType.objects.get_for_model(Visit),
                object_id="",
                object_repr=_("%(count)d visits older than %(days)d days")
                % {"count": count, "days": settings.HELPDESK_VISIT_RETENTION_DAYS},
                data={"count": count, "before": cutoff.isoformat()},
            )
    return count
