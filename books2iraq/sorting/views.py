from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from books2iraq import audit, refs
from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.catalogue import outdated
from books2iraq.catalogue.hints import hint
from books2iraq.concurrency import reads_first
from books2iraq.errors import DomainError, NotFound
from books2iraq.i18n import counted, number
from books2iraq.intake import lots
from books2iraq.intake.models import Disposition, Donation, Lot, ReadingLevel, RejectReason, Title, TitleKind
from books2iraq.intake.services import get_by_ref as get_donation
from books2iraq.intake.titles import normalise_isbn
from books2iraq.labels import label
from books2iraq.paging import paginate, requested
from books2iraq.search import services as search
from books2iraq.sites.services import active_sites
from books2iraq.sorting import services
from books2iraq.sorting.forms import (
    REASON_KEYS,
    AcceptForm,
    BagScanForm,
    CatalogueForm,
    CorrectCountForm,
    RejectForm,
    SortScanForm,
)
from books2iraq.web import ActionForm, or_404, post_form, same_site_path, submit_form

bp = Blueprint("sorting", __name__, url_prefix="/sorting")

QUEUE_STATE = ("site", "donation", "isbn", "accept")  # what the queue is showing, kept across its actions


def _queue_url(**changes: Any) -> str:
    """The queue as it is shown now (its site, donation, ISBN and page), with `changes`."""
    state = {name: request.values.get(name) or None for name in (*QUEUE_STATE, "page")}
    return url_for("sorting.queue", **{**state, **changes})


@bp.get("/")
@role_required(Role.WAREHOUSE)
def queue():
    site_id = request.args.get("site", type=int)
    donation = _donation_named(request.args.get("donation"))
    isbn13 = _isbn_named(request.args.get("isbn"))
    last = _last_scanned(request.args.get("last", type=int))
    donation_id = donation.id if donation else None
    page = paginate(
        services.waiting_lots(site_id, donation_id=donation_id, isbn13=isbn13),
        *requested(100),
        lambda result: result.scalars().unique().all(),
        total=services.waiting_total(site_id, donation_id=donation_id, isbn13=isbn13),
    )
    scan_form = SortScanForm(
        formdata=None, site=site_id or "", donation=donation.ref if donation else "",
        accept=request.args.get("accept") == "1",
    )
    return render_template(
        "sorting/queue.html",
        page=page,
        flags=outdated.flags([lot.title for lot in page.items]),
        sites=active_sites(),
        site_id=site_id,
        donation=donation,
        isbn13=isbn13,
        last=last,
        scan_form=scan_form,
        reason_keys=REASON_KEYS,
        here=_queue_url(last=None),
        here_with_last=_queue_url(last=last.id if last else None),
    )


def _donation_named(ref: str | None) -> Donation | None:
    if not ref:
        return None
    try:
        return get_donation(ref)
    except NotFound:
        return None


def _isbn_named(isbn: str | None) -> str | None:
    try:
        return normalise_isbn(isbn) if isbn else None
    except DomainError:
        return None


def _last_scanned(lot_id: int | None) -> Lot | None:
    """The copies the sorter's last scan accepted, for a reason key to reject them instead."""
    try:
        return lots.get(lot_id) if lot_id else None
    except NotFound:
        return None


@bp.post("/scan")
@reads_first
@role_required(Role.WAREHOUSE)
def scan():
    """A scan at the queue: a donation's reference brings up its lots; an ISBN brings up the lots of that
    book, or, with "accept each book", accepts the copy in the sorter's hand at once."""
    form = SortScanForm()
    context = {"site": form.site.data or None, "donation": form.donation.data or None,
               "accept": "1" if form.accept.data else None, "isbn": None, "page": None}
    if not form.validate_on_submit():
        flash(_("Scan a book's ISBN or a donation's reference."), "error")
        return redirect(_queue_url(**context))
    code = form.code.data.strip()
    if code.upper().startswith(refs.DONATION):
        donation = _donation_named(code)
        if donation is None:
            flash(_("There is no donation %(ref)s.", ref=code), "error")
            return redirect(_queue_url(**context))
        return redirect(_queue_url(**{**context, "donation": donation.ref}))
    if code.upper().startswith(refs.CRATE):
        flash(_("%(code)s is a crate's label: at sorting, scan a book or a donation.", code=code), "error")
        return redirect(_queue_url(**context))
    if form.accept.data:
        donation = _donation_named(form.donation.data)
        piece = post_form(
            form,
            lambda: services.accept_scanned(code, site_id=_int(form.site.data),
                                            donation_id=donation.id if donation else None, actor=current_user),
            lambda piece: _("Accepted 1 copy of %(title)s (lot %(lot)s). A reason key rejects it instead.",
                            title=piece.label, lot=piece.id),
        )
        return redirect(_queue_url(**context, last=piece.id if piece else None))
    try:
        isbn13 = normalise_isbn(code)
    except DomainError as exc:
        flash(str(exc), "error")
        return redirect(_queue_url(**context))
    return redirect(_queue_url(**{**context, "isbn": isbn13}))


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@bp.post("/donations/<ref>/accept")
@reads_first
@role_required(Role.WAREHOUSE)
def accept_donation(ref: str):
    """Accept every catalogued copy of a donation still waiting to be sorted."""
    donation = or_404(lambda: get_donation(ref))
    post_form(
        ActionForm(),
        lambda: services.accept_donation(donation, actor=current_user),
        lambda done: _accepted_donation(donation, sum(lot.quantity for lot in done[0]), done[1]),
    )
    return redirect(_next_queue() or _queue_url(donation=donation.ref))


def _accepted_donation(donation: Donation, accepted: int, in_bags: int) -> str:
    said = counted(accepted, "Accepted %(num)s copy of donation %(ref)s.", "Accepted %(num)s copies of donation %(ref)s.",
                   ref=donation.ref)
    if in_bags:
        said += " " + counted(in_bags, "%(num)s copy in counted bags still waits: say which book it is first.",
                              "%(num)s copies in counted bags still wait: say which books they are first.")
    return said


@bp.get("/lots/<int:lot_id>")
@role_required(Role.WAREHOUSE)
def show_lot(lot_id: int):
    return _lot_page(or_404(lambda: lots.get(lot_id)))


def _lot_page(lot: Lot, **submitted: FlaskForm) -> str:
    """The lot's page; a form that was just refused replaces its blank twin, keeping what was typed."""
    flag = outdated.flags([lot.title]).get(lot.title.id) if lot.title else None
    forms = {
        "accept_form": AcceptForm(formdata=None),
        "reject_form": RejectForm(formdata=None, reason=RejectReason.OUTDATED.value if flag else None),
        "catalogue_form": CatalogueForm(formdata=None, language=_suggested_language(lot)),
        "correct_form": CorrectCountForm(formdata=None),
        "bag_form": BagScanForm(formdata=None),
        **submitted,
    }
    find = (request.args.get("find") or "").strip()[:200]
    return render_template("sorting/lot.html", lot=lot, history_events=audit.events_for(lot), flag=flag, find=find,
                           matches=_matches(lot, find), **forms)


SUGGESTED = 5  # titles offered for an ISBN nobody has named


def _matches(lot: Lot, find: str) -> list[Title]:
    """For copies of an ISBN nobody has named: the operation's titles that hold the words the sorter
    typed, to pick one whose details this ISBN takes (another edition of the same book)."""
    if not find or lot.title is None or lot.title.title is not None:
        return []
    found = search.page_of(find, current_user.role, "title", 1, SUGGESTED + 1).items
    return [title for title in found if title.title and title.id != lot.title_id][:SUGGESTED]


def _suggested_language(lot: Lot) -> str | None:
    """For copies of an ISBN nobody has named yet: the language its registration group suggests."""
    if lot.title is None or lot.title.title is not None:
        return None
    found = hint(lot.title.isbn13)
    return found.language if found else None


def _back(lot_id: int):
    """Back to the queue as it was shown (the form's `next`), or to the lot's page."""
    return redirect(_next_queue() or url_for("sorting.show_lot", lot_id=lot_id))


def _next_queue() -> str | None:
    """The queue page a form came from (its `next`: the queue with its site, donation and page)."""
    target = request.form.get("next") or ""
    if target == "queue":
        return url_for("sorting.queue")
    path = same_site_path(target)
    return path if path.startswith(url_for("sorting.queue")) else None


@bp.post("/lots/<int:lot_id>/accept")
@reads_first
@role_required(Role.WAREHOUSE)
def accept_lot(lot_id: int):
    lot = or_404(lambda: lots.get(lot_id))
    form = AcceptForm()
    post_form(
        form,
        lambda: services.accept(lot, quantity=form.quantity.data, actor=current_user),
        lambda piece: counted(piece.quantity, "Accepted %(num)s copy of %(title)s.", "Accepted %(num)s copies of %(title)s.",
                               title=piece.label),
    )
    return _back(lot_id)


@bp.post("/lots/<int:lot_id>/reject")
@reads_first
@role_required(Role.WAREHOUSE)
def reject_lot(lot_id: int):
    lot = or_404(lambda: lots.get(lot_id))
    form = RejectForm()
    if request.form.get("next"):  # a quick reject at the queue: back to it, refused or not
        post_form(form, lambda: _reject(lot, form), lambda piece: _rejected(piece, form))
        return _back(lot_id)
    return submit_form(
        form,
        lambda: _reject(lot, form),
        lambda piece: _rejected(piece, form),
        url_for("sorting.show_lot", lot_id=lot_id),
        lambda: _lot_page(lot, reject_form=form),
    )


def _reject(lot: Lot, form: RejectForm) -> Lot:
    return services.reject(
        lot,
        quantity=form.quantity.data,
        reason=RejectReason(form.reason.data),
        disposition=Disposition(form.disposition.data) if form.disposition.data else None,
        note=form.note.data,
        actor=current_user,
    )


def _rejected(piece: Lot, form: RejectForm) -> str:
    return counted(piece.quantity, "Rejected %(num)s copy of %(title)s (%(reason)s, %(disposition)s).",
                   "Rejected %(num)s copies of %(title)s (%(reason)s, %(disposition)s).", title=piece.label,
                   reason=label(RejectReason(form.reason.data)),
                   disposition=label(piece.disposition) if piece.disposition else "")


@bp.post("/lots/<int:lot_id>/catalogue")
@role_required(Role.WAREHOUSE)
def catalogue_lot(lot_id: int):
    lot = or_404(lambda: lots.get(lot_id))
    form = CatalogueForm()
    return submit_form(
        form,
        lambda: services.catalogue_as(
            lot,
            isbn=form.isbn.data,
            title=form.title.data,
            quantity=form.quantity.data,
            authors=form.authors.data or None,
            language=form.language.data or None,
            level=ReadingLevel(form.level.data),
            kind=TitleKind(form.kind.data),
            not_this_isbn=form.not_this_isbn.data,
            actor=current_user,
        ),
        lambda piece: counted(piece.quantity, "%(num)s copy catalogued as %(title)s.", "%(num)s copies catalogued as %(title)s.",
                               title=piece.label),
        url_for("sorting.show_lot", lot_id=lot_id),
        lambda: _lot_page(lot, catalogue_form=form),
    )


@bp.post("/lots/<int:lot_id>/scan")
@reads_first
@role_required(Role.WAREHOUSE)
def scan_bag(lot_id: int):
    """A book of a counted bag, scanned at the bag's page: one copy of the bag is that book."""
    lot = or_404(lambda: lots.get(lot_id))
    form = BagScanForm()
    return submit_form(
        form,
        lambda: services.catalogue_scanned(lot, form.isbn.data, accept_it=form.accept.data, actor=current_user),
        lambda piece: _scanned_from_bag(piece, lot, accepted=bool(form.accept.data)),
        url_for("sorting.show_lot", lot_id=lot_id),
        lambda: _lot_page(lot, bag_form=form),
    )


def _scanned_from_bag(piece: Lot, bag: Lot, *, accepted: bool) -> str:
    if piece is bag:
        if accepted:
            return _("1 copy of %(title)s accepted; that was the bag's last copy.", title=piece.label)
        return _("1 copy of %(title)s catalogued; that was the bag's last copy.", title=piece.label)
    if accepted:
        return counted(bag.quantity, "1 copy of %(title)s accepted; %(num)s copy left in the bag.",
                       "1 copy of %(title)s accepted; %(num)s copies left in the bag.", title=piece.label)
    return counted(bag.quantity, "1 copy of %(title)s catalogued; %(num)s copy left in the bag.",
                   "1 copy of %(title)s catalogued; %(num)s copies left in the bag.", title=piece.label)


@bp.post("/lots/<int:lot_id>/correct")
@role_required(Role.WAREHOUSE)
def correct_lot(lot_id: int):
    lot = or_404(lambda: lots.get(lot_id))
    form = CorrectCountForm()
    return submit_form(
        form,
        lambda: services.correct_count(lot, counted=form.counted.data, reason=form.reason.data, actor=current_user),
        lambda correction: _("Count corrected by %(delta)s.",
                             delta=("+" if correction.delta > 0 else "") + number(correction.delta)),
        url_for("sorting.show_lot", lot_id=lot_id),
        lambda: _lot_page(lot, correct_form=form),
    )
