from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, fresh_login_required, login_fresh, login_required, login_user, logout_user

from books2iraq import audit
from books2iraq.auth import services, sign_ins, tokens
from books2iraq.auth.forms import LoginForm, LogoutForm, PasswordForm, TokenForm
from books2iraq.errors import DomainError
from books2iraq.extensions import db, limiter
from books2iraq.web import ActionForm, or_404, post_form, same_site_path, submit_form

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site (a `next` naming a host is off-site)."""
    if target and not urlsplit(target).netloc:
        return same_site_path(target)
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated and login_fresh():
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, address=get_remote_address())
        except DomainError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return render_template("auth/login.html", form=form), 429
        if user is None:
            db.session.commit()  # the failed attempt stays in the audit trail
            flash(gettext("That e-mail address and password do not match an active account."), "error")
            return render_template("auth/login.html", form=form), 401
        session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME (config)
        if current_user.is_authenticated:  # signing in again to confirm: the old sign-in ends
            sign_ins.end(current_user)
        remember = bool(form.remember.data)
        lifetime = current_app.config["REMEMBER_COOKIE_DURATION" if remember else "PERMANENT_SESSION_LIFETIME"]
        sign_ins.start(user, lifetime)
        login_user(user, remember=remember)
        db.session.commit()
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        audit.record(current_user, "user.logged_out", current_user._get_current_object())
        sign_ins.end(current_user)
        db.session.commit()
        logout_user()
        flash(gettext("You are signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@fresh_login_required
def change_password():
    """Any signed-in user: a new password, given the current one; their other devices are signed out."""
    form = PasswordForm()
    return submit_form(
        form,
        lambda: services.change_own_password(current_user, current=form.current.data, new=form.new.data),
        gettext("Your password is changed. Your other devices are signed out."),
        url_for("main.home"),
        lambda: render_template("auth/password.html", form=form),
    )


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def api_tokens():
    """Any signed-in user: their own API tokens (for a scanner or a spreadsheet), made, listed, revoked.
    A new token is shown on this page once and never again."""
    form = TokenForm()
    created = None
    if request.method == "POST":
        created = post_form(
            form,
            lambda: tokens.create_token(current_user, form.name.data, days=form.days.data, actor=current_user),
            lambda made: gettext("Token “%(name)s” made. Copy it now: it is shown only this once.", name=made[0].name),
        )
        if created is not None:
            form = TokenForm(formdata=None)  # a blank form for the next one
    page = render_template("auth/tokens.html", form=form, tokens=tokens.tokens_of(current_user), created=created)
    return page, 201 if created else 200


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_api_token(token_id: int):
    token = or_404(lambda: tokens.own_token(current_user, token_id))
    post_form(
        ActionForm(),
        lambda: tokens.revoke_token(token, actor=current_user),
        gettext("Token %(prefix)s… “%(name)s” is revoked; anything using it must get a new one.",
                prefix=token.prefix, name=token.name),
    )
    return redirect(url_for("auth.api_tokens"))
