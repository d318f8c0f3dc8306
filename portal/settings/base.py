"""Base settings, twelve-factor style.

With nothing set: SQLite under var/, Celery tasks run eagerly in-process, e-mail to the
console, uploads in a private folder under var/. With DATABASE_URL and CELERY_BROKER_URL /
REDIS_URL: PostgreSQL (psycopg 3), Redis cache and real Celery workers.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _
from redis.backoff import NoBackoff
from redis.retry import Retry

from portal.countries import countries_override
from portal.settings.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

# Development key only; production settings require DJANGO_SECRET_KEY.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "portal",
    "portal.audit",
    "eligibility",
    "eligibility.labour_market",
    "applications",
    "applications.stay",
    "applications.employers",
    "applications.forecasts",
    "applications.statistics",
    "applications.analytics",
    "django_countries",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session (and anything else) reads a cookie.
    "portal.inputs.HostileCookieMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.UserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads a query string (admin filters, queue filters, searches).
    "portal.inputs.HostileRequestMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
                "applications.inbox.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASES = {"default": environ.Env.db_url_config(DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite is the embedded default for `make run`; give concurrent requests a moment
    # instead of failing with "database is locked". IMMEDIATE takes the write lock when a
    # transaction begins, so two writers queue (busy timeout) instead of one failing midway
    # when it upgrades a read lock (Django 5.1+, "Enabling transaction modes" in its docs).
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Tests use a file, not Django's shared-cache in-memory database: shared cache locks
    # per table and answers "database table is locked" at once, ignoring the busy timeout,
    # so concurrent tests (two uploads at once) would fail on SQLite only.
    _sqlite_name = Path(DATABASES["default"]["NAME"])
    DATABASES["default"]["TEST"] = {"NAME": str(_sqlite_name.with_name(f"test_{_sqlite_name.name}"))}
# A read replica for the analytics dashboards (issue 17, docs/operations.md "Read replica"):
# set, it adds the "replica" alias and portal.db_router sends reads of the analytics tables
# there, and nothing else. Tests point it at the default database (TEST MIRROR), so the
# router is exercised without a second server.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = environ.Env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["portal.db_router.AnalyticsReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# --- Cache ----------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
# A hung Redis must not stall pages: cache calls (throttles, rate limits) give up after
# this long, with no retry (redis-py would otherwise try three more times per call). A
# Redis in the same network answers in well under a millisecond.
CACHE_TIMEOUT_SECONDS = env_int("CACHE_TIMEOUT_MS", 150) / 1000
REDIS_CACHE_OPTIONS = {
    "socket_connect_timeout": CACHE_TIMEOUT_SECONDS,
    "socket_timeout": CACHE_TIMEOUT_SECONDS,
    "retry": Retry(NoBackoff(), 0),
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:start"
# Django's checks with the portal's own wording (translated in every language).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "portal.accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "portal.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "portal.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "portal.accounts.passwords.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day, in seconds
# Argon2id first (issue 14; parameters and their source in portal/hashers.py). PBKDF2 stays
# after it so older hashes still verify, and are rehashed with Argon2id at the next sign-in.
PASSWORD_HASHERS = [
    "portal.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
# Reverse proxies in front of the portal that append to X-Forwarded-For (docs/operations.md).
# 0: no proxy, REMOTE_ADDR is the client. Audit, security log, lockout and API throttles all
# read the client address through portal.client.client_ip, which applies this.
PORTAL_TRUSTED_PROXY_COUNT = env_int("PORTAL_TRUSTED_PROXY_COUNT", 0)
if PORTAL_TRUSTED_PROXY_COUNT < 0:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("PORTAL_TRUSTED_PROXY_COUNT must be 0 or more")

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "kk"
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
    # Applicant-facing pages and e-mails also in Uzbek and Chinese: most ethnic Kazakhs
    # arriving today come from Uzbekistan and China (issue 4). Staff pages fall back to English.
    ("uz", _("Uzbek")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [Path(env_str("PORTAL_LOCALE_DIR", str(BASE_DIR / "locale")))]
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
# Django has no Kazakh formats: ours come first (portal/formats/kk/, from CLDR), the other
# languages keep Django's own.
FORMAT_MODULE_PATH = ["portal.formats"]
# Country names in Kazakh and Uzbek from CLDR: django-countries has none (portal/countries.py).
COUNTRIES_OVERRIDE = countries_override()
USE_TZ = True

# --- Static and private media ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("PORTAL_STATIC_ROOT", str(VAR_DIR / "static")))
# Applicants' files are never served from a public URL: the "private" storage has no
# base_url, and files are streamed only by views that check access (applications/).
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
MEDIA_URL = None
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env_str("PRIVATE_STORAGE_BUCKET"):
    # S3-compatible object storage (django-storages); objects are private and only
    # reachable through the access-checked download views.
    STORAGES["private"] = STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("PRIVATE_STORAGE_BUCKET"),
            "endpoint_url": env_str("PRIVATE_STORAGE_ENDPOINT_URL") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A criteria set's admin page posts every row of its inlines in one form, with a field per
# language for each of its texts: the example sets post 657 and 723 fields (375 and 431 of them
# translations), so a set half as large again passes Django's default of 1000. 5000 leaves room
# for sets seven times their size and still caps what one request may make the server parse.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Kandas & Skills portal <no-reply@portal.example.kz>")

# --- Celery ---------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
# No broker configured: run tasks in-process (the embedded default for `make run`).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = env_bool("CELERY_TASK_EAGER_PROPAGATES", False)
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL) or None
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Reliability: a task is acknowledged only after it finished, and re-delivered if the
# worker process died, so every task must be idempotent (they take ids, see tasks.py).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 400_000)  # KiB
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 500)
# Redis re-delivers an unacknowledged task after the visibility timeout. It must be far
# longer than the hard time limit (180 s), or a slow task would run twice at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "socket_connect_timeout": 3,
    "socket_timeout": 5,
}
# Publishing must fail fast when Redis is down; the outbox/sweeps deliver later.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# A publish from a page (portal/queueing.py) gives up after this long, connect and read
# alike, with no retry: a hung broker costs a request at most this, never seconds.
PUBLISH_TIMEOUT_SECONDS = env_int("PUBLISH_TIMEOUT_MS", 200) / 1000
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE: dict = {}
# Documents the broker lost or a dead worker left half-way (applications/documents/tasks.py).
# A processing task renews its row's lease every third of this; a worker killed outright
# (SIGKILL, OOM, a lost machine) stops renewing, and the next sweep after the lease runs out
# hands the document to a new task: back within lease + sweep interval (about 1 minute).
DOCUMENT_LEASE_SECONDS = env_int("DOCUMENT_LEASE_SECONDS", 30)
# A document of several pages (photos of a multi-page scan) is uploaded page by page and
# combined into one PDF by the pipeline (applications/documents/combine.py): at most this
# many page files per document kind, and this many megabytes for all pages of one kind.
DOCUMENT_PAGES_MAX = env_int("DOCUMENT_PAGES_MAX", 20)
DOCUMENT_PAGES_MAX_MB = env_int("DOCUMENT_PAGES_MAX_MB", 40)
CELERY_BEAT_SCHEDULE["document-sweep"] = {"task": "applications.document_sweep", "schedule": 30.0}
# Files a worker wrote but died before linking to their row: removed after a grace period.
CELERY_BEAT_SCHEDULE["document-orphans-sweep"] = {"task": "applications.document_orphans_sweep", "schedule": 6 * 3600.0}

# --- REST framework -------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kandas Card and Valuable Skills Visa portal API",
    "VERSION": "1.0.0",
}

# --- Security defaults (tightened further in production.py) ---------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)

# --- Portal ---------------------------------------------------------------------------
# Draft applications expire after this many days without changes; a reminder goes out
# a week before (docs/operations.md).
DRAFT_EXPIRY_DAYS = env_int("DRAFT_EXPIRY_DAYS", 90)
DEMO_MODE = env_bool("PORTAL_DEMO_MODE", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- REST API (issue 8; portal/api/) --------------------------------------------------
INSTALLED_APPS += ["drf_spectacular_sidecar", "portal.api"]
REST_FRAMEWORK.update(
    {
        "DEFAULT_AUTHENTICATION_CLASSES": [
            "portal.api.auth.ApiTokenAuthentication",
            "rest_framework.authentication.SessionAuthentication",
        ],
        "DEFAULT_PERMISSION_CLASSES": [
            "rest_framework.permissions.IsAuthenticated",
            "portal.api.permissions.TokenScope",
        ],
        "DEFAULT_THROTTLE_CLASSES": [
            "portal.api.throttles.AnonThrottle",
            "portal.api.throttles.UserThrottle",
            "portal.api.throttles.ScopedThrottle",
        ],
        "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.Cursor",
        "PAGE_SIZE": 50,
        "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "DEFAULT_PARSER_CLASSES": [
            # DRF's parsers, refusing NUL and lone surrogates anywhere in the body (portal.inputs).
            "portal.api.parsers.JSONParser",
            "portal.api.parsers.MultiPartParser",
            "portal.api.parsers.FormParser",
        ],
        "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
        "DEFAULT_SCHEMA_CLASS": "portal.api.schema.AutoSchema",
        "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    }
)
SPECTACULAR_SETTINGS.update(
    {
        "DESCRIPTION": "Applicants, caseworkers, criteria administrators and public verification. See docs/api.md.",
        "DEFAULT_GENERATOR_CLASS": "drf_spectacular.generators.SchemaGenerator",
        "SCHEMA_PATH_PREFIX": r"/api/v1",
        "SERVE_INCLUDE_SCHEMA": False,
        "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
        "SERVE_AUTHENTICATION": [],
        "SWAGGER_UI_DIST": "SIDECAR",
        "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
        "REDOC_DIST": "SIDECAR",
        "COMPONENT_SPLIT_REQUEST": True,
        "ENUM_NAME_OVERRIDES": {
            "DocumentKindEnum": "applications.models.documents.Document.Kind",
            # Legal grounds apply to, and recommendations are, the same two values.
            "ApproveRefuseEnum": "applications.models.casework.Decision.Recommendation",
        },
        "AUTHENTICATION_WHITELIST": None,
    }
)
# Requests per period ("N/second|minute|hour|day"), per signed-in user or anonymous address.
API_THROTTLE_RATES = {
    "anon": env_str("API_THROTTLE_ANON", "60/minute"),
    "user": env_str("API_THROTTLE_USER", "600/minute"),
    "upload": env_str("API_THROTTLE_UPLOAD", "60/hour"),
    "self_check": env_str("API_THROTTLE_SELF_CHECK", "30/minute"),
    "verify": env_str("API_THROTTLE_VERIFY", "30/minute"),
}
API_THROTTLE_CACHE = env_str("API_THROTTLE_CACHE", "default")
# Stored results of POSTs sent with an Idempotency-Key are kept this long.
API_IDEMPOTENCY_HOURS = env_int("API_IDEMPOTENCY_HOURS", 24)
# API tokens of staff (docs/security.md): only for users with a confirmed TOTP device,
# issued by an operator or a two-factor session, and never longer-lived than this.
API_STAFF_TOKEN_MAX_DAYS = env_int("API_STAFF_TOKEN_MAX_DAYS", 7)
CELERY_BEAT_SCHEDULE["portal_api.idempotency_purge"] = {"task": "portal_api.idempotency_purge", "schedule": 60 * 60}

# --- Notifications and issued cards (issue 7) -----------------------------------------
# Absolute links in e-mails point here.
NOTIFICATION_SITE_URL = env_str("NOTIFICATION_SITE_URL", env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000"))
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 8)
NOTIFICATION_RETRY_BASE_SECONDS = env_int("NOTIFICATION_RETRY_BASE_SECONDS", 60)
NOTIFICATION_RETRY_MAX_SECONDS = env_int("NOTIFICATION_RETRY_MAX_SECONDS", 3600)
# Publishing must fail fast when Redis is down (the outbox rows wait for the sweep): without
# this, kombu retries the connection for ~6 s inside the request before giving up.
# (Worker consumers reconnect by broker_connection_max_retries, not by this option.)
CELERY_BROKER_TRANSPORT_OPTIONS["max_retries"] = env_int("CELERY_PUBLISH_MAX_RETRIES", 0)
# Tasks a worker publishes (the sweeps) go to this queue; tests point it at a private one.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_BEAT_SCHEDULE.update(
    {
        "notification-sweep": {"task": "applications.notification_sweep", "schedule": 60.0},
        "card-expiry-reminders": {"task": "applications.card_expiry_reminders", "schedule": 60.0 * 60 * 6},
        "card-issue-sweep": {"task": "applications.card_issue_sweep", "schedule": 60.0 * 5},
        # Submissions whose score task the broker never got (hung or down at submit).
        "application-score-sweep": {"task": "eligibility.application_score_sweep", "schedule": 60.0 * 2},
        "impact-sweep": {"task": "eligibility.impact_sweep", "schedule": 60.0 * 5},
    }
)
# --- SMS (issue 19, docs/notifications.md) ---------------------------------------------
# Which backend sends SMS: "console" (prints), "file" (one JSON line per message in
# SMS_FILE_PATH), "http" (the provider interface in docs/notifications.md).
SMS_BACKEND = env_str("SMS_BACKEND", "console")
SMS_FILE_PATH = env_str("SMS_FILE_PATH", str(VAR_DIR / "sms" / "messages.jsonl"))
SMS_HTTP_URL = env_str("SMS_HTTP_URL")
SMS_HTTP_TOKEN = env_str("SMS_HTTP_TOKEN")
SMS_HTTP_TIMEOUT_SECONDS = env_int("SMS_HTTP_TIMEOUT_SECONDS", 10)
SMS_SENDER = env_str("SMS_SENDER", "KANDAS")
# Numbers typed without a country code are read as numbers of this country (ISO 3166-1).
SMS_DEFAULT_REGION = env_str("SMS_DEFAULT_REGION", "KZ")
# Longest notification SMS, in segments (each segment is billed; a test checks every kind
# in every language fits).
SMS_MAX_SEGMENTS = env_int("SMS_MAX_SEGMENTS", 3)
# Phone verification: code lifetime, wrong guesses per code, wait before a new code, and
# codes per account and per number per hour (NIST SP 800-63B 5.1.3: limit attempts).
SMS_CODE_TTL_SECONDS = env_int("SMS_CODE_TTL_SECONDS", 600)
SMS_CODE_MAX_ATTEMPTS = env_int("SMS_CODE_MAX_ATTEMPTS", 5)
SMS_CODE_RESEND_SECONDS = env_int("SMS_CODE_RESEND_SECONDS", 60)
SMS_CODES_PER_HOUR = env_int("SMS_CODES_PER_HOUR", 5)

# Card signing (Ed25519). CARD_SIGNING_KEY: the private key as PEM or base64 of the raw
# 32 bytes; CARD_SIGNING_KEY_ID names it. CARD_VERIFY_KEYS: "kid=base64,kid2=base64" of
# public keys still trusted (old keys stay here after a rotation so old cards verify).
# Without a signing key, development and tests generate one into var/ (never production,
# see production.py); `manage.py generate_card_key` prints a new pair.
CARD_SIGNING_KEY = env_str("CARD_SIGNING_KEY")
CARD_SIGNING_KEY_ID = env_str("CARD_SIGNING_KEY_ID", "dev-1")
CARD_VERIFY_KEYS = env_str("CARD_VERIFY_KEYS")
CARD_VERIFY_KEYS_FILE = env_str("CARD_VERIFY_KEYS_FILE")
CARD_DEV_KEY_FILE = VAR_DIR / "card-signing-dev.pem"
CARD_ALLOW_DEV_KEY = env_bool("CARD_ALLOW_DEV_KEY", True)
# Validity, citizenship terms and decision targets are declared by each product
# (applications/products/; env SKILLS_VISA_VALIDITY_YEARS, CASEWORK_SLA_KANDAS_DAYS,
# CASEWORK_SLA_SKILLS_DAYS are read there).
CARD_SHARE_CODE_DAYS = 30
CARD_EXPIRY_REMINDER_DAYS = (90, 30)
# Public verification: at most this many checks per client IP per window (seconds).
CARD_VERIFY_RATE_LIMIT = env_int("CARD_VERIFY_RATE_LIMIT", 20)
CARD_VERIFY_RATE_WINDOW = env_int("CARD_VERIFY_RATE_WINDOW", 600)

# --- Applicant journey (issue 4) ------------------------------------------------------
# Verification links in sign-up e-mails stay valid this long (seconds).
EMAIL_VERIFICATION_MAX_AGE = env_int("EMAIL_VERIFICATION_MAX_AGE", 60 * 60 * 24 * 3)
# An applicant's session ends after this much inactivity; pages warn two minutes before.
APPLICANT_SESSION_IDLE_SECONDS = env_int("APPLICANT_SESSION_IDLE_SECONDS", 30 * 60)
APPLICANT_SESSION_WARNING_SECONDS = env_int("APPLICANT_SESSION_WARNING_SECONDS", 2 * 60)
# Account e-mails (verification, "you already have an account", password reset) any one
# address may receive, and any one client address may cause, per hour; over either, the
# page answers the same and nothing is sent (portal.accounts.services.account_email_allowed).
# The per-client limit leaves room for a consulate or a family behind one address.
ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR = env_int("ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR", 5)
ACCOUNT_EMAILS_PER_CLIENT_PER_HOUR = env_int("ACCOUNT_EMAILS_PER_CLIENT_PER_HOUR", 30)
# Links in e-mails written outside a request (reminders from beat tasks).
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Days before expiry that the draft reminder goes out.
DRAFT_REMINDER_DAYS_BEFORE = env_int("DRAFT_REMINDER_DAYS_BEFORE", 7)
CELERY_BEAT_SCHEDULE["applications.draft_expiry_sweep"] = {
    "task": "applications.draft_expiry_sweep",
    "schedule": 60 * 60 * 6,
}

# --- Casework (issue 6) ---------------------------------------------------------------
CASEWORK_EXTRA_HOLIDAYS = env_list("CASEWORK_EXTRA_HOLIDAYS")  # ISO dates, e.g. Kurban Ait
CASEWORK_PAGE_SIZE = env_int("CASEWORK_PAGE_SIZE", 50)
# Days an applicant has to answer a request for information unless the caseworker sets
# another period, and how many days before that date the reminder e-mail goes out.
RFI_REPLY_DAYS = env_int("RFI_REPLY_DAYS", 14)
RFI_REMINDER_DAYS_BEFORE = env_int("RFI_REMINDER_DAYS_BEFORE", 3)
# Administrative review of a refusal (issue 19): calendar days from the refusal in which the
# applicant may ask for it (the refusal letter states this period), and the review's own
# target in working days (the same calendar as the decision SLA, applications/casework/sla.py).
ADMIN_REVIEW_REQUEST_DAYS = env_int("ADMIN_REVIEW_REQUEST_DAYS", 30)
ADMIN_REVIEW_WORKING_DAYS = env_int("ADMIN_REVIEW_WORKING_DAYS", 10)
CELERY_BEAT_SCHEDULE["casework-rfi-reminders"] = {"task": "applications.casework_rfi_reminders", "schedule": 60 * 60}
CELERY_IMPORTS = [*globals().get("CELERY_IMPORTS", []), "applications.casework.tasks"]
CELERY_BEAT_SCHEDULE["casework-sla-escalate"] = {
    "task": "applications.casework_sla_escalate",
    "schedule": env_int("CASEWORK_ESCALATE_EVERY_SECONDS", 900),
}
# URL names (taking a document id) of the document pipeline's viewer, tried in order.
CASEWORK_DOCUMENT_URL_NAMES = env_list("CASEWORK_DOCUMENT_URL_NAMES", "documents:detail")
# The queue page counts at most this many matches (an exact count of 100,000 rows is a full scan).
CASEWORK_COUNT_CAP = env_int("CASEWORK_COUNT_CAP", 1000)

# --- Hardening (issue 9): two-factor, lockout, CSP, security log, retention ------------
from datetime import timedelta  # noqa: E402

from csp.constants import NONE, SELF  # noqa: E402

INSTALLED_APPS += [
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
]
_after_messages = MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1
MIDDLEWARE[_after_messages:_after_messages] = [
    "django_otp.middleware.OTPMiddleware",
    # Idle staff sessions end before the second-factor check sends anyone anywhere.
    "portal.twofactor.StaffSessionIdleMiddleware",
    "portal.twofactor.StaffOTPRequiredMiddleware",
]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
# Axes turns its lockout flag into the "locked out" page; it must be last.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")

AUTHENTICATION_BACKENDS = [
    # Refuses locked-out credentials before any password is checked (django-axes).
    "portal.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Two-factor (django-otp): every staff role needs a confirmed TOTP device; recovery codes
# are a static device. OTP_TOTP_ISSUER names the account in authenticator apps.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Kandas portal")
OTP_LOGIN_URL = "twofactor:verify"
RECOVERY_CODE_COUNT = 10
# The admin never shows an authenticator's secret or QR code: an administrator must not be
# able to copy a staff member's second factor.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Staff sessions end after this many seconds without a request (applicants keep
# SESSION_COOKIE_AGE); a signed-in caseworker's unattended screen shows passports.
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 15 * 60)

# Lockout (django-axes), for every account: after AXES_FAILURE_LIMIT failed sign-ins for
# one e-mail address from one client address, that pair is refused for the cool-off time.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The sign-in forms (portal and admin) name the e-mail field "username", as Django's do.
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "portal.backends.lockout_response"
AXES_VERBOSE = False
# Lockout counts the client address by the portal's one rule (portal.client.client_ip).
AXES_CLIENT_IP_CALLABLE = "portal.client.client_ip"

# Content-Security-Policy (django-csp): no inline or third-party script anywhere, so the
# templates keep every script in static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
CSRF_COOKIE_HTTPONLY = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Security log: sign-ins and refused access as JSON lines in UTC on the "portal.security"
# logger, kept apart from the case audit trail (AuditEvent). SECURITY_LOG_FILE adds a file.
SECURITY_LOG_FILE = env_str("SECURITY_LOG_FILE", "")
LOGGING["formatters"]["security_json"] = {"()": "portal.security_log.JsonFormatter"}
LOGGING["handlers"]["security"] = {"class": "logging.StreamHandler", "formatter": "security_json"}
LOGGING["loggers"]["portal.security"] = {
    "handlers": ["security"] + (["security_file"] if SECURITY_LOG_FILE else []),
    "level": "INFO",
    "propagate": False,
}
if SECURITY_LOG_FILE:
    LOGGING["handlers"]["security_file"] = {
        "class": "logging.handlers.WatchedFileHandler",
        "filename": SECURITY_LOG_FILE,
        "formatter": "security_json",
    }

# Retention (docs/privacy.md): how long personal data is kept, in days; enforced daily by
# the portal.retention_enforce beat task.
RETENTION_DRAFT_DAYS = env_int("RETENTION_DRAFT_DAYS", 180)
RETENTION_WITHDRAWN_DAYS = env_int("RETENTION_WITHDRAWN_DAYS", 365)
RETENTION_NOTIFICATION_DAYS = env_int("RETENTION_NOTIFICATION_DAYS", 365)
RETENTION_LOGIN_ATTEMPT_DAYS = env_int("RETENTION_LOGIN_ATTEMPT_DAYS", 90)
CELERY_BEAT_SCHEDULE["retention-enforce"] = {
    "task": "portal.retention_enforce",
    "schedule": 60 * 60 * 24,
}

# --- Audit trail (portal/audit/) ------------------------------------------------------
# Key of the chain's HMAC-SHA256 and (derived from it) of the checkpoint signatures. Never in
# the database. Production settings require it; development derives one from SECRET_KEY
# with a distinct label (portal/audit/chain.py).
AUDIT_HMAC_KEY = env_str("AUDIT_HMAC_KEY")
# Signed checkpoints of the chain head, appended by the sealer: keep this directory on
# storage the database owner cannot rewrite (docs/operations.md).
AUDIT_CHECKPOINT_DIR = Path(env_str("AUDIT_CHECKPOINT_DIR", str(VAR_DIR / "audit-checkpoints")))
# The sealer waits this long (seconds) for a lower id that may still commit before it accepts
# a gap in the ids (a rolled-back insert) and records it.
AUDIT_SEAL_GAP_GRACE = env_int("AUDIT_SEAL_GAP_GRACE", 30)
AUDIT_SEAL_INTERVAL = env_int("AUDIT_SEAL_INTERVAL", 5)
# A seal that waited in a busy queue past the next one is dropped: the next one does its work.
CELERY_BEAT_SCHEDULE["audit-seal"] = {
    "task": "audit.seal",
    "schedule": float(AUDIT_SEAL_INTERVAL),
    "options": {"expires": float(AUDIT_SEAL_INTERVAL * 2)},
}
# Without a beat sealer (SQLite: `make run`, eager tasks) seal right after each commit.
AUDIT_SEAL_ON_COMMIT = env_bool("AUDIT_SEAL_ON_COMMIT", not IS_POSTGRES)

# --- The holder's stay (issue 19, applications/stay/, docs/stay.md) -----------------------
# Days abroad in one stay year above which the stay is no longer continuous. The Law of the
# Republic of Kazakhstan "On citizenship" (20 December 1991), article 16, asks for five years
# of continuous permanent residence; the number of days abroad that still counts as continuous
# could not be checked against the official text when this was written, so 90 (three months)
# is a placeholder to confirm with the Ministry of Internal Affairs (docs/stay.md).
STAY_MAX_DAYS_ABROAD_PER_YEAR = env_int("STAY_MAX_DAYS_ABROAD_PER_YEAR", 90)
# The first address in Kazakhstan is to be reported within this many days of the card's first
# day (a portal rule, docs/stay.md); the reminder goes this many days before.
STAY_ADDRESS_REPORT_DAYS = env_int("STAY_ADDRESS_REPORT_DAYS", 10)
STAY_ADDRESS_REMINDER_DAYS_BEFORE = env_int("STAY_ADDRESS_REMINDER_DAYS_BEFORE", 3)
# Days before citizenship eligibility that the holder is told (0: on the day), and how many
# days after the date a missed reminder is still sent.
STAY_CITIZENSHIP_REMINDER_DAYS = (30, 0)
STAY_CITIZENSHIP_REMINDER_LATE_DAYS = 7
# Border-service exports: size and row limits of one file.
STAY_IMPORT_MAX_BYTES = env_int("STAY_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
STAY_IMPORT_MAX_ROWS = env_int("STAY_IMPORT_MAX_ROWS", 200_000)
# --- Employers (issue 19, applications/employers/, docs/employers.md) ------------------
# Days after the reported end of employment in which the holder must name a new employer.
# 30 is a placeholder: the legal basis (the rules on foreign workers' permits under the Law
# "On migration of the population" of 22 July 2011 No. 477-IV) could not be checked when this
# was written; confirm the period with the Ministry of Labour (docs/employers.md).
EMPLOYMENT_GRACE_DAYS = env_int("EMPLOYMENT_GRACE_DAYS", 30)
CELERY_BEAT_SCHEDULE["stay-reminders"] = {"task": "stay.reminders", "schedule": 60.0 * 60 * 6}

# --- Forecasts (issue 17, applications/forecasts/, docs/forecasts.md) ----------------------
# Weekly refit of every submissions forecast (a batch job, well under a minute).
CELERY_BEAT_SCHEDULE["forecasts-refit"] = {"task": "forecasts.refit", "schedule": 7 * 24 * 3600.0}
# --- Open data (issue 17, applications/statistics/, docs/statistics.md) -------------------
# Every 6 hours the beat publishes last month's release if it is not out yet (safe to repeat);
# `manage.py statistics_release` publishes or revises a month by hand.
CELERY_BEAT_SCHEDULE["statistics-release"] = {"task": "statistics.release_publish", "schedule": 60.0 * 60 * 6}
