"""The registration inbox's rules: one item per message, automatic messages set aside from the
start, registration with every usable file (text extracted) in one step and only once, setting
aside and returning, and what the form starts with."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.intake.models import InboundAttachment, InboundMessage
from core.models import Event
from registry import inbox
from registry.models import Attachment, Channel, Document, DocumentType, InboxItem, Party
from registry.verbs import Verb
from tests.factories import PartyFactory
from tests.registry.conftest import last_working_day
from tests.registry.inbox_helpers import make_item, make_message, pdf_with


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages asserted here are the English ones."""
    settings.LANGUAGE_CODE = "en"


TALLINN = ZoneInfo("Europe/Tallinn")


def _register(item, clerk, series, **kwargs):
    fields = {
        "series": series,
        "doc_type": DocumentType.LETTER,
        "channel": Channel.EMAIL,
        "title": inbox.title_of(item.message),
        "received_on": last_working_day(),
        "restriction_basis": None,
    }
    fields.update(kwargs)
    return inbox.item_register(actor=clerk, item=item, **fields)


# --- The handler --------------------------------------------------------------------------------


def test_the_handler_makes_one_item_per_message_however_often_it_runs(db):
    message = make_message()
    first = inbox.handle(message=message, parsed=None)
    second = inbox.handle(message=message, parsed=None)
    assert InboxItem.objects.filter(message=message).count() == 1
    item = message.inbox_item
    assert item.status == InboxItem.Status.NEW
    assert str(item.pk) in first
    assert "already" in second
    assert Event.objects.filter(verb=Verb.INBOX_RECEIVED, object_id=str(item.pk)).count() == 1


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        (InboundMessage.Kind.AUTO_REPLY, "Auto-Submitted: auto-replied"),
        (InboundMessage.Kind.BOUNCE, "delivery status notification"),
        (InboundMessage.Kind.BULK, "Precedence: bulk"),
    ],
)
def test_an_automatic_message_is_kept_but_set_aside_by_nobody(db, kind, reason):
    item = make_item(kind=kind, kind_reason=reason, subject="Out of office")
    assert item.status == InboxItem.Status.DISMISSED
    assert item.reason == InboxItem.Reason.AUTOMATIC
    assert item.note == f"automatic message: {reason}"
    assert item.decided_by is None
    assert InboxItem.objects.waiting().count() == 0


def test_a_scan_and_a_message_wait_in_the_inbox(db):
    scan = make_item(kind=InboundMessage.Kind.SCAN, raw_name="Kiri_Maanteeametilt.pdf")
    mail = make_item()
    assert {scan.status, mail.status} == {InboxItem.Status.NEW}


# --- What the form starts with ------------------------------------------------------------------


def test_the_title_is_the_subject_and_a_scans_file_name(db):
    mail = make_message(subject="  Taotlus   pingi kohta ")
    scan = make_message(
        kind=InboundMessage.Kind.SCAN, subject="x", raw_name="Kiri_Vallalt 2026.pdf"
    )
    assert inbox.title_of(mail) == "Taotlus pingi kohta"
    assert inbox.title_of(scan) == "Kiri Vallalt 2026"


def test_the_day_of_receipt_is_the_date_header_in_tallinn_else_when_kept(db):
    late_evening = datetime(2026, 3, 2, 23, 30, tzinfo=ZoneInfo("UTC"))  # 3 March in Tallinn
    dated = make_message(sent_at=late_evening)
    assert inbox.received_on_of(dated) == datetime(2026, 3, 3).date()
    undated = make_message(sent_at=None, kept_at=datetime(2026, 3, 4, 9, 0, tzinfo=TALLINN))
    assert inbox.received_on_of(undated) == datetime(2026, 3, 4).date()
    future = make_message(sent_at=timezone.now() + timedelta(days=3))
    assert inbox.received_on_of(future) == timezone.localdate()


def test_the_sender_is_found_by_e_mail_then_by_a_registry_code(db):
    by_mail = PartyFactory(name="OÜ Põhjarannik", email="Info@Pohjarannik.ee", code="")
    by_code = PartyFactory(name="Maanteeamet", code="70001490", email="")
    assert inbox.sender_of(make_message(sender_email="info@pohjarannik.ee")) == (by_mail, {})
    message = make_message(
        sender_email="jurist@example.com", subject="Kiri", text="Meie registrikood on 70001490."
    )
    assert inbox.sender_of(message) == (by_code, {})


def test_an_unknown_sender_is_offered_as_new_with_a_valid_code_found(db):
    message = make_message(
        sender_email="juhatus@uusfirma.ee",
        sender_name="Uus Firma OÜ",
        text="Registrikood 10000018, arve nr 12345678.",  # the second is no valid code
    )
    party, new = inbox.sender_of(message)
    assert party is None
    assert new == {"name": "Uus Firma OÜ", "email": "juhatus@uusfirma.ee", "code": "10000018"}


# --- Registering --------------------------------------------------------------------------------


def test_registering_makes_one_document_with_every_usable_file_and_its_text(
    clerk, series, organisation, django_capture_on_commit_callbacks
):
    item = make_item(
        subject="Ettepanek pinkide kohta",
        files=(
            ("ettepanek.pdf", pdf_with("Ettepanek õunapuude kohta")),
            ("kaart.pdf", pdf_with("Kaart bussipeatusest")),
            (
                "lisa.pdf",
                pdf_with("Lisa vahtralehtedega"),
                InboundAttachment.Status.QUARANTINED,
                "checked by hand",
            ),
            ("viirus.exe", b"MZ\x90\x00", InboundAttachment.Status.QUARANTINED, "not allowed"),
        ),
    )
    quarantined = item.message.attachments.get(name="lisa.pdf")
    from core.intake import services as intake

    intake.attachment_release(actor=clerk, attachment=quarantined)
    with django_capture_on_commit_callbacks(execute=True):
        document = _register(item, clerk, series, sender=organisation)

    item.refresh_from_db()
    assert item.status == InboxItem.Status.REGISTERED
    assert item.document == document
    assert item.decided_by == clerk
    files = {a.name: a for a in Attachment.objects.filter(document=document)}
    assert set(files) == {"Ettepanek pinkide kohta.eml", "ettepanek.pdf", "kaart.pdf", "lisa.pdf"}
    assert "õunapuude" in files["ettepanek.pdf"].text
    assert "vahtralehtedega" in files["lisa.pdf"].text
    assert {a.text_status for a in files.values()} <= {"done"}
    assert document.channel == Channel.EMAIL
    assert document.sender == organisation
    assert Document.objects.count() == 1
    assert Event.objects.filter(verb=Verb.INBOX_REGISTERED).count() == 2  # item and document


def test_the_message_itself_is_left_out_when_the_clerk_says_so(clerk, series, organisation):
    item = make_item(files=(("kiri.pdf", pdf_with("Kiri")),))
    document = _register(item, clerk, series, sender=organisation, keep_message=False)
    assert [a.name for a in document.attachments.all()] == ["kiri.pdf"]


def test_a_new_sender_is_made_with_the_document(clerk, series):
    item = make_item(sender_email="uus@example.ee")
    document = _register(
        item,
        clerk,
        series,
        new_sender={"is_private_person": True, "name": "Jaan Tamm", "email": "uus@example.ee"},
    )
    assert document.sender.name == "Jaan Tamm"
    assert Party.objects.filter(email="uus@example.ee").count() == 1


def test_a_refused_registration_leaves_nothing_behind(clerk, series):
    item = make_item(files=(("kiri.pdf", pdf_with("Kiri")),))
    with pytest.raises(ValidationError):
        _register(
            item,
            clerk,
            series,
            new_sender={"is_private_person": False, "name": "Firma", "email": ""},
            received_on=timezone.localdate() + timedelta(days=5),  # refused by the service
        )
    item.refresh_from_db()
    assert item.status == InboxItem.Status.NEW
    assert not Document.objects.exists()
    assert not Party.objects.filter(name="Firma").exists()
    assert not Attachment.objects.exists()


def test_an_item_is_registered_once(clerk, series, organisation):
    item = make_item()
    _register(item, clerk, series, sender=organisation)
    with pytest.raises(ValidationError, match="already registered"):
        _register(item, clerk, series, sender=organisation)
    assert Document.objects.count() == 1


def test_a_released_file_the_register_refuses_stays_with_the_message(clerk, series, organisation):
    item = make_item(
        files=(("pakett.zip", b"PK\x05\x06" + b"\x00" * 18, InboundAttachment.Status.RELEASED, ""),)
    )
    document = _register(item, clerk, series, sender=organisation, keep_message=False)
    assert not document.attachments.exists()
    assert document.inbox_refused_files[0]["file"] == "pakett.zip"
    # The item's event (the document gets one with the same verb, and may have the same pk).
    event = Event.objects.get(
        verb=Verb.INBOX_REGISTERED,
        object_id=str(item.pk),
        content_type=ContentType.objects.get_for_model(InboxItem),
    )
    assert event.data["not_attached"][0]["file"] == "pakett.zip"


# --- Setting aside ------------------------------------------------------------------------------


def test_set_aside_and_returned_with_every_step_on_the_timeline(clerk):
    item = make_item()
    inbox.item_set_aside(actor=clerk, item=item, reason=InboxItem.Reason.SPAM)
    item.refresh_from_db()
    assert (item.status, item.reason, item.decided_by) == ("dismissed", "spam", clerk)
    inbox.item_return(actor=clerk, item=item)
    item.refresh_from_db()
    assert (item.status, item.reason) == ("new", "")
    verbs = list(
        Event.objects.filter(object_id=str(item.pk), verb__startswith="inbox_")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == [Verb.INBOX_RECEIVED, Verb.INBOX_SET_ASIDE, Verb.INBOX_RETURNED]
    assert InboxItem.objects.filter(pk=item.pk).exists()  # never deleted


def test_an_automatic_message_can_be_returned_and_registered(clerk, series, organisation):
    item = make_item(kind=InboundMessage.Kind.AUTO_REPLY, kind_reason="X-Autoreply: yes")
    inbox.item_return(actor=clerk, item=item)
    document = _register(item, clerk, series, sender=organisation)
    assert document.number


def test_other_reason_needs_a_note_and_automatic_is_not_for_clerks(clerk):
    item = make_item()
    with pytest.raises(ValidationError):
        inbox.item_set_aside(actor=clerk, item=item, reason=InboxItem.Reason.OTHER)
    with pytest.raises(ValidationError):
        inbox.item_set_aside(actor=clerk, item=item, reason=InboxItem.Reason.AUTOMATIC)
    inbox.item_set_aside(
        actor=clerk, item=item, reason=InboxItem.Reason.OTHER, note="Registreeritud 1-2/26-3"
    )


def test_a_registered_item_cannot_be_set_aside_nor_a_new_one_returned(clerk, series, organisation):
    registered = make_item()
    _register(registered, clerk, series, sender=organisation)
    with pytest.raises(ValidationError):
        inbox.item_set_aside(actor=clerk, item=registered, reason=InboxItem.Reason.DUPLICATE)
    with pytest.raises(ValidationError):
        inbox.item_return(actor=clerk, item=make_item())


# --- Through the intake -------------------------------------------------------------------------


def _mail_with_files(*, auto: bool = False) -> bytes:
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["From"] = "Mari Maasikas <mari.maasikas@example.ee>"
    mail["To"] = "info@asutus.example.ee"
    mail["Subject"] = "Taotlus õunapuude kohta"
    mail["Date"] = "Mon, 02 Mar 2026 10:00:00 +0200"
    mail["Message-ID"] = "<taotlus-1@example.ee>"
    if auto:
        mail["Auto-Submitted"] = "auto-replied"
    mail.set_content("Tere!\n\nPalun istutage õunapuud.\n\nMari")
    mail.add_attachment(
        pdf_with("Õunapuude istutamise kava"),
        maintype="application",
        subtype="pdf",
        filename="kava.pdf",
    )
    mail.add_attachment(
        b"MZ\x90\x00 not a program",
        maintype="application",
        subtype="octet-stream",
        filename="programm.exe",
    )
    return mail.as_bytes()


def test_a_message_kept_by_the_intake_is_registered_with_its_files(
    clerk, series, organisation, django_capture_on_commit_callbacks
):
    from core.intake import services as intake

    box = intake.mailbox("uldaadress-e2e", "registry")
    with django_capture_on_commit_callbacks(execute=True):
        message, created = intake.keep(
            mailbox=box, raw=_mail_with_files(), source="imap", uid=7, uidvalidity=1
        )
    assert created
    message.refresh_from_db()
    assert message.status == InboundMessage.Status.DONE, message.error
    item = InboxItem.objects.get(message=message)
    assert item.status == InboxItem.Status.NEW
    assert inbox.title_of(message) == "Taotlus õunapuude kohta"
    statuses = dict(message.attachments.values_list("name", "status"))
    assert statuses == {"kava.pdf": "kept", "programm.exe": "quarantined"}

    with django_capture_on_commit_callbacks(execute=True):
        document = _register(item, clerk, series, sender=organisation)
    names = {a.name: a for a in document.attachments.all()}
    assert set(names) == {"Taotlus õunapuude kohta.eml", "kava.pdf"}
    assert "istutamise" in names["kava.pdf"].text
    assert "õunapuud" in names["Taotlus õunapuude kohta.eml"].text

    with django_capture_on_commit_callbacks(execute=True):  # read again: nothing new
        again, created = intake.keep(
            mailbox=box, raw=_mail_with_files(), source="imap", uid=7, uidvalidity=1
        )
    assert (again, created) == (message, False)
    assert InboxItem.objects.count() == 1


def test_an_auto_reply_through_the_intake_is_set_aside(db, django_capture_on_commit_callbacks):
    from core.intake import services as intake

    box = intake.mailbox("uldaadress-e2e", "registry")
    with django_capture_on_commit_callbacks(execute=True):
        message, _created = intake.keep(
            mailbox=box, raw=_mail_with_files(auto=True), source="imap", uid=8, uidvalidity=1
        )
    item = InboxItem.objects.get(message=message)
    assert item.status == InboxItem.Status.DISMISSED
    assert item.reason == InboxItem.Reason.AUTOMATIC
    assert "auto-replied" in item.note


def test_a_scan_through_the_intake_waits_with_its_file(db, django_capture_on_commit_callbacks):
    from core.intake import services as intake

    box = intake.mailbox("skanner-e2e", "registry")
    with django_capture_on_commit_callbacks(execute=True):
        message, _created = intake.keep(
            mailbox=box, raw=pdf_with("Skannitud kiri"), source="drop", name="Valla_kiri.pdf"
        )
    message.refresh_from_db()
    item = InboxItem.objects.get(message=message)
    assert message.kind == InboundMessage.Kind.SCAN
    assert item.status == InboxItem.Status.NEW
    assert inbox.title_of(message) == "Valla kiri"
    assert [a.name for a in message.attachments.all()] == ["Valla_kiri.pdf"]
