"""Rights in information systems: requested, granted, refused, revoked, reviewed and expired (a
part of assets.services)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assets import selectors
from assets.models import (
    AccessGrant,
    Asset,
    InformationSystem,
    SystemRole,
)
from assets.verbs import Verb
from assets.workflows import GRANT
from core import events, pdf
from core.models import User
from core.redirects import site_url
from core.services import email_queue_template


@transaction.atomic
def grant_request(
    *,
    actor: User,
    person: User,
    role: SystemRole,
    reason: str = "",
    valid_until: date | None = None,
) -> AccessGrant:
    if AccessGrant.objects.filter(
        person=person, role=role, status__in=["requested", "granted"]
    ).exists():
        raise ValidationError(
            _("%(person)s already holds or has asked for this role.") % {"person": person}
        )
    grant = AccessGrant.objects.create(
        person=person, role=role, reason=reason.strip(), requested_by=actor, valid_until=valid_until
    )
    main_user = role.system.main_user
    if main_user.email:
        email_queue_template(
            to=[main_user.email],
            template="assets/email/grant_requested",
            context={
                "grant": grant,
                "url": site_url("assets:system-detail", role.system_id),
            },
            language=settings.LANGUAGE_CODE,
        )
    events.record(
        actor=actor,
        obj=role.system,
        verb=Verb.GRANT_REQUESTED,
        data={"person": str(person), "role": role.name},
    )
    return grant


@transaction.atomic
def grant_approve(
    *, actor: User, grant: AccessGrant, valid_until: date | None = None
) -> AccessGrant:
    grant = GRANT.lock(grant)
    GRANT.check(grant, "grant", actor)
    if valid_until is not None and valid_until <= timezone.localdate():
        raise ValidationError({"valid_until": _("The end date must be in the future.")})
    GRANT.move(grant, "grant", actor=actor, person=str(grant.person), role=grant.role.name)
    grant.granted_by, grant.granted = actor, timezone.now()
    grant.valid_until = valid_until or grant.valid_until
    grant.reviewed_at = grant.granted
    grant.save()
    return grant


@transaction.atomic
def grant_refuse(*, actor: User, grant: AccessGrant, reason: str) -> AccessGrant:
    grant = GRANT.lock(grant)
    reason = reason.strip()[:500]
    GRANT.move(
        grant, "refuse", actor=actor, person=str(grant.person), role=grant.role.name, reason=reason
    )
    grant.revoke_reason = reason
    grant.revoked, grant.revoked_by = timezone.now(), actor
    grant.save()
    return grant


@transaction.atomic
def grant_revoke(*, actor: User | None, grant: AccessGrant, reason: str) -> AccessGrant:
    """Revoke a right: by its system's main user, or by the system (actor None) at its end."""
    grant = GRANT.lock(grant)
    GRANT.check(grant, "revoke", actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    reason = reason.strip()[:500]
    GRANT.move(
        grant, "revoke", actor=actor, person=str(grant.person), role=grant.role.name, reason=reason
    )
    grant.revoked, grant.revoked_by, grant.revoke_reason = timezone.now(), actor, reason
    grant.save()
    return grant


@transaction.atomic
def grant_confirm(*, actor: User, grant: AccessGrant) -> AccessGrant:
    """The periodic review: the main user confirms the right is still needed."""
    grant = GRANT.lock(grant)
    GRANT.move(grant, "confirm", actor=actor, person=str(grant.person), role=grant.role.name)
    grant.reviewed_at = timezone.now()
    grant.save(update_fields=["reviewed_at"])
    return grant


def review_due(now: datetime | None = None) -> Q:
    """The condition of a right due for review: granted and not confirmed for
    ASSETS_REVIEW_DAYS (a filter, so that a count per system is one plain subquery)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ASSETS_REVIEW_DAYS)
    return Q(status=AccessGrant.Status.GRANTED) & (
        Q(reviewed_at__lt=cutoff) | Q(reviewed_at__isnull=True)
    )


def grants_to_review(*, system: InformationSystem | None = None, now: datetime | None = None):
    """Granted rights not confirmed for ASSETS_REVIEW_DAYS."""
    grants = AccessGrant.objects.filter(review_due(now))
    if system is not None:
        grants = grants.filter(role__system=system)
    return grants.select_related("person", "role__system")


def grants_expire(*, today: date | None = None) -> int:
    """Rights past their end date are revoked (by the system)."""
    today = today or timezone.localdate()
    count = 0
    for grant in AccessGrant.objects.filter(
        status=AccessGrant.Status.GRANTED, valid_until__lt=today
    ):
        grant_revoke(
            actor=None,
            grant=grant,
            reason=_("The right expired on %(date)s.")
            % {"date": grant.valid_until.strftime("%d.%m.%Y")},
        )
        count += 1
    return count


def expiring_notify(*, today: date | None = None) -> int:
    """E-mail each main user the rights of their systems that end soon
    (within ASSETS_EXPIRY_NOTICE_DAYS)."""
    today = today or timezone.localdate()
    grants = (
        selectors.rights_ending(today=today)
        .select_related("person", "role__system__main_user")
        .order_by("valid_until")
    )
    by_user: dict[int, list[AccessGrant]] = {}
    for grant in grants:
        by_user.setdefault(grant.role.system.main_user_id, []).append(grant)
    sent = 0
    for grants_of_user in by_user.values():
        main_user = grants_of_user[0].role.system.main_user
        if not main_user.email:
            continue
        email_queue_template(
            to=[main_user.email],
            template="assets/email/expiring",
            context={"grants": grants_of_user, "url": site_url("assets:system-list")},
            language=settings.LANGUAGE_CODE,
            key=f"assets-expiring-{main_user.pk}-{today.isoformat()}",
        )
        sent += 1
    return sent


def holdings_of(person: User) -> dict:
    """Every right and asset a person holds (the leaver's list)."""
    return {
        "person": person,
        "grants": list(
            AccessGrant.objects.filter(
                person=person, status__in=["requested", "granted"]
            ).select_related("role__system", "role__system__main_user")
        ),
        "assets": list(
            Asset.objects.active().filter(responsible=person).select_related("location")
        ),
    }


def holdings_pdf(person: User) -> bytes:
    return pdf.render_pdf(
        "assets/pdf/holdings.html",
        {**holdings_of(person), "agency_name": settings.AGENCY_NAME, "today": timezone.localdate()},
    )
