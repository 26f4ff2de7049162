"""Health check for docker/systemd: is this host's Celery worker answering, is beat sweeping?

``python manage.py worker_healthcheck`` pings the worker named ``celery@<this host>`` (or
``--worker NAME``) over the broker and exits 1 when it does not answer within ``--timeout``.
``--beat`` instead checks that the job sweeper (beat, every minute) ran within ``--max-age``
seconds. Exit 0 means healthy; the reason is printed either way."""

import socket

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = "Exit 0 when the local Celery worker answers a ping (or, with --beat, beat sweeps)."

    def add_arguments(self, parser):
        parser.add_argument("--worker", default=f"celery@{socket.gethostname()}")
        parser.add_argument("--timeout", type=float, default=5.0)
        parser.add_argument("--beat", action="store_true", help="check the sweeper instead")
        parser.add_argument("--max-age", type=int, default=180, help="seconds (with --beat)")

    def handle(self, *args, worker, timeout, beat, max_age, **options):
        if beat:
            from core import jobs

            try:
                swept = jobs.last_sweep()
            except Exception as error:  # the database away: unhealthy, said in one line
                raise CommandError(f"beat: cannot read the job table: {error}") from error
            age = (timezone.now() - swept).total_seconds() if swept else None
            if age is None or age > max_age:
                raise CommandError(f"beat: the last sweep was {age and int(age)} s ago")
            self.stdout.write(f"beat: swept {int(age)} s ago")
            return
        from config.celery import app

        replies = app.control.ping(destination=[worker], timeout=timeout)
        if not any(worker in reply for reply in replies):
            raise CommandError(f"{worker}: no answer within {timeout} s")
        self.stdout.write(f"{worker}: pong")
