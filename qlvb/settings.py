"""QLVB settings, read from the environment (QLVB_* variables and DATABASE_URL).

Defaults are the embedded, single-machine deployment: SQLite and files under var/.
"""

import ipaddress
import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("QLVB_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key():
    """Use QLVB_SECRET_KEY, else a key generated once and kept in var/ (never in the repo)."""
    if key := os.environ.get("QLVB_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("QLVB_DEBUG")
ALLOWED_HOSTS = env_list("QLVB_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("QLVB_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "qlvb.core.admin_site.QLVBAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the form widgets' templates, for FORM_RENDERER below
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "qlvb.core",
    "qlvb.organization",
    "qlvb.audit",
    "qlvb.workdays",
    "qlvb.files",
    "qlvb.documents",
    "qlvb.incoming",
    "qlvb.assignments",
    "qlvb.archive",
    "qlvb.records",
    "qlvb.outgoing",
    "qlvb.accounts",
    "qlvb.backup",
    "qlvb.monitoring",
    "qlvb.reports",
    "qlvb.signing",
    "qlvb.exchange",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
AUTH_USER_MODEL = "organization.Person"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "qlvb.core.middleware.LanguageMiddleware",
    "qlvb.core.middleware.CleanQueryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "qlvb.accounts.backends.CarryOverSessionsMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "qlvb.core.request_memo.RequestMemoMiddleware",
    "qlvb.organization.rights.ActorMiddleware",
    "qlvb.accounts.middleware.SessionIdleMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "qlvb.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "qlvb.audit.context.AuditContextMiddleware",
    "qlvb.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qlvb.urls"

# Form widgets render through the project's templates, so qlvb/templates/django/forms/ can reword
# Django's own (an empty choice reads "— Chọn —", never "---------"; issue 11.10).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "qlvb" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qlvb.core.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "qlvb.wsgi.application"

# Database: SQLite file under var/ unless DATABASE_URL names another (postgres://…).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'qlvb.sqlite3'}"),
        conn_max_age=int(os.environ.get("QLVB_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so counters locked inside a
        # transaction never hit "database is locked" on upgrade from a read lock.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        # mmap_size: pages read from the file mapped in memory rather than copied into each connection's
        # cache, which starts empty with every request (CONN_MAX_AGE=0); cache_size (KiB when negative):
        # room for the pages a page's queries read again. Full-text search at 100k entries, officer's
        # common word: page p50 145 → 73-92 ms (bench/RESULTS.md, "SQLite … branch searchlite").
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                        f" PRAGMA mmap_size={int(os.environ.get('QLVB_SQLITE_MMAP_MB', '1024')) * 1024 * 1024};"
                        " PRAGMA cache_size=-32000;",
    }
    # A file, not memory, so that concurrency tests and the browser tests' live server share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
# Short queries: PostgreSQL's JIT compiler spends more time compiling them than they run (the visibility
# rule made the dashboard's estimates cross its threshold: 970 ms to compile 150 ms of work;
# bench/RESULTS.md). QLVB_PG_JIT=1 turns it back on.
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if os.environ.get("QLVB_PG_JIT") != "1":
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # A pool per process (psycopg_pool): a new connection costs ~7 ms here, more across a network.
    # max_size is the web server's threads per worker: total connections to plan for are
    # machines × processes (web workers + task workers + scheduler) × QLVB_PG_POOL_MAX (docs/deploy.md).
    # Django requires CONN_MAX_AGE=0 with a pool (the pool keeps the connections, not the thread).
    if env_bool("QLVB_PG_POOL", True):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(os.environ.get("QLVB_PG_POOL_MIN", "1")),
            "max_size": int(os.environ.get("QLVB_PG_POOL_MAX", os.environ.get("QLVB_WEB_THREADS", "4"))),
            "timeout": float(os.environ.get("QLVB_PG_POOL_TIMEOUT", "10")),  # waiting for a free connection
        }
        DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("QLVB_PASSWORD_MIN_LENGTH", "10"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "qlvb.accounts.validators.CharacterClassesValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out accounts before the password check
    "qlvb.accounts.backends.PersonBackend",  # the person with whether they hold role grants, delegations
]
# Lockout: after N failed logins an account is locked for the cool-off time (an administrator can
# unlock it); an address with many failures across accounts is refused too (accounts.throttle).
AXES_FAILURE_LIMIT = int(os.environ.get("QLVB_LOCKOUT_ATTEMPTS", "5"))
AXES_COOLOFF_TIME = int(os.environ.get("QLVB_LOCKOUT_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False
# Per-address limiting is accounts.throttle (a whole office behind one NAT address must not be locked
# out by one person's typos), so axes counts per account only.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_CLIENT_IP_CALLABLE = "qlvb.audit.context.client_ip"  # the address the audit trail shows, not the proxy's
QLVB_LOGIN_ADDRESS_LIMIT = int(os.environ.get("QLVB_LOGIN_ADDRESS_LIMIT", "30"))
# Roles that must use two-factor authentication (TOTP); others may turn it on.
QLVB_2FA_REQUIRED_ROLES = os.environ.get("QLVB_2FA_REQUIRED_ROLES", "admin,leader")
OTP_TOTP_ISSUER = os.environ.get("QLVB_OTP_ISSUER", "QLVB")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions expire after inactivity (seconds); core.middleware.SessionIdleMiddleware renews them at
# most once a minute, so reading pages does not write the session row on every request.
SESSION_COOKIE_AGE = int(os.environ.get("QLVB_SESSION_IDLE_SECONDS", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# HTTPS: turned on by the deployment (behind a TLS-terminating proxy).
HTTPS = env_bool("QLVB_HTTPS")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("QLVB_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
# Behind a reverse proxy: believe its X-Forwarded-Proto; believe the client address it appends to
# X-Forwarded-For only on requests that come from one of QLVB_TRUSTED_PROXIES (addresses or networks;
# by default a proxy on this machine). audit.context.client_ip applies it, with django-ipware.
QLVB_BEHIND_PROXY = env_bool("QLVB_BEHIND_PROXY")
QLVB_TRUSTED_PROXIES = [
    str(ipaddress.ip_network(proxy, strict=False))  # a typo stops the start, not every request
    for proxy in (env_list("QLVB_TRUSTED_PROXIES", "127.0.0.1,::1") if QLVB_BEHIND_PROXY else [])
]
if QLVB_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"  # the PDF preview frames our own pages

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("QLVB_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
# Dates are typed dd/mm/yyyy (ISO too), never mm/dd/yyyy, whatever the language (qlvb/core/dates.py).
# Vietnamese has no input formats of its own, so Django's defaults (which read 05/12 as May) would apply.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M",
                          "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]

STATIC_URL = "static/"
# Outside QLVB_VAR_DIR in production (deploy/qlvb.env): nginx reads it, and must not read the file store.
STATIC_ROOT = Path(os.environ.get("QLVB_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "qlvb" / "static"]
# WhiteNoise serves static files from the app server itself (no separate web server needed).
# Served (scripts/serve.sh, deploy/): `collectstatic` writes hashed names and .gz/.br variants
# (compressed once, cached for a year) and QLVB_STATIC_MANIFEST=1 makes templates use them; nginx's
# gzip_static serves the same files. Otherwise (tests, `make dev`) finders serve the sources as they are.
QLVB_STATIC_MANIFEST = env_bool("QLVB_STATIC_MANIFEST")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "qlvb.core.staticfiles.CompressedManifestStorage" if QLVB_STATIC_MANIFEST
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not QLVB_STATIC_MANIFEST

# Uploaded and generated files (content-addressed store).
QLVB_FILES_DIR = Path(os.environ.get("QLVB_FILES_DIR", VAR_DIR / "files"))
# Where the store keeps them: `local` (QLVB_FILES_DIR, default) or `s3`, any S3-compatible object
# store (Ceph RGW, MinIO, AWS): `[QLVB_S3_PREFIX/]ab/cd/<sha256>` in QLVB_S3_BUCKET. With s3,
# QLVB_FILES_DIR is only the scratch folder where uploads are checked (qlvb/files/backends.py).
QLVB_STORAGE = os.environ.get("QLVB_STORAGE", "local")
if QLVB_STORAGE not in {"local", "s3"}:
    raise ValueError(f"QLVB_STORAGE={QLVB_STORAGE!r}: expected 'local' or 's3'")
if QLVB_STORAGE == "s3":
    if not os.environ.get("QLVB_S3_BUCKET"):
        raise ValueError("QLVB_STORAGE=s3 needs QLVB_S3_BUCKET")
    STORAGES["qlvb_files"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": os.environ["QLVB_S3_BUCKET"],
        "endpoint_url": os.environ.get("QLVB_S3_ENDPOINT_URL") or None,  # e.g. https://rgw.tinh.gov.vn
        "region_name": os.environ.get("QLVB_S3_REGION") or None,
        # Empty: boto3's own chain (AWS_ACCESS_KEY_ID…, an instance role).
        "access_key": os.environ.get("QLVB_S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("QLVB_S3_SECRET_ACCESS_KEY") or None,
        "location": os.environ.get("QLVB_S3_PREFIX", "").strip("/"),  # several agencies in one bucket
        "addressing_style": os.environ.get("QLVB_S3_ADDRESSING_STYLE") or None,  # "path" for most RGW/MinIO
        "verify": os.environ.get("QLVB_S3_CA_BUNDLE") or None,  # the agency's CA for an internal endpoint
        "signature_version": "s3v4",
        "default_acl": None, "querystring_auth": False,  # private objects; the app never hands out URLs
        "file_overwrite": True,  # names are contents: the store checks existence itself, never renames
        # A read is copied into a temporary file kept in memory up to this size, then on disk.
        "max_memory_size": int(os.environ.get("QLVB_S3_SPOOL_BYTES", str(2 * 1024 * 1024))),
    }}
QLVB_MAX_UPLOAD_BYTES = int(os.environ.get("QLVB_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))
# Text of stored files (qlvb/files/texts.py, issue 12), read in the task queue: OCR of scans with ocrmypdf and
# Tesseract (languages as Tesseract names them), at most this many pages, each page given this many seconds;
# at most this many characters of a file's text are kept and indexed.
QLVB_OCR = env_bool("QLVB_OCR", True)
QLVB_OCR_LANGUAGES = os.environ.get("QLVB_OCR_LANGUAGES", "vie")
QLVB_OCR_MAX_PAGES = int(os.environ.get("QLVB_OCR_MAX_PAGES", "200"))
QLVB_OCR_PAGE_TIMEOUT = int(os.environ.get("QLVB_OCR_PAGE_TIMEOUT", "180"))
QLVB_FILE_TEXT_MAX_CHARS = int(os.environ.get("QLVB_FILE_TEXT_MAX_CHARS", "500000"))
QLVB_FULLTEXT_SNIPPET_CHARS = int(os.environ.get("QLVB_FULLTEXT_SNIPPET_CHARS", "240"))  # of a search hit
# Inter-agency exchange (qlvb/exchange): the largest .edxml package read (its attachments travel base64,
# about 4/3 of their size) and the most attachments in one package; each attachment is also held to
# QLVB_MAX_UPLOAD_BYTES once decoded.
QLVB_EXCHANGE_MAX_PACKAGE_BYTES = int(os.environ.get("QLVB_EXCHANGE_MAX_PACKAGE_BYTES", str(70 * 1024 * 1024)))
QLVB_EXCHANGE_MAX_ATTACHMENTS = int(os.environ.get("QLVB_EXCHANGE_MAX_ATTACHMENTS", "20"))
# A foreign package signed over the whole document (URI="") is checked in memory (lxml huge_tree) only up
# to this size; ours sign the envelope and the attachments' digests, checked in any size (edxml/dsig.py).
QLVB_EXCHANGE_MAX_WHOLE_SIGNED_BYTES = int(os.environ.get("QLVB_EXCHANGE_MAX_WHOLE_SIGNED_BYTES",
                                                          str(20 * 1024 * 1024)))
# Direct transport between installations: the HTTP timeout of one delivery, and the retry backoff
# (first wait, doubled at each failure, capped).
QLVB_EXCHANGE_SEND_TIMEOUT = float(os.environ.get("QLVB_EXCHANGE_SEND_TIMEOUT", "30"))
QLVB_EXCHANGE_RETRY_FIRST = int(os.environ.get("QLVB_EXCHANGE_RETRY_FIRST", "30"))
QLVB_EXCHANGE_RETRY_MAX = int(os.environ.get("QLVB_EXCHANGE_RETRY_MAX", "3600"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Office files (zip packages) are refused past these caps (qlvb/files/officefiles.py): a real
# document has tens of parts, inflates to a few times its size, and its XML compresses well under
# 100 times (Apache POI's default); zip bombs reach 1,000 times and more.
QLVB_OFFICE_MAX_ENTRIES = int(os.environ.get("QLVB_OFFICE_MAX_ENTRIES", "5000"))
QLVB_OFFICE_MAX_INFLATED_BYTES = int(os.environ.get("QLVB_OFFICE_MAX_INFLATED_BYTES", str(512 * 1024 * 1024)))
QLVB_OFFICE_MAX_RATIO = int(os.environ.get("QLVB_OFFICE_MAX_RATIO", "100"))

# "Keeping the software true": a read for-information item open for this many days, or a pending
# item with no update for this many working days, is shown to its holder for a one-click fix.
QLVB_STALE_INFO_DAYS = int(os.environ.get("QLVB_STALE_INFO_DAYS", "3"))
QLVB_STALE_PENDING_DAYS = int(os.environ.get("QLVB_STALE_PENDING_DAYS", "5"))

# The ICT-Index indicators shown in reports (keys of reports.selectors.ict_indicators); empty: all.
QLVB_ICT_INDICATORS = env_list("QLVB_ICT_INDICATORS")
# Confidential documents (văn bản mật) are left out of the electronic-share ICT figures, as the
# ICT-Index rows are read (regulations-detail §5.1 "exclude văn bản mật"); 0 counts them in.
QLVB_ICT_EXCLUDE_CONFIDENTIAL = env_bool("QLVB_ICT_EXCLUDE_CONFIDENTIAL", True)

# Backups: archives folder and how many the periodic backup keeps.
QLVB_BACKUP_DIR = Path(os.environ.get("QLVB_BACKUP_DIR", VAR_DIR / "backups"))
QLVB_BACKUP_KEEP = int(os.environ.get("QLVB_BACKUP_KEEP", "14"))
QLVB_BACKUP_AT = os.environ.get("QLVB_BACKUP_AT", "01:30")  # the scheduler queues the nightly backup then

# Background work: Django's tasks API. `database` (default, one machine: the queue is a table, run by
# `manage.py task_worker` = db_worker) or `rq` (several machines: Redis at QLVB_REDIS_URL, run by
# `manage.py task_worker` = rqworker, retried by qlvb.core.taskqueue.RetryingQueue). Tasks are enqueued
# with transaction.on_commit and are safe to run twice (docs/architecture.md "Background work").
TASK_BACKENDS = {"database": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend"}
_tasks_backend = os.environ.get("QLVB_TASKS_BACKEND", "database")
TASKS = {"default": {"BACKEND": TASK_BACKENDS.get(_tasks_backend, _tasks_backend)}}
QLVB_REDIS_URL = os.environ.get("QLVB_REDIS_URL", "redis://127.0.0.1:6379/0")
if TASKS["default"]["BACKEND"] == TASK_BACKENDS["rq"]:
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {
        "default": {
            "URL": QLVB_REDIS_URL,
            "DEFAULT_TIMEOUT": int(os.environ.get("QLVB_TASK_TIMEOUT", "1800")),  # a long export or backup
            "QUEUE_CLASS": "qlvb.core.taskqueue.RetryingQueue",
        }
    }
    RQ = {"WORKER_CLASS": "qlvb.core.taskqueue.Worker"}
# Attempts after the first, and the waits between them (seconds), for a task that fails or whose worker died.
QLVB_TASK_RETRIES = int(os.environ.get("QLVB_TASK_RETRIES", "3"))
QLVB_TASK_RETRY_WAITS = [int(s) for s in env_list("QLVB_TASK_RETRY_WAITS", "10,60,300")]
# How often a worker looks for tasks whose worker died (their heartbeat lapsed) and retries them.
QLVB_TASK_MAINTENANCE_SECONDS = int(os.environ.get("QLVB_TASK_MAINTENANCE_SECONDS", "60"))

# Counters shared by the processes of a deployment (the login brake, API rate limits): in this
# process's memory by default (one web process: `make dev`); on Redis (QLVB_CACHE_URL=redis://…/1)
# as soon as more than one process serves, which gunicorn's workers already are.
QLVB_CACHE_URL = os.environ.get("QLVB_CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": QLVB_CACHE_URL,
                "KEY_PREFIX": os.environ.get("QLVB_CACHE_PREFIX", "qlvb")}
    if QLVB_CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Digital signatures (qlvb/signing). Keys imported as PKCS#12 are encrypted at rest with a key derived
# (scrypt) from QLVB_SIGNING_KEY, else SECRET_KEY: set QLVB_SIGNING_KEY in production so rotating the
# session secret does not lock the keys away.
QLVB_SIGNING_KEY = os.environ.get("QLVB_SIGNING_KEY", "")
QLVB_SIGNING_FONT = os.environ.get(
    "QLVB_SIGNING_FONT", "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
)
# The italic face of the same family: the date line written in at issuing is italic (Annex I).
QLVB_SIGNING_FONT_ITALIC = os.environ.get(
    "QLVB_SIGNING_FONT_ITALIC", "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf"
)
QLVB_SIGNING_TSA_URL = os.environ.get("QLVB_SIGNING_TSA_URL", "")  # none in the demo
QLVB_SIGNING_SEAL_MM = float(os.environ.get("QLVB_SIGNING_SEAL_MM", "36"))  # a common round seal (verify)
# Wrong PINs per credential in QLVB_SIGNING_PIN_WINDOW seconds before signing with it is refused.
QLVB_SIGNING_PIN_LIMIT = int(os.environ.get("QLVB_SIGNING_PIN_LIMIT", "5"))
QLVB_SIGNING_PIN_WINDOW = int(os.environ.get("QLVB_SIGNING_PIN_WINDOW", "900"))
QLVB_SIGNING_REMOTE_TIMEOUT = int(os.environ.get("QLVB_SIGNING_REMOTE_TIMEOUT", "240"))  # ≈ SmartCA samples
QLVB_SIGNING_REMOTE_POLL = float(os.environ.get("QLVB_SIGNING_REMOTE_POLL", "3"))  # seconds between polls
# PKCS#11 module of the agency's tokens (SafeNet libeTPkcs11.so, OpenSC opensc-pkcs11.so, SoftHSM2).
QLVB_SIGNING_PKCS11_MODULE = os.environ.get("QLVB_SIGNING_PKCS11_MODULE", "/usr/lib/softhsm/libsofthsm2.so")
# Remote signing services: name → {"kind": "smartca", "url": …, "sp_id": …, "sp_password": …}, as JSON.
QLVB_SIGNING_REMOTE = json.loads(os.environ.get("QLVB_SIGNING_REMOTE", "{}"))
# "Duyệt ký" without a digital signature: refused when True (every signer needs a credential); when
# False (default, while certificates are being handed out) a signer holding none approves as before and
# the draft says "Chưa ký số". A signer who holds a credential always signs with it (PIN or phone).
QLVB_REQUIRE_DIGITAL_SIGNATURE = env_bool("QLVB_REQUIRE_DIGITAL_SIGNATURE", False)

# API requests per signed-in person (ninja throttling; Django's cache keeps the counters).
QLVB_API_RATE = os.environ.get("QLVB_API_RATE", "600/m")

EMAIL_BACKEND = os.environ.get(
    "QLVB_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("QLVB_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("QLVB_EMAIL_PORT", "25"))
# The e-mail task holds its notification's claim while the mail server answers: bound the wait.
EMAIL_TIMEOUT = int(os.environ.get("QLVB_EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("QLVB_DEFAULT_FROM_EMAIL", "qlvb@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("QLVB_LOG_LEVEL", "WARNING")},
}

# Outgoing numbering (Decree 30/2020 Art 15; docs/architecture.md "Drafts and issuing").
# How a register's own mark (e.g. M for the confidential series) enters the notation: {number}, {mark}, {code}.
QLVB_MARKED_NOTATION = os.environ.get("QLVB_MARKED_NOTATION", "{number}/{mark}/{code}")
# A paper document may carry its signing day when the clerk numbers it up to this many working days
# later (Art 15.2: "no later than the next working day"). Electronic documents always take the issuing day.
QLVB_PAPER_DATE_WORKING_DAYS = int(os.environ.get("QLVB_PAPER_DATE_WORKING_DAYS", "1"))
# Annex VI Language (Ngôn ngữ) of an issued document when the clerk enters none.
QLVB_DOCUMENT_LANGUAGE = os.environ.get("QLVB_DOCUMENT_LANGUAGE", "Tiếng Việt")
# Nộp lưu (Decree 30 Art 31): months after closing within which a record is submitted to the archive;
# construction-project records (XDCB) within 3 months.
QLVB_SUBMISSION_MONTHS = int(os.environ.get("QLVB_SUBMISSION_MONTHS", "12"))
QLVB_SUBMISSION_MONTHS_CONSTRUCTION = int(os.environ.get("QLVB_SUBMISSION_MONTHS_CONSTRUCTION", "3"))
# A withdrawn incoming document (thu hồi on the issuer's order, Decree 30 Art 18.4.b): "keep" its files,
# hidden from everyone but clerks and administrators, or "remove" them from the document (the stored
# content stays while another document uses it). PL VI I.III.8 says "delete"; the default keeps them.
QLVB_WITHDRAWN_INCOMING_FILES = os.environ.get("QLVB_WITHDRAWN_INCOMING_FILES", "keep")
# Access history (F-5.a, F-6.l): a person opening the same page, file or API object again within this many
# minutes is not written again, so a refresh storm does not flood the table. 0 writes every request.
# Prints and exports are always written.
QLVB_ACCESS_COALESCE_MINUTES = int(os.environ.get("QLVB_ACCESS_COALESCE_MINUTES", "5"))

# Search results are exported while the person waits (Circular 01/2019 F-6.h); more rows than this are
# refused with a message asking for a narrower search.
QLVB_SEARCH_EXPORT_MAX_ROWS = int(os.environ.get("QLVB_SEARCH_EXPORT_MAX_ROWS", "2000"))
