"""Read support e-mail into tickets: the given .eml/.msg files, or the mailbox of
HELPDESK_IMAP_URL — both through the mail intake (core.intake), processed at once."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.intake.models import InboundMessage
from helpdesk import mail
from helpdesk.models import InboundEmail


class Command(BaseCommand):
    help = (
        "Make tickets of support e-mail: .eml or .msg files given, or the IMAP mailbox "
        "(HELPDESK_IMAP_URL), read by UID above what was read before."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help=".eml or .msg files; none: read the mailbox")

    def handle(self, *args, files=(), **options):
        if not files:
            count = mail.mailbox_read()
            box = mail.mailbox()
            if box.last_error:
                raise CommandError(f"Mailbox: {box.last_error}")
            self.stdout.write(f"Mailbox: {count} messages read.")
            return
        done = held = failed = 0
        for name in files:
            path = Path(name)
            inbound = mail.import_message(path.read_bytes(), name=path.name)
            if inbound.status in (InboundEmail.Status.DONE, InboundEmail.Status.HELD):
                if inbound.status == InboundEmail.Status.HELD:
                    held += 1
                else:
                    done += 1
                self.stdout.write(f"{name}: {inbound.outcome or inbound.get_status_display()}")
            else:
                failed += 1
                error = inbound.error or inbound.inbound.error
                if inbound.inbound.status == InboundMessage.Status.NEW:
                    error = f"{error} (it will be tried again)".strip()
                self.stdout.write(f"{name}: kept, not processed: {error}")
        summary = f"{done} made into tickets or replies, {failed} kept with an error."
        if held:
            summary += f" {held} held for review on their tickets."
        self.stdout.write(summary)
