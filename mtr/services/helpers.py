"""Helpers of the writes: files stored, documents registered, the applicant e-mailed (a part of
mtr.services)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core import calendar, pdf_active
from core.models import User
from core.redirects import site_url
from core.services import email_queue_template
from core.uploads import check_upload, safe_display_name
from mtr.models import (
    Application,
    ApplicationAttachment,
    DeficiencyRequest,
)
from mtr.services.common import APPLICANT_FILE_KINDS, log


def _store_files(
    application: Application,
    files: Iterable[tuple[str, UploadedFile]],
    *,
    deficiency: DeficiencyRequest | None = None,
) -> list[ApplicationAttachment]:
    """Check every file by its content first, then keep them all (or none: the caller's
    transaction rolls back on an error)."""
    files = [(key, f) for key, f in files if f]
    if len(files) > settings.MTR_MAX_FILES:
        raise ValidationError(
            {"files": _("Attach at most %(count)d files.") % {"count": settings.MTR_MAX_FILES}}
        )
    checked = []
    for key, uploaded in files:
        try:
            kind = check_upload(
                uploaded, allowed=APPLICANT_FILE_KINDS, max_bytes=settings.UPLOAD_MAX_BYTES
            )
        except ValidationError as error:
            raise ValidationError(
                {f"attachment_{key}" if key else "files": error.messages}
            ) from error
        checked.append((key, uploaded, kind))
    stored = []
    for key, uploaded, kind in checked:
        attachment = ApplicationAttachment(
            application=application,
            deficiency=deficiency,
            requirement=key,
            name=safe_display_name(uploaded.name or "file"),
            kind=kind.key,
            content_type=kind.content_type,
            size=uploaded.size,
            active_content=pdf_active.flags_for(uploaded, kind.key),
        )
        attachment.file.save(attachment.name, uploaded, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def _registrar() -> User:
    """The account that registers what arrives through the public e-service."""
    user, created = get_user_model().objects.get_or_create(
        username=settings.MTR_ESERVICE_USERNAME,
        defaults={"first_name": "MTR", "last_name": "e-teenus", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _register_document(
    application: Application, *, actor: User | None = None, channel: str | None = None
) -> None:
    """Register the application in the document register (its series by notice or licence).

    A missing or closed series leaves the application unregistered (logged): the applicant's
    submission must never fail because the register's scheme changed."""
    from registry import services as registry
    from registry.models import Channel, DocumentType, Party, Series

    code = settings.MTR_APPLICATION_SERIES.get(application.area.kind)
    series = Series.objects.filter(code=code).first() if code else None
    if series is None:
        log.warning("MTR application %s not registered: no series %r", application.pk, code)
        return
    registrar = actor or _registrar()
    submitted_on = timezone.localdate(application.submitted_at)
    try:
        with transaction.atomic():
            party = Party.objects.filter(code=application.registry_code).first()
            if party is None:
                party = registry.party_create(
                    actor=registrar,
                    is_private_person=False,
                    name=application.business_name,
                    code=application.registry_code,
                    address=application.address,
                    email=application.email,
                    phone=application.phone,
                )
            with translation.override("et"):
                title = f"{capfirst(application.kind_label)}: {application.area.name_et}"
            document = registry.document_register(
                actor=registrar,
                series=series,
                doc_type=DocumentType.APPLICATION,
                channel=channel or Channel.WEB,
                title=title,
                received_on=submitted_on,
                # Registered by the portal as it arrives: the registration day is that of the
                # submission even when the job ran later (a retry after a failure).
                registered_on=calendar.registration_day(submitted_on),
                sender=party,
                sender_reference=application.tracking_code,
                deadline=application.deadline,
            )
    except ValidationError as error:
        log.warning("MTR application %s not registered: %s", application.pk, error)
        return
    application.document = document
    application.save(update_fields=["document"])


def _status_url(application: Application) -> str:
    return site_url("mtr:public-status")


def _email_applicant(
    application: Application, template: str, *, key: str, callback: str = "", **context
) -> None:
    email_queue_template(
        to=[application.email],
        template=f"mtr/email/{template}",
        context={
            "application": application,
            "status_url": _status_url(application),
            "change_report_days": settings.MTR_CHANGE_REPORT_WORKING_DAYS,
            **context,
        },
        language=application.language,
        key=key,
        attachments=context.pop("attachments", ()),
        callback=callback,
    )
