"""The recipient's pages: its shipments, the check-in by scanning each crate's label, a crate counted
title by title, the goods received note and its signed copy; and the reconciliation, sent against
received, that the coordinator reads (and the recipient too)."""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.documents import services as documents
from books2iraq.documents.views import _pdf
from books2iraq.errors import DomainError
from books2iraq.i18n import counted
from books2iraq.paging import paginate, requested
from books2iraq.receiving import notes, services
from books2iraq.receiving.forms import CheckInForm, CountForm, SignedNoteForm
from books2iraq.receiving.models import CrateOutcome, CrateReceipt
from books2iraq.shipping.models import Shipment
from books2iraq.web import or_404, submit_form, takes_upload

bp = Blueprint("receiving", __name__, url_prefix="/receiving")


def _where() -> services.Where:
    return services.Where(request.remote_addr, request.headers.get("User-Agent"))


def _shipment(ref: str) -> Shipment:
    return or_404(lambda: services.shipment_for(current_user, ref))


def _url(shipment: Shipment) -> str:
    return url_for("receiving.show", ref=shipment.ref)


@bp.get("/")
@role_required(Role.RECIPIENT)
def index():
    page = paginate(services.shipments_for(current_user), *requested(), lambda result: result.scalars().all())
    return render_template("receiving/index.html", page=page,
                           waiting={s.id: services.waiting(s) for s in page.items})


def _done(receipt: CrateReceipt, shipment: Shipment) -> str:
    code = receipt.crate.code
    if receipt.outcome is CrateOutcome.MISSING:
        said = counted(receipt.copies_sent, "Crate %(code)s recorded as missing (%(num)s copy).",
                       "Crate %(code)s recorded as missing (%(num)s copies).", code=code)
    elif receipt.copies_received == receipt.copies_sent:
        said = counted(receipt.copies_received, "Crate %(code)s received: %(num)s copy.",
                       "Crate %(code)s received: %(num)s copies.", code=code)
    else:
        said = _("Crate %(code)s: %(received)s received, %(damaged)s damaged, %(missing)s missing.", code=code,
                 received=receipt.copies_received, damaged=receipt.copies_damaged, missing=receipt.copies_missing)
    left = services.waiting(shipment)
    return said + " " + (counted(left, "%(num)s crate still to check in.", "%(num)s crates still to check in.")
                         if left else _("Every crate is checked in: shipment %(ref)s is delivered.", ref=shipment.ref))


def _page(shipment: Shipment, form: CheckInForm | None = None, note_form: SignedNoteForm | None = None) -> str:
    """The shipment's check-in page; a form just submitted replaces its blank twin to show its errors."""
    progress = services.progress(shipment)
    crates = paginate(services.crates_as_found(shipment), *requested(), services.crate_rows, total=progress.crates)
    return render_template(
        "receiving/show.html", shipment=shipment, progress=progress, crates=crates,
        form=form or CheckInForm(formdata=None),
        can_check_in=services.SHIPMENT.allows(shipment, "check_in"),
        note_form=note_form or SignedNoteForm(formdata=None),
        signed=notes.notes_of(shipment), outcomes=list(CrateOutcome),
    )


@bp.get("/<ref>")
@role_required(Role.RECIPIENT)
def show(ref: str):
    return _page(_shipment(ref))


@bp.post("/<ref>")
@role_required(Role.RECIPIENT)
def check_in(ref: str):
    """A crate's label scanned (or typed): received whole, or as the person said."""
    shipment = _shipment(ref)
    form = CheckInForm()

    def save() -> CrateReceipt:
        crate = services.crate_on(shipment, form.code.data)
        return services.check_in(shipment, crate, outcome=CrateOutcome(form.outcome.data), actor=current_user,
                                 damaged=form.damaged.data or 0, note=form.note.data, where=_where())

    return submit_form(form, save, lambda receipt: _done(receipt, shipment), _url(shipment), lambda: _page(shipment, form))


@bp.route("/<ref>/crates/<code>", methods=["GET", "POST"])
@role_required(Role.RECIPIENT)
def count(ref: str, code: str):
    """A crate opened and counted title by title."""
    shipment = _shipment(ref)
    crate = or_404(lambda: services.crate_on(shipment, code))
    titles = services.titles_in(crate)
    form = CountForm()

    def save() -> CrateReceipt:
        counts = {title.id: (_whole_number(f"received-{title.id}", title.title), _whole_number(f"damaged-{title.id}", title.title))
                  for title, _sent in titles}
        return services.check_in(shipment, crate, outcome=CrateOutcome.DAMAGED, counts=counts, actor=current_user,
                                 note=form.note.data, where=_where())

    return submit_form(
        form, save, lambda receipt: _done(receipt, shipment), _url(shipment),
        lambda: render_template("receiving/count.html", shipment=shipment, crate=crate, titles=titles, form=form,
                                receipt=services.receipt_of(crate),
                                can_check_in=services.SHIPMENT.allows(shipment, "check_in")),
    )


def _whole_number(name: str, title: str | None) -> int:
    typed = (request.form.get(name) or "").strip()
    if not typed:
        return 0
    if not typed.isdigit() or len(typed) > 6:
        raise DomainError(_("“%(title)s”: give the copies as a whole number, not “%(typed)s”.", title=title, typed=typed))
    return int(typed)


@bp.get("/<ref>/received-note.pdf")
@role_required(Role.RECIPIENT)
def received_note(ref: str):
    shipment = _shipment(ref)
    return _pdf(lambda: documents.goods_received_note(shipment))


@bp.post("/<ref>/signed")
@takes_upload(notes.max_bytes)
@role_required(Role.RECIPIENT)
def attach_signed(ref: str):
    shipment = _shipment(ref)
    form = SignedNoteForm()
    return submit_form(
        form,
        lambda: notes.attach(shipment, form.file.data.stream, form.file.data.filename, actor=current_user),
        lambda note: _("The signed note %(file)s is kept with shipment %(ref)s.", file=note.filename, ref=shipment.ref),
        _url(shipment),
        lambda: _page(shipment, note_form=form),
    )


@bp.get("/<ref>/signed/<int:note_id>")
@role_required(Role.RECIPIENT)
def signed(ref: str, note_id: int) -> Response:
    shipment = _shipment(ref)
    note, path = or_404(lambda: notes.note_of(shipment, note_id))
    response = send_file(path, mimetype=note.media_type, as_attachment=True, download_name=note.filename,
                         max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/<ref>/reconciliation")
@role_required(Role.RECIPIENT)
def reconciliation(ref: str):
    shipment = _shipment(ref)
    progress = services.progress(shipment)
    titles, whole = services.short_titles(shipment)
    return render_template(
        "receiving/reconciliation.html", shipment=shipment, progress=progress, titles=titles, whole=whole,
        crates=paginate(services.crates_as_found(shipment, short_first=True), *requested(), services.crate_rows,
                        total=progress.crates))
