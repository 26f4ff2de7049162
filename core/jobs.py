"""Background jobs: one mechanism for every kind, PostgreSQL the record, Redis only a trigger.

The rule (DESIGN.md, "every job recoverable"): the work a request asks for is a ``core.Job`` row
written in that request's transaction; Celery is only asked to run it after commit. Whatever goes
wrong afterwards — Redis down when the request committed, a message lost, a worker killed with
``kill -9`` mid-job, an exception — the row says so, and the sweeper that beat runs every minute
puts it right. So a fault costs a delay of minutes, never a lost job, and a request never fails
because the broker is down.

The API (everything else here is private):

``register(kind, func, *, max_attempts=8, lease_seconds=300, on_failure=None)``
    Say which function does a kind of job (``max_attempts`` may be a callable that reads a
    setting). Apps call it at import of their ``tasks.py`` (which
    this module imports on first need, in every process), so a kind that can be queued is a kind
    that the sweeper recovers: there is no separate sweeper to forget. ``func(**args)`` must be
    idempotent (check the domain row's own state first: "already made", "already sent") because
    a job whose worker died is run again. ``on_failure(error=..., **args)`` is called once when
    the job is given up after ``max_attempts`` (to show the failure on the domain row).
    ``lease_seconds`` is how long a run may take before it counts as dead (keep it above the
    Celery time limit, CELERY_TASK_TIME_LIMIT).

``enqueue(kind, *, key=None, **args) -> Job``
    Write the row in the caller's transaction (JSON-able ``args``). With a ``key`` the same key
    twice returns the existing row (whatever its state): a retried request makes one job. After
    commit ``core.tasks.run_job(job_id)`` is queued; a broker error is logged, not raised — the
    row stays pending and the sweeper queues it. In eager mode (no broker: development, tests)
    the job runs in-process after commit.

``settle(job)``
    Eager mode only: run the job now, in the caller's transaction, so its result exists when the
    caller returns (``registry.services.attachment_add``: the text and OCR of a file).

``requeue(job) -> Job``
    Make a done or failed job pending again (attempts from 0) and queue it after commit: "do it
    again" (a letter changed, the admin's "run again").

``run(job_id) -> bool``
    Claim a due pending row (pending → running, ``attempts + 1``, ``started_at``; committed),
    run its function outside that transaction, then mark it done. On an exception the error is
    kept in ``last_error`` and the job waits ``backoff(attempts)`` (30 s, 1, 2, 4 min …, capped at
    JOBS_MAX_BACKOFF_SECONDS) before the sweeper queues it again, or becomes failed after
    ``max_attempts``. Returns whether the function ran to completion now.

``sweep() -> dict``
    Beat runs it every minute (``core.tasks.sweep_jobs``): running rows whose worker stopped
    writing their heartbeat (a killed worker: ``heartbeat_at`` older than
    JOBS_HEARTBEAT_TIMEOUT_SECONDS) or whose lease expired (a run that hangs) become pending
    again; due pending rows not queued within the last minute are queued. Records its own time
    (``last_sweep()``) for /healthz.

``health() -> dict``
    The figures /healthz shows: pending jobs, the age of the oldest due one, failed in 24 h,
    uncertain e-mails, the last sweep.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Min, Q
from django.utils import timezone

from core.models import Job, OutboundEmail
from core.workflow import locking

log = logging.getLogger(__name__)

SWEEP_KEY = "core.sweep"  # a done row whose finished_at is the time of the last sweep
REQUEUE_AFTER = timedelta(seconds=60)  # a pending row queued longer ago is queued again
BATCH = 500


@dataclass(frozen=True)
class Kind:
    name: str
    func: Callable[..., object]
    max_attempts: int | Callable[[], int]
    lease_seconds: int
    on_failure: Callable[..., object] | None

    @property
    def attempts_allowed(self) -> int:
        """``max_attempts``, read now when it is a callable (a setting that tests change)."""
        return self.max_attempts() if callable(self.max_attempts) else self.max_attempts


_kinds: dict[str, Kind] = {}
_loaded = threading.Event()


def register(
    kind: str,
    func: Callable[..., object],
    *,
    max_attempts: int | Callable[[], int] = 8,
    lease_seconds: int | None = None,
    on_failure: Callable[..., object] | None = None,
) -> None:
    """Say that jobs of ``kind`` are done by ``func(**args)`` (see the module docstring)."""
    _kinds[kind] = Kind(
        name=kind,
        func=func,
        max_attempts=max_attempts,
        lease_seconds=lease_seconds or settings.JOBS_LEASE_SECONDS,
        on_failure=on_failure,
    )


def kinds() -> dict[str, Kind]:
    """Every registered kind; imports each app's ``tasks`` module, where apps register them."""
    if not _loaded.is_set():
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
        _loaded.set()
    return _kinds


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed run: 30 s, 1, 2, 4 … minutes, capped."""
    seconds = settings.JOBS_FIRST_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.JOBS_MAX_BACKOFF_SECONDS))


# --- Queueing ----------------------------------------------------------------------------------


def enqueue(kind: str, *, key: str | None = None, **args) -> Job:
    """Write a pending job in the caller's transaction and queue it after commit (idempotent by
    ``key``; see the module docstring)."""
    if kind not in kinds():
        raise ValueError(f"Unknown job kind {kind!r}: register it with core.jobs.register().")
    key = key or f"{kind}:{uuid.uuid4().hex}"
    existing = Job.objects.filter(key=key).first()
    if existing is not None:
        return existing
    job = Job(kind=kind, key=key[:200], args=args)
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin with the same key wins
            job.save()
    except IntegrityError:
        return Job.objects.get(key=key)
    _queue_on_commit(job.pk)
    return job


def settle(job: Job) -> None:
    """Eager mode only (no broker: development and tests): run the job now, inside the caller's
    transaction, so that its result is there when the caller returns even when the commit is
    far away (an outer transaction, a test's). With a broker this does nothing: the job runs in
    a worker after commit. Whatever goes wrong here is left to the normal path (the job stays
    pending and runs after commit, or the sweeper runs it)."""
    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return
    try:
        with transaction.atomic():
            run(job.pk)
    except Exception:  # the savepoint is rolled back: the job is pending again
        log.warning("job %s: could not be run at once, it runs after commit", job.pk, exc_info=True)


def requeue(job: Job) -> Job:
    """Make a done or failed job pending again and queue it; a pending or running one is left
    as it is (it will run anyway)."""
    updated = Job.objects.filter(pk=job.pk, state__in=[Job.State.DONE, Job.State.FAILED]).update(
        state=Job.State.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        last_error="",
        finished_at=None,
    )
    if updated:
        _queue_on_commit(job.pk)
    job.refresh_from_db()
    return job


def _queue_on_commit(job_id: int) -> None:
    transaction.on_commit(lambda: _queue(job_id))


def _queue(job_id: int) -> bool:
    """Ask Celery to run the job. A broker that cannot be reached is logged, never raised: the
    row is pending and the sweeper queues it again within a minute."""
    from core import tasks

    Job.objects.filter(pk=job_id, state=Job.State.PENDING).update(queued_at=timezone.now())
    try:
        tasks.run_job.apply_async(args=[job_id], retry=False)
    except Exception:  # kombu raises OperationalError, OSError, … when Redis is down
        log.warning("job %s: could not queue it (the sweeper will)", job_id, exc_info=True)
        Job.objects.filter(pk=job_id, state=Job.State.PENDING).update(queued_at=None)
        return False
    return True


# --- Running -----------------------------------------------------------------------------------


def run(job_id: int) -> bool:
    """Claim the job, run its function, record the outcome (see the module docstring)."""
    now = timezone.now()
    with transaction.atomic():
        job = (
            locking(Job.objects, skip_locked=True)
            .filter(pk=job_id, state=Job.State.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if job is None:  # done, running elsewhere, not yet due, or gone: nothing to do
            return False
        job.state, job.started_at, job.heartbeat_at = Job.State.RUNNING, now, now
        job.attempts += 1
        job.save(update_fields=["state", "started_at", "heartbeat_at", "attempts"])
    attempt = job.attempts
    kind = kinds().get(job.kind)
    alive = _Heartbeat(job.pk, attempt)
    try:
        if kind is None:
            raise LookupError(f"no function is registered for job kind {job.kind!r}")
        kind.func(**job.args)
    except Exception as error:
        alive.stop()
        _drop_broken_connection()
        _failed(job, kind, attempt, error)
        return False
    alive.stop()
    Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, attempts=attempt).update(
        state=Job.State.DONE, finished_at=timezone.now(), last_error=""
    )
    return True


class _Heartbeat:
    """While a job runs, a thread of its worker writes ``heartbeat_at`` every
    JOBS_HEARTBEAT_SECONDS. A worker killed with ``kill -9`` stops writing it, and the sweeper
    gives the job back once it is JOBS_HEARTBEAT_TIMEOUT_SECONDS old: recovery in about two
    minutes, not after the whole lease (which stays the limit for a job that hangs alive)."""

    def __init__(self, job_id: int, attempt: int):
        self._job_id, self._attempt = job_id, attempt
        self._stopped = threading.Event()
        self._thread = None
        if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):  # eager: the request itself
            self._thread = threading.Thread(target=self._beat, name=f"job-{job_id}", daemon=True)
            self._thread.start()

    def _beat(self) -> None:
        from django.db import connections

        try:
            while not self._stopped.wait(settings.JOBS_HEARTBEAT_SECONDS):
                try:
                    Job.objects.filter(
                        pk=self._job_id, state=Job.State.RUNNING, attempts=self._attempt
                    ).update(heartbeat_at=timezone.now())
                except Exception:  # the database is away: the next beat tries again
                    log.warning("job %s: heartbeat not written", self._job_id, exc_info=True)
                    connections.close_all()
        finally:
            connections.close_all()  # this thread's own connection

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


def _drop_broken_connection() -> None:
    """A job that failed because PostgreSQL dropped its connection (a restart, a failover) must
    still be able to record that: close the dead connection so the next query opens a new one.
    Without it the record fails too and the job stays "running" until its lease runs out."""
    if not connection.in_atomic_block and connection.errors_occurred:
        connection.close_if_unusable_or_obsolete()


def _failed(job: Job, kind: Kind | None, attempt: int, error: Exception) -> None:
    message = f"{type(error).__name__}: {error}"[:2000]
    max_attempts = kind.attempts_allowed if kind else 1
    if attempt >= max_attempts:
        log.error("job %s (%s) failed for good: %s", job.pk, job.kind, message)
        updated = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, attempts=attempt).update(
            state=Job.State.FAILED, finished_at=timezone.now(), last_error=message
        )
        if updated and kind is not None and kind.on_failure is not None:
            try:
                kind.on_failure(error=message, **job.args)
            except Exception:
                log.exception("job %s (%s): on_failure raised", job.pk, job.kind)
        return
    log.warning("job %s (%s) attempt %s failed: %s", job.pk, job.kind, attempt, message)
    Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, attempts=attempt).update(
        state=Job.State.PENDING,
        next_attempt_at=timezone.now() + backoff(attempt),
        last_error=message,
        queued_at=None,
    )


# --- The sweeper -------------------------------------------------------------------------------


def sweep() -> dict[str, int]:
    """Give back the jobs of dead workers and queue what is due (every minute, by beat)."""
    now = timezone.now()
    registered = kinds()
    released = 0
    running_kinds = (
        Job.objects.filter(state=Job.State.RUNNING).values_list("kind", flat=True).distinct()
    )
    for name in list(running_kinds):
        lease = (
            registered[name].lease_seconds if name in registered else settings.JOBS_LEASE_SECONDS
        )
        silent = now - timedelta(seconds=settings.JOBS_HEARTBEAT_TIMEOUT_SECONDS)
        released += (
            Job.objects.filter(kind=name, state=Job.State.RUNNING)
            .filter(
                Q(started_at__lt=now - timedelta(seconds=lease))
                | Q(heartbeat_at__lt=silent)
                | Q(heartbeat_at__isnull=True, started_at__lt=silent)
            )
            .update(state=Job.State.PENDING, next_attempt_at=now, queued_at=None)
        )
    if released:
        log.warning("sweeper: %s running job(s) outlived their lease; pending again", released)
    due = list(
        Job.objects.filter(state=Job.State.PENDING, next_attempt_at__lte=now)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - REQUEUE_AFTER))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    queued = sum(_queue(job_id) for job_id in due)
    _record_sweep(now)
    return {"released": released, "due": len(due), "queued": queued}


def _record_sweep(now: datetime) -> None:
    updated = Job.objects.filter(key=SWEEP_KEY).update(finished_at=now)
    if not updated:
        try:
            with transaction.atomic():
                Job.objects.create(
                    kind=SWEEP_KEY, key=SWEEP_KEY, state=Job.State.DONE, finished_at=now
                )
        except IntegrityError:
            pass


def last_sweep() -> datetime | None:
    return Job.objects.filter(key=SWEEP_KEY).values_list("finished_at", flat=True).first()


def health() -> dict:
    """Cheap, anonymous-safe figures of the job table for /healthz (indexed queries only)."""
    now = timezone.now()
    pending = Job.objects.filter(state=Job.State.PENDING)
    oldest = pending.filter(next_attempt_at__lte=now).aggregate(oldest=Min("next_attempt_at"))
    oldest_due = oldest["oldest"]
    swept = last_sweep()
    return {
        "pending": pending.count(),
        "oldest_due_seconds": int((now - oldest_due).total_seconds()) if oldest_due else 0,
        "failed_24h": Job.objects.filter(
            state=Job.State.FAILED, finished_at__gte=now - timedelta(hours=24)
        )
        .exclude(kind=SWEEP_KEY)
        .count(),
        "uncertain_emails": OutboundEmail.objects.filter(
            status=OutboundEmail.Status.UNCERTAIN
        ).count(),
        "last_sweep": swept.isoformat() if swept else None,
        "last_sweep_seconds": int((now - swept).total_seconds()) if swept else None,
    }


__all__ = ["backoff", "enqueue", "health", "kinds", "last_sweep", "register", "requeue", "run"]
__all__ += ["sweep"]
