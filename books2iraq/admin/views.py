"""Admin: users and roles, sites, the organisation's own details used on documents."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, fresh_login_required
from flask_wtf import FlaskForm

from books2iraq.admin import services as organisation
from books2iraq.admin.forms import (
    NO_SITE,
    SITE_KINDS,
    NewUserForm,
    OrganisationForm,
    PasswordForm,
    SiteForm,
    UserForm,
)
from books2iraq.auth import services as users
from books2iraq.auth import sign_ins
from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.labels import label
from books2iraq.paging import paginate, requested
from books2iraq.shipping import services as shipping
from books2iraq.sites import services as sites
from books2iraq.sites.models import Site
from books2iraq.web import ActionForm, ask_first, or_404, post_form, submit_form

bp = Blueprint("admin", __name__, url_prefix="/admin")

T = TypeVar("T")
TOGGLE = "<any(deactivate, reactivate):action>"


@bp.get("/")
@role_required(Role.ADMIN)
def index():
    return render_template(
        "admin/index.html",
        users=users.user_counts(),
        sites=sites.all_sites(),
        organisation=organisation.get_organisation(),
    )


@bp.get("/users")
@role_required(Role.ADMIN)
def list_users():
    page = paginate(users.all_users(), *requested(), lambda result: result.scalars().all())
    return render_template("admin/users.html", page=page)


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_user():
    form = _offer_sites(NewUserForm())
    return _form_page(
        form,
        "admin/user_form.html",
        save=lambda: users.create_user(
            email=form.email.data,
            name=form.name.data,
            password=form.password.data,
            role=form.role.data,
            site_id=form.site_id.data or None,
            recipient_id=form.recipient_id.data or None,
            actor=current_user,
        ),
        success=lambda user: _("%(email)s can now sign in as %(role)s.", email=user.email, role=label(user.role)),
        next_url=url_for("admin.list_users"),
    )


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
@fresh_login_required  # a role changes only after the admin's password was typed in this session
def edit_user(user_id: int):
    user = or_404(lambda: users.get_user(user_id))
    form = _offer_sites(UserForm(obj=user), current=user.site)
    return _form_page(
        form,
        "admin/user_form.html",
        save=lambda: users.update_user(
            user, name=form.name.data, role=form.role.data, site_id=form.site_id.data or None,
            recipient_id=form.recipient_id.data or None, actor=current_user,
        ),
        success=_("%(email)s saved.", email=user.email),
        next_url=url_for("admin.list_users"),
        user=user,
        open_sign_ins=sign_ins.open_count(user),
    )


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@role_required(Role.ADMIN)
@fresh_login_required
def reset_password(user_id: int):
    user = or_404(lambda: users.get_user(user_id))
    form = PasswordForm()
    return _form_page(
        form,
        "admin/password.html",
        save=lambda: users.reset_password(user, form.password.data, actor=current_user),
        success=_("New password set for %(email)s. Give it to them in person or by phone, not by e-mail.",
                  email=user.email),
        next_url=url_for("admin.edit_user", user_id=user.id),
        user=user,
    )


@bp.post(f"/users/<int:user_id>/{TOGGLE}")
@role_required(Role.ADMIN)
def set_user_active(user_id: int, action: str):
    user = or_404(lambda: users.get_user(user_id))
    asked = action == "deactivate" and user.active and user.id != current_user.id and ask_first(
        ActionForm(),
        _("Deactivate %(name)s (%(email)s)?", name=user.name, email=user.email),
        _("They are signed out on every device at once and can no longer sign in, nor use their API tokens, "
          "until an admin reactivates them. What they recorded stays."),
        yes=_("Yes, deactivate %(email)s", email=user.email),
        back=url_for("admin.edit_user", user_id=user.id),
    )
    if asked:
        return asked
    return _action(
        lambda: users.set_active(user, action == "reactivate", actor=current_user),
        _("%(email)s reactivated.", email=user.email) if action == "reactivate"
        else _("%(email)s deactivated.", email=user.email),
        url_for("admin.edit_user", user_id=user.id),
    )


@bp.post("/users/<int:user_id>/sign-out")
@role_required(Role.ADMIN)
def sign_out_everywhere(user_id: int):
    user = or_404(lambda: users.get_user(user_id))
    return _action(
        lambda: users.sign_out_everywhere(user, actor=current_user),
        _("%(email)s is signed out on every device.", email=user.email),
        url_for("admin.edit_user", user_id=user.id),
    )


@bp.get("/sites")
@role_required(Role.ADMIN)
def list_sites():
    return render_template("admin/sites.html", sites=sites.all_sites(), kinds=SITE_KINDS)


@bp.route("/sites/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_site():
    form = SiteForm()
    return _form_page(
        form,
        "admin/site_form.html",
        save=lambda: sites.create_site(**_site_values(form), actor=current_user),
        success=lambda site: _("Site %(site)s added.", site=site.name),
        next_url=url_for("admin.list_sites"),
    )


@bp.route("/sites/<int:site_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_site(site_id: int):
    site = or_404(lambda: sites.get_site(site_id))
    form = SiteForm(obj=site)
    return _form_page(
        form,
        "admin/site_form.html",
        save=lambda: sites.update_site(site, **_site_values(form), actor=current_user),
        success=lambda saved: _("Site %(site)s saved.", site=saved.name),
        next_url=url_for("admin.list_sites"),
        site=site,
    )


@bp.post(f"/sites/<int:site_id>/{TOGGLE}")
@role_required(Role.ADMIN)
def set_site_active(site_id: int, action: str):
    site = or_404(lambda: sites.get_site(site_id))
    return _action(
        lambda: sites.set_site_active(site, action == "reactivate", actor=current_user),
        _("Site %(site)s reactivated.", site=site.name) if action == "reactivate"
        else _("Site %(site)s deactivated.", site=site.name),
        url_for("admin.edit_site", site_id=site.id),
    )


@bp.route("/organisation", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_organisation():
    details = organisation.get_organisation()
    form = OrganisationForm(obj=details)
    return _form_page(
        form,
        "admin/organisation.html",
        save=lambda: organisation.update_organisation(
            actor=current_user, **{field: form[field].data for field in organisation.EDITABLE}
        ),
        success=_("Organisation details saved; the next documents printed will use them."),
        next_url=url_for("admin.edit_organisation"),
        organisation=details,
    )


def _form_page(
    form: FlaskForm,
    template: str,
    *,
    save: Callable[[], T],
    success: str | Callable[[T], str],
    next_url: str,
    **context: Any,
):
    """GET shows the form; a valid POST makes its one service call and redirects to `next_url`.

    Otherwise the form comes back with what was typed: with its field errors (400) or with the
    service's refusal flashed (422). Nothing is written in either case.
    """
    return submit_form(form, save, success, next_url, lambda: render_template(template, form=form, **context))


def _action(call: Callable[[], object], success: str, next_url: str):
    """A POST-only action button: one service call, then back to `next_url`."""
    post_form(ActionForm(), call, success)
    return redirect(next_url)


def _offer_sites(form: UserForm, current: Site | None = None) -> UserForm:
    """The open sites to choose from, and the user's own site even if it has closed since."""
    choices = sites.active_sites()
    if current is not None and current not in choices:
        choices.append(current)
    form.site_id.choices = [(NO_SITE, _("No home site"))] + [(s.id, f"{s.name} ({s.city})") for s in choices]
    form.recipient_id.choices = [(NO_SITE, _("None (staff)"))] + [
        (r.id, f"{r.name_en} ({r.city})") for r in shipping.list_recipients()]
    if form.recipient_id.data is None:  # a member of staff, or a form sent without the field
        form.recipient_id.data = NO_SITE
    return form


def _site_values(form: SiteForm) -> dict[str, Any]:
    return {"name": form.name.data, "kind": form.kind.data, "city": form.city.data, "address": form.address.data}
