"""The register's Celery tasks, run eagerly: e-mails after commit, the daily digest, restriction
expiry and text extraction. Each is safe to run twice."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core import calendar, jobs, roles
from core.models import Event, Job, OutboundEmail
from registry import services, tasks
from registry.models import Attachment, Document, DocumentType
from registry.verbs import Verb

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Terviseandmed: Mari-Liis Õunapuu ravikulud"


def working_day_before(days: int):
    day = timezone.localdate() - timedelta(days=days)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


@pytest.fixture
def advisor(make_user):
    """A fixed name: a random one (Faker's "Viktor Õunapuu") could hold a word of the secret."""
    return make_user(roles.ADVISOR, username="advisor", first_name="Liis", last_name="Saar")


@pytest.fixture
def responsible(make_user):
    return make_user(roles.CLERK, username="vastutaja", first_name="Kadri", last_name="Kask")


def detail_url(document) -> str:
    return reverse("registry:document-detail", args=[document.pk])


def assert_no_secret(message) -> None:
    assert SECRET_TITLE not in message.subject
    assert SECRET_TITLE not in message.body
    assert "Terviseandmed" not in message.body
    assert "Õunapuu" not in message.body


# --- notify_assignment --------------------------------------------------------------------------


def test_the_responsible_person_gets_an_email_on_registration(
    make_document, responsible, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        document = make_document(
            title="Ehitusloa küsimus",
            responsible=responsible,
            doc_type=DocumentType.INFORMATION_REQUEST,
        )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["vastutaja@kantselei.example.ee"]
    assert document.number in message.subject
    assert message.body.startswith("Tere, Kadri!")  # in the default language, Estonian
    assert "Ehitusloa küsimus" in message.body
    assert document.deadline.strftime("%d.%m.%Y") in message.body
    assert settings.SITE_URL + detail_url(document) in message.body
    assert "{%" not in message.body
    assert "{{" not in message.body


def test_the_email_of_a_restricted_document_leaves_out_its_title(
    make_document, responsible, basis, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = make_document(
            title=SECRET_TITLE, responsible=responsible, restriction_basis=basis
        )

    message = mail.outbox[0]
    assert message.to == [responsible.email]
    assert document.number in message.subject
    assert_no_secret(message)
    assert detail_url(document) in message.body


def test_reassigning_emails_the_new_person(
    make_document, clerk, responsible, make_user, django_capture_on_commit_callbacks
):
    document = make_document(responsible=responsible)
    other = make_user(roles.CLERK, username="teine")
    with django_capture_on_commit_callbacks(execute=True):
        services.document_assign(actor=clerk, document=document, responsible=other)
    assert [message.to for message in mail.outbox] == [["teine@kantselei.example.ee"]]


def test_no_email_when_you_take_a_document_yourself(
    make_document, clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_document(responsible=clerk)
    assert mail.outbox == []


def test_notify_assignment_twice_sends_once(make_document, responsible):
    document = make_document(responsible=responsible)  # its on-commit e-mail never ran
    assert tasks.notify_assignment(document_id=document.pk, user_id=responsible.pk) is True
    tasks.notify_assignment(document_id=document.pk, user_id=responsible.pk)
    assert OutboundEmail.objects.count() == 1


def test_notify_assignment_skips_a_document_given_to_someone_else_meanwhile(
    make_document, responsible, clerk
):
    document = make_document(responsible=responsible)
    services.document_assign(actor=clerk, document=document, responsible=clerk)
    assert tasks.notify_assignment(document_id=document.pk, user_id=responsible.pk) is False
    assert tasks.notify_assignment(document_id=0, user_id=responsible.pk) is False
    assert not OutboundEmail.objects.exists()


# --- notify_task --------------------------------------------------------------------------------


def test_the_assignee_of_a_task_gets_an_email(
    make_document, advisor, responsible, django_capture_on_commit_callbacks, settings
):
    document = make_document()
    due = timezone.localdate() + timedelta(days=4)
    with django_capture_on_commit_callbacks(execute=True):
        services.task_give(
            actor=advisor, document=document, assignee=responsible, instruction="Vasta", due_on=due
        )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [responsible.email]
    assert document.number in message.subject
    assert message.body.startswith("Tere, Kadri!")
    assert advisor.get_full_name() in message.body
    assert due.strftime("%d.%m.%Y") in message.body
    assert settings.SITE_URL + reverse("registry:my-documents") in message.body


def test_a_task_email_about_a_restricted_document_leaves_out_its_title(
    make_document, advisor, responsible, basis, django_capture_on_commit_callbacks
):
    document = make_document(title=SECRET_TITLE, restriction_basis=basis)
    with django_capture_on_commit_callbacks(execute=True):
        services.task_give(
            actor=advisor,
            document=document,
            assignee=responsible,
            instruction="Vasta",
            due_on=timezone.localdate(),
        )
    assert len(mail.outbox) == 1
    assert_no_secret(mail.outbox[0])


def test_notify_task_twice_sends_once(make_document, advisor, responsible):
    task = services.task_give(
        actor=advisor,
        document=make_document(),
        assignee=responsible,
        instruction="Vasta",
        due_on=timezone.localdate(),
    )
    tasks.notify_task(task_id=task.pk)
    tasks.notify_task(task_id=task.pk)
    assert OutboundEmail.objects.filter(to=[responsible.email]).count() == 1
    assert tasks.notify_task(task_id=0) is False


# --- send_deadline_digests ----------------------------------------------------------------------


@pytest.fixture
def deadlines_of(make_document):
    """For a person: one overdue information request, one due today, one due much later."""

    def make(person, **kwargs):
        late = make_document(
            doc_type=DocumentType.INFORMATION_REQUEST,
            received_on=working_day_before(30),
            responsible=person,
            **kwargs,
        )
        soon = make_document(responsible=person, deadline=timezone.localdate(), **kwargs)
        later = make_document(
            responsible=person, deadline=timezone.localdate() + timedelta(days=60), **kwargs
        )
        return late, soon, later

    return make


def test_the_digest_lists_overdue_and_due_soon_documents(
    deadlines_of, responsible, django_capture_on_commit_callbacks, settings
):
    late, soon, later = deadlines_of(responsible)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = tasks.send_deadline_digests.delay().get()

    assert sent == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [responsible.email]
    assert timezone.localdate().strftime("%d.%m.%Y") in message.subject
    assert late.number in message.body
    assert late.deadline.strftime("%d.%m.%Y") in message.body
    assert soon.number in message.body
    assert later.number not in message.body
    assert message.body.index(late.number) < message.body.index(soon.number)
    assert settings.SITE_URL + reverse("registry:my-documents") in message.body


def test_the_digest_is_sent_once_a_day_even_if_the_task_runs_twice(
    deadlines_of, responsible, django_capture_on_commit_callbacks
):
    deadlines_of(responsible)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_deadline_digests.delay()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_deadline_digests.delay()
    assert len(mail.outbox) == 1
    assert OutboundEmail.objects.filter(key__startswith="registry-digest:").count() == 1


def test_each_person_gets_their_own_digest(
    deadlines_of, responsible, make_user, django_capture_on_commit_callbacks
):
    other = make_user(roles.ADVISOR, username="teine")
    mine, _soon, _later = deadlines_of(responsible)
    theirs, _soon, _later = deadlines_of(other)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_deadline_digests.delay().get() == 2
    by_person = {message.to[0]: message.body for message in mail.outbox}
    assert mine.number in by_person[responsible.email]
    assert theirs.number not in by_person[responsible.email]
    assert theirs.number in by_person[other.email]


def test_no_digest_without_due_or_overdue_documents(
    make_document, responsible, django_capture_on_commit_callbacks
):
    make_document(responsible=responsible, deadline=timezone.localdate() + timedelta(days=60))
    document = make_document(responsible=responsible, deadline=timezone.localdate())
    services.document_close(actor=responsible, document=document, reason="Vastatud telefonitsi")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_deadline_digests.delay().get() == 0
    assert mail.outbox == []


def test_the_digest_leaves_out_the_titles_of_restricted_documents(
    deadlines_of, responsible, basis, django_capture_on_commit_callbacks
):
    deadlines_of(responsible, title=SECRET_TITLE, restriction_basis=basis)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_deadline_digests.delay()
    assert len(mail.outbox) == 1
    assert_no_secret(mail.outbox[0])


def test_an_inactive_person_gets_no_digest(
    deadlines_of, responsible, django_capture_on_commit_callbacks
):
    deadlines_of(responsible)
    responsible.is_active = False
    responsible.save(update_fields=["is_active"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_deadline_digests.delay()
    assert mail.outbox == []


# --- expire_restrictions ------------------------------------------------------------------------


def test_an_ended_restriction_is_recorded_once(make_document, basis):
    received = working_day_before(40)
    document = make_document(
        received_on=received, restriction_basis=basis, restriction_end=received + timedelta(10)
    )
    current = make_document(restriction_basis=basis)
    assert not document.is_restricted()

    assert tasks.expire_restrictions.delay().get() == 1
    assert tasks.expire_restrictions.delay().get() == 0

    expired = Event.objects.filter(verb=Verb.RESTRICTION_EXPIRED)
    assert [event.object_id for event in expired] == [str(document.pk)]
    assert expired.get().actor is None
    assert Document.objects.restricted().filter(pk=current.pk).exists()
    assert Document.objects.public().filter(pk=document.pk).exists()


# --- text extraction (a core.jobs job) ----------------------------------------------------------


def text_file(text: str = "Tere, palun vastake õigeaegselt.") -> SimpleUploadedFile:
    return SimpleUploadedFile("kiri.txt", text.encode(), content_type="text/plain")


def test_the_text_of_an_attachment_is_extracted_after_commit(
    make_document, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = make_document(files=[text_file()])
    attachment = document.attachments.get()
    assert attachment.text_status == Attachment.TextStatus.DONE
    assert "õigeaegselt" in attachment.text
    assert services.attachment_extract_text(attachment_id=attachment.pk) is False  # done already
    job = Job.objects.get(key=f"{services.EXTRACT_JOB}:{attachment.pk}")
    assert (job.state, job.attempts) == (Job.State.DONE, 1)


def test_pending_extractions_left_behind_are_queued_again_by_the_sweeper(
    make_document, monkeypatch
):
    monkeypatch.setattr(jobs, "settle", lambda job: None)  # a worker's world: nothing ran yet
    document = make_document(files=[text_file()])  # its on-commit queueing never ran
    attachment = document.attachments.get()
    assert attachment.text_status == Attachment.TextStatus.PENDING
    assert jobs.sweep()["queued"] == 1
    attachment.refresh_from_db()
    assert attachment.text_status == Attachment.TextStatus.DONE
    assert "õigeaegselt" in attachment.text
    assert jobs.sweep()["queued"] == 0
