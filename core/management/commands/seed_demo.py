import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import demo, roles


class Command(BaseCommand):
    help = "Load the demo data: one login per role (idempotent: a second run changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DEBUG off (demo logins have a published password).",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Demo logins have a published password: run with DJANGO_DEBUG=1 "
                "or pass --allow-production on a demo server."
            )
        users = demo.seed_users()
        created = sum(1 for _user, was_created in users if was_created)
        self.stdout.write(f"Demo users: {created} created, {len(users) - created} already there.")
        from registry import demo as registry_demo

        # Hundreds of in-process (eager) Celery tasks run while seeding: keep their log quiet.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)

        series = registry_demo.seed_scheme()
        documents = registry_demo.seed_documents()
        self.stdout.write(f"Document register: {series} series and {documents} documents created.")
        from registry import demo_inbox

        inbox = demo_inbox.seed_inbox()
        self.stdout.write(f"Registration inbox: {inbox} messages and scans.")
        from mtr import demo as mtr_demo

        areas = mtr_demo.seed_areas()
        entries = mtr_demo.seed_entries()
        applications = mtr_demo.seed_applications()
        self.stdout.write(
            f"MTR: {areas} areas of activity, {entries} entries and "
            f"{applications} applications created."
        )
        from correspondence import demo as correspondence_demo

        templates = correspondence_demo.seed_templates()
        letters = correspondence_demo.seed_letters()
        self.stdout.write(f"Outgoing mail: {templates} templates and {letters} letters created.")
        from helpdesk import demo as helpdesk_demo

        articles = helpdesk_demo.seed_articles()
        tickets = helpdesk_demo.seed_tickets()
        calls, visits = helpdesk_demo.seed_desk()
        self.stdout.write(
            f"User support: {articles} articles, {tickets} tickets, {calls} calls and "
            f"{visits} visits created."
        )
        from assets import demo as assets_demo

        assets = assets_demo.seed_assets()
        rest = assets_demo.seed_rest()
        self.stdout.write(
            f"Assets: {assets} assets, {rest.get('grants', 0)} access rights, "
            f"{rest.get('disposals', 0)} disposals and {rest.get('quotes', 0)} quote requests "
            "created."
        )
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD})")
        for user, _created in users:
            labels = ", ".join(str(role.label) for role in roles.roles_of(user))
            self.stdout.write(f"  {user.username:<8} {user.get_full_name():<18} {labels}")
