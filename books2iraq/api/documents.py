"""The documents as PDFs, the same ones the pages link to: labels, packing lists, the customs manifest, receipts."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from flask import Response
from pydantic import Field

from books2iraq.api.auth import api_user
from books2iraq.api.routing import load, pdf, route, run
from books2iraq.api.schemas import In, Out, Query, Text
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.documents import issuing
from books2iraq.documents import services as documents
from books2iraq.documents.models import PaperKind
from books2iraq.errors import NotFound
from books2iraq.intake import services as intake
from books2iraq.shipping import services as shipping

NEEDS_CRATES = (422,)  # a shipment without crates has no paperwork yet


class LabelQuery(Query):
    size: Literal["a6", "4x6"] = Field(default="a6", description="A6 sheets, or 4×6 inch thermal labels.")


@route(
    "GET", "/shipments/<ref>/labels.pdf", role=Role.WAREHOUSE, response=None, refusals=NEEDS_CRATES,
    query=LabelQuery, summary="The labels of a shipment's crates (PDF)",
)
def shipment_labels(ref: str, query: LabelQuery) -> Response:
    return pdf(documents.shipment_labels(load(shipping.get_by_ref, ref), query.size))


@route(
    "GET", "/shipments/<ref>/packing-list.pdf", role=Role.WAREHOUSE, response=None, refusals=NEEDS_CRATES,
    summary="A shipment's packing list (PDF)",
)
def shipment_packing_list(ref: str) -> Response:
    return pdf(documents.shipment_packing_list(load(shipping.get_by_ref, ref)))


@route(
    "GET", "/shipments/<ref>/manifest.pdf", role=Role.COORDINATOR, response=None, refusals=NEEDS_CRATES,
    summary="A shipment's customs manifest (PDF)",
)
def customs_manifest(ref: str) -> Response:
    return pdf(documents.customs_manifest(load(shipping.get_by_ref, ref)))


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
        raise NotFound(f"There is no customs paper called {slug}.") from None


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
