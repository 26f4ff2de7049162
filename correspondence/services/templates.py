"""Letter templates (a part of correspondence.services)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from core import events
from core.models import Event, User
from correspondence.models import (
    LetterTemplate,
)
from correspondence.services.placeholders import (
    check_placeholders,
    fill_placeholders,
    placeholder_values,
)
from registry.models import Document, Party


@transaction.atomic
def template_save(
    *, actor: User, template: LetterTemplate | None = None, **fields
) -> LetterTemplate:
    """Create or change a template; its placeholders must be known ones."""
    template = template or LetterTemplate()
    for name, value in fields.items():
        setattr(template, name, value)
    errors = {}
    for field in ("subject", "body"):
        try:
            check_placeholders(getattr(template, field))
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)
    created = template.pk is None
    template.full_clean()
    template.save()
    events.record(actor=actor, obj=template, verb=Event.Verb.CREATED if created else "changed")
    return template


def template_prefill(
    *, template: LetterTemplate, incoming: Document | None, addressee: Party | None, signer: User
) -> tuple[str, str]:
    """The subject and text a new letter starts with: what is known now is filled in; the
    letter's own number and date stay placeholders until the PDF is made."""
    with translation.override(template.language):
        values = placeholder_values(addressee=addressee, incoming=incoming, signer=signer)
    later = {"our_number": "{{ our_number }}", "our_date": "{{ our_date }}"}
    values.update(later)
    return fill_placeholders(template.subject, values), fill_placeholders(template.body, values)
