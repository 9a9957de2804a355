from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.concurrency import writes
from books2iraq.crating import services as crating
from books2iraq.documents import issuing, services
from books2iraq.documents import jobs as document_jobs
from books2iraq.documents.forms import IssueForm
from books2iraq.documents.models import JobStatus, PaperKind
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from books2iraq.i18n import number
from books2iraq.intake import donors
from books2iraq.intake import services as intake
from books2iraq.pallets import services as pallets
from books2iraq.reports import period
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import Shipment
from books2iraq.web import or_404, post_form, same_site_path

bp = Blueprint("documents", __name__, url_prefix="/documents")

# What starts the document worker (books2iraq/jobs.py), as the page of a job waiting for it says.
WORKER = {"command": "flask --app wsgi jobs work", "run": "make run", "serve": "make serve"}


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


@bp.get("/pallets/<code>/label.pdf")
@role_required(Role.WAREHOUSE)
def pallet_label(code: str):
    pallet = or_404(lambda: pallets.get_by_code(code))
    return _pdf(lambda: services.pallet_label(pallet, request.args.get("size", "a6")))


@bp.get("/crates/<code>/packing-list.pdf")
@role_required(Role.WAREHOUSE)
def crate_packing_list(code: str):
    crate = or_404(lambda: crating.get_by_code(code))
    return _pdf(lambda: services.crate_packing_list(crate))


# A shipment's long documents are drawn by the worker (documents/jobs.py): asking for one leads to the
# page of its job, which shows how far it has got, then opens the file.
def _prepare(kind: str, shipment: Shipment, size: str | None = None) -> ResponseReturnValue:
    try:
        asked = document_jobs.ask(kind, shipment, actor=current_user, size=size)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(same_site_path(request.referrer))
    document_jobs.start(asked)
    return redirect(url_for("documents.show_job", job_id=asked.job_id), 303)


@bp.get("/shipments/<ref>/labels.pdf")
@writes
@role_required(Role.WAREHOUSE)
def shipment_labels(ref: str):
    return _prepare("labels", or_404(lambda: shipping.get_by_ref(ref)), request.args.get("size", "a6"))


@bp.get("/shipments/<ref>/packing-list.pdf")
@writes
@role_required(Role.WAREHOUSE)
def shipment_packing_list(ref: str):
    return _prepare("packing-list", or_404(lambda: shipping.get_by_ref(ref)))


@bp.get("/shipments/<ref>/manifest.pdf")
@writes
@role_required(Role.COORDINATOR)
def customs_manifest(ref: str):
    """The issued manifest as it was issued, at once; before that, a draft drawn by the worker."""
    shipment = or_404(lambda: shipping.get_by_ref(ref))
    if issuing.latest(shipment) is not None:
        return _pdf(lambda: services.customs_manifest(shipment))
    return _prepare("manifest", shipment)


def _job(job_id: int) -> document_jobs.DocumentJob:
    job = or_404(lambda: document_jobs.get(job_id))
    if not current_user.has_role(document_jobs.KINDS[job.kind].role):
        abort(403)
    return job


@bp.get("/jobs/<int:job_id>")
@role_required(Role.WAREHOUSE)
def show_job(job_id: int):
    """How far the document has got (the page reloads itself until it is drawn), then the file itself."""
    job = _job(job_id)
    if job.status is JobStatus.DONE:
        return redirect(url_for("documents.job_file", job_id=job.id, filename=document_jobs.filename_of(job)), 303)
    kind = document_jobs.KINDS[job.kind]
    again = url_for(kind.endpoint, ref=job.subject, size=job.size) if job.size else url_for(kind.endpoint, ref=job.subject)
    shipment_url = url_for("shipping.show_shipment", ref=job.subject) if current_user.has_role(Role.COORDINATOR) else None
    heading = _(kind.heading, ref=job.subject)
    if job.size and job.size != "a6":
        heading = _("%(document)s (%(size)s in)", document=heading, size=job.size)
    return render_template(
        "documents/job.html", job=job, heading=heading, message=_(job.message) if job.message else "", again=again,
        waited=document_jobs.waited(job), shipment_url=shipment_url, worker=WORKER,
    )


@bp.get("/jobs/<int:job_id>/<filename>")
@role_required(Role.WAREHOUSE)
def job_file(job_id: int, filename: str):
    job = _job(job_id)
    if job.status is not JobStatus.DONE:
        return redirect(url_for("documents.show_job", job_id=job.id), 303)
    return _pdf(lambda: (document_jobs.filename_of(job), document_jobs.pdf_of(job)))


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
        lambda papers: _("Customs papers %(number)s issued (revision %(revision)s).",
                         number=papers[0].number, revision=number(papers[0].revision))
        if papers[0].revision > 1 else _("Customs papers %(number)s issued.", number=papers[0].number),
    )
    return redirect(url_for("shipping.show_shipment", ref=shipment.ref))


@bp.get("/shipments/<ref>/pick-list.pdf")
@role_required(Role.WAREHOUSE)
def pick_list(ref: str):
    shipment = or_404(lambda: shipping.get_by_ref(ref))
    return _pdf(lambda: services.pick_list(shipment))


@bp.get("/donors/<int:donor_id>/<int:year>.pdf")
@role_required(Role.VOLUNTEER)
def donor_year(donor_id: int, year: int):
    donor = or_404(lambda: donors.get_donor(donor_id))
    if year not in donors.years_of(donor):
        abort(404)
    return _pdf(lambda: services.donor_year(donor, year))


@bp.get("/reports/period.pdf")
@role_required(Role.COORDINATOR)
def period_report():
    """The report for funders over the period asked for (start, end); a calendar year's is the annual report."""
    return _pdf(lambda: services.period_report(period.period_of(request.args.get("start"), request.args.get("end"))))


@bp.get("/donations/<ref>/receipt.pdf")
@role_required(Role.VOLUNTEER)
def donor_receipt(ref: str):
    donation = or_404(lambda: intake.get_by_ref(ref))
    return _pdf(lambda: services.donor_receipt(donation))
