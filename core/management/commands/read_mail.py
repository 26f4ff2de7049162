"""Read every configured mailbox and drop folder of the intake once (what beat does every
minute): ``python manage.py read_mail [--mailbox NAME] [--limit N]``.

Sources: HELPDESK_IMAP_URL (mailbox "helpdesk"), REGISTRY_IMAP_URL ("registry") and
SCANNER_DROP_DIR ("scanner"). Prints how many new messages each gave, and the error of a source
that could not be read (exit 1 then)."""

from django.core.management.base import BaseCommand, CommandError

from core.intake import services
from core.intake.models import Mailbox


class Command(BaseCommand):
    help = "Read the intake's mailboxes and drop folder once."

    def add_arguments(self, parser):
        parser.add_argument("--mailbox", help="only this source (helpdesk, registry, scanner)")
        parser.add_argument("--limit", type=int, help="at most this many messages per source")

    def handle(self, *args, mailbox=None, limit=None, **options):
        names = [name for name, *_rest in services.sources()]
        if mailbox and mailbox not in names:
            configured = ", ".join(names) or "none"
            raise CommandError(f"{mailbox}: not a configured source (configured: {configured})")
        if not names:
            self.stdout.write("No mailbox or drop folder is configured.")
            return
        read = services.read_sources(only=mailbox, limit=limit)
        errors = dict(
            Mailbox.objects.filter(name__in=read)
            .exclude(last_error="")
            .values_list("name", "last_error")
        )
        for name, count in read.items():
            self.stdout.write(f"{name}: {count} new")
            if name in errors:
                self.stderr.write(f"{name}: {errors[name]}")
        if errors:
            raise CommandError(f"could not read: {', '.join(sorted(errors))}")
