"""Coordinator pages: recipients, shipments, their crates, transport details and statuses."""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.crating.models import Crate
from books2iraq.crating.services import crate_rows
from books2iraq.crating.services import get_by_code as get_crate
from books2iraq.documents import issuing
from books2iraq.documents.forms import IssueForm
from books2iraq.documents.models import PaperKind
from books2iraq.i18n import counted
from books2iraq.labels import label
from books2iraq.paging import paginate, requested
from books2iraq.pallets.models import Pallet
from books2iraq.pallets.services import get_by_code as get_pallet
from books2iraq.pallets.services import stacks_of
from books2iraq.shipping import services
from books2iraq.shipping.forms import (
    AssignCrateForm,
    ContainerForm,
    NewShipmentForm,
    RecipientForm,
    StatusForm,
    TransportForm,
)
from books2iraq.shipping.models import Shipment, ShipmentStatus
from books2iraq.web import ActionForm, ask_first, or_404, post_form, submit_form

bp = Blueprint("shipping", __name__, url_prefix="/shipping")


# --- Recipients -----------------------------------------------------------------------------------


@bp.get("/recipients")
@role_required(Role.COORDINATOR)
def list_recipients():
    page = paginate(services.recipients(), *requested(), lambda result: result.scalars().all())
    return render_template("shipping/recipients.html", page=page)


@bp.route("/recipients/new", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def new_recipient():
    form = RecipientForm()
    return submit_form(
        form,
        lambda: services.create_recipient(actor=current_user, **form.values()),
        lambda r: _("Recipient %(name)s added.", name=r.name_en),
        url_for("shipping.list_recipients"),
        lambda: render_template("shipping/recipient_form.html", form=form, recipient=None),
    )


@bp.route("/recipients/<int:recipient_id>/edit", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit_recipient(recipient_id: int):
    recipient = or_404(lambda: services.get_recipient(recipient_id))
    form = RecipientForm(obj=recipient)
    return submit_form(
        form,
        lambda: services.update_recipient(recipient, actor=current_user, **form.values()),
        lambda r: _("Recipient %(name)s saved.", name=r.name_en),
        url_for("shipping.list_recipients"),
        lambda: render_template("shipping/recipient_form.html", form=form, recipient=recipient),
    )


@bp.post("/recipients/<int:recipient_id>/deactivate", endpoint="deactivate_recipient", defaults={"active": False})
@bp.post("/recipients/<int:recipient_id>/reactivate", endpoint="reactivate_recipient", defaults={"active": True})
@role_required(Role.COORDINATOR)
def set_recipient_active(recipient_id: int, active: bool):
    recipient = or_404(lambda: services.get_recipient(recipient_id))
    done = (
        _("%(name)s is active again.", name=recipient.name_en) if active
        else _("%(name)s is deactivated; it is no longer offered for new shipments.", name=recipient.name_en)
    )
    post_form(
        ActionForm(),
        lambda: services.set_recipient_active(recipient, active, actor=current_user),
        done,
    )
    return redirect(url_for("shipping.list_recipients"))


# --- Shipments ------------------------------------------------------------------------------------


@bp.get("/")
@role_required(Role.COORDINATOR)
def list_shipments():
    status = request.args.get("status")
    chosen = ShipmentStatus(status) if status in {s.value for s in ShipmentStatus} else None
    return render_template(
        "shipping/list.html", page=paginate(services.shipments(chosen), *requested(), services.shipment_rows),
        status=chosen, statuses=list(ShipmentStatus)
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def new_shipment():
    form = NewShipmentForm()
    form.recipient.choices = [(r.id, f"{r.name_en} ({r.city})") for r in services.list_recipients(active_only=True)]
    if request.method == "GET":
        form.recipient.data = request.args.get("recipient", type=int)
    return submit_form(
        form,
        lambda: services.create_shipment(
            recipient=services.get_recipient(form.recipient.data), actor=current_user, **form.transport()
        ),
        lambda s: _("Shipment %(ref)s planned for %(name)s.", ref=s.ref, name=s.recipient.name_en),
        lambda s: url_for("shipping.show_shipment", ref=s.ref),
        lambda: render_template("shipping/new.html", form=form),
    )


SUGGESTED = 100  # sealed crates the shipment page suggests as a crate code is typed


def _show(shipment: Shipment, **submitted: FlaskForm) -> str:
    """The shipment page; a form that was just submitted replaces its blank twin to show its errors."""
    forms = {
        "transport_form": TransportForm(formdata=None, obj=shipment),
        "container_form": ContainerForm(formdata=None, obj=shipment),
        "assign_form": AssignCrateForm(formdata=None),
        "status_form": StatusForm(formdata=None),
        **submitted,
    }
    forms["status_form"].offer(services.next_statuses(shipment), shipment.status)
    crates_can_change = services.allows_crate_changes(shipment)
    papers = issuing.revisions(shipment)
    totals = services.shipment_totals(shipment)
    pallets = services.pallets_on(shipment)
    return render_template(
        "shipping/show.html",
        shipment=shipment,
        papers=papers,
        paper_kinds=list(PaperKind),
        papers_changed=bool(papers) and issuing.changed_since(papers[0], shipment),
        can_issue=services.SHIPMENT.allows(shipment, "issue_papers"),
        receivable=services.SHIPMENT.allows(shipment, "check_in"),
        issue_form=IssueForm(formdata=None),
        totals=totals,
        load=services.load_of(shipment, totals),
        crates=paginate(services.crates_of(shipment), *requested(), crate_rows),
        pallets=pallets, stacks=stacks_of([p.id for p in pallets]), pallet_codes={p.id: p.code for p in pallets},
        crates_can_change=crates_can_change,
        # What the crate field suggests as it is typed in: the sealed pallets waiting, and the crates sealed
        # last (a scanner needs none).
        candidates=services.sealed_unassigned_crates(limit=SUGGESTED) if crates_can_change else [],
        pallet_candidates=services.sealed_unassigned_pallets(limit=SUGGESTED) if crates_can_change else [],
        waiting=services.count_unassigned_crates() if crates_can_change else 0,
        **forms,
    )


def _shipment_url(ref: str) -> str:
    return url_for("shipping.show_shipment", ref=ref)


@bp.get("/<ref>")
@role_required(Role.COORDINATOR)
def show_shipment(ref: str):
    return _show(or_404(lambda: services.get_by_ref(ref)))


@bp.post("/<ref>/transport")
@role_required(Role.COORDINATOR)
def update_transport(ref: str):
    shipment = or_404(lambda: services.get_by_ref(ref))
    form = TransportForm()
    return submit_form(
        form,
        lambda: services.update_transport(shipment, actor=current_user, **form.transport()),
        _("Transport details of %(ref)s saved.", ref=shipment.ref),
        _shipment_url(shipment.ref),
        lambda: _show(shipment, transport_form=form),
    )


@bp.post("/<ref>/container")
@role_required(Role.COORDINATOR)
def set_container(ref: str):
    shipment = or_404(lambda: services.get_by_ref(ref))
    form = ContainerForm()

    return submit_form(
        form,
        lambda: services.set_container(shipment, size=form.size(), capacity_kg=form.capacity_kg.data,
                                       capacity_m3=form.capacity_m3.data, actor=current_user),
        _("What carries %(ref)s is saved.", ref=shipment.ref),
        _shipment_url(shipment.ref),
        lambda: _show(shipment, container_form=form),
    )


def loaded_message(loaded: Crate | Pallet, shipment: Shipment) -> str:
    if isinstance(loaded, Pallet):
        return counted(len(loaded.crates), "Pallet %(code)s is on %(ref)s now, with its %(num)s crate.",
                       "Pallet %(code)s is on %(ref)s now, with its %(num)s crates.", code=loaded.code, ref=shipment.ref)
    return _("Crate %(code)s is on %(ref)s now.", code=loaded.code, ref=shipment.ref)


@bp.post("/<ref>/crates")
@role_required(Role.COORDINATOR)
def assign_crate(ref: str):
    """A crate's or a pallet's code, scanned or typed: it goes on the shipment."""
    shipment = or_404(lambda: services.get_by_ref(ref))
    form = AssignCrateForm()
    return submit_form(
        form,
        lambda: services.assign_by_code(shipment, form.code.data, actor=current_user),
        lambda loaded: loaded_message(loaded, shipment),
        _shipment_url(shipment.ref),
        lambda: _show(shipment, assign_form=form),
    )


def _take_off(shipment: Shipment, can_remove: bool, question: str, consequence: str, remove: Callable[[], object],
              done: str) -> ResponseReturnValue:
    """Take a crate or a pallet off a shipment once confirmed; asked only when it can be done (otherwise the
    service's refusal answers at once)."""
    form = ActionForm()
    asked = can_remove and ask_first(form, question, consequence, yes=_("Yes, take it off"), back=_shipment_url(shipment.ref))
    if asked:
        return asked
    post_form(form, remove, done)
    return redirect(_shipment_url(shipment.ref))


@bp.post("/<ref>/pallets/<pallet_code>/remove")
@role_required(Role.COORDINATOR)
def remove_pallet(ref: str, pallet_code: str):
    shipment = or_404(lambda: services.get_by_ref(ref))
    pallet = or_404(lambda: get_pallet(pallet_code))
    return _take_off(
        shipment,
        pallet.shipment_id == shipment.id and services.allows_crate_changes(shipment),
        _("Take pallet %(code)s off shipment %(ref)s?", code=pallet.code, ref=shipment.ref),
        counted(
            len(pallet.crates),
            "The pallet and its %(num)s crate will wait at the warehouse, sealed, for a shipment; "
            "the papers of %(ref)s will no longer list them.",
            "The pallet and its %(num)s crates will wait at the warehouse, sealed, for a shipment; "
            "the papers of %(ref)s will no longer list them.",
            ref=shipment.ref,
        ),
        lambda: services.remove_pallet(shipment, pallet, actor=current_user),
        _("Pallet %(code)s taken off %(ref)s.", code=pallet.code, ref=shipment.ref),
    )


@bp.post("/<ref>/crates/<code>/remove")
@role_required(Role.COORDINATOR)
def remove_crate(ref: str, code: str):
    shipment = or_404(lambda: services.get_by_ref(ref))
    crate = or_404(lambda: get_crate(code))
    return _take_off(
        shipment,
        crate.shipment_id == shipment.id and crate.pallet_id is None and services.allows_crate_changes(shipment),
        _("Take crate %(code)s off shipment %(ref)s?", code=crate.code, ref=shipment.ref),
        counted(
            crate.copies,
            "The crate (%(num)s copy) will wait at the warehouse, sealed, for a shipment; "
            "the papers of %(ref)s will no longer list it.",
            "The crate (%(num)s copies) will wait at the warehouse, sealed, for a shipment; "
            "the papers of %(ref)s will no longer list it.",
            ref=shipment.ref,
        ),
        lambda: services.remove_crate(shipment, crate, actor=current_user),
        _("Crate %(code)s taken off %(ref)s.", code=crate.code, ref=shipment.ref),
    )


@bp.post("/<ref>/status")
@role_required(Role.COORDINATOR)
def change_status(ref: str):
    shipment = or_404(lambda: services.get_by_ref(ref))
    form = StatusForm()
    if form.to_status.data is ShipmentStatus.CANCELLED and services.SHIPMENT.allows(shipment, "cancelled"):
        crates = services.shipment_totals(shipment).crates
        asked = ask_first(
            form,
            _("Cancel shipment %(ref)s?", ref=shipment.ref),
            (counted(
                crates,
                "Its %(num)s crate will go back to the warehouse, sealed, to wait for another shipment.",
                "Its %(num)s crates will go back to the warehouse, sealed, to wait for another shipment.",
            ) + " " if crates else "") + _("A cancelled shipment cannot be taken up again."),
            yes=_("Yes, cancel %(ref)s", ref=shipment.ref),
            back=_shipment_url(shipment.ref),
        )
        if asked is not None:
            return asked
    return submit_form(
        form,
        lambda: services.change_status(
            shipment, form.to_status.data, actor=current_user, location=form.location.data, note=form.note.data
        ),
        lambda event: _("Shipment %(ref)s is %(status)s now.", ref=shipment.ref, status=label(event.to_status)),
        _shipment_url(shipment.ref),
        lambda: _show(shipment, status_form=form),
    )
