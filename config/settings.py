"""Kantselei settings (with config/settings_operations.py): every value from the environment with a
safe local default.

``.env.example`` documents each variable. ``DJANGO_DEBUG`` is off unless set (``make run`` sets it).
"""

import warnings
from datetime import time
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from core import embedded_db, envfile

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
envfile.load(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="" if not DEBUG else "insecure-local-development-key")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development).")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
AGENCY_NAME = env("AGENCY_NAME", default="Näidisamet · Digiteenuste osakond")
AGENCY_ADDRESS = env("AGENCY_ADDRESS", default="Suur-Ameerika 1, 10122 Tallinn")
AGENCY_CONTACT = env(
    "AGENCY_CONTACT",
    default="+372 600 0000 · info@naidisamet.example.ee · www.naidisamet.example.ee",
)
# The agency's e-seal on the PDFs the portal sends by itself (core/seal.py); no file = no seal.
SEAL_PKCS12_FILE = env("SEAL_PKCS12_FILE", default="")
# Read as it is: django-environ would take a password starting with "$" for another variable.
SEAL_PKCS12_PASSWORD = env.ENVIRON.get("SEAL_PKCS12_PASSWORD", "")
SEAL_TIMESTAMP_URL = env("SEAL_TIMESTAMP_URL", default="")  # RFC 3161 TSA (PAdES B-T); empty: none
SEAL_TIMESTAMP_TIMEOUT = env.int("SEAL_TIMESTAMP_TIMEOUT", default=10)
SEAL_NAME = env("SEAL_NAME", default=AGENCY_NAME)
SEAL_REASON = env("SEAL_REASON", default=f"E-seal of {AGENCY_NAME}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    "mozilla_django_oidc",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "registry",
    "correspondence",
    "mtr",
    "helpdesk",
    "assets",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.HostileInputMiddleware",  # before CSRF reads the body
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.second_factor.AdminSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
            # {% submission_key %} beside {% csrf_token %} in every form (core.submissions)
            "builtins": ["core.templatetags.submissions"],
        },
    },
]

# --- Database: DATABASE_URL, or the embedded PostgreSQL under var/ (never SQLite) -------------
DATABASE_URL = env("DATABASE_URL", default="") or embedded_db.default_database_url(BASE_DIR)
DATABASES = {"default": embedded_db.database_settings(DATABASE_URL)}
# Connections are kept for a minute (and checked before reuse): opening one for every request
# cost each page a few milliseconds of connecting and authenticating. 0 closes them after each.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# No JIT compilation: it pays off for long analytical queries, and cost a page's capped count or
# search 30–40 ms of compiling on a million rows (issue 16). No Memoize nodes: a list page's
# LIMIT 50 join to its parties and people was planned with caches sized for the whole table,
# whose setting up cost the query 2 ms where it runs in 0.3 (a list page 2–4 ms faster without).
# A "-c" option of the URL still wins.
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"]["options"] = (
    "-c jit=off -c enable_memoize=off " + DATABASES["default"]["OPTIONS"].get("options", "")
).strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://kantselei")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Redis away must not make pages answer 500: memory per process until it returns.
    CACHES["default"]["BACKEND"] = "core.cache.FailoverRedisCache"

# --- Users, sign-in and sessions ---------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "core.auth.PermissionBackend",  # ModelBackend, permissions in one query
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)  # idle timeout
# The idle timeout slides: a signed-in request saves the session (and renews its expiry) when
# the last save is older than this, not on every request (core.middleware).
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)

# A one-time code (TOTP) before the admin site (core/second_factor.py).
ADMIN_SECOND_FACTOR = env.bool("ADMIN_SECOND_FACTOR", default=True)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Kantselei")

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)

# Optional OpenID Connect sign-in (the agency's SSO or TARA); maps to existing users only.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", default=None)
    OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", default="openid email profile")
    AUTHENTICATION_BACKENDS.append("core.auth.ExistingUserOIDCBackend")
OIDC_CREATE_USER = False
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="SSO")

# --- Security headers --------------------------------------------------------------------------
SECURE_COOKIES = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
RATELIMIT_VIEW = "core.views.ratelimited"
# Behind AXES_PROXY_COUNT proxies, the client comes from X-Forwarded-For (core/ratelimits.py).
RATELIMIT_IP_META_KEY = "core.ratelimits.client_ip"
SILENCED_SYSTEM_CHECKS = env.list("DJANGO_SILENCED_CHECKS", default=[])
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # One process (make run, tests): an in-memory cache is shared enough for rate limits.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]

# --- Languages, time, formats ------------------------------------------------------------------
LANGUAGE_CODE = "et"
LANGUAGES = [("et", _("Estonian")), ("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [Path(env("DJANGO_LOCALE_DIR", default=str(BASE_DIR / "locale")))]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Tallinn"
FORMAT_MODULE_PATH = ["config.formats"]

# Office hours for SLAs in working hours (core.calendar); shortened before some holidays.
OFFICE_DAY_START = time.fromisoformat(env("OFFICE_DAY_START", default="09:00"))
OFFICE_DAY_END = time.fromisoformat(env("OFFICE_DAY_END", default="17:00"))
PRE_HOLIDAY_SHORTENED_HOURS = env.int("PRE_HOLIDAY_SHORTENED_HOURS", default=3)

# --- Static and uploaded files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "var" / "staticfiles")))
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"  # never served directly: staff files go through permission-checking views
# Production serves collected, hashed files (collectstatic); development and tests the sources.
STATIC_MANIFEST = env.bool("DJANGO_STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
if not STATIC_MANIFEST:  # nothing is collected in development and tests
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Limits checked while a request is read (core.middleware.HostileInputMiddleware and
# core.upload_handlers): a whole request body (Content-Length, and the files as they arrive).
REQUEST_MAX_BYTES = env.int(
    "REQUEST_MAX_BYTES", default=10 * UPLOAD_MAX_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE
)
FILE_UPLOAD_HANDLERS = [
    "core.upload_handlers.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o640

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Delivery of decisions (core.terms: HMS § 75, HKMS § 46; the days to warn of no delivery) ---
CHALLENGE_PERIOD_DAYS = env.int("CHALLENGE_PERIOD_DAYS", default=30)
DELIVERY_WARNING_DAYS = env.int("DELIVERY_WARNING_DAYS", default=7)

# --- Document register (DOMAIN.md: the law's numbers, kept here because the law changes) -------
REGISTRY_INFORMATION_REQUEST_DAYS = env.int("REGISTRY_INFORMATION_REQUEST_DAYS", default=5)
REGISTRY_INFORMATION_REQUEST_MAX_DAYS = env.int("REGISTRY_INFORMATION_REQUEST_MAX_DAYS", default=15)
REGISTRY_MEMORANDUM_DAYS = env.int("REGISTRY_MEMORANDUM_DAYS", default=30)
# MSVS § 6: a memorandum's term may be extended, with notice to the person, to this many months
# in all from registration.
REGISTRY_MEMORANDUM_MAX_MONTHS = env.int("REGISTRY_MEMORANDUM_MAX_MONTHS", default=2)
REGISTRY_DUE_SOON_WORKING_DAYS = env.int("REGISTRY_DUE_SOON_WORKING_DAYS", default=2)
REGISTRY_RESTRICTION_MAX_YEARS = env.int("REGISTRY_RESTRICTION_MAX_YEARS", default=5)
REGISTRY_RESTRICTION_EXTENSION_YEARS = env.int("REGISTRY_RESTRICTION_EXTENSION_YEARS", default=5)
REGISTRY_RESTRICTION_PERSONAL_DATA_MAX_YEARS = env.int(
    "REGISTRY_RESTRICTION_PERSONAL_DATA_MAX_YEARS", default=75
)

# --- MTR (DOMAIN.md) ---------------------------------------------------------------------------
MTR_LICENCE_DECISION_DAYS = env.int("MTR_LICENCE_DECISION_DAYS", default=30)
MTR_DEFICIENCY_ANSWER_DAYS = env.int("MTR_DEFICIENCY_ANSWER_DAYS", default=14)
# How far (calendar days past the present term) a licence decision's term may be extended, once,
# with notice to the applicant (mtr.services.application_extend).
MTR_EXTENSION_MAX_DAYS = env.int("MTR_EXTENSION_MAX_DAYS", default=30)
MTR_CHANGE_REPORT_WORKING_DAYS = env.int("MTR_CHANGE_REPORT_WORKING_DAYS", default=5)
# User support: (first answer, resolution) in working hours by priority, e.g. "urgent=1:4".
HELPDESK_SLA = {
    "urgent": (1, 4),
    "high": (4, 16),
    "normal": (8, 40),
    "low": (16, 80),
}
for _priority, _hours in env.dict("HELPDESK_SLA", default={}).items():
    HELPDESK_SLA[_priority] = tuple(int(h) for h in _hours.split(":"))
HELPDESK_CLOSE_AFTER_DAYS = env.int("HELPDESK_CLOSE_AFTER_DAYS", default=7)
HELPDESK_VISIT_RETENTION_DAYS = env.int("HELPDESK_VISIT_RETENTION_DAYS", default=365)
HELPDESK_PUBLIC_PAGE_RATE = env("HELPDESK_PUBLIC_PAGE_RATE", default="120/m")
HELPDESK_PUBLIC_CONTACT_RATE = env("HELPDESK_PUBLIC_CONTACT_RATE", default="10/h")
# The support mailbox (read by core.intake every minute), e.g. imaps://user:pw@mail.example.ee/INBOX
HELPDESK_IMAP_URL = env("HELPDESK_IMAP_URL", default="")
HELPDESK_MAIL_MAX_BYTES = env.int("HELPDESK_MAIL_MAX_BYTES", default=40 * 1024 * 1024)
# The intake (core.intake) reads every minute: HELPDESK_IMAP_URL (mailbox "helpdesk"), the
# agency's general mailbox (REGISTRY_IMAP_URL, mailbox "registry") and the scanner's drop folder
# (SCANNER_DROP_DIR, mailbox "scanner"); the last two feed the registration inbox.
REGISTRY_IMAP_URL = env("REGISTRY_IMAP_URL", default="")
SCANNER_DROP_DIR = env("SCANNER_DROP_DIR", default="")
INTAKE_READ_LIMIT = env.int("INTAKE_READ_LIMIT", default=200)  # messages per source and run
# A larger message is kept as it came and failed with the reason (never lost, never parsed).
INTAKE_MAX_BYTES = env.int("INTAKE_MAX_BYTES", default=HELPDESK_MAIL_MAX_BYTES)
INTAKE_MAX_ATTEMPTS = env.int("INTAKE_MAX_ATTEMPTS", default=8)
# A file of the drop folder changed more recently than this may still be being written.
INTAKE_DROP_SETTLE_SECONDS = env.int("INTAKE_DROP_SETTLE_SECONDS", default=10)
# Assets: the series of the document register for disposal acts; reviews and notices of rights.
ASSETS_ACT_SERIES = env("ASSETS_ACT_SERIES", default="3-4")
ASSETS_REVIEW_DAYS = env.int("ASSETS_REVIEW_DAYS", default=180)
ASSETS_EXPIRY_NOTICE_DAYS = env.int("ASSETS_EXPIRY_NOTICE_DAYS", default=30)
# Procurement thresholds: dated rows in the admin (assets.ProcurementThreshold), not settings.
# Postage of one letter by kind of post (€), for the sums of the daily dispatch list.
CORRESPONDENCE_POSTAGE = {
    "post": env("POSTAGE_LETTER", default="1.90"),
    "registered": env("POSTAGE_REGISTERED", default="4.20"),
}
# Signing letters through the signing gateway (SiGa: Smart-ID, Mobile-ID): empty URL = off.
SIGA_URL = env("SIGA_URL", default="")
SIGA_SERVICE_UUID = env("SIGA_SERVICE_UUID", default="")
SIGA_SIGNING_KEY = env("SIGA_SIGNING_KEY", default="")
SIGA_TIMEOUT_SECONDS = env.float("SIGA_TIMEOUT_SECONDS", default=15)
# The signature verifier's trust store (core/trust.py): a PEM bundle or a folder of
# PEM/CRT files with the CAs (roots and issuing CAs), OCSP responders and TSAs DigiDoc trusts.
SIGNATURE_TRUST_STORE = env("SIGNATURE_TRUST_STORE", default="") or str(
    BASE_DIR / "config" / "trust"
)
# A second opinion on signed containers from SiVa (POST <url>/validate): empty = off.
SIVA_URL = env("SIVA_URL", default="")
SIVA_TIMEOUT_SECONDS = env.float("SIVA_TIMEOUT_SECONDS", default=20)
# Where submitted applications are registered in the document register (series codes by kind).
MTR_APPLICATION_SERIES = {
    "licence": env("MTR_LICENCE_SERIES", default="4-1"),
    "notice": env("MTR_NOTICE_SERIES", default="4-2"),
}
MTR_ESERVICE_USERNAME = "mtr-e-teenus"  # the account that registers e-service submissions
MTR_MAX_FILES = env.int("MTR_MAX_FILES", default=10)
MTR_PUBLIC_SUBMIT_RATE = env("MTR_PUBLIC_SUBMIT_RATE", default="10/h")
MTR_PUBLIC_STATUS_RATE = env("MTR_PUBLIC_STATUS_RATE", default="20/m")
MTR_PUBLIC_PAGE_RATE = env("MTR_PUBLIC_PAGE_RATE", default="120/m")
MTR_PUBLIC_EXPORT_RATE = env("MTR_PUBLIC_EXPORT_RATE", default="10/m")

# --- E-mail ------------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Kantselei <kantselei@example.ee>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 30
if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":  # noqa: F821 - from EMAIL_URL
    # Records the SMTP exchange so that a crash never sends an accepted e-mail twice (core.mail).
    EMAIL_BACKEND = "core.mail.SMTPBackend"

# --- Celery, background and periodic jobs, logging: config/settings_operations.py ------------
from config.settings_operations import *  # noqa: E402, F403 - part of these settings

CELERY_TIMEZONE = TIME_ZONE
