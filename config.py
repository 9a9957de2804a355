"""Settings, read from the environment. Pick a class with B2I_CONFIG (development, production)."""
from __future__ import annotations

import os
from datetime import timedelta


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # Unset: SQLite in the instance folder (see create_app). PostgreSQL: postgresql+psycopg://…
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    # The largest request: an intake form of 2,000 scans or an API donation of 2,000 lines is far below.
    MAX_CONTENT_LENGTH = 1024 * 1024
    WTF_CSRF_TIME_LIMIT = 12 * 3600  # a volunteer's intake form may stay open for a whole shift
    ORGANISATION_NAME = os.environ.get("B2I_ORGANISATION_NAME", "books2iraq")
    # Customs documents: the nominal value declared per copy ("for customs purposes only"), its
    # currency, and the packaging weight of one crate (net kg = gross kg - tare).
    CUSTOMS_CURRENCY = os.environ.get("B2I_CUSTOMS_CURRENCY", "USD")
    CUSTOMS_VALUE_PER_COPY = os.environ.get("B2I_CUSTOMS_VALUE_PER_COPY", "0.50")
    CRATE_TARE_KG = os.environ.get("B2I_CRATE_TARE_KG", "1.50")
    # Sign-in attempts per client address (memory:// is per process; use redis://… with several workers).
    RATELIMIT_STORAGE_URI = os.environ.get("B2I_RATELIMIT_STORAGE", "memory://")
    LOGIN_RATE_LIMIT = os.environ.get("B2I_LOGIN_RATE_LIMIT", "10 per minute; 50 per hour")
    # Reverse proxies in front of the app (0: none); their X-Forwarded-For/-Proto/-Host are trusted.
    PROXY_HOPS = os.environ.get("B2I_PROXY_HOPS", "0")
    GS1_COMPANY_PREFIX = os.environ.get("B2I_GS1_COMPANY_PREFIX", "")
    # Long documents are drawn by a worker (`flask --app wsgi jobs work`) with this many threads; its
    # queue is in the database (jobs.py). Immediate: each is drawn at once, inside the request (tests).
    JOB_WORKERS = int(os.environ.get("B2I_JOB_WORKERS", "1"))
    JOBS_IMMEDIATE = os.environ.get("B2I_JOBS_IMMEDIATE") == "1"
    # New ISBNs looked up online by the worker, never in a request: "openlibrary", or empty for none
    # (the local catalogue, `flask catalogue import`, is looked in first either way).
    CATALOGUE_LOOKUP = os.environ.get("B2I_CATALOGUE_LOOKUP", "")
    CATALOGUE_LOOKUP_URL = os.environ.get("B2I_CATALOGUE_LOOKUP_URL", "https://openlibrary.org")
    CATALOGUE_LOOKUP_TIMEOUT = float(os.environ.get("B2I_CATALOGUE_LOOKUP_TIMEOUT", "5"))
    # The signed goods received notes recipients send back (photos or PDFs), outside the web root:
    # unset, the instance folder's uploads/. Each file up to this size.
    UPLOAD_FOLDER = os.environ.get("B2I_UPLOAD_FOLDER")
    RECEIVED_NOTE_MAX_BYTES = int(os.environ.get("B2I_RECEIVED_NOTE_MAX_MB", "10")) * 1024 * 1024
    # Development keeps a generated key in the instance folder; production must be given one.
    REQUIRE_SECRET_KEY = False


class DevelopmentConfig(Config):
    DEBUG = False


class ProductionConfig(Config):
    REQUIRE_SECRET_KEY = True
    SESSION_COOKIE_SECURE = os.environ.get("B2I_INSECURE_COOKIES") != "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # __Host-: the browser sends these only to this exact host over HTTPS, never to a sibling domain.
    if SESSION_COOKIE_SECURE:
        SESSION_COOKIE_NAME = "__Host-session"
        REMEMBER_COOKIE_NAME = "__Host-remember"


class TestConfig(Config):
    TESTING = True
    JOBS_IMMEDIATE = True
    CATALOGUE_LOOKUP = ""  # never the internet; the lookup's tests serve recorded answers themselves
    RATELIMIT_ENABLED = False
    SECRET_KEY = "test-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}


CONFIGS = {"development": DevelopmentConfig, "production": ProductionConfig, "test": TestConfig}


def from_environment() -> type[Config]:
    name = os.environ.get("B2I_CONFIG", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise SystemExit(f"B2I_CONFIG must be one of {', '.join(CONFIGS)}, not {name!r}") from None
