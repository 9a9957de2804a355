"""The documents as PDFs, the same ones the pages link to: labels, packing lists, the customs manifest, receipts."""
from __future__ import annotations

from flask import Response

from books2iraq.api.routing import load, pdf, route
from books2iraq.auth.roles import Role
from books2iraq.crating import services as crating
from books2iraq.documents import services as documents
from books2iraq.intake import services as intake
from books2iraq.shipping import services as shipping

NEEDS_CRATES = (422,)  # a shipment without crates has no paperwork yet


@route(
    "GET", "/shipments/<ref>/labels.pdf", role=Role.WAREHOUSE, response=None, refusals=NEEDS_CRATES,
    summary="The labels of a shipment's crates (PDF)",
)
def shipment_labels(ref: str) -> Response:
    return pdf(documents.shipment_labels(load(shipping.get_by_ref, ref)))


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


@route("GET", "/crates/<code>/label.pdf", role=Role.WAREHOUSE, summary="A crate's label (PDF)", response=None)
def crate_label(code: str) -> Response:
    return pdf(documents.crate_label(load(crating.get_by_code, code)))


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
