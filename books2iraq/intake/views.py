from __future__ import annotations

import gzip
import json
from dataclasses import asdict, dataclass
from datetime import date

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf

from books2iraq.admin.services import get_organisation
from books2iraq.audit import events_for
from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.concurrency import reads_first
from books2iraq.errors import DomainError
from books2iraq.i18n import N_, chosen_language, counted, number, right_to_left
from books2iraq.intake import corrections, donors, offline, services
from books2iraq.intake.forms import (
    AddLineForm,
    CorrectDetailsForm,
    DonationForm,
    DonorForm,
    DonorSearchForm,
    ScansForm,
    SyncForm,
    VoidForm,
    donor_in,
)
from books2iraq.intake.models import Condition, Donation, DonationCorrection, Donor, DonorKind
from books2iraq.intake.offline import KeptOffline
from books2iraq.paging import paginate, requested
from books2iraq.reports.accounting import donation_account
from books2iraq.search import services as search
from books2iraq.sites.services import active_sites, all_sites, get_site
from books2iraq.web import error_response, or_404, post_form, submit_form

bp = Blueprint("intake", __name__, url_prefix="/intake")


@bp.route("/new", methods=["GET", "POST"])
@reads_first
@role_required(Role.VOLUNTEER)
def new_donation():
    form = DonationForm()
    form.offer_sites(active_sites(), current_user.site_id)

    if request.method == "GET" and "donor" in request.args:  # "Record a donation from this donor"
        form.donor_id.data = request.args["donor"]
    returning = _returning(form)

    return submit_form(
        form,
        lambda: _record(form, returning),
        lambda done: done.message,
        lambda done: done.url,
        lambda: render_template("intake/new.html", form=form, returning=returning, offline_cache=OFFLINE_CACHE,
                                offline_scope=_offline_scope(), today=date.today().isoformat()),
    )


def _returning(form: DonationForm) -> Donor | None:
    """The returning donor an intake form names (recorded from their page), or a 404 for one that is not."""
    donor_id = form.returning_donor()
    return or_404(lambda: donors.get_donor(donor_id)) if donor_id is not None else None


@dataclass(frozen=True)
class Recorded:
    """A donation the intake form recorded, worked out before the commit ends the transaction (after
    it, each would be read again): its ref, what to say of it, and whether this request recorded it."""

    ref: str
    message: str
    created: bool

    @property
    def url(self) -> str:
        return url_for("intake.show_donation", ref=self.ref)


def _record(form: DonationForm, returning: Donor | None, offline: KeptOffline | None = None) -> Recorded:
    """The one service call of the intake form, as a page sends it or as its device sends it later."""
    lines = services.scanned_lines(form.scans.data or "", form.bag_lines(), Condition(form.condition.data))
    donation, created = services.submit_donation(
        site=get_site(form.site.data),
        actor=current_user,
        lines=lines,
        donor=None if returning else donor_in(form),
        donor_id=returning.id if returning else None,
        received_on=form.received_on.data,
        note=form.note.data,
        submission_key=form.submission_key.data,
        confirm_date=form.confirm_date.data,
        offline=offline,
    )
    # A repeated submission names the same books (submit_donation refuses others), so the same copies.
    return Recorded(donation.ref, _recorded(donation, sum(line.quantity for line in lines)), created)


@bp.post("/scans")
@role_required(Role.VOLUNTEER)
def check_scans():
    """JSON for the intake page's running list: each scanned line's book, or why it is not an ISBN.
    Reads only; the donation is recorded by the form's own submit."""
    form = ScansForm()
    if not form.validate_on_submit():
        return error_response(400, _("The scans could not be checked: reload the page (its form has expired)."))
    try:
        checked = services.check_scans(form.scans.data or "")
    except DomainError as exc:
        return error_response(422, str(exc))
    good = [line for line in checked if line.isbn13]
    return jsonify(
        lines=[asdict(line) for line in checked],
        copies=sum(line.quantity for line in good),
        titles=len({line.isbn13 for line in good}),
        problems=len(checked) - len(good),
    )


# --- intake with no connection (offline.py, static/js/offline.js) ------------------------------------


@bp.post("/sync")
@role_required(Role.VOLUNTEER)
def sync_donation():
    """A donation as the intake page's device sends it: each one the device kept while it had no
    connection, and the form itself when it is online. JSON: 201 with the donation's ref, or 200 with
    the same ref when its submission key was sent before (nothing more recorded); a refusal is a JSON
    error the page keeps beside the donation (400 a field, 401 signed out, 409 the key with other books,
    422 a rule such as a closed site). `live=1`: the form of the page on screen, whose next page says
    what was recorded."""
    form = SyncForm()
    # Every site: a drop-off point closed since the device kept the donation is refused in words, not as
    # "not a valid choice".
    form.site.choices = [(site.id, site.name) for site in all_sites()]
    returning = _returning(form)
    live = request.form.get("live") == "1"
    done = post_form(
        form,
        lambda: _record(form, returning, offline.kept_offline(form.offline_receipt.data, form.kept_offline_at.data)),
        (lambda done: done.message) if live else None,
    )
    if done is None:  # a client that did not ask for JSON: the refusal was flashed
        return error_response(400, _("Some fields are not right."))
    return jsonify(
        ref=done.ref, created=done.created, message=done.message, url=done.url,
        receipt_url=url_for("documents.donor_receipt", ref=done.ref),
        offline_receipt=(form.offline_receipt.data or "").upper() or None,
    ), 201 if done.created else 200


@bp.get("/offline")
@role_required(Role.VOLUNTEER)
def offline_state():
    """What the intake page's device asks before it sends what it kept: who is signed in (it sends only
    their own donations) and a fresh token for the forms it sends."""
    return jsonify(user=current_user.id, csrf_token=generate_csrf())


@bp.get("/offline/titles")
@role_required(Role.VOLUNTEER)
def offline_titles():
    """A page of the catalogue's named titles for the device (offline.known_titles), after id `after`."""
    page = offline.known_titles(max(request.args.get("after", 0, type=int), 0))
    response = jsonify(titles=page.titles, last=page.last, more=page.more)
    # 5,000 titles are about 400 kB of JSON and a fifth of that compressed: drop-off points' Wi-Fi is slow.
    response.vary.add("Accept-Encoding")
    if "gzip" in request.accept_encodings:
        response.set_data(gzip.compress(response.get_data(), compresslevel=6))
        response.headers["Content-Encoding"] = "gzip"
    return response


@bp.get("/sw.js")
def service_worker():
    """The intake page's service worker, at the top of /intake/ so that its scope is the intake pages
    (it caches only the new-donation page and the static files; static/js/offline.js registers it).
    No secret in it: served to anyone, like the static files."""
    response = current_app.response_class(
        render_template("intake/sw.js", cache=OFFLINE_CACHE), mimetype="text/javascript"
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


def _offline_scope() -> str:
    """What the service worker and the installed app cover: the intake pages (/intake/)."""
    return url_for("intake.new_donation").rsplit("/", 1)[0] + "/"


# The name of the cache the service worker keeps the intake page in (static/js/offline.js clears it on
# sign-out). A new name when what is cached changes shape: the worker drops the others.
OFFLINE_CACHE = "b2i-intake-v1"


@bp.get("/manifest.webmanifest")
def manifest():
    """What makes the intake page an app that can be installed on a phone or a desk computer. Browsers
    fetch it without the sign-in cookie: it holds nothing of anyone's."""
    body = {
        "name": _("%(organisation)s intake", organisation=get_organisation().name),
        "short_name": _("Intake"),
        "description": _("Record donated books, with or without a connection."),
        "lang": chosen_language(),
        "dir": "rtl" if right_to_left() else "ltr",
        "start_url": url_for("intake.new_donation"),
        "scope": _offline_scope(),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b6b4f",
        "icons": [
            {"src": url_for("static", filename=f"icons/intake-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png",
             "purpose": "any"}
            for size in (192, 512)
        ] + [{"src": url_for("static", filename="icons/intake-maskable-512.png"), "sizes": "512x512",
              "type": "image/png", "purpose": "maskable"}],
    }
    return current_app.response_class(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


def _recorded(donation: Donation, n: int) -> str:
    """What the intake page says of a donation just recorded, and of how many copies."""
    if donation.donor:
        return counted(n, "Donation %(ref)s recorded from %(donor)s: %(num)s copy.",
                       "Donation %(ref)s recorded from %(donor)s: %(num)s copies.", ref=donation.ref,
                       donor=donation.donor.name)
    return counted(n, "Donation %(ref)s recorded: %(num)s copy.", "Donation %(ref)s recorded: %(num)s copies.",
                   ref=donation.ref)


@bp.get("/donations")
@role_required(Role.VOLUNTEER)
def list_donations():
    site_id = request.args.get("site", type=int)
    received_from, received_to = (_date_arg(name) for name in ("from", "to"))
    page = paginate(
        services.donations(site_id=site_id, received_from=received_from, received_to=received_to),
        *requested(),
        services.donation_rows,
    )
    return render_template(
        "intake/list.html",
        page=page,
        sites=active_sites(),
        site_id=site_id,
        received_from=received_from,
        received_to=received_to,
    )


def _date_arg(name: str) -> date | None:
    """A date filter from the address (2026-11-25); anything else means no filter."""
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.get("/donations/<ref>")
@role_required(Role.VOLUNTEER)
def show_donation(ref: str):
    return _donation_page(or_404(lambda: services.get_by_ref(ref)))


def _donation_page(donation: Donation, **submitted: FlaskForm) -> str:
    """The donation's page; for a coordinator, with the forms that correct it (a form just refused
    replaces its blank twin, keeping what was typed)."""
    forms: dict[str, FlaskForm] = {}
    can_correct = current_user.has_role(Role.COORDINATOR) and not donation.voided
    if can_correct:
        forms = {
            "details_form": CorrectDetailsForm(formdata=None, data=_details_of(donation)),
            "line_form": AddLineForm(formdata=None),
            "void_form": VoidForm(formdata=None),
            **submitted,
        }
    return render_template(
        "intake/show.html", donation=donation, account=donation_account(donation), lots=services.lots_of(donation),
        can_open_lots=current_user.has_role(Role.WAREHOUSE),  # the lot and crate pages are the warehouse's
        corrections=[(c, corrections.describe(c)) for c in corrections.corrections_of(donation)],
        can_correct=can_correct,
        open_form=next(iter(submitted), None), **forms,
    )


def _details_of(donation: Donation) -> dict[str, object]:
    donor = donation.donor
    return {
        "received_on": donation.received_on,
        "donor_name": donor.name if donor else "",
        "donor_kind": donor.kind.value if donor else DonorKind.INDIVIDUAL.value,
        "donor_email": donor.email if donor else "",
        "donor_phone": donor.phone if donor else "",
        "consent": donor.consent_to_contact if donor else False,
        "note": donation.note or "",
    }


def _corrected(donation: Donation) -> str:
    return url_for("intake.show_donation", ref=donation.ref)


@bp.post("/donations/<ref>/details")
@role_required(Role.COORDINATOR)
def correct_donation(ref: str):
    donation = or_404(lambda: services.get_by_ref(ref))
    form = CorrectDetailsForm()

    def save() -> DonationCorrection:
        return corrections.correct_details(
            donation,
            actor=current_user,
            reason=form.reason.data,
            received_on=form.received_on.data,
            confirm_date=form.confirm_date.data,
            donor=donor_in(form),
            note=form.note.data,
        )

    return submit_form(
        form,
        save,
        lambda done: _("Donation %(ref)s corrected: %(changed)s.", ref=donation.ref,
                       changed=_(", ").join(_(CHANGED[key]) for key in done.changes)),
        lambda done: _corrected(donation),
        lambda: _donation_page(donation, details_form=form),
    )


CHANGED = {"received_on": N_("the date"), "donor": N_("the donor"), "note": N_("the note")}


@bp.post("/donations/<ref>/lines")
@role_required(Role.COORDINATOR)
def add_line(ref: str):
    donation = or_404(lambda: services.get_by_ref(ref))
    form = AddLineForm()
    return submit_form(
        form,
        lambda: corrections.add_line(
            donation,
            actor=current_user,
            reason=form.reason.data,
            line=services.LineInput(
                quantity=form.quantity.data,
                isbn=(form.isbn.data or "").strip() or None,
                description=(form.description.data or "").strip() or None,
                condition=Condition(form.condition.data),
            ),
        ),
        lambda done: counted(done.changes["line"]["quantity"], "Line %(line)s added to donation %(ref)s: %(num)s copy.",
                             "Line %(line)s added to donation %(ref)s: %(num)s copies.",
                             line=number(done.changes["line"]["position"], grouped=False), ref=donation.ref),
        lambda done: _corrected(donation),
        lambda: _donation_page(donation, line_form=form),
    )


@bp.post("/donations/<ref>/void")
@role_required(Role.COORDINATOR)
def void_donation(ref: str):
    donation = or_404(lambda: services.get_by_ref(ref))
    form = VoidForm()
    return submit_form(
        form,
        lambda: corrections.void_donation(donation, actor=current_user, reason=form.reason.data),
        lambda done: counted(done.changes["copies"]["before"], "Donation %(ref)s voided: %(num)s copy counted away.",
                             "Donation %(ref)s voided: %(num)s copies counted away.", ref=donation.ref),
        lambda done: _corrected(donation),
        lambda: _donation_page(donation, void_form=form),
    )


# --- donors ---------------------------------------------------------------------------------------


@bp.get("/donors/")
@role_required(Role.VOLUNTEER)
def list_donors():
    form = DonorSearchForm(request.args)
    query = (form.q.data or "").strip()
    page = search.listed(query, current_user.role, "donor", donors.all_donors(consenting=form.consenting.data),
                         *requested())
    given = donors.given_by(Donation.donor_id.in_([d.id for d in page.items])) if page.items else {}
    return render_template("intake/donors.html", form=form, page=page, query=query, given=given)


@bp.get("/donors/<int:donor_id>")
@role_required(Role.VOLUNTEER)
def show_donor(donor_id: int):
    return _donor_page(or_404(lambda: donors.get_donor(donor_id)))


def _donor_page(donor: Donor, form: DonorForm | None = None) -> str:
    page = paginate(services.donations(donor_id=donor.id), *requested(), services.donation_rows)
    can_edit = current_user.has_role(Role.COORDINATOR)
    return render_template(
        "intake/donor.html", donor=donor, page=page, given=donors.given_by(Donation.donor_id == donor.id).get(donor.id),
        years=donors.years_of(donor),
        can_edit=can_edit, form=form or DonorForm(formdata=None, obj=donor, kind=donor.kind.value),
        events=events_for(donor) if can_edit else [],
    )


@bp.post("/donors/<int:donor_id>/edit")
@role_required(Role.COORDINATOR)
def edit_donor(donor_id: int):
    donor = or_404(lambda: donors.get_donor(donor_id))
    form = DonorForm()
    return submit_form(
        form,
        lambda: donors.edit_donor(donor, actor=current_user, **{field: form[field].data for field in donors.EDITABLE}),
        lambda saved: _("%(name)s's details saved.", name=saved.name),
        url_for("intake.show_donor", donor_id=donor_id),
        lambda: _donor_page(donor, form),
    )
