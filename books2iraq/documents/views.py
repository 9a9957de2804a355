from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.documents import issuing, services
from books2iraq.documents.forms import IssueForm
from books2iraq.documents.models import PaperKind
from books2iraq.errors import DomainError
from books2iraq.intake import services as intake
from books2iraq.shipping import services as shipping
from books2iraq.web import or_404, post_form, same_site_path

bp = Blueprint("documents", __name__, url_prefix="/documents")


def _pdf(make: Callable[[], services.Document]) -> ResponseReturnValue:
    try:
        filename, pdf = make()
    except DomainError as exc:
        flash(str(exc), "error")
        return redirect(same_site_path(request.referrer))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "no-store"},
    )


@bp.get("/crates/<code>/label.pdf")
@role_required(Role.WAREHOUSE)
def crate_label(code: str):
    crate = or_404(lambda: crating.get_by_code(code))
    return _pdf(lambda: services.crate_label(crate, request.args.get("size", "a6")))


@bp.get("/crates/<code>/packing-list.pdf")
@role_required(Role.WAREHOUSE)
def crate_packing_list(code: str):
    crate = or_404(lambda: crating.get_by_code(code))
    return _pdf(lambda: services.crate_packing_list(crate))


@bp.get("/shipments/<ref>/labels.pdf")
@role_required(Role.WAREHOUSE)
def shipment_labels(ref: str):
    shipment = or_404(lambda: shipping.get_by_ref(ref))
    return _pdf(lambda: services.shipment_labels(shipment, request.args.get("size", "a6")))


@bp.get("/shipments/<ref>/packing-list.pdf")
@role_required(Role.WAREHOUSE)
def shipment_packing_list(ref: str):
    shipment = or_404(lambda: shipping.get_by_ref(ref))
    return _pdf(lambda: services.shipment_packing_list(shipment))


@bp.get("/shipments/<ref>/manifest.pdf")
@role_required(Role.COORDINATOR)
def customs_manifest(ref: str):
    shipment = or_404(lambda: shipping.get_by_ref(ref))
    return _pdf(lambda: services.customs_manifest(shipment))


@bp.get("/shipments/<ref>/certificate-of-origin.pdf")
@role_required(Role.COORDINATOR)
def certificate_of_origin(ref: str):
    shipment = or_404(lambda: shipping.get_by_ref(ref))
    return _pdf(lambda: services.certificate_of_origin(shipment))


@bp.get("/shipments/<ref>/certificate-of-donation.pdf")
@role_required(Role.COORDINATOR)
def certificate_of_donation(ref: str):
    shipment = or_404(lambda: shipping.get_by_ref(ref))
    return _pdf(lambda: services.certificate_of_donation(shipment))


@bp.get(f"/shipments/<ref>/<any({', '.join(repr(k.slug) for k in PaperKind)}):paper>/<int:revision>.pdf")
@role_required(Role.COORDINATOR)
def issued_paper(ref: str, paper: str, revision: int):
    shipment = or_404(lambda: shipping.get_by_ref(ref))
    kind = PaperKind(paper.replace("-", "_"))
    return _pdf(lambda: or_404(lambda: services.issued_paper(shipment, kind, revision)))


@bp.post("/shipments/<ref>/papers/issue")
@role_required(Role.COORDINATOR)
def issue_papers(ref: str):
    shipment = or_404(lambda: shipping.get_by_ref(ref))
    form = IssueForm()
    post_form(
        form,
        lambda: issuing.issue_papers(shipment, actor=current_user, reason=form.reason.data),
        lambda papers: f"Customs papers {papers[0].number} issued"
        + (f" (revision {papers[0].revision})." if papers[0].revision > 1 else "."),
    )
    return redirect(url_for("shipping.show_shipment", ref=shipment.ref))


@bp.get("/donations/<ref>/receipt.pdf")
@role_required(Role.VOLUNTEER)
def donor_receipt(ref: str):
    donation = or_404(lambda: intake.get_by_ref(ref))
    return _pdf(lambda: services.donor_receipt(donation))
