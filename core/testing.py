"""pytest plugin loaded with ``-p core.testing`` before pytest-django reads the settings.

Where ``DATABASE_URL`` is unset it starts a throw-away embedded PostgreSQL for the run, so
``make test`` needs no database service; pytest-xdist workers inherit the URL from the
controller process. It also sets the test defaults of a few settings (see below); anything
set in the environment wins.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from core import embedded_db

TEST_ENVIRONMENT = {
    # Tests speak plain HTTP to the test client and to the live server of browser tests.
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SECURE_COOKIES": "0",
    # Static files from their sources (no collectstatic before a test run).
    "DJANGO_STATIC_MANIFEST": "0",
    # Unit tests run Celery tasks in-process; the worker test switches to the real broker.
    "CELERY_TASK_ALWAYS_EAGER": "1",
    "DJANGO_SECRET_KEY": "tests-only-secret-key-that-is-long-enough-to-pass-the-deploy-checks",
}

for name, value in TEST_ENVIRONMENT.items():
    os.environ.setdefault(name, value)

if not os.environ.get("DATABASE_URL") and not os.environ.get("PYTEST_XDIST_WORKER"):
    _server = embedded_db.start(
        Path(tempfile.mkdtemp(prefix="kantselei-pg-")) / "data", throwaway=True
    )
    os.environ["DATABASE_URL"] = embedded_db.database_url(_server, "kantselei")
