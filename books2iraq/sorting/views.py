from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from books2iraq import audit
from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.catalogue import outdated
from books2iraq.catalogue.hints import hint
from books2iraq.concurrency import reads_first
from books2iraq.intake import lots
from books2iraq.intake.models import Disposition, Lot, ReadingLevel, RejectReason, Title, TitleKind
from books2iraq.labels import label
from books2iraq.paging import paginate, requested
from books2iraq.search import services as search
from books2iraq.sites.services import active_sites
from books2iraq.sorting import services
from books2iraq.sorting.forms import (
    AcceptForm,
    CatalogueForm,
    CorrectCountForm,
    RejectForm,
)
from books2iraq.web import or_404, post_form, submit_form

bp = Blueprint("sorting", __name__, url_prefix="/sorting")

@bp.get("/")
@role_required(Role.WAREHOUSE)
def queue():
    site_id = request.args.get("site", type=int)
    page = paginate(services.waiting_lots(site_id), *requested(100), lambda result: result.scalars().unique().all())
    return render_template(
        "sorting/queue.html",
        page=page,
        flags=outdated.flags([lot.title for lot in page.items]),
        sites=active_sites(),
        site_id=site_id,
        accept_form=AcceptForm(),
    )


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
    target = request.form.get("next")
    if target == "queue":
        return redirect(url_for("sorting.queue"))
    return redirect(url_for("sorting.show_lot", lot_id=lot_id))


@bp.post("/lots/<int:lot_id>/accept")
@reads_first
@role_required(Role.WAREHOUSE)
def accept_lot(lot_id: int):
    lot = or_404(lambda: lots.get(lot_id))
    form = AcceptForm()
    post_form(
        form,
        lambda: services.accept(lot, quantity=form.quantity.data, actor=current_user),
        lambda piece: f"Accepted {piece.quantity} copies of {piece.label}.",
    )
    return _back(lot_id)


@bp.post("/lots/<int:lot_id>/reject")
@reads_first
@role_required(Role.WAREHOUSE)
def reject_lot(lot_id: int):
    lot = or_404(lambda: lots.get(lot_id))
    form = RejectForm()
    return submit_form(
        form,
        lambda: services.reject(
            lot,
            quantity=form.quantity.data,
            reason=RejectReason(form.reason.data),
            disposition=Disposition(form.disposition.data),
            note=form.note.data,
            actor=current_user,
        ),
        lambda piece: f"Rejected {piece.quantity} copies ({label(RejectReason(form.reason.data))}).",
        url_for("sorting.show_lot", lot_id=lot_id),
        lambda: _lot_page(lot, reject_form=form),
    )


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
        lambda piece: f"{piece.quantity} copies catalogued as {piece.label}.",
        url_for("sorting.show_lot", lot_id=lot_id),
        lambda: _lot_page(lot, catalogue_form=form),
    )


@bp.post("/lots/<int:lot_id>/correct")
@role_required(Role.WAREHOUSE)
def correct_lot(lot_id: int):
    lot = or_404(lambda: lots.get(lot_id))
    form = CorrectCountForm()
    return submit_form(
        form,
        lambda: services.correct_count(lot, counted=form.counted.data, reason=form.reason.data, actor=current_user),
        lambda correction: f"Count corrected by {correction.delta:+d}.",
        url_for("sorting.show_lot", lot_id=lot_id),
        lambda: _lot_page(lot, correct_form=form),
    )
