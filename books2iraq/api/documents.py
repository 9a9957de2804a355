"""The documents as PDFs, the same ones the pages link to: labels, packing lists, the customs manifest, receipts."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from flask import Response, current_app, url_for
from flask_babel import gettext as _
from pydantic import Field

from books2iraq.api.auth import api_user
from books2iraq.api.errors import ApiError
from books2iraq.api.routing import load, pdf, route, run
from books2iraq.api.schemas import In, Out, Query, Text, Timestamp
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.documents import issuing
from books2iraq.documents import jobs as document_jobs
from books2iraq.documents import services as documents
from books2iraq.documents.models import DocumentJob, JobStatus, PaperKind
from books2iraq.errors import NotFound
from books2iraq.intake import services as intake
from books2iraq.labels import label
from books2iraq.shipping import services as shipping

NEEDS_CRATES = (422,)  # a shipment without crates has no paperwork yet


class LabelQuery(Query):
    size: Literal["a6", "4x6"] = Field(default="a6", description="A6 sheets, or 4×6 inch thermal labels.")


class JobOut(Out):
    """A long document on its way: the worker draws it in the background; ask again until it is done."""

    id: int
    kind: str = Field(description="labels, packing-list or manifest (a draft).")
    shipment: str = Field(description="The shipment's reference.")
    size: str | None = Field(description="Labels: a6 or 4x6.")
    status: JobStatus = Field(description="queued, running, done or failed.")
    done: int = Field(description="Labels or pages drawn so far.")
    total: int | None = Field(description="Labels to draw; null when the pages are not known in advance.")
    message: str | None = Field(description="Why it failed.")
    pdf: str | None = Field(description="Where the PDF is, once done.")
    created_at: Timestamp
    finished_at: Timestamp | None

    @classmethod
    def of_job(cls, job: DocumentJob) -> JobOut:
        done = job.status is JobStatus.DONE
        return cls.of_record(
            job, shipment=job.subject, pdf=url_for("api.job_pdf", job_id=job.id) if done else None,
        )


def _asked(kind: str, ref: str, size: str | None = None) -> Response:
    """A job for the document (one on its way already, or a new one), answered 202 with where to ask."""
    shipment = load(shipping.get_by_ref, ref)
    asked = run(lambda: document_jobs.ask(kind, shipment, actor=api_user(), size=size))
    document_jobs.start(asked)
    job = document_jobs.get(asked.job_id)
    return current_app.response_class(
        JobOut.of_job(job).model_dump_json(), status=202, mimetype="application/json",
        headers={"Location": url_for("api.document_job", job_id=job.id)},
    )


@route(
    "GET", "/shipments/<ref>/labels.pdf", role=Role.WAREHOUSE, response=JobOut, status=202, refusals=NEEDS_CRATES,
    query=LabelQuery, summary="The labels of a shipment's crates (PDF)",
)
def shipment_labels(ref: str, query: LabelQuery) -> Response:
    """Drawn by the worker: the answer is the job (202), at Location; ask it until it is done, then get its PDF."""
    return _asked("labels", ref, query.size)


@route(
    "GET", "/shipments/<ref>/packing-list.pdf", role=Role.WAREHOUSE, response=JobOut, status=202, refusals=NEEDS_CRATES,
    summary="A shipment's packing list (PDF)",
)
def shipment_packing_list(ref: str) -> Response:
    """Drawn by the worker: the answer is the job (202), at Location; ask it until it is done, then get its PDF."""
    return _asked("packing-list", ref)


@route(
    "GET", "/shipments/<ref>/manifest.pdf", role=Role.COORDINATOR, response=JobOut, status=(202, 200),
    pdf_status=200, refusals=NEEDS_CRATES, summary="A shipment's customs manifest (PDF)",
)
def customs_manifest(ref: str) -> Response:
    """Once issued, the very PDF that was issued (200). Before, a draft drawn by the worker: the answer is
    the job (202), at Location; ask it until it is done, then get its PDF."""
    shipment = load(shipping.get_by_ref, ref)
    if issuing.latest(shipment) is not None:
        return pdf(documents.customs_manifest(shipment))
    return _asked("manifest", ref)


def _job(job_id: int) -> DocumentJob:
    job = load(document_jobs.get, job_id)
    if not api_user().has_role(document_jobs.KINDS[job.kind].role):
        raise ApiError(403, _("Your role does not include this document."))
    return job


@route("GET", "/jobs/<int:job_id>", role=Role.WAREHOUSE, response=JobOut, summary="How far a long document has got")
def document_job(job_id: int) -> JobOut:
    return JobOut.of_job(_job(job_id))


@route(
    "GET", "/jobs/<int:job_id>/pdf", role=Role.WAREHOUSE, response=None, refusals=(409,),
    summary="The PDF of a long document, once drawn",
)
def job_pdf(job_id: int) -> Response:
    """409 until the job is done."""
    job = _job(job_id)
    if job.status is not JobStatus.DONE:
        message = _("Not ready: the document is %(status)s.", status=label(job.status))
        raise ApiError(409, f"{message} {job.message}" if job.message else message)  # its message: stored, as written
    return pdf((document_jobs.filename_of(job), document_jobs.pdf_of(job)))


@route(
    "GET", "/shipments/<ref>/certificate-of-origin.pdf", role=Role.COORDINATOR, response=None, refusals=NEEDS_CRATES,
    summary="A shipment's certificate of origin (PDF), issued with the customs manifest",
)
def certificate_of_origin(ref: str) -> Response:
    return pdf(documents.certificate_of_origin(load(shipping.get_by_ref, ref)))


@route(
    "GET", "/shipments/<ref>/certificate-of-donation.pdf", role=Role.COORDINATOR, response=None, refusals=NEEDS_CRATES,
    summary="A shipment's certificate of donation (PDF), issued with the customs manifest",
)
def certificate_of_donation(ref: str) -> Response:
    return pdf(documents.certificate_of_donation(load(shipping.get_by_ref, ref)))


def _paper(slug: str) -> PaperKind:
    try:
        return PaperKind(slug.replace("-", "_"))
    except ValueError:
        raise NotFound(_("There is no customs paper called %(name)s.", name=slug)) from None


@route(
    "GET", "/shipments/<ref>/<paper>/<int:revision>.pdf", role=Role.COORDINATOR, response=None,
    summary="One issued revision of a customs paper (manifest, certificate-of-origin, certificate-of-donation), "
    "exactly as issued (PDF)",
)
def issued_paper(ref: str, paper: str, revision: int) -> Response:
    shipment = load(shipping.get_by_ref, ref)
    kind = load(_paper, paper)
    return pdf(load(lambda n: documents.issued_paper(shipment, kind, n), revision))


class IssueIn(In):
    reason: Annotated[str, Text(500)] | None = Field(
        default=None, description="What a new revision corrects; needed once the papers have been issued."
    )


class PaperOut(Out):
    kind: PaperKind
    sha256: str = Field(description="SHA-256 of the issued PDF: every download of this revision has it.")


class IssuedOut(Out):
    number: str = Field(description="The invoice number, the same for every revision, e.g. PI-2026-0007.")
    revision: int
    issued_on: date
    issued_by: str
    reason: str | None
    papers: list[PaperOut]


@route(
    "POST", "/shipments/<ref>/papers/issue", role=Role.COORDINATOR, body=IssueIn, response=IssuedOut, status=201,
    refusals=(409, 422),
    summary="Issue a shipment's customs papers (manifest / pro-forma invoice and its certificates), or a corrected revision",
)
def issue_papers(ref: str, body: IssueIn) -> IssuedOut:
    """The first revision takes the next invoice number and today's date; the PDFs are frozen from then on."""
    shipment = load(shipping.get_by_ref, ref)
    papers = run(lambda: issuing.issue_papers(shipment, actor=api_user(), reason=body.reason))
    first = papers[0]
    return IssuedOut.of_record(
        first, issued_by=first.issued_by.name, papers=[PaperOut.of_record(paper) for paper in papers]
    )


@route(
    "GET", "/crates/<code>/label.pdf", role=Role.WAREHOUSE, summary="A crate's label (PDF)", response=None,
    query=LabelQuery,
)
def crate_label(code: str, query: LabelQuery) -> Response:
    return pdf(documents.crate_label(load(crating.get_by_code, code), query.size))


@route(
    "GET", "/crates/<code>/packing-list.pdf", role=Role.WAREHOUSE, response=None,
    summary="A crate's packing list (PDF)",
)
def crate_packing_list(code: str) -> Response:
    return pdf(documents.crate_packing_list(load(crating.get_by_code, code)))


@route(
    "GET", "/donations/<ref>/receipt.pdf", role=Role.VOLUNTEER, response=None,
    summary="The donor's receipt for a donation (PDF)",
)
def donor_receipt(ref: str) -> Response:
    return pdf(documents.donor_receipt(load(intake.get_by_ref, ref)))
