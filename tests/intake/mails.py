"""Small real messages and a test handler for the intake's engine tests (not a test module)."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime

from django.db import models
from django.utils import timezone

from core import events

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
TEST_PURPOSE = "enginetest"


class TestVerb(models.TextChoices):
    HANDLED = "intake_test_handled", "handled by the test handler"


# A verb of the tests' own: registered as an app registers its verbs (events.record refuses
# an unregistered one).
events.register_verbs(TestVerb)
HANDLED = TestVerb.HANDLED


def mail(
    n: int = 1,
    *,
    subject: str | None = None,
    files: list[tuple[str, bytes, str]] | None = None,
    sender: str = "mari.maasikas@example.ee",
) -> bytes:
    """A message from a citizen with ``files`` [(name, content, type)] attached."""
    message = EmailMessage()
    message["From"] = f"Mari Maasikas <{sender}>"
    message["To"] = "info@naidisamet.example.ee"
    message["Subject"] = subject or f"Taotlus nr {n}"
    message["Message-ID"] = f"<engine-{n}@example.ee>"
    message["Date"] = format_datetime(timezone.now())
    message.set_content(f"Tere!\n\nPalun vaadake taotlust nr {n}.\n\nMari")
    for name, content, content_type in files or []:
        maintype, subtype = content_type.split("/", 1)
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def handler(*, message, parsed) -> str:
    """Records one event per message made (in the transaction that marks it done)."""
    events.record(actor=None, obj=message, verb=HANDLED, data={"subject": parsed.subject})
    return f"handled {message.pk}"


def handled(message) -> int:
    from core.models import Event

    return Event.objects.filter(verb=HANDLED, object_id=str(message.pk)).count()
