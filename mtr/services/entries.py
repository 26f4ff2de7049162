"""The register of entries: entered, changed, suspended and ended (a part of mtr.services)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events, numbering
from core.models import Event, User
from mtr.models import (
    ActivityArea,
    Application,
    Entry,
)
from mtr.verbs import Verb
from mtr.workflows import ENTRY


def _entry_number(area: ActivityArea) -> str:
    sequence = numbering.next_number(f"mtr-entry:{area.number_prefix}", 0)
    return f"{area.number_prefix}{sequence:06d}"


@transaction.atomic
def entry_apply(*, actor: User, application: Application) -> Entry:
    """Write a granted application into the register."""
    today = timezone.localdate()
    if application.type == Application.Type.NEW:
        entry = Entry.objects.create(
            number=_entry_number(application.area),
            business=application.business,
            area=application.area,
            kind=application.area.kind,
            addresses=application.addresses,
            data=application.data,
            status=Entry.Status.VALID,
            valid_from=today,
        )
        application.entry = entry
        application.save(update_fields=["entry"])
        events.record(
            actor=actor,
            obj=entry,
            verb=Event.Verb.REGISTERED,
            data={"application": application.tracking_code},
        )
        return entry
    entry = ENTRY.lock(application.entry)
    if application.type == Application.Type.TERMINATION:
        return _entry_status(
            actor=actor,
            entry=entry,
            action="terminate",
            reason=str(_("Terminated at the holder's request.")),
            trusted=True,
            application=application.tracking_code,
        )
    changed = {}
    for field in ("addresses", "data"):
        new = getattr(application, field)
        old = getattr(entry, field)
        if new and new != old:
            changed[field] = {"from": old, "to": new}
            setattr(entry, field, new)
    entry.save(update_fields=["addresses", "data"])
    events.record(
        actor=actor,
        obj=entry,
        verb=Verb.ENTRY_CHANGED,
        data={"application": application.tracking_code, "changes": changed},
    )
    return entry


def _entry_status(
    *, actor: User, entry: Entry, action: str, reason: str, trusted: bool = False, **data
) -> Entry:
    """Suspend, reinstate or end an entry (mtr.workflows.ENTRY), with the reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    entry.status_reason = reason.strip()[:500]
    ENTRY.move(entry, action, actor=actor, trusted=trusted, reason=entry.status_reason, **data)
    fields = ["status", "status_reason"]
    if entry.status == Entry.Status.INVALID:
        entry.valid_to = timezone.localdate()
        fields.append("valid_to")
    entry.save(update_fields=fields)
    return entry


@transaction.atomic
def entry_suspend(*, actor: User, entry: Entry, reason: str) -> Entry:
    return _entry_status(actor=actor, entry=ENTRY.lock(entry), action="suspend", reason=reason)


@transaction.atomic
def entry_reinstate(*, actor: User, entry: Entry, reason: str) -> Entry:
    return _entry_status(actor=actor, entry=ENTRY.lock(entry), action="reinstate", reason=reason)


@transaction.atomic
def entry_terminate(*, actor: User, entry: Entry, reason: str) -> Entry:
    return _entry_status(actor=actor, entry=ENTRY.lock(entry), action="terminate", reason=reason)
