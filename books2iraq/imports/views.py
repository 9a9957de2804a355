"""Importing a spreadsheet: send it, look at every row and what is wrong with it, then import it (or not).

Three kinds, each with its own role: a donation's lines (volunteers), recipients (coordinators), sites
(admins). Each kind's rules are in its own step of the flow (intake/sheet.py, shipping/sheet.py,
sites/sheet.py); this module only walks a sheet through them.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.i18n import N_, counted
from books2iraq.imports import services
from books2iraq.imports.forms import DonationImportForm, ImportForm, UploadForm
from books2iraq.imports.models import ImportKind, SheetImport
from books2iraq.imports.sheets import CheckedSheet, Sheet
from books2iraq.intake import sheet as donation_sheet
from books2iraq.intake.forms import donor_in
from books2iraq.intake.models import Condition
from books2iraq.paging import page_of, requested
from books2iraq.reports.download import table_download
from books2iraq.shipping import sheet as recipients_sheet
from books2iraq.sites import sheet as sites_sheet
from books2iraq.sites.services import active_sites, get_site
from books2iraq.web import or_404, submit_form, takes_upload

bp = Blueprint("imports", __name__, url_prefix="/imports")
ROWS_PER_PAGE = 100


@dataclass(frozen=True)
class Kind:
    """What one kind of import needs of the pages: who may, its words, its columns and rules, and its import."""

    role: Role
    heading: str  # marked with N_
    intro: str
    back: str  # the endpoint of the list it adds to
    columns: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...]
    shown: tuple[str, ...]  # the columns the preview shows
    check: Callable[[Sheet], CheckedSheet[Any]]
    template: Callable[[], tuple[list[str], list[tuple[str, ...]]]]
    form: Callable[[], FlaskForm]
    save: Callable[[SheetImport, Any], str]  # imports the upload with the form's answers; the address to go to
    done: Callable[[SheetImport], str]  # what to say once it is imported


def _donation(upload: SheetImport, form: DonationImportForm) -> str:
    donation = donation_sheet.import_donation(
        upload, site=get_site(form.site.data), actor=current_user, leave_out=form.leave_out.data,
        condition=Condition(form.condition.data), donor=donor_in(form), received_on=form.received_on.data,
        confirm_date=form.confirm_date.data, note=form.note.data)
    return url_for("intake.show_donation", ref=donation.ref)


def _donation_form() -> DonationImportForm:
    form = DonationImportForm()
    form.offer_sites(active_sites(), current_user.site_id)
    return form


def _recipients(upload: SheetImport, form: ImportForm) -> str:
    recipients_sheet.import_recipients(upload, actor=current_user, leave_out=form.leave_out.data)
    return url_for("shipping.list_recipients")


def _sites(upload: SheetImport, form: ImportForm) -> str:
    sites_sheet.import_sites(upload, actor=current_user, leave_out=form.leave_out.data)
    return url_for("admin.list_sites")


KINDS = {
    ImportKind.DONATION: Kind(
        Role.VOLUNTEER, N_("Import a donation from a spreadsheet"),
        N_("A publisher's list of ISBNs and copies, or a school drive's counted boxes: one row a title or a box. "
           "Every row is checked and shown before anything is recorded."),
        "intake.list_donations", donation_sheet.COLUMNS, ("copies",), (), donation_sheet.check, donation_sheet.template,
        _donation_form, _donation,
        lambda upload: _("Donation %(ref)s recorded from %(file)s.", ref=upload.result_ref, file=upload.file_name)),
    ImportKind.RECIPIENTS: Kind(
        Role.COORDINATOR, N_("Import recipients from a spreadsheet"),
        N_("Universities, schools and libraries, one row each. Every row is checked and shown before any is added."),
        "shipping.list_recipients", recipients_sheet.COLUMNS, recipients_sheet.REQUIRED, recipients_sheet.SHOWN,
        recipients_sheet.check, recipients_sheet.template, ImportForm,
        _recipients,
        lambda upload: counted(upload.imported_rows or 0, "%(num)s recipient added from %(file)s.",
                               "%(num)s recipients added from %(file)s.", file=upload.file_name)),
    ImportKind.SITES: Kind(
        Role.ADMIN, N_("Import sites from a spreadsheet"),
        N_("Drop-off points and warehouses, one row each. Every row is checked and shown before any is added."),
        "admin.list_sites", sites_sheet.COLUMNS, sites_sheet.REQUIRED, sites_sheet.SHOWN,
        sites_sheet.check, sites_sheet.template, ImportForm,
        _sites,
        lambda upload: counted(upload.imported_rows or 0, "%(num)s site added from %(file)s.",
                               "%(num)s sites added from %(file)s.", file=upload.file_name)),
}


# One route per kind, each with its role written where it is routed.
@bp.route("/donation", methods=["GET", "POST"])
@takes_upload(lambda: services.MAX_BYTES)
@role_required(Role.VOLUNTEER)
def upload_donation():
    return _upload(ImportKind.DONATION)


@bp.route("/recipients", methods=["GET", "POST"])
@takes_upload(lambda: services.MAX_BYTES)
@role_required(Role.COORDINATOR)
def upload_recipients():
    return _upload(ImportKind.RECIPIENTS)


@bp.route("/sites", methods=["GET", "POST"])
@takes_upload(lambda: services.MAX_BYTES)
@role_required(Role.ADMIN)
def upload_sites():
    return _upload(ImportKind.SITES)


@bp.get("/donation/template.<any(csv, xlsx):fmt>")
@role_required(Role.VOLUNTEER)
def donation_template(fmt: str):
    return _template(ImportKind.DONATION, fmt)


@bp.get("/recipients/template.<any(csv, xlsx):fmt>")
@role_required(Role.COORDINATOR)
def recipients_template(fmt: str):
    return _template(ImportKind.RECIPIENTS, fmt)


@bp.get("/sites/template.<any(csv, xlsx):fmt>")
@role_required(Role.ADMIN)
def sites_template(fmt: str):
    return _template(ImportKind.SITES, fmt)


def _upload(kind: ImportKind) -> Any:
    form, rules = UploadForm(), KINDS[kind]
    return submit_form(
        form,
        lambda: services.upload(kind, form.file.data.filename or "", form.file.data.read(), actor=current_user,
                                check=rules.check),
        lambda upload: counted(upload.rows, "%(file)s is read: %(num)s row. Check it below before recording it.",
                               "%(file)s is read: %(num)s rows. Check them below before recording them.",
                               file=upload.file_name),
        lambda upload: url_for("imports.show", upload_id=upload.id),
        lambda: render_template("imports/upload.html", form=form, kind=kind, rules=rules,
                                recent=services.recent(current_user, kind)),
    )


def _template(kind: ImportKind, fmt: str) -> Any:
    header, rows = KINDS[kind].template()
    return table_download(f"{kind.value}-template", fmt, header, rows, dated=False)


@bp.route("/<int:upload_id>", methods=["GET", "POST"])
@role_required(Role.VOLUNTEER)
def show(upload_id: int):
    upload = or_404(lambda: services.get(upload_id, current_user))
    rules = KINDS[upload.kind]
    if not current_user.has_role(rules.role):
        abort(403)
    form = rules.form()
    return submit_form(
        form,
        lambda: rules.save(upload, form),
        lambda _url: rules.done(upload),
        lambda url: url,
        lambda: _preview(upload, rules, form),
    )


def _preview(upload: SheetImport, rules: Kind, form: Any) -> str:
    checked = rules.check(services.sheet_of(upload))
    form.leave_out.label.text = counted(len(checked.bad), "Leave out the row with a problem, and record the others",
                                        "Leave out the %(num)s rows with a problem, and record the others")
    only_problems = request.args.get("show") != "all" and bool(checked.bad)
    rows = checked.bad if only_problems else checked.rows
    page_number, _size = requested()
    return render_template("imports/show.html", upload=upload, rules=rules, form=form, checked=checked,
                           only_problems=only_problems, page=page_of(rows, page_number, ROWS_PER_PAGE),
                           copies=donation_sheet.copies(checked) if upload.kind is ImportKind.DONATION else None)
