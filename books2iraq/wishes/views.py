"""A recipient's wish-list, kept by the coordinator and by the recipient's librarian, with how well
stock and shipments fill it; the coordinator earmarks stock for it."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.i18n import counted
from books2iraq.shipping.forms import AssignCrateForm
from books2iraq.shipping.models import Recipient
from books2iraq.shipping.services import allows_crate_changes, assign_by_code, get_by_ref, get_recipient
from books2iraq.shipping.views import loaded_message
from books2iraq.web import ActionForm, or_404, post_form, submit_form
from books2iraq.wishes import services
from books2iraq.wishes.forms import WishForm
from books2iraq.wishes.models import WishItem

bp = Blueprint("wishes", __name__, url_prefix="/wishes")


def _recipient(recipient_id: int) -> Recipient:
    """The recipient, if the signed-in person may see its wish-list (a librarian: only its own)."""
    if current_user.role is Role.RECIPIENT and current_user.recipient_id != recipient_id:
        abort(404)
    return or_404(lambda: get_recipient(recipient_id))


def _url(recipient: Recipient) -> str:
    return url_for("wishes.show", recipient_id=recipient.id)


@bp.get("/")
@role_required(Role.RECIPIENT)
def mine():
    """A librarian's own wish-list; the staff choose a recipient from the list of recipients."""
    if current_user.role is Role.RECIPIENT:
        return redirect(url_for("wishes.show", recipient_id=current_user.recipient_id))
    return redirect(url_for("shipping.list_recipients"))


def _page(recipient: Recipient, form: WishForm | None = None) -> str:
    fills = services.fill(recipient)
    return render_template("wishes/show.html", recipient=recipient, fills=fills, form=form or WishForm(formdata=None),
                           can_earmark=current_user.has_role(Role.COORDINATOR))


@bp.route("/<int:recipient_id>", methods=["GET", "POST"])
@role_required(Role.RECIPIENT)
def show(recipient_id: int):
    recipient = _recipient(recipient_id)
    form = WishForm()
    return submit_form(
        form,
        lambda: services.add_wish(recipient, actor=current_user, **form.values()),
        _("Added to the wish-list."),
        _url(recipient),
        lambda: _page(recipient, form),
    )


@bp.route("/<int:recipient_id>/<int:wish_id>", methods=["GET", "POST"])
@role_required(Role.RECIPIENT)
def edit(recipient_id: int, wish_id: int):
    recipient = _recipient(recipient_id)
    item: WishItem = or_404(lambda: services.get_wish(recipient, wish_id))
    form = WishForm(obj=item)
    return submit_form(
        form,
        lambda: services.update_wish(item, actor=current_user, **form.values()),
        _("Wish saved."),
        _url(recipient),
        lambda: render_template("wishes/edit.html", recipient=recipient, item=item, form=form),
    )


@bp.post("/<int:recipient_id>/<int:wish_id>/remove")
@role_required(Role.RECIPIENT)
def remove(recipient_id: int, wish_id: int):
    recipient = _recipient(recipient_id)
    item = or_404(lambda: services.get_wish(recipient, wish_id))
    post_form(ActionForm(), lambda: services.remove_wish(item, actor=current_user), _("Taken off the wish-list."))
    return redirect(_url(recipient))


@bp.post("/<int:recipient_id>/<int:wish_id>/earmark")
@role_required(Role.COORDINATOR)
def earmark(recipient_id: int, wish_id: int):
    recipient = _recipient(recipient_id)
    item = or_404(lambda: services.get_wish(recipient, wish_id))
    post_form(ActionForm(), lambda: services.earmark(item, actor=current_user),
              lambda n: counted(n, "%(num)s copy earmarked for %(name)s.", "%(num)s copies earmarked for %(name)s.",
                                name=recipient.name_en))
    return redirect(_url(recipient))


@bp.post("/<int:recipient_id>/release")
@role_required(Role.COORDINATOR)
def release(recipient_id: int):
    recipient = _recipient(recipient_id)
    post_form(ActionForm(), lambda: services.release(recipient, actor=current_user),
              lambda n: counted(n, "%(num)s earmarked copy put back in stock.", "%(num)s earmarked copies put back in stock.",
                                name=recipient.name_en))
    return redirect(_url(recipient))


@bp.route("/<int:recipient_id>/plan/<ref>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def plan(recipient_id: int, ref: str):
    """Planning a shipment from the wish-list: how well it is filled, and the sealed crates that would
    fill it best, each put on the shipment in one click (its service refuses what it must)."""
    recipient = _recipient(recipient_id)
    shipment = or_404(lambda: get_by_ref(ref))
    if shipment.recipient_id != recipient.id:
        abort(404)
    form = AssignCrateForm()
    if request.method == "POST":
        post_form(form, lambda: assign_by_code(shipment, form.code.data, actor=current_user),
                  lambda loaded: loaded_message(loaded, shipment))
        return redirect(url_for("wishes.plan", recipient_id=recipient.id, ref=shipment.ref))
    fills = services.fill(recipient)
    can_change = allows_crate_changes(shipment)
    return render_template("wishes/plan.html", recipient=recipient, shipment=shipment, fills=fills,
                           crates_can_change=can_change,
                           suggestions=services.suggest(recipient, fills=fills) if can_change else [])
