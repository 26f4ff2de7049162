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
        # Hundreds of in-process (eager) Celery tasks run while seeding: keep their log quiet.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        for seed in demo.seeders():  # each app's (core.demo.register_seeder)
            self.stdout.write(seed())
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD})")
        for user, _created in users:
            labels = ", ".join(str(role.label) for role in roles.roles_of(user))
            self.stdout.write(f"  {user.username:<8} {user.get_full_name():<18} {labels}")
