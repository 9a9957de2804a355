from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.intake import services
from books2iraq.intake.forms import DonationForm
from books2iraq.intake.models import Condition, Donation, DonorKind
from books2iraq.paging import paginate, requested
from books2iraq.reports.accounting import donation_account
from books2iraq.sites.models import SiteKind
from books2iraq.sites.services import active_sites, get_site
from books2iraq.web import copies, or_404, submit_form

bp = Blueprint("intake", __name__, url_prefix="/intake")


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.VOLUNTEER)
def new_donation():
    form = DonationForm()
    # Drop-off points first: that is where donations are handed over; a warehouse can take one too.
    sites = sorted(active_sites(), key=lambda site: (site.kind is not SiteKind.DROP_OFF, site.name))
    form.site.choices = [(site.id, f"{site.name} ({site.city})") for site in sites]
    if request.method == "GET" and current_user.site_id:
        form.site.data = current_user.site_id

    def save() -> tuple[Donation, bool]:
        donor = None
        if (form.donor_name.data or "").strip():
            donor = services.DonorInput(
                name=form.donor_name.data,
                kind=DonorKind(form.donor_kind.data),
                email=form.donor_email.data,
                phone=form.donor_phone.data,
                consent_to_contact=form.consent.data,
            )
        return services.submit_donation(
            site=get_site(form.site.data),
            actor=current_user,
            lines=services.scanned_lines(form.scans.data or "", form.bag_lines(), Condition(form.condition.data)),
            donor=donor,
            received_on=form.received_on.data,
            note=form.note.data,
            submission_key=form.submission_key.data,
        )

    return submit_form(
        form,
        save,
        lambda done: f"Donation {done[0].ref} recorded: {copies(donation_account(done[0]).received)}.",
        lambda done: url_for("intake.show_donation", ref=done[0].ref),
        lambda: render_template("intake/new.html", form=form),
    )


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
    donation = or_404(lambda: services.get_by_ref(ref))
    return render_template(
        "intake/show.html", donation=donation, account=donation_account(donation), lots=services.lots_of(donation),
        can_open_lots=current_user.has_role(Role.WAREHOUSE),  # the lot and crate pages are the warehouse's
    )
