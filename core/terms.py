"""Legal terms that count from the delivery of a decision, and what counts as delivery.

One place for every app (DOMAIN.md: "read legal terms from one place"): the MTR decision and the
letters of ``correspondence`` both ask here when a document counts as delivered and how long it
may be challenged.

The challenge period
    A decision (an administrative act) may be challenged within 30 days: a challenge (*vaie*)
    to the agency within 30 days of the day the person learnt or should have learnt of it
    (Administrative Procedure Act, HMS § 75), an action for annulment in the administrative
    court within 30 days of it being made known (Code of Administrative Court Procedure, HKMS
    § 46 (1)). For a decision the agency delivers, that day is the day of delivery. The number of
    days is the setting ``CHALLENGE_PERIOD_DAYS`` (default 30): the law has changed before.

    Counting (General Part of the Civil Code Act, TsÜS §§ 134–136, which HMS and HKMS follow for
    terms): a term in days starts on the day after the event, so it ends on the 30th day after
    delivery; a term whose last day is a Saturday, a Sunday or a public holiday ends on the next
    working day (TsÜS § 136, as DOMAIN.md cites it). Working days and Estonian holidays come from
    ``core.calendar`` (the ``holidays`` package).

What counts as delivery (HMS §§ 25–32, "kättetoimetamine")
    - Electronically (HMS § 27): a document sent to the e-mail address the person gave counts as
      delivered when the addressee has *opened* it or *confirmed receiving it*; the 2018
      amendment's explanatory note puts it as "the information system has registered its
      receipt or the addressee has confirmed it". The Supreme Court has held that sending alone
      is not delivery: the agency must be able to show that the person received it. So an
      e-mail accepted by the recipient's mail server (SMTP 250) is *evidence* of sending, not
      delivery; the decision counts as delivered when the person opens it through the personal
      link and confirms (``LINK_OPENED``) or confirms another way (``CONFIRMED``). If that never
      happens the agency must deliver another way: pages warn after
      ``DELIVERY_WARNING_DAYS`` (default 7) days without delivery.
    - By post (HMS § 26): by registered post the day of handing over written on the delivery
      notice (``REGISTERED_POST``), entered by a clerk from the returned notice.
    - By the agency itself (HMS § 28): handed over against a signed receipt (``IN_PERSON``).
    - Deemed delivered by law (e.g. by a public notice, HMS § 31, or a special act's
      presumption): ``DEEMED``, with the legal basis written down by the clerk. An ordinary-post
      presumption (a document "deemed delivered on the 5th day after posting") is not applied
      automatically: the sources at hand did not confirm it for HMS, so a clerk records it as
      ``DEEMED`` with its basis when an act provides one.

    The section numbers are those of the HMS text in force since 1.2.2018 (RT I, 28.12.2017, 2);
    check the subsection numbers against Riigi Teataja before quoting them to a person.

Registration (AvTS § 12 (1) 1))
    A document received or sent is registered at the latest on the working day after the day it
    was received or sent (``registration_due``). The register keeps both days, the day of receipt
    and the day of registration, and never back-dates: a registration on a day off is dated the
    next working day (DOMAIN.md), a later one is dated the day it is made and shown as late by the
    working days past the due day (``registration_lateness``). A term counted from registration
    counts from the registration day, but never from a day after the due day
    (``registration_term_start``): registering late gives the agency no more time.

The first delivery wins
    The first qualifying event sets the delivery date; later events are kept as evidence but do
    not move it (``first_delivery``). Moving it later would lengthen a period the law has already
    started; moving it earlier would shorten a period the person has already been told about.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import calendar

__all__ = [
    "DeliveryMethod",
    "challenge_period_days",
    "challenge_period_end",
    "counts_as_delivery",
    "delivery_is_late",
    "first_delivery",
    "month_term_end",
    "registration_due",
    "registration_lateness",
    "registration_term_start",
    "registration_today",
    "term_end",
]


def registration_due(received_on: date) -> date:
    """The last day a document received (or sent) on ``received_on`` is registered in time:
    the working day after it (AvTS § 12 (1) 1))."""
    return calendar.next_working_day(received_on)


def registration_today(today: date | None = None) -> date:
    """The registration day of a document registered today: today, or the next working day when
    today is a day off."""
    return calendar.registration_day(today or timezone.localdate())


def registration_lateness(received_on: date, registered_on: date) -> int:
    """Working days the registration came after its due day (0 when in time)."""
    return max(0, calendar.working_days_between(registration_due(received_on), registered_on))


def registration_term_start(received_on: date, registered_on: date) -> date:
    """The day a term counted from registration starts from: the registration day, or the due
    day when the registration came later (a late registration lengthens no term)."""
    return min(calendar.registration_day(registered_on), registration_due(received_on))


class DeliveryMethod(models.TextChoices):
    """How a document reached (or was sent towards) the person; see the module docstring."""

    EMAIL_ACCEPTED = "email_accepted", _("e-mail accepted by the recipient's mail server")
    LINK_OPENED = "link_opened", _("opened and confirmed through the personal link")
    CONFIRMED = "confirmed", _("receipt confirmed by the addressee")
    REGISTERED_POST = "registered_post", _("registered post: date on the delivery notice")
    IN_PERSON = "in_person", _("handed over in person against signature")
    DEEMED = "deemed", _("deemed delivered by law")


#: Evidence only: shows the document left, not that it reached the person (HMS § 27).
EVIDENCE_ONLY = frozenset({DeliveryMethod.EMAIL_ACCEPTED})

#: What a member of staff may enter by hand (the rest the system records itself).
RECORDED_BY_STAFF = (
    DeliveryMethod.REGISTERED_POST,
    DeliveryMethod.IN_PERSON,
    DeliveryMethod.CONFIRMED,
    DeliveryMethod.DEEMED,
)


def counts_as_delivery(method: str) -> bool:
    """Whether an event of this kind delivers the document (starts the challenge period)."""
    return method in DeliveryMethod.values and method not in EVIDENCE_ONLY


def challenge_period_days() -> int:
    return int(getattr(settings, "CHALLENGE_PERIOD_DAYS", 30))


def term_end(start: date, days: int) -> date:
    """The last day of a term of ``days`` calendar days counted from the event on ``start``.

    The term starts on the day after ``start`` and ends on its ``days``-th day; a last day that
    is a Saturday, a Sunday or a public holiday moves to the next working day (TsÜS § 136)."""
    if days < 0:
        raise ValueError("days must not be negative.")
    return calendar.registration_day(start + timedelta(days=days))


def month_term_end(start: date, months: int) -> date:
    """The last day of a term of ``months`` months counted from the event on ``start``.

    It ends on the day of the last month that has the number of ``start`` (or on that month's
    last day when it has none: from 31 January, one month ends on 28 or 29 February; TsÜS
    § 136 (3)), moved off a Saturday, a Sunday or a public holiday to the next working day
    (TsÜS § 136)."""
    if months < 0:
        raise ValueError("months must not be negative.")
    return calendar.registration_day(start + relativedelta(months=months))


def challenge_period_end(delivered_on: date | None) -> date | None:
    """The last day to challenge a decision delivered on ``delivered_on`` (HMS § 75, HKMS
    § 46 (1)): the 30th day after delivery, moved off a day off. None while not delivered: the
    period has not started."""
    if delivered_on is None:
        return None
    return term_end(delivered_on, challenge_period_days())


def delivery_is_late(sent_on: date | None, *, today: date | None = None) -> bool:
    """Whether a document sent on ``sent_on`` and still not delivered should now be delivered
    another way (``DELIVERY_WARNING_DAYS`` calendar days, default 7)."""
    if sent_on is None:
        return False
    days = int(getattr(settings, "DELIVERY_WARNING_DAYS", 7))
    return (today or timezone.localdate()) - sent_on >= timedelta(days=days)


def first_delivery(current: date | None, method: str, delivered_on: date) -> date | None:
    """The delivery date after an event: the current one if there is one (the first delivery
    wins), else ``delivered_on`` if the event delivers, else still None."""
    if current is not None:
        return current
    return delivered_on if counts_as_delivery(method) else None
