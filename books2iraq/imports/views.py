"""Importing a spreadsheet: send it, look at every row and what is wrong with it, then record it (or not)."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.i18n import counted
from books2iraq.imports import services
from books2iraq.imports.forms import DonationImportForm, UploadForm
from books2iraq.imports.models import ImportKind, SheetImport
from books2iraq.intake import sheet as donation_sheet
from books2iraq.intake.forms import donor_in
from books2iraq.intake.models import Condition
from books2iraq.paging import page_of, requested
from books2iraq.reports.download import table_download
from books2iraq.sites.models import SiteKind
from books2iraq.sites.services import active_sites, get_site
from books2iraq.web import or_404, submit_form, takes_upload

bp = Blueprint("imports", __name__, url_prefix="/imports")
ROWS_PER_PAGE = 100


@bp.route("/donation", methods=["GET", "POST"])
@takes_upload(lambda: services.MAX_BYTES)
@role_required(Role.VOLUNTEER)
def upload_donation():
    form = UploadForm()
    return submit_form(
        form,
        lambda: services.upload(ImportKind.DONATION, form.file.data.filename or "", form.file.data.read(),
                                actor=current_user, check=donation_sheet.check),
        lambda upload: counted(upload.rows, "%(file)s is read: %(num)s row. Check it below before recording it.",
                               "%(file)s is read: %(num)s rows. Check them below before recording them.",
                               file=upload.file_name),
        lambda upload: url_for("imports.show", upload_id=upload.id),
        lambda: render_template("imports/upload.html", form=form,
                                recent=services.recent(current_user, ImportKind.DONATION)),
    )


@bp.get("/donation/template.<any(csv, xlsx):fmt>")
@role_required(Role.VOLUNTEER)
def donation_template(fmt: str):
    header, rows = donation_sheet.template()
    return table_download("donation-template", fmt, header, rows, dated=False)


@bp.route("/<int:upload_id>", methods=["GET", "POST"])
@role_required(Role.VOLUNTEER)
def show(upload_id: int):
    upload = or_404(lambda: services.get(upload_id, current_user))
    form = DonationImportForm()
    sites = sorted(active_sites(), key=lambda site: (site.kind is not SiteKind.DROP_OFF, site.name))
    form.site.choices = [(site.id, f"{site.name} ({site.city})") for site in sites]
    if request.method == "GET" and current_user.site_id:
        form.site.data = current_user.site_id
    return submit_form(
        form,
        lambda: donation_sheet.import_donation(
            upload, site=get_site(form.site.data), actor=current_user, leave_out=form.leave_out.data,
            condition=Condition(form.condition.data), donor=donor_in(form), received_on=form.received_on.data,
            confirm_date=form.confirm_date.data, note=form.note.data,
        ),
        lambda donation: _("Donation %(ref)s recorded from %(file)s.", ref=donation.ref, file=upload.file_name),
        lambda donation: url_for("intake.show_donation", ref=donation.ref),
        lambda: _preview(upload, form),
    )


def _preview(upload: SheetImport, form: DonationImportForm) -> str:
    checked = donation_sheet.check(services.sheet_of(upload))
    form.leave_out.label.text = counted(len(checked.bad), "Leave out the row with a problem, and record the others",
                                        "Leave out the %(num)s rows with a problem, and record the others")
    only_problems = request.args.get("show") != "all" and bool(checked.bad)
    rows = checked.bad if only_problems else checked.rows
    page_number, _size = requested()
    return render_template("imports/show.html", upload=upload, form=form, checked=checked, only_problems=only_problems,
                           page=page_of(rows, page_number, ROWS_PER_PAGE))
