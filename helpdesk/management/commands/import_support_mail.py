"""Read support e-mail into tickets: the given .eml files, or the mailbox of HELPDESK_IMAP_URL."""

from pathlib import Path

from django.core.management.base import BaseCommand

from helpdesk import mail
from helpdesk.models import InboundEmail


class Command(BaseCommand):
    help = (
        "Make tickets of support e-mail: .eml files given, or the IMAP mailbox (HELPDESK_IMAP_URL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help=".eml files; none: read the mailbox")

    def handle(self, *args, files=(), **options):
        if not files:
            count = mail.mailbox_read()
            self.stdout.write(f"Mailbox: {count} messages read.")
            return
        done = failed = 0
        for name in files:
            inbound = mail.import_message(Path(name).read_bytes())
            if inbound.status == InboundEmail.Status.DONE:
                done += 1
                self.stdout.write(f"{name}: ticket {inbound.ticket.reference}")
            else:
                failed += 1
                self.stdout.write(f"{name}: kept, not processed: {inbound.error}")
        self.stdout.write(f"{done} made into tickets or replies, {failed} kept with an error.")
