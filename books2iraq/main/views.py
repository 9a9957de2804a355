from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from wtforms import HiddenField, SelectField

from books2iraq import audit, i18n
from books2iraq.admin.services import get_organisation
from books2iraq.audit import describe
from books2iraq.auth.roles import Role
from books2iraq.catalogue.hints import hint
from books2iraq.extensions import db
from books2iraq.forms import AppForm
from books2iraq.i18n import N_
from books2iraq.labels import label, language_name, tone
from books2iraq.paging import page_url, row_url
from books2iraq.reports import accounting, tallies
from books2iraq.web import blank_action_form, control_characters_in, names_no_record, same_site_path

bp = Blueprint("main", __name__)

# The navigation: (label, endpoint, role). An entry shows only when its blueprint is registered
# and the signed-in user's role includes the entry's role.
NAVIGATION: list[tuple[str, str, Role]] = [
    (N_("New donation"), "intake.new_donation", Role.VOLUNTEER),
    (N_("Donations"), "intake.list_donations", Role.VOLUNTEER),
    (N_("Sorting"), "sorting.queue", Role.WAREHOUSE),
    (N_("Titles"), "catalogue.list_titles", Role.WAREHOUSE),
    (N_("Crates"), "crating.list_crates", Role.WAREHOUSE),
    (N_("Pallets"), "pallets.list_pallets", Role.WAREHOUSE),
    (N_("Shipments"), "shipping.list_shipments", Role.COORDINATOR),
    (N_("Recipients"), "shipping.list_recipients", Role.COORDINATOR),
    (N_("Receiving"), "receiving.index", Role.RECIPIENT),
    (N_("Dashboard"), "reports.dashboard", Role.COORDINATOR),
    (N_("Admin"), "admin.index", Role.ADMIN),
]


@bp.app_context_processor
def navigation() -> dict[str, object]:
    def nav_items() -> list[tuple[str, str]]:
        if not current_user.is_authenticated:
            return []
        return [
            (gettext(label), url_for(endpoint))
            for label, endpoint, role in NAVIGATION
            if endpoint in current_app.view_functions and current_user.has_role(role)
        ]

    def organisation_name() -> str:
        """The name an admin gave the organisation (Admin → Organisation), else B2I_ORGANISATION_NAME;
        read once a request."""
        if "organisation_name" not in g:
            g.organisation_name = get_organisation().name
        return str(g.organisation_name)

    return {"nav_items": nav_items, "organisation_name": organisation_name}


# A global, not a context variable, so that the macros (imported without context) see it too.
bp.add_app_template_global(blank_action_form, "action_form")
bp.add_app_template_global(page_url, "page_url")
bp.add_app_template_global(row_url, "row_url")
bp.add_app_template_global(describe, "describe")
bp.add_app_template_filter(label, "label")
bp.add_app_template_filter(tone, "tone")
bp.add_app_template_filter(language_name, "language")
bp.add_app_template_global(hint, "isbn_hint")


class LanguageForm(AppForm):
    language = SelectField(N_("Language"), choices=list(i18n.LANGUAGES.items()))
    next = HiddenField()


@bp.app_context_processor
def language_chooser() -> dict[str, object]:
    def language_form() -> LanguageForm:
        """For the chooser in every page's header: one form a request."""
        if "b2i_language_form" not in g:
            g.b2i_language_form = LanguageForm(formdata=None, language=i18n.chosen_language(), next=request.full_path)
        return g.b2i_language_form

    return {"language_form": language_form}


@bp.post("/language")
def choose_language():
    """The chooser on every page: this device's language, and the signed-in person's own from now on."""
    form = LanguageForm()
    back = same_site_path(form.next.data)
    if not form.validate_on_submit():
        flash(gettext("Choose one of the languages offered."), "error")
        return redirect(back)
    session[i18n.SESSION_KEY] = form.language.data
    i18n.forget_language()
    if current_user.is_authenticated and current_user.language != form.language.data:
        user = current_user._get_current_object()
        audit.record(user, "user.language_chosen", user, language=form.language.data, previous=user.language)
        user.language = form.language.data
        db.session.commit()
    return redirect(back)


@bp.app_url_value_preprocessor
def refuse_addresses_of_nothing(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Every page and API call: 404 for an address no record can have (before any query runs)."""
    if names_no_record(values):
        abort(404)


@bp.before_app_request
def refuse_control_characters() -> None:
    """Every page and API call: 400 for form fields or query strings with control characters."""
    if fields := control_characters_in(request.args, request.form):
        abort(400, gettext("These fields hold characters that cannot be stored (control characters): %(fields)s. "
                           "Remove them and try again.", fields=", ".join(fields)))


@bp.get("/")
@login_required
def home():
    """The pipeline at a glance; a recipient's librarian lands on its shipments instead."""
    if not current_user.role.staff:
        return redirect(url_for("receiving.index"))
    return render_template("main/home.html", stages=accounting.STAGES, pipeline=tallies.stages())


@bp.get("/healthz")
def healthz():
    """For a load balancer or a monitor: the app answers (it reads nothing, so it is also the trivial
    page `make bench` measures every other page against)."""
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
