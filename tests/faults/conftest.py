"""Fixtures of the fault tests: a Redis, an SMTP server and a real Celery worker of their own.

The servers live for the whole session (starting them costs seconds); each test gets them
running and empty (``worker``), and may stop, start or kill them. The worker is a subprocess on
pytest-django's test database (``test_<name>``, with the xdist suffix) — so the tests that use it
need ``@pytest.mark.django_db(transaction=True)`` to let it see their rows — and on the test's
MEDIA_ROOT (``settings.MEDIA_ROOT`` is set to the worker's directory here).

The test process plays beat: it calls ``core.jobs.sweep()`` itself, with the rows that would
have waited (a lease, a back-off) moved back in time, so that a test runs in seconds.
"""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone

from tests.faults import hooks
from tests.faults.servers import REPO, RedisServer, SMTPServer, Worker, wait_for

hooks.register_kinds()

SETTLED_TIMEOUT = 90  # seconds a job may take on a loaded 2-core machine before a test fails
RECOVERY_BUDGET = 120  # seconds from a service's return to every job done (issue 13)
SWEEP_INTERVAL = 60  # beat runs core.tasks.sweep_jobs every minute (CELERY_BEAT_SCHEDULE)


def pytest_collection_modifyitems(items):
    if shutil.which("redis-server") is None:
        skip = pytest.mark.skip(
            reason="redis-server is not installed (apt-get install redis-server)"
        )
        for item in items:
            if "tests/faults/" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def faults_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("faults")


@pytest.fixture(scope="session")
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def smtp_server():
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


def database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = quote(db.get("HOST") or "127.0.0.1", safe="")  # a socket directory, quoted
    port = db.get("PORT") or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{quote(db['NAME'])}"


@pytest.fixture(scope="session")
def _worker_process(django_db_setup, redis_server, smtp_server, faults_dir):
    media = faults_dir / "media"
    media.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),  # pytest-django's test database, as named now
        "DATABASE_CONN_MAX_AGE": "0",
        "DJANGO_DEBUG": "1",
        "CELERY_BROKER_URL": f"{redis_server.url}/0",
        "CELERY_TASK_ALWAYS_EAGER": "0",  # core.testing sets it to 1 for the test process
        "EMAIL_URL": smtp_server.url,
        "MEDIA_ROOT": str(media),
        "FAULTS_DIR": str(faults_dir),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        "LOG_LEVEL": "INFO",
    }
    env.pop("CACHE_URL", None)  # the worker's cache is its own memory
    env.pop("KANTSELEI_TEST_NOW", None)
    worker = Worker(env=env, log_dir=faults_dir)
    yield worker
    worker.stop()


@pytest.fixture(autouse=True)
def _faults_media(_test_settings, settings, faults_dir):
    """The test process stores files where the worker reads them."""
    media = faults_dir / "media"
    shutil.rmtree(media, ignore_errors=True)
    media.mkdir()
    settings.MEDIA_ROOT = media


@pytest.fixture
def broker(redis_server):
    """Celery in the test process publishes to the test's Redis (not eagerly), as a web process
    does in production."""
    from config.celery import app

    saved = {"task_always_eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}
    # Celery reads CELERY_BROKER_URL from the environment before its configuration (CI sets it
    # to the machine's Redis): point both at the test's own.
    saved_env = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = f"{redis_server.url}/0"
    app.conf.update(task_always_eager=False, broker_url=f"{redis_server.url}/0")
    reset_producer(app)
    yield redis_server
    if saved_env is None:
        os.environ.pop("CELERY_BROKER_URL", None)
    else:
        os.environ["CELERY_BROKER_URL"] = saved_env
    app.conf.update(**saved)
    reset_producer(app)


def reset_producer(app) -> None:
    """Forget the test process's broker connections (after a change of broker or a restart)."""
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def clear_points(directory) -> None:
    for path in directory.glob("hold-*"):
        path.unlink(missing_ok=True)
    for pattern in ("reached-*", "done-*"):
        for path in directory.glob(pattern):
            path.unlink(missing_ok=True)


@pytest.fixture
def worker(_worker_process, redis_server, smtp_server, faults_dir, broker):
    """The worker, running and idle, with an empty Redis and an SMTP server that has received
    nothing. At the end it is let go from any hold point and must be idle again (or is killed)
    before pytest-django empties the database."""
    from core.models import Job

    redis_server.start()
    smtp_server.start()
    redis_server.client().flushall()
    smtp_server.handler.reset()
    clear_points(faults_dir)
    _worker_process.start()
    yield _worker_process
    clear_points(faults_dir)
    smtp_server.handler.reset()
    try:
        wait_for(
            lambda: not Job.objects.filter(state=Job.State.RUNNING).exists(),
            timeout=15,
            what="the worker to finish its jobs",
        )
    except AssertionError:
        _worker_process.kill()


@pytest.fixture
def letter_parts(make_user):
    """A clerk who sends letters, a series and an addressee by e-mail."""
    from core import roles
    from tests.factories import PartyFactory, SeriesFactory

    clerk = make_user(roles.CLERK, username="clerk", email="clerk@example.ee")
    series = SeriesFactory(code="1-2", title="Kirjavahetus asutuste ja isikutega")
    party = PartyFactory(
        name="OÜ Põhjarannik", code="", address="Mere pst 5, 10111 Tallinn", email="info@ranna.ee"
    )
    return clerk, series, party


# --- Helpers the tests share ---------------------------------------------------------------------


def reached(faults_dir, point: str) -> int:
    path = faults_dir / f"reached-{point}"
    return len(path.read_text().splitlines()) if path.exists() else 0


def hold_at(faults_dir, point: str) -> None:
    (faults_dir / f"hold-{point}").touch()


def release(faults_dir, point: str) -> None:
    (faults_dir / f"hold-{point}").unlink(missing_ok=True)


def wait_reached(faults_dir, point: str, worker: Worker, timeout: float = SETTLED_TIMEOUT):
    wait_for(
        lambda: reached(faults_dir, point),
        timeout=timeout,
        what=f"the worker to reach the hold point {point!r}",
        detail=worker.log_tail,
    )


def heartbeat_silent() -> int:
    """Move the last heartbeat of every running job back past JOBS_HEARTBEAT_TIMEOUT_SECONDS,
    as a minute without a sign of life from its (dead) worker would."""
    from django.conf import settings

    from core.models import Job

    return Job.objects.filter(state=Job.State.RUNNING).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.JOBS_HEARTBEAT_TIMEOUT_SECONDS + 1)
    )


def lease_expired() -> int:
    """Move the start of every running job back past its lease: the worker that had it is dead
    or hangs (the hard limit behind the heartbeat)."""
    from core import jobs
    from core.models import Job

    moved = 0
    for job in Job.objects.filter(state=Job.State.RUNNING):
        lease = jobs.kinds()[job.kind].lease_seconds
        moved += Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
            started_at=timezone.now() - timedelta(seconds=lease + 1)
        )
    return moved


def backoff_elapsed() -> int:
    """Make every pending job due now, as if its back-off had passed."""
    from core.models import Job

    return Job.objects.filter(state=Job.State.PENDING, next_attempt_at__gt=timezone.now()).update(
        next_attempt_at=timezone.now()
    )


def unsettled():
    from core import jobs
    from core.models import Job

    return list(
        Job.objects.exclude(key=jobs.SWEEP_KEY)
        .exclude(state__in=[Job.State.DONE, Job.State.FAILED])
        .values_list("kind", "state", "attempts", "last_error")
    )


def wait_settled(worker: Worker, *, timeout: float = SETTLED_TIMEOUT, sweep_every: float = 0):
    """Wait until no job is pending or running; with ``sweep_every`` the test plays beat that
    often meanwhile."""
    import time

    from core import jobs

    last = time.monotonic()

    def settled():
        nonlocal last
        if sweep_every and time.monotonic() - last >= sweep_every:
            jobs.sweep()
            last = time.monotonic()
        return not unsettled()

    wait_for(
        settled,
        timeout=timeout,
        what="every job to be done",
        detail=lambda: f"unsettled jobs: {unsettled()}\n{worker.log_tail()}",
    )
