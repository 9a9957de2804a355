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
from flask_login import current_user, login_required, login_user, logout_user

from books2iraq import audit
from books2iraq.auth import services
from books2iraq.auth.forms import LoginForm, LogoutForm
from books2iraq.extensions import db, limiter

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _safe_next(target: str | None) -> str:
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.rollback()
            flash("That e-mail address and password do not match an active account.", "error")
            return render_template("auth/login.html", form=form), 401
        session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME (config)
        login_user(user, remember=form.remember.data)
        db.session.commit()
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        audit.record(current_user, "user.logged_out", current_user._get_current_object())
        db.session.commit()
        logout_user()
        flash("You are signed out.", "success")
    return redirect(url_for("auth.login"))
