"""Rankfile settings, read from the environment.

Every setting an operator may change is a ``RANKFILE_*`` environment variable, documented in
docs/configuration.md. The defaults run the local demo: SQLite under ./var, mail written to files.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def envpairs(name: str) -> list[tuple[str, str]]:
    """NAME as "first|second;first|second" (a hotline's name and how to reach it)."""
    pairs = []
    for item in filter(str.strip, os.getenv(name, "").split(";")):
        first, bar, second = (part.strip() for part in item.partition("|"))
        if not bar or not first or not second:
            raise ImproperlyConfigured(f'{name} must be "Name|contact;Name|contact", not {item.strip()!r}')
        pairs.append((first, second))
    return pairs


def envurl(name: str, default: str) -> str:
    """NAME as a web address (https:// or http://): never a script or a local file."""
    value = os.getenv(name, "").strip() or default
    if not value.startswith(("https://", "http://")) or len(value) <= len("https://"):
        raise ImproperlyConfigured(f"{name} must be a web address (https://...), not {value!r}")
    return value


DATA_DIR = Path(os.getenv("RANKFILE_DATA_DIR") or "var").resolve()


def env_or_file(name: str) -> str:
    """NAME, else the contents of the file named by NAME_FILE (for secrets kept out of the environment)."""
    if value := os.getenv(name):
        return value
    if path := os.getenv(f"{name}_FILE"):
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE names {path!r}, which cannot be read: {exc}") from None
    return ""


def secret_from_env_or_file(name: str, *, generate_into: Path) -> str:
    """Read NAME, else the file named by NAME_FILE, else a key generated once into the data directory."""
    if value := env_or_file(name):
        return value
    if not generate_into.exists():
        generate_into.parent.mkdir(parents=True, exist_ok=True)
        # Written whole to a private file, then linked into place: a process starting at the same moment
        # either links first or reads the finished key, never an empty file.
        draft = generate_into.with_name(f".{generate_into.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as key_file:
            key_file.write(secrets.token_urlsafe(64))
        try:
            os.link(draft, generate_into)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return generate_into.read_text(encoding="utf-8").strip()


SECRET_KEY = secret_from_env_or_file("RANKFILE_SECRET_KEY", generate_into=DATA_DIR / "secret_key")
DEBUG = envbool("RANKFILE_DEBUG", "false")

# Where `rankfile serve` listens unless told otherwise; the base URL follows it when RANKFILE_BASE_URL is unset.
BIND = os.getenv("RANKFILE_BIND") or "127.0.0.1:8000"
BASE_URL = (os.getenv("RANKFILE_BASE_URL") or f"http://{BIND}").rstrip("/")
_base = urlsplit(BASE_URL)
if _base.scheme not in ("http", "https") or not _base.hostname:
    raise ImproperlyConfigured(f"RANKFILE_BASE_URL must be an http(s) address, not {BASE_URL!r}")
HTTPS = _base.scheme == "https"
ALLOWED_HOSTS = envlist("RANKFILE_ALLOWED_HOSTS", f"{_base.hostname},127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = [f"{_base.scheme}://{_base.netloc}"]

# The organization's name: RANKFILE_ORG_NAME, else the name `rankfile demo` wrote into the data directory.
ORG_NAME_FILE = DATA_DIR / "org_name"


def organization_name() -> str:
    if name := os.getenv("RANKFILE_ORG_NAME", "").strip():
        return name
    try:
        return ORG_NAME_FILE.read_text(encoding="utf-8").strip() or "Rankfile"
    except OSError:
        return "Rankfile"


ORG_NAME = organization_name()

INSTALLED_APPS = [
    # First, so that their templates (the layout; allauth's pages in the product's words) take precedence over the
    # libraries'.
    "rankfile.web",
    "rankfile.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # allauth's list of security keys loads it
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "django_htmx",
    "rankfile.ledger",
    "rankfile.vault",
    "rankfile.org",
    "rankfile.deadlines",
    "rankfile.cases",
    "rankfile.governance",
    "rankfile.elections",
    "rankfile.voice",
    "rankfile.transparency",
    "rankfile.api",
    "rankfile.backups",
    # Its documentation page, served with its own Swagger UI files (no CDN, no inline script: it passes our CSP).
    "ninja",
]

MIDDLEWARE = [
    "rankfile.web.middleware.server_timing",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "rankfile.web.middleware.security_headers",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "rankfile.web.middleware.session_activity",
    "rankfile.per_request.remember_for_reads",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "rankfile.vault.sessions.VaultCookieMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "rankfile.web.middleware.DomainErrorMiddleware",
    "rankfile.web.middleware.sign_in_first",
    # Axes goes last so that it sees the outcome of the login views.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rankfile.urls"
WSGI_APPLICATION = "rankfile.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "rankfile.web.context_processors.site",
            ],
        },
    },
    # Plain-text email: the same template folders, nothing escaped (an apostrophe stays an apostrophe). Used by
    # rankfile.mail alone; a page never renders with it.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "NAME": "email",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# Database: SQLite under the data directory unless RANKFILE_DATABASE_URL (or _FILE) says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env_or_file("RANKFILE_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'rankfile.sqlite3'}",
        conn_max_age=envint("RANKFILE_DATABASE_CONN_MAX_AGE", "0"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and the one writer work at once; IMMEDIATE takes the write lock up front,
        # so concurrent writers wait (busy timeout) instead of failing half-way with "database is locked".
        # FULL: each commit is on the disk before anyone is told it is done, so a power cut loses no report, vote or
        # ledger entry already confirmed (NORMAL could lose the last ones; docs/deployment.md gives the cost).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file too, so that threads and processes share it as they do in production.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-rankfile.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: it compiles every query the planner costs high (the case rules' EXISTS over 10,000 cases) into machine
    # code first, which took 2-3 s a query where the query itself runs in milliseconds (bench/README.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for all server processes (in the database): allauth keeps used two-factor codes and rate limits
# there, and they must hold across workers.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "rankfile_cache",
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "rankfile.accounts.hashers.BoundedArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

# Accounts (django-allauth): email login, no open sign-up (people join by invitation).
ACCOUNT_ADAPTER = "rankfile.accounts.adapter.InvitationOnlyAccountAdapter"
# The person's vault key follows their password: unlocked at sign-in, re-wrapped on change, replaced on reset.
ACCOUNT_FORMS = {
    "login": "rankfile.accounts.forms.LoginForm",
    "change_password": "rankfile.accounts.forms.ChangePasswordForm",
    "set_password": "rankfile.accounts.forms.SetPasswordForm",
    "reset_password_from_key": "rankfile.accounts.forms.ResetPasswordKeyForm",
    "reset_password": "rankfile.accounts.forms.ResetPasswordForm",
    "reauthenticate": "rankfile.accounts.forms.ReauthenticateForm",
}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_CHANGE_EMAIL = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{ORG_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = _base.scheme
# django-axes below locks an account after repeated failures and says so; allauth's own per-account limit
# sits above it so that the person sees the lockout page, not a second, vaguer refusal.
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip,20/5m/key"}
ACCOUNT_EMAIL_NOTIFICATIONS = True
# No email to an address without an account: sign-up is by invitation only, so it could offer nothing, and it would
# let anyone make the organization email any address they like (docs/accounts.md, "Forgotten passwords").
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = ORG_NAME
# Only the current 30-second code: allauth remembers a used code for one period (in the shared cache below),
# so a code can never be used twice.
MFA_TOTP_TOLERANCE = 0
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not HTTPS

# Case-handling roles require MFA (rankfile.accounts.mfa); an operator may turn it off only for trials.
RANKFILE_REQUIRE_MFA_FOR_CASE_ROLES = envbool("RANKFILE_REQUIRE_MFA_FOR_CASE_ROLES", "true")
INVITATION_VALID_DAYS = envint("RANKFILE_INVITATION_VALID_DAYS", "7")
# Hotlines shown to reporters before, during and after a report, beside the support team (docs/reporting.md).
SUPPORT_HOTLINES = envpairs("RANKFILE_SUPPORT_HOTLINES")
# Where "Leave this site quickly" on the reporting pages goes: a neutral site, which replaces the page in the history.
QUICK_EXIT_URL = envurl("RANKFILE_QUICK_EXIT_URL", "https://www.wikipedia.org/")

# The ledger: the name its checkpoints are signed under, the signing key, and the witnesses who keep copies.
LEDGER_ORIGIN = os.getenv("RANKFILE_LEDGER_ORIGIN", f"{_base.hostname}/rankfile")
LEDGER_KEY_FILE = Path(os.getenv("RANKFILE_LEDGER_KEY_FILE") or DATA_DIR / "ledger_signing_key")
LEDGER_WITNESSES = envlist("RANKFILE_LEDGER_WITNESSES", "")
# Witnesses that cosign checkpoints over HTTP (C2SP tlog-witness; docs/ledger.md): "VERIFIER_KEY URL" pairs, comma
# separated. Their keys are also the ones `rankfile ledger verify` and receipt checks trust by default.
# A key alone (no address) is trusted when checking but never asked.
LEDGER_COSIGNERS = [
    (pair.partition(" ")[0], pair.partition(" ")[2].strip()) for pair in envlist("RANKFILE_LEDGER_COSIGNERS", "")
]
# This installation as a witness of other organizations' ledgers: its cosigning key and the name it signs under.
WITNESS_KEY_FILE = Path(os.getenv("RANKFILE_WITNESS_KEY_FILE") or DATA_DIR / "witness_key")
WITNESS_NAME = os.getenv("RANKFILE_WITNESS_NAME", f"{_base.hostname}/witness")

# The vault (docs/vault.md): where encrypted files live, the largest file accepted, and the cost of Argon2id, which
# turns a password or a receipt code into a key (about 0.4 s with 3 passes over 256 MiB on these machines). Each key
# records the cost it was made with, so changing these breaks nothing.
VAULT_ROOT = Path(os.getenv("RANKFILE_VAULT_ROOT") or DATA_DIR / "vault")
VAULT_MAX_FILE_BYTES = envint("RANKFILE_VAULT_MAX_FILE_MB", "100") * 1024 * 1024
VAULT_ARGON2_OPSLIMIT = envint("RANKFILE_VAULT_ARGON2_OPSLIMIT", "3")
VAULT_ARGON2_MEMLIMIT = envint("RANKFILE_VAULT_ARGON2_MEMLIMIT_MB", "256") * 1024 * 1024
# How many Argon2 derivations (password checks, vault keys) run at once in one process; 0: one per CPU.
ARGON2_CONCURRENCY = envint("RANKFILE_ARGON2_CONCURRENCY", "0")
# The cost of Argon2 for passwords: Django's (2 passes over 100 MiB) unless set; lower it only for a demo or a test.
PASSWORD_ARGON2_TIME_COST = envint("RANKFILE_PASSWORD_ARGON2_TIME_COST", "2")
PASSWORD_ARGON2_MEMORY_KIB = envint("RANKFILE_PASSWORD_ARGON2_MEMORY_MB", "100") * 1024
if PASSWORD_ARGON2_TIME_COST < 1 or PASSWORD_ARGON2_MEMORY_KIB < 1024:
    raise ImproperlyConfigured("RANKFILE_PASSWORD_ARGON2_TIME_COST and _MEMORY_MB must be at least 1")
VAULT_COOKIE_NAME = "rankfile_vault"
# The tally key (docs/elections.md, "Composition goals"): its private half is kept in this file, never in the
# database, so that a copy of the database alone cannot read anyone's self-identification. Back it up.
VAULT_TALLY_KEY_FILE = Path(os.getenv("RANKFILE_VAULT_TALLY_KEY_FILE") or DATA_DIR / "tally_key")

# Lockout after repeated failed logins (django-axes), lifted after a cool-off or a password reset.
AXES_FAILURE_LIMIT = envint("RANKFILE_LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("RANKFILE_LOGIN_COOLOFF_MINUTES", "15"))
# The pair: a stranger elsewhere cannot lock a person out of their own account; spraying many accounts from
# one address runs into allauth's per-address limit above.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Sessions end after a period without activity and when the browser closes. A page view does not save the session:
# rankfile.web.middleware.session_activity marks it active (and so moves its end on) at most once per
# RANKFILE_SESSION_RENEW_MINUTES.
SESSION_COOKIE_AGE = 60 * envint("RANKFILE_SESSION_IDLE_MINUTES", "120")
SESSION_RENEW_SECONDS = 60 * envint("RANKFILE_SESSION_RENEW_MINUTES", "5")
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Cookies are always Secure: browsers accept them on http://127.0.0.1 and http://localhost, which
# are secure contexts, so the local demo works and no deployment can forget to turn this on.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

SECURE_SSL_REDIRECT = HTTPS and envbool("RANKFILE_SSL_REDIRECT", "true")
SECURE_HSTS_SECONDS = envint("RANKFILE_HSTS_SECONDS", "31536000") if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("RANKFILE_HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = envbool("RANKFILE_HSTS_PRELOAD", "true")
# Behind one reverse proxy that sets X-Forwarded-Proto and X-Forwarded-For, the client's address is the
# proxy's last X-Forwarded-For entry; without one, REMOTE_ADDR.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
if envbool("RANKFILE_TRUST_PROXY_HEADERS", "false"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False
    ALLAUTH_TRUSTED_PROXY_COUNT = 1
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

    def _client_behind_proxy(request: Any) -> str:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        return str(forwarded or request.META["REMOTE_ADDR"])

    RATELIMIT_IP_META_KEY = _client_behind_proxy  # django-ratelimit (receipt codes, anonymous reports)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: no inline script, no third-party origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.getenv("RANKFILE_TIME_ZONE", "UTC")
USE_I18N = True
# One date format everywhere (rankfile/formats/en/formats.py): "7 December 2026".
FORMAT_MODULE_PATH = ["rankfile.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email: "smtp" in production; the demo writes each message to a file under the data directory.
_email_backends = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
_email_backend = os.getenv("RANKFILE_EMAIL_BACKEND", "file")
if _email_backend not in _email_backends:
    raise ImproperlyConfigured(
        f"RANKFILE_EMAIL_BACKEND must be one of {', '.join(_email_backends)}, not {_email_backend!r}"
    )
EMAIL_BACKEND = _email_backends[_email_backend]
EMAIL_DELIVERED = _email_backend == "smtp"
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = os.getenv("RANKFILE_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("RANKFILE_EMAIL_PORT", "587")
EMAIL_HOST_USER = os.getenv("RANKFILE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_or_file("RANKFILE_EMAIL_PASSWORD")
EMAIL_USE_TLS = envbool("RANKFILE_EMAIL_USE_TLS", "true")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.getenv("RANKFILE_EMAIL_FROM", f"Rankfile <rankfile@{_base.hostname}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_refusals": {"()": "rankfile.web.serverlog.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_refusals"]}},
    "root": {"handlers": ["console"], "level": os.getenv("RANKFILE_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "votelib": {"level": "WARNING"},  # it narrates every count at INFO; the result keeps each round
    },
}
CSRF_FAILURE_VIEW = "rankfile.web.views.csrf_failure"
