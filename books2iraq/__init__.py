"""books2iraq: every donated copy accountable from the donor's hands to the recipient's shelf."""
from __future__ import annotations

import os
import secrets
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from flask import Flask, Response, render_template, request
from flask_babel import gettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.middleware.proxy_fix import ProxyFix

import config as config_module
from books2iraq.extensions import csrf, db, limiter, login_manager, migrate
from books2iraq.i18n import N_

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(config: type | dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, config)
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_cli(app)
    register_proxies(app)
    return app


def load_config(app: Flask, config: type | dict[str, Any] | None) -> None:
    if isinstance(config, dict):
        app.config.from_object(config_module.TestConfig)
        app.config.update(config)
    else:
        app.config.from_object(config or config_module.from_environment())
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'books2iraq.sqlite'}"
    if not app.config.get("SECRET_KEY"):
        if app.config.get("REQUIRE_SECRET_KEY"):
            raise RuntimeError("Set the SECRET_KEY environment variable before starting in production.")
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path) / "secret_key")
    for name, setting in DECIMAL_SETTINGS.items():
        app.config[name] = _decimal_setting(app.config[name], setting)
    prefix = str(app.config.get("GS1_COMPANY_PREFIX") or "").strip()
    if prefix and not (prefix.isdigit() and 6 <= len(prefix) <= 12):
        raise RuntimeError(f"B2I_GS1_COMPANY_PREFIX must be the 6 to 12 digits GS1 gave the organisation; it is {prefix!r}.")
    app.config["GS1_COMPANY_PREFIX"] = prefix


# Amounts read from the environment as text, checked once at start-up: a typo stops the app with
# a clear message instead of breaking the first customs document printed.
DECIMAL_SETTINGS = {"CUSTOMS_VALUE_PER_COPY": "B2I_CUSTOMS_VALUE_PER_COPY", "CRATE_TARE_KG": "B2I_CRATE_TARE_KG"}


def _decimal_setting(value: object, setting: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0:
        raise RuntimeError(f"{setting} must be a number of 0 or more, such as 0.50; it is {value!r}.")
    return amount


def _instance_secret_key(path: Path) -> str:
    """A random key kept in the instance folder, so development sessions survive restarts."""
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def register_extensions(app: Flask) -> None:
    from books2iraq import i18n, jobs, models  # noqa: F401  (models: the whole schema, for the metadata and Alembic)
    from books2iraq.auth import sign_ins
    from books2iraq.auth.models import User
    from books2iraq.catalogue import online  # noqa: F401  (its tasks, and the queueing of lookups at commit)
    from books2iraq.documents import jobs as document_jobs  # noqa: F401  (its tasks, for the worker)
    from books2iraq.reports import tallies  # noqa: F401  (keeps the dashboard's totals as records are flushed)
    from books2iraq.search import index  # noqa: F401  (keeps the search index up to date as records are flushed)
    from books2iraq.web import allow_upload

    db.init_app(app)
    i18n.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    app.before_request(allow_upload)  # before the CSRF check, which reads the form
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    jobs.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Please sign in to see that page.")
    login_manager.login_message_category = "info"
    # The binding of a session is its sign-in record on the server, which can be ended (auth/sign_ins.py).
    # "basic": a cookie used from another address or browser is no longer "fresh", so changing a
    # password or a role asks for the password again; "strong" would be downgraded to this anyway for
    # permanent sessions, and would sign phone users out whenever their mobile network changes.
    login_manager.session_protection = "basic"
    login_manager.refresh_view = "auth.login"
    login_manager.needs_refresh_message = N_("Please sign in again to do that.")
    login_manager.localize_callback = gettext  # the messages above, in the language of the request
    login_manager.needs_refresh_message_category = "info"

    @login_manager.user_loader
    def load_user(cookie_id: str) -> User | None:
        return sign_ins.user_for(cookie_id)


def register_blueprints(app: Flask) -> None:
    from books2iraq.admin.views import bp as admin_bp
    from books2iraq.api import bp as api_bp
    from books2iraq.auth.views import bp as auth_bp
    from books2iraq.catalogue.views import bp as catalogue_bp
    from books2iraq.crating.views import bp as crating_bp
    from books2iraq.documents.views import bp as documents_bp
    from books2iraq.imports.views import bp as imports_bp
    from books2iraq.intake.views import bp as intake_bp
    from books2iraq.main.views import bp as main_bp
    from books2iraq.pallets.views import bp as pallets_bp
    from books2iraq.receiving.views import bp as receiving_bp
    from books2iraq.reports.views import bp as reports_bp
    from books2iraq.search.views import bp as search_bp
    from books2iraq.shipping.views import bp as shipping_bp
    from books2iraq.sorting.views import bp as sorting_bp
    from books2iraq.wishes.views import bp as wishes_bp

    blueprints = (
        main_bp, auth_bp, search_bp, intake_bp, imports_bp, sorting_bp, catalogue_bp, crating_bp, pallets_bp, shipping_bp,
        reports_bp, receiving_bp, wishes_bp, documents_bp, admin_bp, api_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def register_error_handlers(app: Flask) -> None:
    def page(code: int, title: str, message: str) -> Any:
        """The error's page, or for a script that asked for JSON (the pages' own), the JSON error; in the
        language of the request (`title` and `message` are marked with N_ where they are written)."""
        from books2iraq.web import error_response, wants_json

        title, message = gettext(title), gettext(message)
        if wants_json():
            return error_response(code, message)
        return render_template("errors/error.html", code=code, title=title, message=message), code

    app.register_error_handler(
        CSRFError,
        lambda e: page(400, N_("Form expired"), N_("The form was too old or not sent from this site. Reload the page and try again.")),
    )
    app.register_error_handler(
        429, lambda e: page(429, N_("Too many attempts"), N_("Too many tries from this device. Wait a minute, then try again."))
    )
    app.register_error_handler(400, lambda e: page(400, N_("Not accepted"), e.description))
    app.register_error_handler(403, lambda e: page(403, N_("Not allowed"), N_("Your role does not include this page.")))
    app.register_error_handler(413, lambda e: too_large())

    def too_large() -> Any:
        """How much this request could have carried: a form's 1 MB, or the file a form with an upload takes."""
        from books2iraq.i18n import number

        megabytes = (request.max_content_length or 0) // (1024 * 1024)
        return page(413, N_("Too much at once"), gettext(
            "That was more than this form can send (%(size)s MB). Split it and send the parts.", size=number(megabytes)))
    app.register_error_handler(404, lambda e: page(404, N_("Not found"), N_("There is nothing at this address.")))
    app.register_error_handler(405, lambda e: page(405, N_("Not allowed"), N_("This address does not take that kind of request.")))

    @app.errorhandler(500)
    def server_error(e: Exception) -> tuple[str, int]:
        db.session.rollback()
        return page(500, N_("Something went wrong"), N_("Nothing was saved. Try again, and tell an admin if it keeps happening."))


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not current_user.is_anonymous:  # a signed-in page is for this person only: never kept by a cache
            response.headers.setdefault("Cache-Control", "no-store")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def register_proxies(app: Flask) -> None:
    """Behind B2I_PROXY_HOPS reverse proxies, take the client's address, scheme and host from their
    X-Forwarded-* headers (sign-in limits count real addresses; redirects keep https)."""
    hops = str(app.config.get("PROXY_HOPS", "0")).strip()
    if not hops.isdigit() or int(hops) > 5:
        raise RuntimeError(f"B2I_PROXY_HOPS must be the number of reverse proxies in front of the app (0-5); it is {hops!r}.")
    if int(hops):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(hops), x_proto=int(hops), x_host=int(hops))  # type: ignore[method-assign]


def register_cli(app: Flask) -> None:
    from books2iraq.cli import register

    register(app)
