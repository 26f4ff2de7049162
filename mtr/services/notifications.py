"""Notifications to processors and applicants (a part of mtr.services)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone

from core import calendar
from core.redirects import site_url
from core.services import email_queue_template
from mtr.models import (
    Application,
)
from mtr.services.common import Status
from mtr.services.reading import days_left, processors


def processor_notify(*, application_id: int, reason: str) -> bool:
    """Tell the assigned processor an application was given to them or was answered."""
    application = (
        Application.objects.select_related("assignee", "area").filter(pk=application_id).first()
    )
    if application is None or application.assignee is None or not application.assignee.email:
        return False
    email_queue_template(
        to=[application.assignee.email],
        template=f"mtr/email/processor_{reason}",
        context={
            "application": application,
            "url": site_url("mtr:application-detail", application.pk),
        },
        language=settings.LANGUAGE_CODE,
        key=f"mtr-{reason}-{application.pk}-{application.assignee_id}-{application.paused_days}"
        if reason == "answered"
        else "",
    )
    return True


def reminders_send(*, today: date | None = None) -> int:
    """Remind processors of applications due within two working days (once per deadline), and
    of deficiency requests whose answer date has passed. Unassigned ones go to every processor."""
    today = today or timezone.localdate()
    soon = calendar.add_working_days(today, 2)
    due = list(
        Application.objects.filter(
            status__in=(Status.RECEIVED, Status.IN_REVIEW), deadline__lte=soon
        ).select_related("area", "assignee")
    )
    unanswered = list(
        Application.objects.filter(
            status=Status.DEFICIENT,
            deficiencies__answered_at__isnull=True,
            deficiencies__due_on__lt=today,
        ).select_related("area", "assignee")
    )
    everyone = [u.email for u in processors() if u.email]
    sent = 0
    for kind, applications in (("due", due), ("unanswered", unanswered)):
        for application in applications:
            to = [application.assignee.email] if application.assignee else everyone
            if not [address for address in to if address]:
                continue
            email_queue_template(
                to=[address for address in to if address],
                template=f"mtr/email/reminder_{kind}",
                context={
                    "application": application,
                    "days_left": days_left(application, today=today),
                    "url": site_url("mtr:application-detail", application.pk),
                },
                language=settings.LANGUAGE_CODE,
                key=f"mtr-reminder-{kind}-{application.pk}-{application.deadline}",
            )
            sent += 1
    return sent
