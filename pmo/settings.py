"""Settings for the PMO governance application.

One module for every environment: everything that differs between a laptop,
CI and production comes from environment variables (see `.env.example`), read
through the typed helpers in `pmo.env`, which refuse a bad value at start-up.
A `.env` file at the project root is read for development; real environment
variables win over it.
"""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from csp.constants import UNSAFE_INLINE as CSP_UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

from pmo import env
from pmo.cache import cache_settings

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env", override=False)

DEBUG = env.boolean("DEBUG", False)
SECRET_KEY = env.string("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "Environment variable SECRET_KEY is required when DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "development-only-insecure-key"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = env.csv("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env.csv("CSRF_TRUSTED_ORIGINS")

# The application, core first: `seed_demo` and the permission tests walk the
# domain apps in this order (portfolio, then the apps that point at it).
DOMAIN_APPS = [
    "pmo",
    "portfolio",
    "imports",
    "governance",
    "risks",
    "planning",
    "finance",
    "resources",
    "demand",
    "benefits",
    "standards",
    "reporting",
]
INSTALLED_APPS = [
    *DOMAIN_APPS,
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "axes",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The REST API reads and writes through the domain apps; none of them depends on it.
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "pmo.middleware.RefuseNulInUrlMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: the user's preferred language, when the switcher's cookie does not say.
    "pmo.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After authentication: the audit trail records who made each change (pmo.history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "pmo.middleware.SessionActivityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pmo.urls"
WSGI_APPLICATION = "pmo.wsgi.application"
ASGI_APPLICATION = "pmo.asgi.application"

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
                "pmo.context_processors.navigation",
            ],
        },
    },
]

# Django's form renderer, except drop-down lists, written in Python: the lists' filters offer every
# project the user may see, and Django's template per option cost 0.6 s at 1,000 (pmo/renderers.py).
FORM_RENDERER = "pmo.renderers.FormRenderer"

# --- Data -----------------------------------------------------------------
DATABASES = {"default": env.database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'pmo.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, for the test database: the integration tests' Celery
    # worker is another process and must see the rows the test wrote.
    # Named after the database file, so that two checkouts or two DATABASE_URLs never share it.
    _name = Path(DATABASES["default"]["NAME"])
    DATABASES["default"]["TEST"] = {"NAME": str(_name.with_name(f"{_name.stem}-test.sqlite3"))}
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Querysets read with .iterator() (every model choice list of a form: the filters' projects, owners,
    # directorates...) would each open a server-side cursor, three round trips (DECLARE, FETCH, CLOSE)
    # where one does; the lists they read are a few thousand rows at most.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "pmo.User"

REDIS_URL = env.redis_url("REDIS_URL")
# On Redis when there is one; a Redis that does not answer is then a cache miss, not an error page.
CACHES = cache_settings(REDIS_URL)

# --- Files ----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.string("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.string("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
_NODE = BASE_DIR / "node_modules"
_plotly = importlib.util.find_spec("plotly")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages from the npm registry and PyPI, served by the app
    # itself: the users' intranet has no internet access, so no CDN.
    ("vendor/bootstrap", _NODE / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", _NODE / "bootstrap-icons" / "font"),
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
    ("vendor/vis-network", _NODE / "vis-network"),
]
if _plotly and _plotly.submodule_search_locations:
    STATICFILES_DIRS.append(("vendor/plotly", Path(_plotly.submodule_search_locations[0]) / "package_data"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Portfolio imports (the `imports` app): the largest file accepted, and how long an uploaded file is
# kept before it is deleted when it was not committed (a committed import's file goes at once).
IMPORT_MAX_BYTES = env.integer("IMPORT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
IMPORT_FILE_RETENTION = env.integer("IMPORT_FILE_RETENTION", 24 * 3600, minimum=60)
# The most a workbook may inflate to (the sum of its zip members' declared sizes), checked before
# openpyxl opens it: a 10 MB workbook that inflated to 953 MB held a worker at 1 GB for minutes.
IMPORT_MAX_INFLATED_BYTES = env.integer("IMPORT_MAX_INFLATED_BYTES", 100 * 1024 * 1024, minimum=1024 * 1024)
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# --- Users and sign-in ----------------------------------------------------
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A session ends after this many seconds without a request (pmo.middleware
# renews it at most once a minute, so a page that polls does not write every time).
SESSION_COOKIE_AGE = env.integer("SESSION_IDLE_TIMEOUT", 30 * 60, minimum=120)
SESSION_ACTIVITY_RESOLUTION = 60
# Sign-in protection (django-axes): after AXES_FAILURE_LIMIT wrong passwords
# for one user name from one address, that pair is locked out for a while;
# an administrator lifts it sooner in the admin (Axes > Access attempts).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.integer("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.integer("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address that a lockout counts (django-ipware). Behind AXES_PROXY_COUNT reverse proxies
# it is the address the outermost proxy wrote in X-Forwarded-For; the header then holds it and the
# addresses of the proxies after that one (the last proxy is REMOTE_ADDR), so ipware's count, of the
# proxies *named in the header*, is one less. A header holding more addresses than that carries some
# the client wrote itself and is not believed (strict ipware): changing them does not escape a lockout.
# With no proxy the header is the client's own and never read.
REVERSE_PROXY_COUNT = env.integer("AXES_PROXY_COUNT", 0, minimum=0)
AXES_IPWARE_PROXY_COUNT = max(REVERSE_PROXY_COUNT - 1, 0)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
if REVERSE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER.insert(0, "HTTP_X_FORWARDED_FOR")

# --- Language, time, money ------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["pmo.formats"]
USE_I18N = True
TIME_ZONE = env.timezone("TIME_ZONE", "Africa/Casablanca")
USE_TZ = True
DEFAULT_CURRENCY = env.currency("DEFAULT_CURRENCY", "MAD")
# What totals across projects are shown in: each amount converted at the PMO's dated exchange rates.
REPORTING_CURRENCY = env.currency("REPORTING_CURRENCY", DEFAULT_CURRENCY)
# The month a fiscal year begins with (1 = January): the financial view and the phasing grid read by it.
FISCAL_YEAR_START_MONTH = env.integer("FISCAL_YEAR_START_MONTH", 1, minimum=1)
if FISCAL_YEAR_START_MONTH > 12:
    raise env.bad("FISCAL_YEAR_START_MONTH", str(FISCAL_YEAR_START_MONTH), "a month from 1 to 12")

# How long after a Red or Amber/Red delivery confidence assessment its follow-up review (the IPA's
# assurance of action review) falls due, in days.
CONFIDENCE_FOLLOW_UP_DAYS = env.integer("CONFIDENCE_FOLLOW_UP_DAYS", 42, minimum=1)

# --- Mail -----------------------------------------------------------------
# Meeting invitations. The console backend (the default) prints them, for an
# intranet without a mail relay; production sets the SMTP backend and its host.
EMAIL_BACKEND = env.string("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.string("EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("EMAIL_PORT", 25, minimum=1)
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "pmo@localhost")
# The address users reach the app at, for links in emails sent by workers (no request to take it from).
SITE_URL = env.string("SITE_URL", "")

# --- Security -------------------------------------------------------------
# HTTPS is on unless said otherwise; behind the reverse proxy that terminates
# TLS, the proxy sets X-Forwarded-Proto.
HTTPS = env.boolean("HTTPS", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # container health checks speak plain HTTP
SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False
# The preload list is for public domains; an intranet host name has no place
# there, so `check --deploy` is told that this is deliberate.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The audit trail (django-simple-history) is a record, not an undo: nobody reverts an object to an
# earlier version through the admin, and its historical rows are read-only there (pmo.admin_history).
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_EDIT = False
# Content Security Policy (django-csp): scripts only from the app's own files,
# never inline (htmx is told not to evaluate attributes, see base.html); no
# framing, no foreign form targets, no plugins. Styles allow inline because
# Plotly and htmx's swaps set style attributes on the elements they draw.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF],
        "style-src": [CSP_SELF, CSP_UNSAFE_INLINE],
        "img-src": [CSP_SELF, "data:"],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
    },
}

# --- REST API -------------------------------------------------------------
# Token authentication for integrations (`Authorization: Token <key>`) first, so that a request with
# no credentials is told 401 and how to authenticate; the browser's session next (with its CSRF check
# on writes). JSON in and out; the documentation page is the human interface (no browsable API).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "ORDERING_PARAM": "ordering",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PMO Governance API",
    "DESCRIPTION": (
        "Projects and their weekly status, milestones, risks and issues, committees, meetings, "
        "decisions and actions, KPIs and their measurements, with the permissions of the web "
        "interface: what a user may not see answers 404, what they may see but not change 403."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/",
    # Swagger UI's files come from drf-spectacular-sidecar, served by the app: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No validator badge: it would fetch an image from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True, "defaultModelsExpandDepth": 0},
    # One name per choice set, whichever field uses it (the schema's enums are otherwise named by field).
    "ENUM_NAME_OVERRIDES": {
        "RagEnum": "portfolio.models.Rag",
        "ProjectStateEnum": "portfolio.models.Project.State",
        "MeetingStateEnum": "governance.models.Meeting.State",
        "ActionStateEnum": "governance.models.Action.State",
        "RiskStateEnum": "risks.models.Risk.State",
        "IssueStateEnum": "risks.models.Issue.State",
        "RiskKindEnum": "risks.models.Risk.Kind",
        "DependencyKindEnum": "portfolio.models.ProjectDependency.Kind",
        "ChangeRequestStateEnum": "planning.models.ChangeRequest.State",
        "CommitteeKindEnum": "governance.models.Committee.Kind",
        "AgendaItemKindEnum": "governance.models.AgendaItem.Kind",
        "ProbabilityEnum": "risks.models.Probability",
        "ImpactEnum": "risks.models.Impact",
        "LevelEnum": "risks.models.RiskLevel",
        "ConfidenceEnum": "portfolio.models.assurance.Confidence",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}

# --- Celery ---------------------------------------------------------------
# Without REDIS_URL (the embedded default) tasks run in-process, through the
# same code path as on a worker, so the demo still builds its reports: the report
# builds in background threads of the web process, never in a request
# (BACKGROUND_THREADS below, pmo/background.py, docs/report-builds.md).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = False  # as on a worker: a task records its own failure
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.integer("CELERY_TASK_SOFT_TIME_LIMIT", 540, minimum=10)
CELERY_TASK_TIME_LIMIT = env.integer("CELERY_TASK_TIME_LIMIT", 600, minimum=10)
# Redis redelivers an unacknowledged task after the visibility timeout: it must
# outlast the hard time limit, or a long report would be built twice at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Longer than the hard time limit, so a slow build is never handed to a second worker; the fault
    # tests shorten it to see a killed worker's message handed out again within seconds.
    "visibility_timeout": env.integer("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT * 2, minimum=1),
    # A broker that does not answer must not hold a web request for long: connecting gives up after 2 s,
    # a command on a connection that died without closing (failover, firewall) after 5 s (longer than
    # the 1 s of a worker's BRPOP). Without them, redis-py waits for the operating system, minutes.
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# An import's dry run or commit reads up to 20,000 rows through the forms (10-60 ms a row): it gets
# longer than other tasks, but still less than the visibility timeout, so that Redis never hands a run
# still under way to a second worker.
IMPORT_TIME_LIMIT = env.integer(
    "IMPORT_TIME_LIMIT",
    max(CELERY_TASK_TIME_LIMIT, CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] - 60),
    minimum=10,
)
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Sending a task (a report asked for on a page) tries once more after a lost connection, then gives up:
# the report waits, marked as not sent, and is sent when the broker is back (reporting.reports).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True  # what users see is on model rows, not in a result backend
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
# Periodic tasks are declared here (Celery beat with its default scheduler),
# versioned with the code; later features add their entries.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Each morning before office hours (CELERY_TIMEZONE, Africa/Casablanca by default): owners of
    # actions due within three days or overdue get one email; the task is idempotent for the day.
    "governance-action-reminders": {
        "task": "governance.send_action_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    # Then owners of open risks past their next review date get one email listing them; at most once a
    # day per risk (Risk.last_reminded_on).
    "risks-review-reminders": {
        "task": "risks.send_review_reminders",
        "schedule": crontab(hour=7, minute=45),
    },
    # Owners of governance documents whose review is due within two weeks or overdue get one email
    # listing them; at most once a day per document (GovernanceDocument.last_reminded_on).
    "standards-document-review-reminders": {
        "task": "standards.remind_document_reviews",
        "schedule": crontab(hour=7, minute=50),
    },
    # Early each morning the computed KPIs of the periods that ended (last week, month, quarter) are
    # stored, so that their history stays as computed when the data behind them changes later.
    # The reports asked for while the broker did not answer are sent when a worker connects to it; this
    # catches the others (a web server cut off from a broker the workers still reach).
    # Every minute it also starts again the builds cut off (their heartbeat stopped) and sends again the
    # reports the broker lost (REPORT_HEARTBEAT_TIMEOUT, REPORT_RESEND_AFTER below).
    "reporting-send-waiting-reports": {
        "task": "reporting.send_waiting_reports",
        "schedule": crontab(minute="*"),
    },
    "reporting-kpi-measurements": {
        "task": "reporting.record_kpi_measurements",
        "schedule": crontab(hour=6, minute=0),
    },
    # Uploaded import files not committed are deleted once they are a day old (IMPORT_FILE_RETENTION).
    "imports-discard-expired-files": {
        "task": "imports.discard_expired_files",
        "schedule": crontab(minute=15),
    },
}
# Beat reads its schedule from the database (django-celery-beat): the entries above are written there at
# each start, and the report schedules (weekly, monthly, quarterly; a data migration creates them) are
# the PMO's to edit in the admin, under Periodic tasks.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
DJANGO_CELERY_BEAT_TZ_AWARE = USE_TZ
CELERY_BEAT_SCHEDULE_FILENAME = env.string(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / "var" / "celerybeat-schedule")
)

# --- PDF reports ----------------------------------------------------------
# The name printed in every report's header. Charts are the dashboard's Plotly figures exported to
# SVG by kaleido, which drives Debian's Chromium (never a downloaded browser); without it, or with
# REPORT_CHARTS=false, reports show each chart's data as a table.
ORGANISATION_NAME = env.string("ORGANISATION_NAME", "PMO")
REPORT_CHARTS = env.boolean("REPORT_CHARTS", True)
REPORT_BROWSER_PATH = env.string("BROWSER_PATH", "/usr/bin/chromium")
REPORT_FONT_FAMILY = "'Liberation Sans', 'DejaVu Sans', Arial, sans-serif"
# Reports are asked for by several people at once on Monday mornings: each is built once per
# identity (kind, scope, period, language); a worker killed mid-render leaves its message unacknowledged
# and the report is built again when the broker hands it out again (acks_late, visibility timeout).
REPORT_MAX_ATTEMPTS = env.integer("REPORT_MAX_ATTEMPTS", 3, minimum=1)
# A build writes a sign of life on its row every REPORT_HEARTBEAT_INTERVAL seconds; one silent for
# REPORT_HEARTBEAT_TIMEOUT seconds was cut off (its worker killed, out of memory) and the sweep (beat,
# every minute, and each worker as it connects) starts it again, instead of users waiting for the
# broker's redelivery (the visibility timeout, 20 minutes). A report still waiting REPORT_RESEND_AFTER
# seconds after it was sent (a build's time limit plus that redelivery time) was lost by the broker
# (Redis restarted without its data) and is sent again. The fault tests shorten all three.
REPORT_HEARTBEAT_INTERVAL = env.integer("REPORT_HEARTBEAT_INTERVAL", 10, minimum=1)
REPORT_HEARTBEAT_TIMEOUT = env.integer(
    "REPORT_HEARTBEAT_TIMEOUT", 6 * REPORT_HEARTBEAT_INTERVAL, minimum=2 * REPORT_HEARTBEAT_INTERVAL
)
REPORT_RESEND_AFTER = env.integer(
    "REPORT_RESEND_AFTER",
    CELERY_TASK_TIME_LIMIT + CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"],
    minimum=1,
)
# Without a broker (the embedded default), tasks sent with `pmo.background.send` (the report builds)
# run in this many background threads of the web process, never in the request that asked for them
# (docs/report-builds.md); 0 runs them in the request, as Celery's eager mode does.
BACKGROUND_THREADS = env.integer("BACKGROUND_THREADS", 1, minimum=0)
# What beat would run, for the web process to run in those threads without a broker: name, seconds.
BACKGROUND_PERIODIC_TASKS = {"reporting.send_waiting_reports": 60}

# --- Forms and logs -------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": env.choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"}),
    },
    # Django's own default handler would print each of its lines a second time.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint tells each step of each report at INFO, and warns of every SVG presentation property
        # it does not know (thousands per report with charts). What matters, a refused URL, our fetcher
        # logs itself.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        # kaleido's browser driver tells each temporary directory it makes and removes.
        "choreographer": {"level": "WARNING"},
        "kaleido": {"level": "WARNING"},
        "logistro": {"level": "WARNING"},
        # django-axes announces itself at each start; its lockouts are warnings, which stay.
        "axes": {"level": "WARNING"},
    },
}
