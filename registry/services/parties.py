"""Parties: senders and recipients, their codes checked (a part of registry.services)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core import events
from core.models import User
from core.validators import validate_personal_code, validate_registry_code
from core.workflow import locking
from registry import search
from registry.models import (
    Document,
    Party,
)
from registry.verbs import Verb


def _validate_party_code(*, is_private_person: bool, code: str) -> None:
    if not code:
        return
    if is_private_person:
        validate_personal_code(code)
    else:
        validate_registry_code(code)


@transaction.atomic
def party_create(
    *,
    actor: User,
    is_private_person: bool,
    name: str,
    code: str = "",
    address: str = "",
    email: str = "",
    phone: str = "",
) -> Party:
    code = code.strip()
    _validate_party_code(is_private_person=is_private_person, code=code)
    if code and Party.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A party with this code already exists.")})
    party = Party(
        is_private_person=is_private_person,
        name=name.strip(),
        code=code,
        address=address.strip(),
        email=email.strip(),
        phone=phone.strip(),
    )
    party.full_clean()
    party.save()
    events.record(actor=actor, obj=party, verb=Verb.REGISTERED)
    return party


@transaction.atomic
def party_update(*, actor: User, party: Party, **fields) -> Party:
    """Change a party; the search vectors of its documents follow (a name may become private)."""
    party = locking(Party.objects).get(pk=party.pk)
    changed = {}
    for name, value in fields.items():
        if getattr(party, name) != value:
            changed[name] = [str(getattr(party, name)), str(value)]
            setattr(party, name, value)
    if not changed:
        return party
    _validate_party_code(is_private_person=party.is_private_person, code=party.code)
    party.full_clean()
    party.save()
    events.record(actor=actor, obj=party, verb=Verb.CHANGED, data={"fields": sorted(changed)})
    documents = (
        Document.objects.filter(Q(sender=party) | Q(recipient=party))
        .select_related("sender", "recipient", "parcel")
        .prefetch_related("attachments")
    )
    for document in documents:  # one UPDATE each, the reads in three queries
        search.refresh(document)
    return party
