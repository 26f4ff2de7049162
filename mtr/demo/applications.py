"""The demo's applications in every status, spread over time, with their processing, deficiencies,
decisions, letters and deliveries."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction

from core.models import Event
from mtr.demo.entries import _address, _businesses, _data_for
from mtr.demo.words import ANSWERS, CHECK_NOTES, DEFICIENCY_TEXTS, PEOPLE
from mtr.models import ActivityArea, Kind

APPLICATIONS_PER_STATUS = 55


def seed_applications(rng=None) -> int:
    """Applications in every status, moved on by the demo processors (once)."""
    import random

    from django.test import override_settings
    from django.utils import timezone

    from mtr.models import Application, Entry

    if Application.objects.exists():
        return 0
    processors = _processors()
    if processors is None:
        return 0
    rng = rng or random.Random(55)  # noqa: S311 - demo data, not security
    areas = list(ActivityArea.objects.filter(is_active=True))
    businesses = _businesses(rng, areas)
    entries = list(
        Entry.objects.filter(status=Entry.Status.VALID).select_related("business", "area")
    )
    now = timezone.now()
    made = 0
    dummy_mail = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    with dummy_mail, transaction.atomic():
        for status in [s for s, _label in Application.Status.choices]:
            for _index in range(APPLICATIONS_PER_STATUS):
                _submit_one(rng, status, areas, businesses, entries, now, processors)
                made += 1
        _date_deficiencies(rng)
    _date_decisions()  # after the commit: the decision letters are registered on it
    _deliver_decisions(rng)
    return made


def _processors() -> list | None:
    """The demo's two MTR processors: jaan (from the users' demo) and piret (made here)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from core import roles

    User = get_user_model()
    jaan = User.objects.filter(username="jaan").first()
    if jaan is None:
        return None
    piret, created = User.objects.get_or_create(
        username="piret",
        defaults={
            "first_name": "Piret",
            "last_name": "Lepik",
            "email": "piret@kantselei.example.ee",
            "job_title": "MTR menetleja",
        },
    )
    if created:
        piret.set_unusable_password()
        piret.save(update_fields=["password"])
        piret.groups.set(Group.objects.filter(name=roles.MTR_PROCESSOR.group))
    return [jaan, piret]


def _submit_one(rng, status, areas, businesses, entries, now, processors) -> None:
    """One application submitted through the service and moved on to ``status``: new for a
    business of a fitting area, or a change or termination of a valid entry (taken from
    ``entries``)."""
    from mtr import services
    from mtr.models import Application

    Status = Application.Status
    open_ = status in Application.OPEN_STATUSES
    age = rng.randint(1, 34) if open_ else rng.randint(20, 150)
    submitted_at = now - timedelta(days=age, hours=rng.randint(0, 8))
    kind = rng.random()
    # A notice takes effect on submission (entered, then checked); everything else here is a
    # licence, or the end of an entry.
    in_effect = status in (Status.ENTERED, Status.CHECKED)
    fitting = [a for a in areas if (a.kind == Kind.NOTICE) == in_effect]
    candidates = [
        i
        for i, entry in enumerate(entries)
        if (entry.area.kind == Kind.NOTICE) == in_effect or not in_effect
    ]
    if kind < 0.8 or not candidates:
        area = rng.choice(fitting)
        business = rng.choice(businesses[area.pk])
        kwargs = {"type": Application.Type.NEW, "area": area, "entry": None}
    else:
        entry = entries.pop(rng.choice(candidates))
        termination = not in_effect and (kind >= 0.92 or entry.area.kind == Kind.NOTICE)
        business = entry.business
        kwargs = {
            "type": Application.Type.TERMINATION if termination else Application.Type.CHANGE,
            "area": entry.area,
            "entry": entry,
        }
    application = services.application_submit(
        business_name=business.name,
        registry_code=business.registry_code,
        address=business.address,
        contact_person=rng.choice(PEOPLE),
        email=business.email,
        phone=business.phone,
        addresses=[_address(rng)],
        data=_data_for(rng, kwargs["area"]),
        language=rng.choice(["et"] * 8 + ["en", "ru"]),
        submitted_at=submitted_at,
        notify=False,
        **kwargs,
    )
    _progress(rng, application, status, processors, age)
    _spread_in_time(rng, application, submitted_at, now, open_)


def _date_deficiencies(rng) -> None:
    """Deficiency dates as if asked a few days after submission, and answered within days."""
    from django.utils import timezone

    from mtr import services
    from mtr.models import Application, DeficiencyRequest

    today = timezone.localdate()
    for request in DeficiencyRequest.objects.select_related("application__area"):
        application = request.application
        asked = min(timezone.localdate(application.submitted_at) + timedelta(days=3), today)
        request.requested_on = asked
        request.due_on = asked + timedelta(days=14)
        if request.answered_at is not None:
            answered = min(asked + timedelta(days=rng.randint(1, 9)), today)
            request.answered_at = timezone.make_aware(
                datetime.combine(answered, time(10, rng.randint(0, 59)))
            )
            application.paused_days = (answered - asked).days
            application.deadline = services.deadline_for(application)
            application.save(update_fields=["paused_days", "deadline"])
        request.save(update_fields=["requested_on", "due_on", "answered_at"])
        # The timeline's "answer by" says the same day as the request.
        for event in Event.objects.filter(
            content_type__model="application",
            object_id=str(application.pk),
            data__to=Application.Status.DEFICIENT,
        ):
            event.data = {**event.data, "due_on": request.due_on.isoformat()}
            event.save(update_fields=["data"])


def _date_decisions() -> None:
    """The register answered each decided application on the day of its decision, and the
    decision letter is registered on that day, not on the day of seeding."""
    from django.utils import timezone

    from mtr.models import Application
    from registry.models import Document

    decided = Application.objects.filter(decided_at__isnull=False).exclude(document=None)
    for application in decided.only("decided_at", "document_id", "decision_document_id"):
        day = timezone.localdate(application.decided_at)
        Document.objects.filter(pk=application.document_id, status=Document.Status.ANSWERED).update(
            closed_on=day
        )
        Document.objects.filter(pk=application.decision_document_id).update(
            registered_on=day, received_on=day, registered_at=application.decided_at
        )


def _deliver_decisions(rng) -> None:
    """Most decisions reached the applicant through the e-mail's link within a few days of the
    server accepting the e-mail; some by registered post after the link went unanswered; the
    newest are not delivered yet, and a few old ones wait too long (the page warns)."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from core.terms import DeliveryMethod
    from mtr import delivery
    from mtr.models import Application

    today = timezone.localdate()
    decided = Application.objects.filter(decided_at__isnull=False).exclude(decision_pdf_status="")
    waiting = decided.filter(decision_delivered_on=None).exclude(decision_deliveries__counts=True)
    for application in waiting.order_by("pk"):
        decided_on = timezone.localdate(application.decided_at)
        if not application.decision_deliveries.exists():  # the outbox keeps it when it sends
            delivery.decision_delivery_record(
                application=application,
                method=DeliveryMethod.EMAIL_ACCEPTED,
                occurred_at=application.decided_at + timedelta(minutes=rng.randint(1, 20)),
                evidence={"recipient": application.email},
                key=f"demo-accepted-{application.pk}",
            )
        age = (today - decided_on).days
        roll = rng.random()
        if age <= 2 and roll < 0.6 or roll > 0.96:
            continue  # not delivered (yet)
        if roll < 0.85 or age < 9:
            day = min(decided_on + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3, 4))), today)
            moment = datetime.combine(day, time(rng.randint(8, 21), rng.randint(0, 59)))
            delivery.decision_delivery_record(
                application=application,
                method=DeliveryMethod.LINK_OPENED,
                occurred_at=min(timezone.make_aware(moment), timezone.now()),
            )
        else:
            delivery.decision_delivery_record(
                application=application,
                method=DeliveryMethod.REGISTERED_POST,
                delivered_on=decided_on + timedelta(days=rng.randint(6, 9)),
                actor=application.decided_by,
                note="Tähtkiri, tagasiteatis saabunud",
            )
    _date_deliveries(decided)


def _date_deliveries(decided) -> None:
    """Each delivery event at its own time, not at the time of seeding: the server accepted the
    e-mail minutes after the decision; a clerk entered a returned notice two days after it."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from core.terms import DeliveryMethod
    from mtr.models import DecisionDelivery

    rows = DecisionDelivery.objects.filter(application__in=decided).select_related("application")
    for row in rows:
        if row.method == DeliveryMethod.EMAIL_ACCEPTED:
            row.occurred_at = row.application.decided_at + timedelta(minutes=3 + row.pk % 17)
            row.delivered_on = timezone.localdate(row.occurred_at)
            row.recorded_at = row.occurred_at
        elif row.occurred_at is not None:
            row.recorded_at = row.occurred_at
        else:
            moment = datetime.combine(row.delivered_on + timedelta(days=2), time(9, row.pk % 60))
            row.recorded_at = min(timezone.make_aware(moment), timezone.now())
        row.save(update_fields=["occurred_at", "delivered_on", "recorded_at"])


def _spread_in_time(rng, application, submitted_at, now, open_) -> None:
    """Put the application's steps at believable times between its submission and now (the
    services stamp them with the time of seeding)."""
    from django.utils import timezone

    from core.models import Event
    from mtr.models import Application, Entry

    span = now - submitted_at
    end = submitted_at + span * (0.7 if open_ else rng.uniform(0.2, 0.6))
    if application.takes_effect_on_submission and application.type == "new":
        # In the register from the moment it was filed.
        Entry.objects.filter(pk=application.entry_id).update(
            valid_from=timezone.localdate(submitted_at), created=submitted_at
        )
        Event.objects.filter(
            object_id=str(application.entry_id), content_type__model="entry"
        ).update(created=submitted_at)
    if not open_:
        Application.objects.filter(pk=application.pk, decided_at__isnull=False).update(
            decided_at=end
        )
        application.refresh_from_db(fields=["entry", "status", "type"])
        if application.status == Application.Status.GRANTED and application.type == "new":
            Entry.objects.filter(pk=application.entry_id).update(valid_from=timezone.localdate(end))
            Event.objects.filter(
                object_id=str(application.entry_id), content_type__model="entry"
            ).update(created=end)
    steps = list(
        Event.objects.filter(
            object_id=str(application.pk), content_type__model="application"
        ).order_by("created", "id")
    )
    for index, event in enumerate(steps):
        event.created = submitted_at + (end - submitted_at) * (index / max(len(steps) - 1, 1))
    Event.objects.bulk_update(steps, ["created"])


def _progress(rng, application, status, processors, age) -> None:

    from mtr import services
    from mtr.models import Application

    Status = Application.Status
    if status in (Status.RECEIVED, Status.ENTERED):
        return
    processor = rng.choice(processors)
    if status == Status.CHECKED:
        services.application_check(
            actor=processor,
            application=application,
            note=rng.choice(CHECK_NOTES),
        )
        return
    if status == Status.WITHDRAWN and rng.random() < 0.3:
        services.application_withdraw(
            application=application, actor=None, reason="Ettevõtja loobus taotlusest."
        )
        return
    services.application_claim(actor=processor, application=application)
    if status == Status.IN_REVIEW and rng.random() < 0.6:
        return
    asks = status in (Status.DEFICIENT, Status.UNEXAMINED) or rng.random() < 0.3
    if asks and not _missing_data(rng, application, status, processor):
        return
    if status == Status.IN_REVIEW:
        return
    if status == Status.WITHDRAWN:
        services.application_withdraw(
            application=application, actor=processor, reason="Ettevõtja võttis taotluse tagasi."
        )
    elif status == Status.GRANTED:
        services.application_decide(
            actor=processor,
            application=application,
            grant=True,
            reason="Ettevõtja vastab tegevusala nõuetele; esitatud andmed on täielikud.",
        )
    else:
        services.application_decide(
            actor=processor,
            application=application,
            grant=False,
            reason="Puudujääke ei kõrvaldatud tähtajaks; ettevõtja ei vasta tegevusala nõuetele.",
        )


def _missing_data(rng, application, status, processor) -> bool:
    """The processor asks for missing data; the application stays deficient, is left
    unexamined when the answer date passed (HMS § 15(2)), or is answered (sometimes with a
    file). Whether the processing goes on."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from mtr import services
    from mtr.models import Application

    Status = Application.Status
    request = services.application_request_data(
        actor=processor, application=application, text=rng.choice(DEFICIENCY_TEXTS)
    )
    if status == Status.DEFICIENT:
        return False
    if status == Status.UNEXAMINED:
        # Asked weeks ago; the answer date passed without an answer (HMS § 15(2)).
        asked = timezone.localdate(application.submitted_at) + timedelta(days=3)
        type(request).objects.filter(pk=request.pk).update(
            requested_on=asked, due_on=asked + timedelta(days=14)
        )
        services.application_leave_unexamined(
            actor=processor,
            application=application,
            reason="Taotleja ei esitanud nõutud andmeid määratud tähtajaks; taotlus "
            "jäetakse haldusmenetluse seaduse § 15 lõike 2 alusel läbi vaatamata.",
        )
        return False
    services.application_answer_deficiency(
        application=application,
        answer=rng.choice(ANSWERS),
        files=[
            SimpleUploadedFile(
                "lisa.pdf", _letter_pdf(application.business_name), "application/pdf"
            )
        ]
        if rng.random() < 0.3
        else (),
    )
    return True


_PDF_CACHE: dict[str, bytes] = {}


def _letter_pdf(name: str) -> bytes:
    from core.pdf import html_to_pdf

    if "x" not in _PDF_CACHE:
        _PDF_CACHE["x"] = html_to_pdf(
            "<h1>Lisadokument</h1><p>Taotlusele lisatud dokument: kindlustusleping.</p>"
        )
    return _PDF_CACHE["x"]
