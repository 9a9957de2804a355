from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from books2iraq import audit, refs
from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.concurrency import reads_first
from books2iraq.crating import services
from books2iraq.crating.forms import (
    ANYONE,
    FindCrateForm,
    OpenCrateForm,
    PackForm,
    PlanCrateForm,
    ReopenForm,
    SealForm,
)
from books2iraq.crating.models import Crate, CrateStatus
from books2iraq.errors import NotFound
from books2iraq.i18n import counted, number
from books2iraq.intake import lots
from books2iraq.intake.models import Lot
from books2iraq.intake.scans import quantity_key
from books2iraq.paging import paginate, requested
from books2iraq.shipping.services import get_recipient, list_recipients
from books2iraq.sites.models import SiteKind
from books2iraq.sites.services import active_sites, get_site
from books2iraq.web import ActionForm, ask_first, or_404, post_form, submit_form
from books2iraq.wishes import services as wishes

bp = Blueprint("crating", __name__, url_prefix="/crates")


def _open_form() -> OpenCrateForm:
    form = OpenCrateForm()
    form.site.choices = [(site.id, site.name) for site in active_sites(SiteKind.WAREHOUSE)]
    form.for_recipient.choices = _recipients()
    if request.method == "GET" and current_user.site_id:
        form.site.data = current_user.site_id
    return form


def _recipients() -> list[tuple[int, str]]:
    """Whom a crate may be packed for: any recipient, or one of the active ones."""
    return [(ANYONE, _("Any recipient"))] + [(r.id, f"{r.name_en} ({r.city})") for r in list_recipients(active_only=True)]


def _for(recipient_id: int | None):
    return get_recipient(recipient_id) if recipient_id else None


@bp.get("/")
@role_required(Role.WAREHOUSE)
def list_crates():
    status = request.args.get("status")
    chosen = CrateStatus(status) if status in {s.value for s in CrateStatus} else None
    return render_template(
        "crating/list.html",
        page=paginate(services.crates(chosen), *requested(), services.crate_rows),
        status=chosen,
        open_form=_open_form(),
        find_form=FindCrateForm(),
    )


@bp.post("/")
@role_required(Role.WAREHOUSE)
def open_crate():
    form = _open_form()
    crate = post_form(
        form,
        lambda: services.open_crate(site=get_site(form.site.data), actor=current_user,
                                    for_recipient=_for(form.for_recipient.data)),
        lambda c: _("Crate %(code)s opened; scan books into it.", code=c.code),
    )
    if crate is not None:
        return redirect(url_for("crating.show_crate", code=crate.code))
    return redirect(url_for("crating.list_crates"))


@bp.get("/find")
@role_required(Role.WAREHOUSE)
def find_crate():
    """Scanning a crate's barcode lands on its page, ready to scan books into it."""
    code = (request.args.get("code") or "").strip()
    try:
        crate = services.get_by_code(code)
    except NotFound as exc:
        flash(str(exc), "error")
        return redirect(url_for("crating.list_crates"))
    return redirect(url_for("crating.show_crate", code=crate.code))


@bp.get("/<code>")
@role_required(Role.WAREHOUSE)
def show_crate(code: str):
    return _crate_page(or_404(lambda: services.get_by_code(code)))


def _crate_page(crate: Crate, **submitted: FlaskForm) -> str:
    """The crate's page; a form that was just refused replaces its blank twin, keeping what was typed.
    After a scan (`last`: its ISBN-13, `copies`: the copies it packed) the page shows that book large."""
    last_isbn = request.values.get("last") if request.method == "GET" else None
    last_copies = request.args.get("copies", type=int) or 0
    forms = {
        "pack_form": PackForm(formdata=None, last=last_isbn or "", last_copies=last_copies or ""),
        "seal_form": SealForm(formdata=None),
        "reopen_form": ReopenForm(formdata=None),
        "find_form": FindCrateForm(formdata=None),
        "plan_form": PlanCrateForm(formdata=None, for_recipient=crate.for_recipient_id or ANYONE, location=crate.location),
        **submitted,
    }
    forms["plan_form"].for_recipient.choices = _recipients()
    by_title, packed = services.contents(crate)
    last = next((entry for entry in by_title if last_isbn and entry.isbn13 == last_isbn), None)
    serves, wishes_served = wishes.served_by(crate)
    return render_template(
        "crating/show.html", crate=crate, history_events=audit.events_for(crate), by_title=by_title, packed=packed,
        last=last, last_copies=last_copies, serves=serves, wishes_served=wishes_served, **forms,
    )


@bp.post("/<code>/pack")
@reads_first
@role_required(Role.WAREHOUSE)
def pack(code: str):
    crate = or_404(lambda: services.get_by_code(code))
    form = PackForm()
    scanned = (form.isbn.data or "").strip()
    if scanned.upper().startswith(refs.CRATE):  # another crate's label scanned here: go to that crate
        return redirect(url_for("crating.find_crate", code=scanned))
    count = quantity_key(scanned)  # x5 after a scan: that scan was 5 copies
    already = int(form.last_copies.data) if (form.last_copies.data or "").isdigit() else 0

    def save() -> list[Lot]:
        if count is not None:
            return services.pack_count(crate, count, last=form.last.data, already=already, actor=current_user)
        return services.pack_isbn(crate, scanned, quantity=form.quantity.data, actor=current_user)

    def done(packed: list[Lot]) -> str:
        scan_copies = count if count is not None else sum(lot.quantity for lot in packed)
        book = packed[0].title  # packed by ISBN: it has one
        return url_for("crating.show_crate", code=crate.code, last=book.isbn13 if book else None, copies=scan_copies)

    # Refused (a sealed crate, a wrong ISBN), the page comes back with the scan still in its field.
    return submit_form(
        form,
        save,
        lambda packed: _(
            "Packed %(num)s × %(title)s into %(code)s.",
            num=number(sum(lot.quantity for lot in packed)), title=packed[0].label, code=crate.code,
        ),
        done,
        lambda: _crate_page(crate, pack_form=form),
    )


@bp.post("/<code>/lots/<int:lot_id>/unpack")
@role_required(Role.WAREHOUSE)
def unpack(code: str, lot_id: int):
    crate = or_404(lambda: services.get_by_code(code))
    lot = or_404(lambda: lots.get(lot_id))
    if lot.crate_id != crate.id:
        abort(404)
    form = ActionForm()
    asked = crate.status is CrateStatus.OPEN and ask_first(
        form,
        counted(
            lot.quantity,
            "Take %(num)s copy of %(title)s out of crate %(code)s?",
            "Take %(num)s copies of %(title)s out of crate %(code)s?",
            title=lot.label, code=crate.code,
        ),
        _("They go back to the books waiting to be packed; scan them again to pack them."),
        yes=_("Yes, take them out"),
        back=url_for("crating.show_crate", code=crate.code),
    )
    if asked:
        return asked
    post_form(
        form,
        lambda: services.unpack(lot, actor=current_user),
        _("Took %(num)s × %(title)s out of %(code)s.", num=number(lot.quantity), title=lot.label, code=crate.code),
    )
    return redirect(url_for("crating.show_crate", code=crate.code))


@bp.post("/<code>/seal")
@role_required(Role.WAREHOUSE)
def seal(code: str):
    crate = or_404(lambda: services.get_by_code(code))
    form = SealForm()
    return submit_form(
        form,
        lambda: services.seal(
            crate,
            gross_kg=form.gross_kg.data,
            length_cm=form.length_cm.data,
            width_cm=form.width_cm.data,
            height_cm=form.height_cm.data,
            actor=current_user,
        ),
        _("Crate %(code)s sealed.", code=crate.code),
        url_for("crating.show_crate", code=crate.code),
        lambda: _crate_page(crate, seal_form=form),
    )


@bp.post("/<code>/plan")
@role_required(Role.WAREHOUSE)
def plan(code: str):
    crate = or_404(lambda: services.get_by_code(code))
    form = PlanCrateForm()
    form.for_recipient.choices = _recipients()
    return submit_form(
        form,
        lambda: services.pack_for(crate, _for(form.for_recipient.data), actor=current_user, location=form.location.data),
        _("Crate %(code)s saved.", code=crate.code),
        url_for("crating.show_crate", code=crate.code),
        lambda: _crate_page(crate, plan_form=form),
    )


@bp.post("/<code>/reopen")
@role_required(Role.WAREHOUSE)
def reopen(code: str):
    crate = or_404(lambda: services.get_by_code(code))
    form = ReopenForm()
    return submit_form(
        form,
        lambda: services.reopen(crate, reason=form.reason.data, actor=current_user),
        _("Crate %(code)s reopened.", code=crate.code),
        url_for("crating.show_crate", code=crate.code),
        lambda: _crate_page(crate, reopen_form=form),
    )
