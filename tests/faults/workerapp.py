"""The Celery app of the fault tests' worker: the project's app (``config.celery``) with the hold
points and the test-only job kind of ``hooks.py``. Run as ``celery -A tests.faults.workerapp
worker``; the prefork pool's child inherits what is installed here."""

import django

from config.celery import app

django.setup()

from tests.faults import hooks  # noqa: E402 - needs the apps loaded

hooks.register_kinds()
hooks.install_hold_points()

__all__ = ["app"]
